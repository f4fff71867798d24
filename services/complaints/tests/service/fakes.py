"""The ports of `complaints.service.ports`, kept in memory: use cases tested in milliseconds.

The transaction, dealer scoping, rollback, events and versions are `shared.fakes`'s (its
docstring says what they keep of the SQL adapters). What is complaints': the repositories find,
filter and order as `complaints/adapters/repositories.py` does (the overdue by their next
deadline, the open ones and those naming a claim or a lot by id, the deliveries due by their next
attempt); a dealer has at most one calendar, one set of SLA targets and one set of channels; a
delivery knows its notification, as the mapper's back-reference does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from shared.db import DealerScope
from shared.fakes import MemoryRepository, MemoryStore, MemoryUnitOfWork

from complaints.config import ComplaintsRules
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import WORKING, Complaint
from complaints.domain.notifications import (
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Message,
    Notification,
    NotificationChannels,
    SendFailed,
)
from complaints.domain.sla import SlaPolicy

UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# The rows whose version an If-Match names (the mappers' version_id_col).
VERSIONED = (Complaint, BusinessCalendar, SlaPolicy, NotificationChannels)


@dataclass
class Rows:
    complaints: list[Complaint] = field(default_factory=list)
    calendars: list[BusinessCalendar] = field(default_factory=list)
    sla_policies: list[SlaPolicy] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    notification_channels: list[NotificationChannels] = field(default_factory=list)
    # The last complaint number handed out, per dealer and day.
    sequences: dict[tuple[str, date], int] = field(default_factory=dict)


class Store(MemoryStore):
    def __init__(self) -> None:
        super().__init__(Rows())


class FakeComplaints(MemoryRepository):
    def add(self, complaint: Complaint) -> None:
        self._add("complaints", complaint)

    def next_sequence(self, dealer: str, received_on: date) -> int:
        sequences = self._rows.sequences
        sequences[dealer, received_on] = sequences.get((dealer, received_on), 0) + 1
        return sequences[dealer, received_on]

    def get_for_update(self, complaint_id: str, *, skip_locked: bool = False) -> Complaint | None:
        return self._first("complaints", id=complaint_id)

    def overdue(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        due = sorted((c for c in self._visible("complaints")
                      if c.status in WORKING and c.sla_due_at is not None and c.sla_due_at <= now),
                     key=lambda c: (c.sla_due_at, c.id))
        return [(c.dealer, c.id) for c in due[:limit]]

    def open_for_update(self) -> list[Complaint]:
        return self._by_id(lambda c: c.status in WORKING)

    def naming_claim_for_update(self, claim_number: str) -> list[Complaint]:
        return self._by_id(lambda c: c.claim_number == claim_number)

    def naming_lot_for_update(self, lot: str) -> list[Complaint]:
        return self._by_id(lambda c: c.lot == lot)

    def _by_id(self, condition: Callable[[Complaint], bool]) -> list[Complaint]:
        return sorted(self._where("complaints", condition), key=lambda c: c.id)


class _OnePerDealer(MemoryRepository):
    """The calendar, the SLA targets and the notification channels: at most one row per dealer."""

    table: str

    def add(self, row) -> None:
        self._add(self.table, row)

    def get(self):
        return self._first(self.table)

    get_for_update = get


class FakeCalendars(_OnePerDealer):
    table = "calendars"


class FakeSlaPolicies(_OnePerDealer):
    table = "sla_policies"


class FakeNotificationChannels(_OnePerDealer):
    table = "notification_channels"


class FakeNotifications(MemoryRepository):
    def add(self, notification: Notification) -> None:
        for delivery in notification.deliveries:
            self._uow.added(delivery)  # its id, from the sequence
            delivery.notification = notification  # the mapper's back-reference
        self._add("notifications", notification)

    def about(self, complaint_id: str) -> tuple[str, str, str | None, str | None] | None:
        complaint = next((c for c in self._visible("complaints") if c.id == complaint_id), None)
        if complaint is None:
            return None
        severity = complaint.severity.value if complaint.severity else None
        return complaint.number, complaint.text, complaint.customer_name, severity

    def with_key(self, key: str) -> Notification | None:
        return self._first("notifications", key=key)

    def get_for_update(self, notification_id: str) -> Notification | None:
        return self._first("notifications", id=notification_id)

    def unread_for_update(self) -> list[Notification]:
        return sorted(self._where("notifications", lambda n: n.read_at is None), key=lambda n: n.id)

    def due_deliveries(self, now: datetime, limit: int) -> list[tuple[str, int]]:
        due = sorted((d for d in self._deliveries() if d.status in UNSETTLED and d.next_attempt_at <= now),
                     key=lambda d: (d.next_attempt_at, d.id))
        return [(d.dealer, d.id) for d in due[:limit]]

    def delivery_for_update(self, delivery_id: int, *, skip_locked: bool = False) -> Delivery | None:
        return next((d for d in self._deliveries() if d.id == delivery_id), None)

    def _deliveries(self) -> list[Delivery]:
        return [d for n in self._visible("notifications") for d in n.deliveries]


class FakeUnitOfWork(MemoryUnitOfWork):
    versioned = VERSIONED

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.complaints = FakeComplaints(self)
        self.calendars = FakeCalendars(self)
        self.sla_policies = FakeSlaPolicies(self)
        self.notifications = FakeNotifications(self)
        self.notification_channels = FakeNotificationChannels(self)
        return self


class FakeUnitsOfWork:
    """The factory the jobs get: every unit of work on the same store, rules and clock."""

    def __init__(self, store: Store, rules: ComplaintsRules, clock: Callable[[], datetime]):
        self.store, self.rules, self._clock = store, rules, clock

    def __call__(self, *, dealer: DealerScope, actor: str | None, correlation_id: str) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, dealer=dealer, actor=actor, rules=self.rules, clock=self._clock)


class FakeSenders:
    """Keeps what it was given to send; a channel in `refusing` raises `SendFailed` instead."""

    def __init__(self) -> None:
        self.sent: list[tuple[ChannelKind, dict, Message]] = []
        self.refusing: set[ChannelKind] = set()

    def send(self, channel: ChannelKind, target: dict, message: Message) -> None:
        if ChannelKind(channel) in self.refusing:
            raise SendFailed(f"{channel.value} refused it")
        self.sent.append((ChannelKind(channel), target, message))
