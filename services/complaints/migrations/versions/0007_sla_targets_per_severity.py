"""SLA targets per severity, set per dealer by its service manager

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Until a dealer sets them every severity keeps the service's targets (SLA_*_HOURS), as before.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sla_policies",
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dealer", name="pk_sla_policies"),
    )


def downgrade() -> None:
    op.drop_table("sla_policies")
