"""Quarantined lots and their vehicles, days out of service on claims and the lemon-law
thresholds announced per vehicle, the claims list by status and repair date, fittings by lot

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lot_recalls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=40), nullable=False),
        sa.Column("supplier_lot", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("quarantined_by", sa.String(length=200), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=True),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lot_recalls"),
        sa.UniqueConstraint("dealer", "lot", name="uq_lot_recalls_dealer_lot"),
    )
    op.create_index("ix_lot_recalls_dealer_status_lot", "lot_recalls", ["dealer", "status", "lot"])
    op.create_table(
        "lot_recall_vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("lot_recall_id", sa.Integer(), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_lot_recall_vehicles"),
        sa.ForeignKeyConstraint(["lot_recall_id"], ["lot_recalls.id"],
                                name="fk_lot_recall_vehicles_lot_recall_id_lot_recalls"),
        sa.UniqueConstraint("lot_recall_id", "vin", name="uq_lot_recall_vehicles_lot_recall_id_vin"),
    )
    op.create_index("ix_lot_recall_vehicles_dealer_vin", "lot_recall_vehicles", ["dealer", "vin"])
    op.create_index("ix_installed_parts_dealer_lot", "installed_parts", ["dealer", "lot"])
    # The claims list: by status, over a period of repair dates, or both, newest first.
    op.create_index("ix_claims_dealer_status_repair_date_id", "claims", ["dealer", "status", "repair_date", "id"])
    op.create_index("ix_claims_dealer_repair_date_id", "claims", ["dealer", "repair_date", "id"])
    op.create_index("ix_claims_dealer_status_id", "claims", ["dealer", "status", "id"])
    with op.batch_alter_table("claims") as claims:
        claims.add_column(sa.Column("days_out_of_service", sa.Integer(), nullable=True))
    with op.batch_alter_table("vehicles") as vehicles:
        vehicles.add_column(sa.Column("lemon_law_reported", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("vehicles") as vehicles:
        vehicles.drop_column("lemon_law_reported")
    with op.batch_alter_table("claims") as claims:
        claims.drop_column("days_out_of_service")
    op.drop_index("ix_claims_dealer_status_id", table_name="claims")
    op.drop_index("ix_claims_dealer_repair_date_id", table_name="claims")
    op.drop_index("ix_claims_dealer_status_repair_date_id", table_name="claims")
    op.drop_index("ix_installed_parts_dealer_lot", table_name="installed_parts")
    op.drop_table("lot_recall_vehicles")
    op.drop_table("lot_recalls")
