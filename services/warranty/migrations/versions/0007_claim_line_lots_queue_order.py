"""A claim's part lines name the lot the part was issued from; the claims list sorted by how
long each claim has been unchanged has its indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_lines") as lines:
        lines.add_column(sa.Column("lot", sa.String(length=40), nullable=True))
    op.create_index("ix_claims_dealer_status_updated_at_id", "claims", ["dealer", "status", "updated_at", "id"])
    op.create_index("ix_claims_dealer_updated_at_id", "claims", ["dealer", "updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_claims_dealer_updated_at_id", table_name="claims")
    op.drop_index("ix_claims_dealer_status_updated_at_id", table_name="claims")
    with op.batch_alter_table("claim_lines") as lines:
        lines.drop_column("lot")
