"""Complaint numbers a person can read out (TS-20261206-0001), unique per dealer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Complaints recorded before this are numbered here, per dealer and day of receipt in the dealer's
calendar (its time zone, or AFTERSALES_TIMEZONE as the service reads it, default Asia/Shanghai),
in the order they were received.
"""
import os
from collections import Counter
from datetime import timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

complaints = sa.table("complaints", sa.column("id", sa.String), sa.column("dealer", sa.String),
                      sa.column("received_at", sa.DateTime(timezone=True)), sa.column("number", sa.String))
calendars = sa.table("business_calendars", sa.column("dealer", sa.String), sa.column("timezone", sa.String))
counters = sa.table("complaint_number_counters", sa.column("dealer", sa.String), sa.column("received_on", sa.Date),
                    sa.column("last", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(sa.Column("number", sa.String(length=24), nullable=True))
    op.create_table(
        "complaint_number_counters",
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dealer", "received_on", name="pk_complaint_number_counters"),
    )
    _number_existing_complaints()
    with op.batch_alter_table("complaints") as batch:
        batch.alter_column("number", existing_type=sa.String(length=24), nullable=False)
        batch.create_unique_constraint("uq_complaints_dealer_number", ["dealer", "number"])


def _number_existing_complaints() -> None:
    connection = op.get_bind()
    # The service's own default zone; a migration runs outside the service, so it reads it here.
    default_zone = os.environ.get("AFTERSALES_TIMEZONE", "Asia/Shanghai")
    zones = {dealer: zone for dealer, zone in connection.execute(sa.select(calendars.c.dealer, calendars.c.timezone))}
    last = Counter()
    rows = connection.execute(
        sa.select(complaints.c.id, complaints.c.dealer, complaints.c.received_at)
        .order_by(complaints.c.received_at, complaints.c.id)
    ).all()
    for complaint_id, dealer, received_at in rows:
        if received_at.tzinfo is None:  # SQLite keeps UTC without its offset
            received_at = received_at.replace(tzinfo=timezone.utc)
        day = received_at.astimezone(ZoneInfo(zones.get(dealer, default_zone))).date()
        last[dealer, day] += 1
        connection.execute(sa.update(complaints).where(complaints.c.id == complaint_id)
                           .values(number=f"TS-{day:%Y%m%d}-{last[dealer, day]:04d}"))
    if last:
        connection.execute(sa.insert(counters), [{"dealer": dealer, "received_on": day, "last": n}
                                                 for (dealer, day), n in last.items()])


def downgrade() -> None:
    with op.batch_alter_table("complaints") as batch:  # SQLite drops columns by copying the table
        batch.drop_constraint("uq_complaints_dealer_number", type_="unique")
        batch.drop_column("number")
    op.drop_table("complaint_number_counters")
