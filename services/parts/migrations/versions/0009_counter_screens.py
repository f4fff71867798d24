"""Counter screens: no schema change

Whole-quote reservations, the issue list, quotes per location, blind counts, business-date
numbers and ledger reasons need no new table or column (a part number typed with other
hyphens, spaces or case is matched by an expression; ledger reasons are required by the
domain from now on, older rows keep theirs). This revision marks the point the catalog's
0010 builds on.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-15
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
