"""A part's history (变更记录): who created or changed it, when, why, each field from -> to

Parts added before this revision have no entry for their creation: their history starts with
their next change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-16
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "part_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("dealer", sa.String(32), nullable=False),
        sa.Column("part_number", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_part_changes_dealer_part_number_id", "part_changes", ["dealer", "part_number", "id"])


def downgrade() -> None:
    op.drop_index("ix_part_changes_dealer_part_number_id", table_name="part_changes")
    op.drop_table("part_changes")
