"""Ownership and SLA clocks: assignment, acknowledgement, first response, promised date, pauses,
escalations and the dealer's business calendar

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Complaints recorded before this, still open, are noted as due for a look from their received
time: the first escalation sweep escalates the clocks that ran out and notes the next deadline.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CLOCKS = ("acknowledge", "first_response", "escalation", "resolution")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("department", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("handler", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("promised_resolution_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("sla_due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_complaints_sla_due_at", "complaints", ["sla_due_at"])
    op.execute("UPDATE complaints SET sla_due_at = received_at WHERE status <> 'closed'")
    op.create_table(
        "complaint_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("waiting_for", sa.Enum("customer", "supplier", name="pause_waiting_for", native_enum=False,
                                         length=20), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("paused_by", sa.String(length=200), nullable=False),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resume_reason", sa.String(length=400), nullable=True),
        sa.Column("resumed_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name="fk_complaint_pauses_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name="pk_complaint_pauses"),
    )
    op.create_index("ix_complaint_pauses_complaint_id", "complaint_pauses", ["complaint_id"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("clock", sa.Enum(*CLOCKS, name="escalation_clock", native_enum=False, length=20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name="fk_escalations_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
        sa.UniqueConstraint("complaint_id", "clock", name="uq_escalations_complaint_id_clock"),
    )
    op.create_table(
        "business_calendars",
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("make_up_days", sa.JSON(), nullable=False),
        sa.Column("make_up_hours", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dealer", name="pk_business_calendars"),
    )


def downgrade() -> None:
    op.drop_table("business_calendars")
    op.drop_table("escalations")
    op.drop_table("complaint_pauses")
    op.drop_index("ix_complaints_sla_due_at", table_name="complaints")
    with op.batch_alter_table("complaints") as batch:  # SQLite drops columns by copying the table
        for column in ("sla_due_at", "promised_resolution_on", "first_response_at", "acknowledged_at", "handler",
                       "department"):
            batch.drop_column(column)
