"""Stock counts (盘点) and their lines

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(precision=14, scale=3)


def upgrade() -> None:
    op.create_table(
        "stock_counts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=False),
        sa.Column("status", sa.Enum("counting", "awaiting_approval", "posted", name="count_status",
                                    native_enum=False, length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("dealer", "number", name="uq_stock_counts_dealer_number"),
    )
    op.create_table(
        "stock_count_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("stock_count_id", sa.Integer(), sa.ForeignKey("stock_counts.id"), nullable=False, index=True),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("counted", QUANTITY, nullable=True),
        sa.Column("book", QUANTITY, nullable=True),
        sa.Column("counted_by", sa.String(length=200), nullable=True),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stock_count_lines")
    op.drop_table("stock_counts")
