"""What the use cases need from the world, said as protocols: a unit of work with its repositories,
a factory of them for the jobs, and the senders of notifications.

`complaints.adapters` implements them on SQLAlchemy (SQLite or PostgreSQL) and over SMTP and the
group bots; `tests/service/fakes.py` keeps them in memory, so the use cases can be tested in
milliseconds. The use cases import these names, never the adapters.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol, Self

from shared.db import DealerScope

from complaints.config import ComplaintsRules
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import Complaint
from complaints.domain.notifications import ChannelKind, Delivery, Message, Notification, NotificationChannels
from complaints.domain.sla import SlaPolicy


class ComplaintRepository(Protocol):
    def add(self, complaint: Complaint) -> None: ...

    def next_sequence(self, dealer: str, received_on: date) -> int:
        """The dealer's next complaint sequence for that day, one after the last handed out."""

    def get_for_update(self, complaint_id: str, *, skip_locked: bool = False) -> Complaint | None:
        """Load and lock it; with `skip_locked`, None when someone else holds the lock."""

    def overdue(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        """(dealer, id) of complaints still worked on with a clock due by `now`, most overdue first."""

    def open_for_update(self) -> list[Complaint]:
        """Every complaint still worked on, locked in id order."""

    def naming_claim_for_update(self, claim_number: str) -> list[Complaint]: ...

    def naming_lot_for_update(self, lot: str) -> list[Complaint]: ...


class CalendarRepository(Protocol):
    def add(self, calendar: BusinessCalendar) -> None: ...

    def get(self) -> BusinessCalendar | None: ...

    def get_for_update(self) -> BusinessCalendar | None: ...


class SlaPolicyRepository(Protocol):
    def add(self, policy: SlaPolicy) -> None: ...

    def get(self) -> SlaPolicy | None: ...

    def get_for_update(self) -> SlaPolicy | None: ...


class NotificationRepository(Protocol):
    def add(self, notification: Notification) -> None: ...

    def about(self, complaint_id: str) -> tuple[str, str, str | None, str | None] | None:
        """(number, text, customer name, severity) of the complaint a notification is about."""

    def with_key(self, key: str) -> Notification | None: ...

    def get_for_update(self, notification_id: str) -> Notification | None: ...

    def unread_for_update(self) -> list[Notification]: ...

    def due_deliveries(self, now: datetime, limit: int) -> list[tuple[str, int]]:
        """(dealer, id) of deliveries whose attempt is due, oldest first."""

    def delivery_for_update(self, delivery_id: int, *, skip_locked: bool = False) -> Delivery | None:
        """Load and lock it (its `notification` with it); with `skip_locked`, None when another job holds it."""


class NotificationChannelsRepository(Protocol):
    def add(self, channels: NotificationChannels) -> None: ...

    def get(self) -> NotificationChannels | None: ...

    def get_for_update(self) -> NotificationChannels | None: ...


class ComplaintsUnitOfWork(Protocol):
    """One business transaction of one dealer (or of all, for a job's finder): `with uow:` opens
    it, `uow.commit()` keeps the change and the events its aggregates raised, leaving the block
    without committing throws both away."""

    dealer: DealerScope
    actor: str | None
    rules: ComplaintsRules  # read once at start
    complaints: ComplaintRepository
    calendars: CalendarRepository
    sla_policies: SlaPolicyRepository
    notifications: NotificationRepository
    notification_channels: NotificationChannelsRepository

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def now(self) -> datetime: ...

    def commit(self) -> None: ...


class UnitsOfWork(Protocol):
    """Makes units of work: the jobs open one per complaint or delivery."""

    rules: ComplaintsRules

    def __call__(self, *, dealer: DealerScope, actor: str | None, correlation_id: str) -> ComplaintsUnitOfWork: ...


class Senders(Protocol):
    def send(self, channel: ChannelKind, target: dict, message: Message) -> None:
        """Send it, or raise `complaints.domain.notifications.SendFailed`."""
