"""One part number per dealer whatever its case: a lower-case key, unique per dealer

The service looks for another spelling before adding a part; two clerks adding "pads" and
"PADS" at the same moment would both find none, so the database refuses the second.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("parts", sa.Column("number_key", sa.String(40), nullable=True))
    op.execute("UPDATE parts SET number_key = lower(part_number)")
    with op.batch_alter_table("parts") as batch:
        batch.alter_column("number_key", existing_type=sa.String(40), nullable=False)
    op.create_index("uq_parts_dealer_number_key", "parts", ["dealer", "number_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_parts_dealer_number_key", table_name="parts")
    with op.batch_alter_table("parts") as batch:
        batch.drop_column("number_key")
