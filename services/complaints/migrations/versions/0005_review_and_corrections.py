"""Complaints the classifier was unsure of wait for the desk's review; the desk's corrections
are kept as labelled examples for training the classifier

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Complaints recorded before this are not marked for review (`needs_review` false); their
earlier corrections are not copied into the examples (only corrections from now on are).
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHANNELS = ("phone", "web", "email", "letter", "in_person", "wechat")
CATEGORIES = ("product_quality", "after_sales_service", "logistics_delivery", "contract_dispute", "other")
SEVERITIES = ("low", "normal", "high", "critical")


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_complaints_dealer_needs_review", "complaints", ["dealer", "needs_review"])
    op.create_table(
        "classification_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.Enum(*CHANNELS, name="correction_channel", native_enum=False, length=20),
                  nullable=False),
        sa.Column("category", sa.Enum(*CATEGORIES, name="correction_category", native_enum=False, length=30),
                  nullable=False),
        sa.Column("severity", sa.Enum(*SEVERITIES, name="correction_severity", native_enum=False, length=10),
                  nullable=False),
        sa.Column("corrected_by", sa.String(length=200), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name="fk_classification_corrections_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name="pk_classification_corrections"),
        sa.UniqueConstraint("complaint_id", name="uq_classification_corrections_complaint_id"),
    )
    op.create_index("ix_classification_corrections_corrected_at_id", "classification_corrections",
                    ["corrected_at", "id"])


def downgrade() -> None:
    op.drop_table("classification_corrections")
    op.drop_index("ix_complaints_dealer_needs_review", table_name="complaints")
    with op.batch_alter_table("complaints") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("needs_review")
