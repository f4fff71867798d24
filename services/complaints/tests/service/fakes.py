"""The ports of `complaints.service.ports`, kept in memory: use cases tested in milliseconds.

One `Store` plays the database for a test; each `FakeUnitOfWork` is one transaction on it. What
the fakes keep of the real adapters, and what they do not:
- a unit of work sees only its dealer's rows (all of them for `ALL_DEALERS`), as the
  dealer-scoped sessions do;
- leaving the block without `commit()` puts the store back as it was (a copy is taken when the
  block opens); `commit()` keeps the change and takes the events of every aggregate the unit of
  work loaded or added, in order, into `store.events` (the outbox);
- a versioned row (complaint, calendar, targets, channels) counts its version up when a unit of
  work that added it or loaded it for change commits; SQLAlchemy counts only rows that changed;
- no locks: `skip_locked` never skips. Races are the adapters' to test, on PostgreSQL.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from shared.db import ALL_DEALERS, DealerScope
from shared.model import Aggregate, Event

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
from complaints.domain.sla import SlaPolicy, SlaReading

UNSETTLED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)
# The rows whose version an If-Match names (the mapper's version_id_col).
VERSIONED = (Complaint, BusinessCalendar, SlaPolicy, NotificationChannels)


@dataclass
class Rows:
    """Everything the store holds: what a transaction copies, and puts back when it rolls back."""

    complaints: dict[str, Complaint] = field(default_factory=dict)
    calendars: dict[str, BusinessCalendar] = field(default_factory=dict)  # by dealer
    sla_policies: dict[str, SlaPolicy] = field(default_factory=dict)  # by dealer
    notifications: dict[str, Notification] = field(default_factory=dict)
    notification_channels: dict[str, NotificationChannels] = field(default_factory=dict)  # by dealer
    sequences: dict[tuple[str, date], int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


class Store:
    def __init__(self) -> None:
        self.rows = Rows()
        self._delivery_ids = itertools.count(1)

    @property
    def events(self) -> list[Event]:
        """Every event committed, oldest first."""
        return self.rows.events

    def events_of(self, kind: type) -> list:
        return [event for event in self.events if isinstance(event, kind)]

    def delivery_id(self) -> int:
        return next(self._delivery_ids)


class _Scoped:
    """A repository's view of the store: one dealer's rows, and what the transaction touched."""

    def __init__(self, uow: FakeUnitOfWork):
        self._uow = uow

    @property
    def _rows(self) -> Rows:
        return self._uow.store.rows

    def _mine(self, row) -> bool:
        return self._uow.dealer is ALL_DEALERS or row.dealer == self._uow.dealer

    def _for_change(self, row):
        if row is not None:
            self._uow.touched.append(row)
        return row

    def _own(self, by_dealer: dict):
        return None if self._uow.dealer is ALL_DEALERS else by_dealer.get(self._uow.dealer)


class FakeComplaints(_Scoped):
    def add(self, complaint: Complaint) -> None:
        self._rows.complaints[complaint.id] = self._for_change(complaint)

    def next_sequence(self, dealer: str, received_on: date) -> int:
        key = (dealer, received_on)
        self._rows.sequences[key] = self._rows.sequences.get(key, 0) + 1
        return self._rows.sequences[key]

    def get_for_update(self, complaint_id: str, *, skip_locked: bool = False) -> Complaint | None:
        complaint = self._rows.complaints.get(complaint_id)
        return self._for_change(complaint if complaint is not None and self._mine(complaint) else None)

    def overdue(self, now: datetime, limit: int) -> list[tuple[str, str]]:
        due = sorted((c for c in self._working() if c.sla_due_at is not None and c.sla_due_at <= now),
                     key=lambda c: (c.sla_due_at, c.id))
        return [(c.dealer, c.id) for c in due[:limit]]

    def open_for_update(self) -> list[Complaint]:
        return [self._for_change(c) for c in sorted(self._working(), key=lambda c: c.id)]

    def naming_claim_for_update(self, claim_number: str) -> list[Complaint]:
        return self._naming(lambda c: c.claim_number == claim_number)

    def naming_lot_for_update(self, lot: str) -> list[Complaint]:
        return self._naming(lambda c: c.lot == lot)

    def _working(self) -> Iterable[Complaint]:
        return (c for c in self._rows.complaints.values() if self._mine(c) and c.status in WORKING)

    def _naming(self, condition: Callable[[Complaint], bool]) -> list[Complaint]:
        found = (c for c in self._rows.complaints.values() if self._mine(c) and condition(c))
        return [self._for_change(c) for c in sorted(found, key=lambda c: c.id)]


class _OnePerDealer(_Scoped):
    """The calendar, the SLA targets and the notification channels: at most one row per dealer."""

    table: str

    def add(self, row) -> None:
        getattr(self._rows, self.table)[row.dealer] = self._for_change(row)

    def get(self):
        return self._own(getattr(self._rows, self.table))

    def get_for_update(self):
        return self._for_change(self.get())


class FakeCalendars(_OnePerDealer):
    table = "calendars"


class FakeSlaPolicies(_OnePerDealer):
    table = "sla_policies"


class FakeNotificationChannels(_OnePerDealer):
    table = "notification_channels"


class FakeNotifications(_Scoped):
    def add(self, notification: Notification) -> None:
        for delivery in notification.deliveries:
            delivery.id = self._uow.store.delivery_id()
            delivery.notification = notification  # the mapper's back-reference
        self._rows.notifications[notification.id] = self._for_change(notification)

    def about(self, complaint_id: str) -> tuple[str, str, str | None, str | None] | None:
        complaint = self._rows.complaints.get(complaint_id)
        if complaint is None or not self._mine(complaint):
            return None
        severity = complaint.severity.value if complaint.severity else None
        return complaint.number, complaint.text, complaint.customer_name, severity

    def with_key(self, key: str) -> Notification | None:
        return next((n for n in self._visible() if n.key == key), None)

    def get_for_update(self, notification_id: str) -> Notification | None:
        notification = self._rows.notifications.get(notification_id)
        return self._for_change(notification if notification is not None and self._mine(notification) else None)

    def unread_for_update(self) -> list[Notification]:
        return [self._for_change(n) for n in sorted(self._visible(), key=lambda n: n.id) if n.read_at is None]

    def due_deliveries(self, now: datetime, limit: int) -> list[tuple[str, int]]:
        due = sorted((d for d in self._deliveries() if d.status in UNSETTLED and d.next_attempt_at <= now),
                     key=lambda d: (d.next_attempt_at, d.id))
        return [(d.dealer, d.id) for d in due[:limit]]

    def delivery_for_update(self, delivery_id: int, *, skip_locked: bool = False) -> Delivery | None:
        return next((d for d in self._deliveries() if d.id == delivery_id), None)

    def _visible(self) -> Iterable[Notification]:
        return (n for n in self._rows.notifications.values() if self._mine(n))

    def _deliveries(self) -> Iterable[Delivery]:
        return (d for n in self._visible() for d in n.deliveries)


class FakeUnitOfWork:
    def __init__(self, store: Store, *, dealer: DealerScope, actor: str | None, rules: ComplaintsRules,
                 clock: Callable[[], datetime]):
        self.store = store
        self.dealer = dealer
        self.actor = actor
        self.rules = rules
        self._clock = clock
        self.sla_reading: SlaReading | None = None
        self.touched: list = []
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self._before = copy.deepcopy(self.store.rows)
        self.touched = []
        self.complaints = FakeComplaints(self)
        self.calendars = FakeCalendars(self)
        self.sla_policies = FakeSlaPolicies(self)
        self.notifications = FakeNotifications(self)
        self.notification_channels = FakeNotificationChannels(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            self.store.rows = self._before
        self.committed = False

    def now(self) -> datetime:
        return self._clock()

    def commit(self) -> None:
        for row in dict.fromkeys(self.touched):  # each once, in the order first touched
            if isinstance(row, Aggregate):
                self.store.rows.events.extend(row.events)
                row.events.clear()
            if isinstance(row, VERSIONED):
                row.version = (getattr(row, "version", None) or 0) + 1
        self._before = self.store.rows
        self.committed = True


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
