"""Index supplier part numbers by our part number (availability reads them on every quote)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_supplier_part_numbers_dealer_part_number", "supplier_part_numbers",
                    ["dealer", "part_number"])


def downgrade() -> None:
    op.drop_index("ix_supplier_part_numbers_dealer_part_number", table_name="supplier_part_numbers")
