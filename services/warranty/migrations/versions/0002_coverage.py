"""Odometer history, owner and title, coverage plans, parts fitted per VIN

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vehicles") as batch:
        batch.add_column(sa.Column("odometer_km", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("odometer_read_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("rollback_suspected", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "odometer_readings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("km", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("rollback_suspected", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_odometer_readings"),
        sa.ForeignKeyConstraint(["vehicle_id"], ["vehicles.id"], name="fk_odometer_readings_vehicle_id_vehicles"),
    )
    op.create_index("ix_odometer_readings_vehicle_id", "odometer_readings", ["vehicle_id"])
    op.create_table(
        "coverage_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("make", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("km", sa.Integer(), nullable=True),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("exclusions", sa.JSON(), nullable=False),
        sa.Column("deductible", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("transferable", sa.Boolean(), nullable=False),
        sa.Column("pre_authorisation_above", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("vin_from", sa.String(length=17), nullable=True),
        sa.Column("vin_to", sa.String(length=17), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("replaces", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coverage_plans"),
        sa.UniqueConstraint("dealer", "code", name="uq_coverage_plans_dealer_code"),
    )
    op.create_index("ix_coverage_plans_dealer_make", "coverage_plans", ["dealer", "make"])
    op.create_table(
        "installed_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("issue", sa.String(length=40), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=True),
        sa.Column("repair_order", sa.String(length=40), nullable=True),
        sa.Column("supplier", sa.String(length=40), nullable=True),
        sa.Column("location", sa.String(length=40), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("technician", sa.String(length=200), nullable=True),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("odometer", sa.Integer(), nullable=True),
        sa.Column("issued_quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("returned_quantity", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_installed_parts"),
        sa.UniqueConstraint("dealer", "issue", "part_number", "lot",
                            name="uq_installed_parts_dealer_issue_part_number_lot"),
    )
    op.create_index("ix_installed_parts_dealer_vin", "installed_parts", ["dealer", "vin"])


def downgrade() -> None:
    op.drop_table("installed_parts")
    op.drop_table("coverage_plans")
    op.drop_table("odometer_readings")
    with op.batch_alter_table("vehicles") as batch:
        batch.drop_column("rollback_suspected")
        batch.drop_column("odometer_read_on")
        batch.drop_column("odometer_km")
