"""Reorder rules and the safety-level flag on each part's stock at a location

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

QUANTITY = sa.Numeric(precision=14, scale=3)


def upgrade() -> None:
    with op.batch_alter_table("part_stocks") as batch:
        batch.add_column(sa.Column("safety_stock", QUANTITY, nullable=False, server_default="0"))
        batch.add_column(sa.Column("reorder_point", QUANTITY, nullable=False, server_default="0"))
        batch.add_column(sa.Column("max_stock", QUANTITY, nullable=False, server_default="0"))
        batch.add_column(sa.Column("lead_time_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pack_multiple", QUANTITY, nullable=False, server_default="1"))
        batch.add_column(sa.Column("reorder_mode", sa.String(length=10), nullable=False, server_default="fixed"))
        batch.add_column(sa.Column("service_level", sa.Numeric(precision=5, scale=4), nullable=False,
                                   server_default="0.95"))
        batch.add_column(sa.Column("below_safety", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("part_stocks") as batch:
        for column in ("below_safety", "service_level", "reorder_mode", "pack_multiple", "lead_time_days",
                       "max_stock", "reorder_point", "safety_stock"):
            batch.drop_column(column)
