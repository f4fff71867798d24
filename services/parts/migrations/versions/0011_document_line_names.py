"""Issue slip and receipt lines keep the part's names and the location's bin

What the printed slip (领料单), the pick list sorted by bin and the lot labels show, as it was
when the line was booked. Lines booked before this revision are filled in from the catalog and
the locations as they are now.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-17
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("issue_lines", "receipt_lines")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("name_zh", sa.String(200), nullable=True))
            batch.add_column(sa.Column("name_en", sa.String(200), nullable=True))
            batch.add_column(sa.Column("bin", sa.String(60), nullable=True))
        # Correlated subqueries: the same statement on PostgreSQL and SQLite.
        op.execute(f"""
            UPDATE {table} SET
                name_zh = (SELECT p.name_zh FROM parts p
                           WHERE p.dealer = {table}.dealer AND p.part_number = {table}.part_number),
                name_en = (SELECT p.name_en FROM parts p
                           WHERE p.dealer = {table}.dealer AND p.part_number = {table}.part_number),
                bin = (SELECT l.bin FROM locations l WHERE l.dealer = {table}.dealer AND l.code = {table}.location)
        """)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("bin")
            batch.drop_column("name_en")
            batch.drop_column("name_zh")
