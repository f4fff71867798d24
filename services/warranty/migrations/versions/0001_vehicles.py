"""Event plumbing, vehicles and the parts catalog as warranty knows it

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_plumbing_tables_v1, drop_plumbing_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing_tables_v1()
    op.create_table(
        "vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("make", sa.String(length=60), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("model_year", sa.Integer(), nullable=False),
        sa.Column("in_service_date", sa.Date(), nullable=False),
        sa.Column("owner_count", sa.Integer(), nullable=False),
        sa.Column("title_status", sa.String(length=20), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vehicles"),
        sa.UniqueConstraint("dealer", "vin", name="uq_vehicles_dealer_vin"),
    )
    op.create_table(
        "catalog_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("safety_critical", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_parts"),
        sa.UniqueConstraint("dealer", "part_number", name="uq_catalog_parts_dealer_part_number"),
    )


def downgrade() -> None:
    op.drop_table("catalog_parts")
    op.drop_table("vehicles")
    drop_plumbing_tables_v1()
