"""A complaint keeps the vehicle's licence plate (车牌), to find it by

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Complaints recorded before this have none.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("plate", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaints") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("plate")
