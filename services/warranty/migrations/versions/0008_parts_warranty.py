"""The parts warranty (配件保修) on parts sold over the counter: the dealer's policy, the sold
parts with their expiry, the cases; a supplier recovery opened from a case may name no vehicle

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parts_warranty_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("default_months", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_parts_warranty_policies"),
        sa.UniqueConstraint("dealer", name="uq_parts_warranty_policies_dealer"),
    )
    op.create_table(
        "sold_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("sale", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=True),
        sa.Column("location", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.Numeric(12, 3), nullable=False),
        sa.Column("in_cases", sa.Numeric(12, 3), nullable=False),
        sa.Column("unit_price", sa.Numeric(16, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("customer_id", sa.String(length=40), nullable=True),
        sa.Column("vin", sa.String(length=17), nullable=True),
        sa.Column("category", sa.String(length=50), nullable=True),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("purchased_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("sold_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sold_parts"),
        sa.UniqueConstraint("dealer", "sale", "part_number", "lot", name="uq_sold_parts_dealer_sale_part_number_lot"),
    )
    op.create_index("ix_sold_parts_dealer_part_number_id", "sold_parts", ["dealer", "part_number", "id"])
    op.create_index("ix_sold_parts_dealer_customer_id_id", "sold_parts", ["dealer", "customer_id", "id"])
    op.create_table(
        "parts_warranty_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("sale", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=True),
        sa.Column("location", sa.String(length=40), nullable=True),
        sa.Column("vin", sa.String(length=17), nullable=True),
        sa.Column("customer_id", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.Numeric(12, 3), nullable=False),
        sa.Column("unit_price", sa.Numeric(16, 2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("purchased_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("accepted_late", sa.Boolean(), nullable=False),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fault", sa.String(length=30), nullable=True),
        sa.Column("covered", sa.Boolean(), nullable=True),
        sa.Column("supplier_at_fault", sa.Boolean(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assessed_by", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("repair_cost", sa.Numeric(16, 2), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followed_up_by", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_parts_warranty_cases"),
        sa.UniqueConstraint("dealer", "number", name="uq_parts_warranty_cases_dealer_number"),
    )
    op.create_index("ix_parts_warranty_cases_dealer_status_id", "parts_warranty_cases", ["dealer", "status", "id"])
    op.create_index("ix_parts_warranty_cases_dealer_supplier_opened_on", "parts_warranty_cases",
                    ["dealer", "supplier", "opened_on"])
    op.create_index("ix_parts_warranty_cases_dealer_sale_part_number", "parts_warranty_cases",
                    ["dealer", "sale", "part_number"])
    with op.batch_alter_table("supplier_recoveries") as recoveries:
        recoveries.alter_column("vin", existing_type=sa.String(length=17), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("supplier_recoveries") as recoveries:
        recoveries.alter_column("vin", existing_type=sa.String(length=17), nullable=False)
    op.drop_table("parts_warranty_cases")
    op.drop_table("sold_parts")
    op.drop_table("parts_warranty_policies")
