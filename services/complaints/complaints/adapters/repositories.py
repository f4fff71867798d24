"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.adapters.orm import complaint_number_counters

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import WORKING, Complaint
from complaints.domain.notifications import Delivery, DeliveryStatus, Notification, NotificationChannels
from complaints.domain.sla import SlaPolicy

UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


class ComplaintRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, complaint: Complaint) -> None:
        self._session.add(complaint)

    def next_sequence(self, dealer: str, received_on: date) -> int:
        """The dealer's next complaint sequence for that day. One upsert: a second intake of the
        same day waits on the counter row until the first commits or rolls back."""
        if self._session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        counters = complaint_number_counters
        bump = insert(counters).values(dealer=dealer, received_on=received_on, last=1).on_conflict_do_update(
            index_elements=[counters.c.dealer, counters.c.received_on], set_={"last": counters.c.last + 1})
        return self._session.execute(bump.returning(counters.c.last)).scalar_one()

    def get_for_update(self, complaint_id: str, *, skip_locked: bool = False) -> Complaint | None:
        """Load and lock it; with `skip_locked`, None when someone else holds the lock."""
        return self._session.scalars(
            select(Complaint).where(Complaint.id == complaint_id).with_for_update(skip_locked=skip_locked)
        ).first()

    def overdue(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        """(dealer, id) of complaints with a clock due by `now` and not yet escalated, most overdue first."""
        rows = self._session.execute(
            select(Complaint.dealer, Complaint.id)
            .where(Complaint.sla_due_at <= now, Complaint.status.in_(WORKING))
            .order_by(Complaint.sla_due_at, Complaint.id)
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    def open_for_update(self) -> list[Complaint]:
        """Every complaint still worked on, locked in id order (the calendar changed their deadlines)."""
        return list(self._session.scalars(
            select(Complaint).where(Complaint.status.in_(WORKING)).order_by(Complaint.id).with_for_update()
        ))

    def naming_claim_for_update(self, claim_number: str) -> list[Complaint]:
        return self._naming_for_update(Complaint.claim_number == claim_number)

    def naming_lot_for_update(self, lot: str) -> list[Complaint]:
        return self._naming_for_update(Complaint.lot == lot)

    def _naming_for_update(self, condition) -> list[Complaint]:
        """Every complaint meeting `condition`, locked in id order."""
        return list(self._session.scalars(select(Complaint).where(condition).order_by(Complaint.id).with_for_update()))


class CalendarRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, calendar: BusinessCalendar) -> None:
        self._session.add(calendar)

    def get(self) -> BusinessCalendar | None:
        return self._session.scalars(select(BusinessCalendar)).first()

    def get_for_update(self) -> BusinessCalendar | None:
        return self._session.scalars(select(BusinessCalendar).with_for_update()).first()


class SlaPolicyRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, policy: SlaPolicy) -> None:
        self._session.add(policy)

    def get(self) -> SlaPolicy | None:
        return self._session.scalars(select(SlaPolicy)).first()

    def get_for_update(self) -> SlaPolicy | None:
        return self._session.scalars(select(SlaPolicy).with_for_update()).first()


class NotificationRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, notification: Notification) -> None:
        self._session.add(notification)

    def about(self, complaint_id: str) -> tuple[str, str, str | None, str | None] | None:
        """(number, text, customer name, severity) of the complaint a notification is about."""
        row = self._session.execute(
            select(Complaint.number, Complaint.text, Complaint.customer_name, Complaint.severity)
            .where(Complaint.id == complaint_id)).first()
        return None if row is None else (row[0], row[1], row[2], row[3].value if row[3] else None)

    def with_key(self, key: str) -> Notification | None:
        return self._session.scalars(select(Notification).where(Notification.key == key)).first()

    def get_for_update(self, notification_id: str) -> Notification | None:
        return self._session.scalars(
            select(Notification).where(Notification.id == notification_id).with_for_update()).first()

    def unread_for_update(self) -> list[Notification]:
        return list(self._session.scalars(
            select(Notification).where(Notification.read_at.is_(None)).order_by(Notification.id).with_for_update()))

    def due_deliveries(self, now: datetime, limit: int) -> list[tuple[str, int]]:
        """(dealer, id) of deliveries whose attempt is due, oldest first."""
        rows = self._session.execute(
            select(Delivery.dealer, Delivery.id)
            .where(Delivery.status.in_(UNSETTLED), Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    def delivery_for_update(self, delivery_id: int, *, skip_locked: bool = False) -> Delivery | None:
        """Load and lock it; with `skip_locked`, None when another delivery job holds it."""
        return self._session.scalars(
            select(Delivery).where(Delivery.id == delivery_id).with_for_update(skip_locked=skip_locked)).first()


class NotificationChannelsRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, channels: NotificationChannels) -> None:
        self._session.add(channels)

    def get(self) -> NotificationChannels | None:
        return self._session.scalars(select(NotificationChannels)).first()

    def get_for_update(self) -> NotificationChannels | None:
        return self._session.scalars(select(NotificationChannels).with_for_update()).first()
