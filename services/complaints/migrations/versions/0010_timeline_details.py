"""Each timeline entry keeps the values its sentence is made of, so a desk can say it in its own language

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Entries written before this have none: readers fall back to the English summary.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("timeline_entries") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("timeline_entries") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("details")
