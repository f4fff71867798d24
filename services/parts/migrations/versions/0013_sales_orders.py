"""Counter sales (配件销售): customer groups with their discount, sales orders, their lines and
the lots each line was handed over from

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(precision=14, scale=3)
MONEY = sa.Numeric(precision=12, scale=2)
PERCENT = sa.Numeric(precision=5, scale=2)


def upgrade() -> None:
    op.create_table(
        "customer_groups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("discount_percent", PERCENT, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("dealer", "code", name="uq_customer_groups_dealer_code"),
    )
    op.create_table(
        "sales_orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("customer_kind", sa.String(length=20), nullable=False),
        sa.Column("customer_account", sa.String(length=60), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("customer_group", sa.String(length=40), nullable=True),
        sa.Column("vehicle_make", sa.String(length=60), nullable=True),
        sa.Column("vehicle_model", sa.String(length=60), nullable=True),
        sa.Column("vehicle_year", sa.Integer(), nullable=True),
        sa.Column("vehicle_displacement", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("vehicle_vin", sa.String(length=17), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by", sa.String(length=200), nullable=True),
        sa.Column("payment_method", sa.String(length=20), nullable=True),
        sa.Column("payment_reference", sa.String(length=100), nullable=True),
        sa.Column("paid_amount", MONEY, nullable=True),
        sa.Column("invoice_number", sa.String(length=40), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.String(length=200), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("dealer", "number", name="uq_sales_orders_dealer_number"),
    )
    op.create_index("ix_sales_orders_dealer_status", "sales_orders", ["dealer", "status"])
    op.create_index("ix_sales_orders_dealer_customer_account", "sales_orders", ["dealer", "customer_account"])
    op.create_table(
        "sale_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), sa.ForeignKey("sales_orders.id"), nullable=False, index=True),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("list_price", MONEY, nullable=False),
        sa.Column("unit_price", MONEY, nullable=False),
        sa.Column("discount_percent", PERCENT, nullable=False),
        sa.Column("price_source", sa.String(length=30), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=True),
        sa.Column("fitment", sa.String(length=10), nullable=False),
        sa.Column("reservation", sa.String(length=40), nullable=True),
    )
    op.create_index("ix_sale_lines_dealer_part_number", "sale_lines", ["dealer", "part_number"])
    op.create_table(
        "sale_line_lots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("sale_line_id", sa.Integer(), sa.ForeignKey("sale_lines.id"), nullable=False, index=True),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
    )
    op.create_index("ix_sale_line_lots_dealer_lot", "sale_line_lots", ["dealer", "lot"])


def downgrade() -> None:
    op.drop_table("sale_line_lots")
    op.drop_table("sale_lines")
    op.drop_table("sales_orders")
    op.drop_table("customer_groups")
