"""Sold parts taken back at the parts counter (销售退货) leave the parts warranty: the quantity
each sold part had returned, and each return per part and lot, counted once; and when parts
issued a case's replacement from stock

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sold_parts") as batch:
        batch.add_column(sa.Column("returned", sa.Numeric(12, 3), nullable=False, server_default="0"))
    with op.batch_alter_table("parts_warranty_cases") as batch:
        batch.add_column(sa.Column("replacement_issued_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sold_part_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("sale", sa.String(length=40), nullable=False),
        sa.Column("sale_return", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Numeric(12, 3), nullable=False),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sold_part_returns"),
        sa.UniqueConstraint("dealer", "sale_return", "part_number", "lot",
                            name="uq_sold_part_returns_dealer_sale_return_part_number_lot"),
    )
    op.create_index("ix_sold_part_returns_dealer_sale_part_number_lot", "sold_part_returns",
                    ["dealer", "sale", "part_number", "lot"])


def downgrade() -> None:
    op.drop_table("sold_part_returns")
    with op.batch_alter_table("parts_warranty_cases") as batch:
        batch.drop_column("replacement_issued_at")
    with op.batch_alter_table("sold_parts") as batch:
        batch.drop_column("returned")
