"""Investigation, actions (整改清单), resolution, customer feedback, follow-up visits, reopening
and merged duplicates; complaints found by the lot they name

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Complaints recorded before this keep their status (`open` or `closed`); they have no root cause,
so they are resolved only after one is recorded.
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STATUSES = ("open", "in_progress", "resolved", "closed", "reopened", "merged")
ROOT_CAUSES = ("design", "production", "supplier", "service_process", "staff", "logistics", "customer_use",
               "unfounded")
EVIDENCE_KINDS = ("photo", "repair_record", "call_recording", "document")
ACTION_KINDS = ("replace", "repair", "refund", "goodwill", "supplier_accountability", "staff_accountability",
                "process_change")
NEW_COLUMNS = (
    ("findings", sa.Text()),
    ("root_cause", sa.Enum(*ROOT_CAUSES, name="complaint_root_cause", native_enum=False, length=20)),
    ("resolution", sa.Text()),
    ("resolved_at", sa.DateTime(timezone=True)),
    ("resolved_by", sa.String(length=200)),
    ("accepted_at", sa.DateTime(timezone=True)),
    ("satisfaction", sa.Integer()),
    ("closed_at", sa.DateTime(timezone=True)),
    ("closed_by", sa.String(length=200)),
    ("merged_into", sa.String(length=36)),
)


def _child_table(name: str, *columns: sa.Column, key: sa.Column | None = None) -> None:
    """A table of one complaint's records: dealer, the complaint it belongs to, then its columns."""
    op.create_table(
        name,
        key if key is not None else sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name=f"fk_{name}_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_complaint_id", name, ["complaint_id"])


def _rated() -> list[sa.Column]:
    return [sa.Column("satisfaction", sa.Integer(), nullable=True),
            sa.Column("recorded_by", sa.String(length=200), nullable=False),
            sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.alter_column("status", existing_type=sa.String(length=20), existing_nullable=False,
                           type_=sa.Enum(*STATUSES, name="complaint_status", native_enum=False, length=20))
        for name, type_ in NEW_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_index("ix_complaints_dealer_lot", "complaints", ["dealer", "lot"])
    _child_table(
        "complaint_evidence",
        sa.Column("kind", sa.Enum(*EVIDENCE_KINDS, name="evidence_kind", native_enum=False, length=20),
                  nullable=False),
        sa.Column("reference", sa.String(length=500), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    _child_table(
        "complaint_actions",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(*ACTION_KINDS, name="action_kind", native_enum=False, length=30), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("planned_by", sa.String(length=200), nullable=False),
        sa.Column("planned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(length=200), nullable=True),
        sa.Column("done_note", sa.String(length=1000), nullable=True),
        sa.UniqueConstraint("complaint_id", "number", name="uq_complaint_actions_complaint_id_number"),
        key=sa.Column("id", sa.String(length=36), nullable=False),
    )
    op.create_index("ix_complaint_actions_dealer_due_on_id", "complaint_actions", ["dealer", "due_on", "id"])
    _child_table(
        "customer_feedback",
        sa.Column("told", sa.String(length=2000), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        *_rated(),
    )
    _child_table(
        "follow_up_visits",
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visited_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        *_rated(),
    )


def downgrade() -> None:
    for name in ("follow_up_visits", "customer_feedback", "complaint_actions", "complaint_evidence"):
        op.drop_table(name)
    op.drop_index("ix_complaints_dealer_lot", table_name="complaints")
    # Statuses this revision brought in do not exist before it.
    op.execute("UPDATE complaints SET status = 'closed' WHERE status IN ('resolved', 'merged')")
    op.execute("UPDATE complaints SET status = 'open' WHERE status IN ('in_progress', 'reopened')")
    with op.batch_alter_table("complaints") as batch:  # SQLite drops columns by copying the table
        for name, _type in reversed(NEW_COLUMNS):
            batch.drop_column(name)
        batch.alter_column("status", existing_type=sa.Enum(*STATUSES, name="complaint_status", native_enum=False,
                                                           length=20),
                           existing_nullable=False, type_=sa.String(length=20))
