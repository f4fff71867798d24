"""Classification of complaints: category and severity, automatic or corrected by hand

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Complaints recorded before this have no classification (category and severity stay empty)
until a person sets one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CATEGORIES = ("product_quality", "after_sales_service", "logistics_delivery", "contract_dispute", "other")
SEVERITIES = ("low", "normal", "high", "critical")


def _category(name: str) -> sa.Enum:
    return sa.Enum(*CATEGORIES, name=name, native_enum=False, length=30)


def _severity(name: str) -> sa.Enum:
    return sa.Enum(*SEVERITIES, name=name, native_enum=False, length=10)


def upgrade() -> None:
    op.add_column("complaints", sa.Column("category", _category("complaint_category"), nullable=True))
    op.add_column("complaints", sa.Column("severity", _severity("complaint_severity"), nullable=True))
    op.create_index("ix_complaints_dealer_category", "complaints", ["dealer", "category"])
    op.create_table(
        "classifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("category", _category("classification_category"), nullable=False),
        sa.Column("severity", _severity("classification_severity"), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("severity_terms", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name="fk_classifications_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name="pk_classifications"),
    )
    op.create_index("ix_classifications_complaint_id", "classifications", ["complaint_id"])


def downgrade() -> None:
    op.drop_table("classifications")
    op.drop_index("ix_complaints_dealer_category", table_name="complaints")
    with op.batch_alter_table("complaints") as batch:  # SQLite drops columns by copying the table
        batch.drop_column("severity")
        batch.drop_column("category")
