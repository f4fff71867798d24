"""Returns of counter sales (销售退货): each return with its refund and the lots its parts went
back into; a sold lot keeps how much of it came back, and a sales order what was refunded and
which sale it replaces parts of (an exchange)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(precision=14, scale=3)
MONEY = sa.Numeric(precision=12, scale=2)


def upgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.add_column(sa.Column("exchange_of", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("refunded_amount", MONEY, nullable=False, server_default="0"))
        batch.add_column(sa.Column("last_returned_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("sales_orders") as batch:
        batch.alter_column("refunded_amount", server_default=None)
    with op.batch_alter_table("sale_line_lots") as batch:
        batch.add_column(sa.Column("returned", QUANTITY, nullable=False, server_default="0"))
    with op.batch_alter_table("sale_line_lots") as batch:
        batch.alter_column("returned", server_default=None)
    op.create_table(
        "sale_returns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), sa.ForeignKey("sales_orders.id"), nullable=False, index=True),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("refund_method", sa.String(length=20), nullable=False),
        sa.Column("refund_reference", sa.String(length=100), nullable=True),
        sa.Column("refund_amount", MONEY, nullable=False),
        sa.Column("exchange_sale", sa.String(length=40), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("returned_by", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("dealer", "number", name="uq_sale_returns_dealer_number"),
    )
    op.create_table(
        "sale_return_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("sale_return_id", sa.Integer(), sa.ForeignKey("sale_returns.id"), nullable=False, index=True),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("condition", sa.String(length=10), nullable=False),
        sa.Column("value", MONEY, nullable=False),
    )
    op.create_index("ix_sale_return_lines_dealer_lot", "sale_return_lines", ["dealer", "lot"])


def downgrade() -> None:
    op.drop_table("sale_return_lines")
    op.drop_table("sale_returns")
    with op.batch_alter_table("sale_line_lots") as batch:
        batch.drop_column("returned")
    with op.batch_alter_table("sales_orders") as batch:
        batch.drop_column("last_returned_at")
        batch.drop_column("refunded_amount")
        batch.drop_column("exchange_of")
