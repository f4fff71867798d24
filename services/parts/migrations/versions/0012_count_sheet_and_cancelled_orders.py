"""Count lines keep what the sheet shows and the price their difference was valued at; order
lines keep what was cancelled

A count line keeps its part's names and unit and the location's bin as they were when the
count opened, and the list price taken on submit (its difference's value is what the approval
threshold measured). Lines of counts opened before this revision are filled in from the
catalog and the locations as they are now, and submitted ones take today's list price.

A purchase order line keeps the quantity cancelled with its order: nothing is outstanding on a
cancelled order. Lines of orders cancelled before this revision cancelled what had not come.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-18
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

QUANTITY = sa.Numeric(precision=14, scale=3)
MONEY = sa.Numeric(precision=12, scale=2)
PART = "FROM parts p WHERE p.dealer = stock_count_lines.dealer AND p.part_number = stock_count_lines.part_number"


def upgrade() -> None:
    with op.batch_alter_table("stock_count_lines") as batch:
        batch.add_column(sa.Column("name_zh", sa.String(200), nullable=True))
        batch.add_column(sa.Column("name_en", sa.String(200), nullable=True))
        batch.add_column(sa.Column("unit", sa.String(10), nullable=True))
        batch.add_column(sa.Column("bin", sa.String(60), nullable=True))
        batch.add_column(sa.Column("unit_price", MONEY, nullable=True))
    # Correlated subqueries: the same statement on PostgreSQL and SQLite.
    op.execute(f"""
        UPDATE stock_count_lines SET
            name_zh = (SELECT p.name_zh {PART}),
            name_en = (SELECT p.name_en {PART}),
            unit = (SELECT p.unit {PART}),
            bin = (SELECT l.bin FROM stock_counts c JOIN locations l ON l.dealer = c.dealer AND l.code = c.location
                   WHERE c.id = stock_count_lines.stock_count_id)
    """)
    op.execute(f"""
        UPDATE stock_count_lines SET unit_price = (SELECT p.list_price {PART})
        WHERE counted IS NOT NULL AND stock_count_id IN (SELECT id FROM stock_counts WHERE status <> 'counting')
    """)

    with op.batch_alter_table("purchase_order_lines") as batch:
        batch.add_column(sa.Column("cancelled", QUANTITY, nullable=False, server_default="0"))
    op.execute("""
        UPDATE purchase_order_lines SET cancelled = quantity - received
        WHERE quantity > received
          AND purchase_order_id IN (SELECT id FROM purchase_orders WHERE status = 'cancelled')
    """)
    with op.batch_alter_table("purchase_order_lines") as batch:
        batch.alter_column("cancelled", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("purchase_order_lines") as batch:
        batch.drop_column("cancelled")
    with op.batch_alter_table("stock_count_lines") as batch:
        for column in ("unit_price", "bin", "unit", "name_en", "name_zh"):
            batch.drop_column(column)
