"""Supersession, alternates and fitment in the catalog

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
    with op.batch_alter_table("parts") as batch:
        batch.add_column(sa.Column("superseded_by", sa.String(length=40), nullable=True))
    op.create_table(
        "part_fitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("make", sa.String(length=60), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("year_from", sa.Integer(), nullable=False),
        sa.Column("year_to", sa.Integer(), nullable=False),
        sa.Column("displacement", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name="fk_part_fitments_part_id_parts"),
        sa.PrimaryKeyConstraint("id", name="pk_part_fitments"),
    )
    op.create_index("ix_part_fitments_part_id", "part_fitments", ["part_id"])
    op.create_index("ix_part_fitments_dealer_make_model", "part_fitments", ["dealer", "make", "model"])
    op.create_table(
        "part_alternates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("part_number", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["part_id"], ["parts.id"], name="fk_part_alternates_part_id_parts"),
        sa.PrimaryKeyConstraint("id", name="pk_part_alternates"),
    )
    op.create_index("ix_part_alternates_part_id", "part_alternates", ["part_id"])
    op.create_index("ix_part_alternates_dealer_part_number", "part_alternates", ["dealer", "part_number"])


def downgrade() -> None:
    op.drop_table("part_alternates")
    op.drop_table("part_fitments")
    with op.batch_alter_table("parts") as batch:
        batch.drop_column("superseded_by")
