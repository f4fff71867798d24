"""The replacement part for a parts-warranty case (保修换件): one per case, waiting or issued,
with the lots it was issued from

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warranty_exchanges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("case", sa.String(length=40), nullable=False),
        sa.Column("sale", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("faulty_lot", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lots", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("dealer", "case", name="uq_warranty_exchanges_dealer_case"),
    )
    op.create_index("ix_warranty_exchanges_dealer_status_id", "warranty_exchanges", ["dealer", "status", "id"])


def downgrade() -> None:
    op.drop_table("warranty_exchanges")
