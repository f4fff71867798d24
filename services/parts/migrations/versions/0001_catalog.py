"""Event plumbing and the parts catalog

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
        "parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column(
            "source",
            sa.Enum("oem", "aftermarket", name="part_source", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("safety_critical", sa.Boolean(), nullable=False),
        sa.Column("list_price", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_parts"),
        sa.UniqueConstraint("dealer", "part_number", name="uq_parts_dealer_part_number"),
    )


def downgrade() -> None:
    op.drop_table("parts")
    drop_plumbing_tables_v1()
