"""A supplier recovery's amount by parts, labour and handling, and its history of steps; files
attached to claims

Recoveries opened before this revision get their parts from the approved part lines of their
claim and the rest of their amount as labour, and an `opened` entry by whoever approved the
claim.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=16, scale=2)


def upgrade() -> None:
    with op.batch_alter_table("supplier_recoveries") as recoveries:
        for name in ("parts_amount", "labour_amount", "handling_amount"):
            recoveries.add_column(sa.Column(name, MONEY, nullable=True))
        recoveries.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    _split_amounts()
    with op.batch_alter_table("supplier_recoveries") as recoveries:
        for name in ("parts_amount", "labour_amount", "handling_amount"):
            recoveries.alter_column(name, existing_type=MONEY, nullable=False)
        recoveries.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index("ix_supplier_recoveries_dealer_status_id", "supplier_recoveries", ["dealer", "status", "id"])
    op.create_table(
        "supplier_recovery_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("recovery_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("parts_amount", MONEY, nullable=False),
        sa.Column("labour_amount", MONEY, nullable=False),
        sa.Column("handling_amount", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_supplier_recovery_history"),
        sa.ForeignKeyConstraint(["recovery_id"], ["supplier_recoveries.id"],
                                name="fk_supplier_recovery_history_recovery_id_supplier_recoveries"),
    )
    op.create_index("ix_supplier_recovery_history_recovery_id", "supplier_recovery_history", ["recovery_id"])
    _record_openings()
    op.create_table(
        "claim_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("attachment_id", sa.String(length=32), nullable=False),
        sa.Column("claim_number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claim_attachments"),
        sa.UniqueConstraint("dealer", "attachment_id", name="uq_claim_attachments_dealer_attachment_id"),
    )
    op.create_index("ix_claim_attachments_dealer_claim_number_id", "claim_attachments",
                    ["dealer", "claim_number", "id"])


def downgrade() -> None:
    op.drop_index("ix_claim_attachments_dealer_claim_number_id", table_name="claim_attachments")
    op.drop_table("claim_attachments")
    op.drop_index("ix_supplier_recovery_history_recovery_id", table_name="supplier_recovery_history")
    op.drop_table("supplier_recovery_history")
    op.drop_index("ix_supplier_recoveries_dealer_status_id", table_name="supplier_recoveries")
    with op.batch_alter_table("supplier_recoveries") as recoveries:
        for name in ("updated_at", "handling_amount", "labour_amount", "parts_amount"):
            recoveries.drop_column(name)


# The tables as this revision finds them, for its data steps (not the models, which move on).
_recoveries = sa.table(
    "supplier_recoveries", sa.column("id"), sa.column("dealer"), sa.column("claim_number"), sa.column("amount"),
    sa.column("parts_amount"), sa.column("labour_amount"), sa.column("handling_amount"), sa.column("status"),
    sa.column("opened_at"), sa.column("updated_at"),
)
_claims = sa.table("claims", sa.column("id"), sa.column("dealer"), sa.column("claim_number"))
_lines = sa.table("claim_lines", sa.column("claim_id"), sa.column("kind"), sa.column("approved_amount"))
_claim_history = sa.table("claim_history", sa.column("id"), sa.column("claim_id"), sa.column("to_status"),
                          sa.column("by"))
_history = sa.table(
    "supplier_recovery_history", sa.column("dealer"), sa.column("recovery_id"), sa.column("action"),
    sa.column("from_status"), sa.column("to_status"), sa.column("parts_amount"), sa.column("labour_amount"),
    sa.column("handling_amount"), sa.column("amount"), sa.column("at"), sa.column("by"),
)


def _the_recoverys_claim():
    return sa.and_(_claims.c.dealer == _recoveries.c.dealer, _claims.c.claim_number == _recoveries.c.claim_number)


def _split_amounts() -> None:
    approved_parts = (
        sa.select(sa.func.coalesce(sa.func.sum(_lines.c.approved_amount), 0))
        .select_from(_lines.join(_claims, _claims.c.id == _lines.c.claim_id))
        .where(_the_recoverys_claim(), _lines.c.kind == "part")
        .scalar_subquery()
    )
    op.execute(_recoveries.update().values(parts_amount=approved_parts, handling_amount=0,
                                           updated_at=_recoveries.c.opened_at))
    op.execute(_recoveries.update().values(labour_amount=_recoveries.c.amount - _recoveries.c.parts_amount))


def _record_openings() -> None:
    approver = (
        sa.select(_claim_history.c.by)
        .select_from(_claim_history.join(_claims, _claims.c.id == _claim_history.c.claim_id))
        .where(_the_recoverys_claim(), _claim_history.c.to_status.in_(["approved", "partially_approved"]))
        .order_by(_claim_history.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.execute(_history.insert().from_select(
        ["dealer", "recovery_id", "action", "from_status", "to_status", "parts_amount", "labour_amount",
         "handling_amount", "amount", "at", "by"],
        sa.select(_recoveries.c.dealer, _recoveries.c.id, sa.literal("opened"), sa.null(), _recoveries.c.status,
                  _recoveries.c.parts_amount, _recoveries.c.labour_amount, _recoveries.c.handling_amount,
                  _recoveries.c.amount, _recoveries.c.opened_at, sa.func.coalesce(approver, "warranty")),
    ))
