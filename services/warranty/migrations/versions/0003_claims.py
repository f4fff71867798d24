"""Warranty claims with their lines and history, supplier recoveries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("claim_number", sa.String(length=40), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("claim_type", sa.String(length=20), nullable=False),
        sa.Column("coverage_plan", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("repair_order", sa.String(length=40), nullable=False),
        sa.Column("repair_date", sa.Date(), nullable=False),
        sa.Column("odometer", sa.Integer(), nullable=False),
        sa.Column("failure_date", sa.Date(), nullable=False),
        sa.Column("complaint", sa.Text(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("correction", sa.Text(), nullable=True),
        sa.Column("pre_authorisation_number", sa.String(length=40), nullable=True),
        sa.Column("pre_authorised_on", sa.Date(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("causal_lot", sa.String(length=40), nullable=True),
        sa.Column("causal_supplier", sa.String(length=40), nullable=True),
        sa.Column("appealed", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_amount", sa.Numeric(precision=16, scale=2), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("payment_reference", sa.String(length=60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.UniqueConstraint("dealer", "claim_number", name="uq_claims_dealer_claim_number"),
    )
    op.create_index("ix_claims_dealer_vin", "claims", ["dealer", "vin"])
    op.create_index("ix_claims_dealer_repair_order", "claims", ["dealer", "repair_order"])
    op.create_table(
        "claim_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("operation", sa.String(length=40), nullable=True),
        sa.Column("part_number", sa.String(length=40), nullable=True),
        sa.Column("quantity", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("causal", sa.Boolean(), nullable=False),
        sa.Column("supplied_by", sa.String(length=10), nullable=False),
        sa.Column("repair_order_line", sa.String(length=40), nullable=True),
        sa.Column("approved_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_claim_lines"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_claim_lines_claim_id_claims"),
    )
    op.create_index("ix_claim_lines_claim_id", "claim_lines", ["claim_id"])
    op.create_table(
        "claim_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_claim_history"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_claim_history_claim_id_claims"),
    )
    op.create_index("ix_claim_history_claim_id", "claim_history", ["claim_id"])
    op.create_table(
        "supplier_recoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("claim_number", sa.String(length=40), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_recoveries"),
        sa.UniqueConstraint("dealer", "claim_number", name="uq_supplier_recoveries_dealer_claim_number"),
    )
    op.create_index("ix_supplier_recoveries_dealer_supplier", "supplier_recoveries", ["dealer", "supplier"])


def downgrade() -> None:
    op.drop_table("supplier_recoveries")
    op.drop_table("claim_history")
    op.drop_table("claim_lines")
    op.drop_table("claims")
