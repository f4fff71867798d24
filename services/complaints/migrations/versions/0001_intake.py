"""Event plumbing, complaints and their timeline

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

CHANNELS = ("phone", "web", "email", "letter", "in_person", "wechat")


def upgrade() -> None:
    create_plumbing_tables_v1()
    op.create_table(
        "complaints",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.Enum(*CHANNELS, name="complaint_channel", native_enum=False, length=20),
                  nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("vin", sa.String(length=17), nullable=True),
        sa.Column("repair_order", sa.String(length=40), nullable=True),
        sa.Column("claim_number", sa.String(length=40), nullable=True),
        sa.Column("part_number", sa.String(length=40), nullable=True),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column("desired_remedy", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_complaints"),
    )
    op.create_index("ix_complaints_dealer_claim_number", "complaints", ["dealer", "claim_number"])
    op.create_index("ix_complaints_dealer_received_at_id", "complaints", ["dealer", "received_at", "id"])
    op.create_table(
        "timeline_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name="fk_timeline_entries_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name="pk_timeline_entries"),
    )
    op.create_index("ix_timeline_entries_complaint_id", "timeline_entries", ["complaint_id"])


def downgrade() -> None:
    op.drop_table("timeline_entries")
    op.drop_table("complaints")
    drop_plumbing_tables_v1()
