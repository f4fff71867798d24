"""Purchase orders (what is on order) and supplier quality incidents

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(precision=14, scale=3)


def upgrade() -> None:
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ordered_by", sa.String(length=200), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("dealer", "number", name="uq_purchase_orders_dealer_number"),
    )
    op.create_index("ix_purchase_orders_dealer_status", "purchase_orders", ["dealer", "status"])
    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("purchase_order_id", sa.Integer(), sa.ForeignKey("purchase_orders.id"), nullable=False,
                  index=True),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("location", sa.String(length=40), nullable=False),
        sa.Column("quantity", QUANTITY, nullable=False),
        sa.Column("received", QUANTITY, nullable=False),
    )
    op.create_index("ix_purchase_order_lines_dealer_part_number_location", "purchase_order_lines",
                    ["dealer", "part_number", "location"])
    op.create_table(
        "quality_incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("dealer", "kind", "reference", name="uq_quality_incidents_dealer_kind_reference"),
    )
    op.create_index("ix_quality_incidents_dealer_lot", "quality_incidents", ["dealer", "lot"])
    op.create_index("ix_quality_incidents_dealer_supplier", "quality_incidents", ["dealer", "supplier"])
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(sa.Column("field_failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("incidents", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("suppliers") as batch:
        batch.drop_column("incidents")
        batch.drop_column("field_failures")
    op.drop_table("quality_incidents")
    op.drop_table("purchase_order_lines")
    op.drop_table("purchase_orders")
