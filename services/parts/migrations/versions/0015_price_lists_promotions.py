"""Price lists and promotions (价格策略与促销): a customer group's own prices, promotions with
their period, scope and rule, and on each sale line the promotion it was priced with and the
units a "buy N" promotion gave free

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(precision=14, scale=3)
MONEY = sa.Numeric(precision=12, scale=2)
PERCENT = sa.Numeric(precision=5, scale=2)


def upgrade() -> None:
    with op.batch_alter_table("customer_groups") as batch:
        batch.add_column(sa.Column("prices_changed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "customer_group_prices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("customer_group_id", sa.Integer(), sa.ForeignKey("customer_groups.id"), nullable=False,
                  index=True),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("customer_group_id", "part_number", name="uq_customer_group_prices_customer_group_id_part_number"),
    )
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("part_numbers", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("percent_off", PERCENT, nullable=True),
        sa.Column("fixed_price", MONEY, nullable=True),
        sa.Column("buy_quantity", sa.Integer(), nullable=True),
        sa.Column("stacks_with_group", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("dealer", "code", name="uq_promotions_dealer_code"),
    )
    op.create_index("ix_promotions_dealer_status_starts_on", "promotions", ["dealer", "status", "starts_on"])
    with op.batch_alter_table("sale_lines") as batch:
        batch.alter_column("price_source", existing_type=sa.String(length=30), type_=sa.String(length=60),
                           existing_nullable=False)
        batch.add_column(sa.Column("promotion", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("free_quantity", QUANTITY, nullable=False, server_default="0"))
    with op.batch_alter_table("sale_lines") as batch:
        batch.alter_column("free_quantity", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("sale_lines") as batch:
        batch.drop_column("free_quantity")
        batch.drop_column("promotion")
        batch.alter_column("price_source", existing_type=sa.String(length=60), type_=sa.String(length=30),
                           existing_nullable=False)
    op.drop_index("ix_promotions_dealer_status_starts_on", table_name="promotions")
    op.drop_table("promotions")
    op.drop_table("customer_group_prices")
    with op.batch_alter_table("customer_groups") as batch:
        batch.drop_column("prices_changed_at")
