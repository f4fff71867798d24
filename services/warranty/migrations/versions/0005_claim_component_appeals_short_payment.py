"""Claims name their component group and campaign (a labour-only campaign inspection), an
appeal submits a claim again (no more `appealed` status), and a short payment keeps its reason

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


claims_table = sa.table("claims", sa.column("id", sa.Integer), sa.column("status", sa.String),
                        sa.column("appealed", sa.Boolean))
history_table = sa.table("claim_history", sa.column("id", sa.Integer), sa.column("claim_id", sa.Integer),
                         sa.column("action", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("claims") as claims:
        claims.add_column(sa.Column("component_group", sa.String(length=50), nullable=True))
        claims.add_column(sa.Column("campaign", sa.String(length=40), nullable=True))
        claims.add_column(sa.Column("short_payment_reason", sa.Text(), nullable=True))
    # An appealed claim waits in the manager's queue like any submitted one; `appealed` tells it apart.
    op.execute(claims_table.update().where(claims_table.c.status == "appealed").values(status="submitted"))


def downgrade() -> None:
    # Before, a claim under review after its appeal was `appealed`: the appeal is its last step.
    last_step = (sa.select(history_table.c.action).where(history_table.c.claim_id == claims_table.c.id)
                 .order_by(history_table.c.id.desc()).limit(1).scalar_subquery())
    op.execute(claims_table.update()
               .where(claims_table.c.status == "submitted", claims_table.c.appealed.is_(True),
                      last_step == "appealed")
               .values(status="appealed"))
    with op.batch_alter_table("claims") as claims:
        claims.drop_column("short_payment_reason")
        claims.drop_column("campaign")
        claims.drop_column("component_group")
