"""SLA clocks (时效) of a complaint, each shown on its own.

- acknowledge: the desk confirms to the customer that the complaint is being handled;
- first_response: the first substantive answer to the customer (48 h, read as two working days);
- escalation: a complaint not answered within two working days goes to the supervisor;
- resolution: resolved by the date promised to the customer (runs once a date is promised).

All count business time in the dealer's calendar, less paused time (waiting for the customer
or a supplier). Every clock that runs out while still running is escalated, once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum

from shared.model import DealerOwned

from complaints.domain.calendar import BusinessCalendar, Interval
from complaints.domain.classification import Severity
from complaints.domain.errors import InvalidSlaTargets


class SlaClock(str, Enum):
    ACKNOWLEDGE = "acknowledge"
    FIRST_RESPONSE = "first_response"
    ESCALATION = "escalation"
    RESOLUTION = "resolution"


@dataclass(frozen=True)
class SlaTargets:
    """Business time allowed per clock (resolution's comes from the promised date)."""

    acknowledge: timedelta = timedelta(hours=2)
    first_response: timedelta = timedelta(hours=16)  # 48 h = two working days of 8 h
    escalation: timedelta = timedelta(hours=16)  # not answered within two working days

    def for_severity(self, severity: Severity | None) -> SlaTargets:
        """The same targets whatever the severity."""
        return self


@dataclass(frozen=True)
class SeverityTargets:
    """The targets a dealer's complaints are held to, by severity (分级时效): a critical brake
    complaint is acknowledged and answered sooner than a lost floor mat. A severity the dealer
    has not set, or a complaint not yet classified, gets the service's default targets."""

    default: SlaTargets
    by_severity: Mapping[Severity, SlaTargets] = field(default_factory=dict)

    def for_severity(self, severity: Severity | None) -> SlaTargets:
        return self.by_severity.get(Severity(severity), self.default) if severity else self.default


# The longest a target may be: a year of business time is no promise to a customer.
LONGEST_TARGET = timedelta(days=366)


class SlaPolicy(DealerOwned):
    """A dealer's SLA targets per severity, as its service manager set them (business minutes)."""

    version: int

    def __init__(self, dealer: str, *, targets: Mapping[Severity, SlaTargets], by: str, at: datetime):
        self.dealer = dealer
        self.change(targets=targets, by=by, at=at)

    def change(self, *, targets: Mapping[Severity, SlaTargets], by: str, at: datetime) -> None:
        for severity, target in targets.items():
            _check(Severity(severity), target)
        self.targets = {Severity(severity).value: {clock: int(getattr(target, clock).total_seconds() // 60)
                                                   for clock in ("acknowledge", "first_response", "escalation")}
                        for severity, target in targets.items()}
        self.updated_by, self.updated_at = by, at

    def by_severity(self) -> dict[Severity, SlaTargets]:
        return {Severity(severity): SlaTargets(**{clock: timedelta(minutes=m) for clock, m in minutes.items()})
                for severity, minutes in self.targets.items()}

    def applied_to(self, default: SlaTargets) -> SeverityTargets:
        return SeverityTargets(default, self.by_severity())


def _check(severity: Severity, target: SlaTargets) -> None:
    for clock in ("acknowledge", "first_response", "escalation"):
        allowed = getattr(target, clock)
        if not timedelta(minutes=1) <= allowed <= LONGEST_TARGET:
            raise InvalidSlaTargets(f"{severity.value}: {clock} must be a minute to {LONGEST_TARGET.days} days",
                                    severity=severity.value, clock=clock)
    if target.acknowledge > target.first_response:
        raise InvalidSlaTargets(f"{severity.value}: the customer is answered only after the complaint is "
                                "acknowledged; acknowledge cannot take longer than first_response",
                                severity=severity.value, clock="acknowledge")


class ClockStatus(str, Enum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"  # stopped in time
    BREACHED = "breached"  # ran out, or stopped late
    NOT_SET = "not_set"  # resolution before a date is promised


@dataclass(frozen=True)
class ClockState:
    clock: SlaClock
    status: ClockStatus
    started_at: datetime
    due_at: datetime | None  # None while paused or not set
    stopped_at: datetime | None
    target: timedelta | None
    used: timedelta  # business time counted so far (or until it stopped)
    escalated_at: datetime | None = None  # when it went to the service manager, where that is read

    @property
    def target_minutes(self) -> int | None:
        return None if self.target is None else int(self.target.total_seconds() // 60)

    @property
    def used_minutes(self) -> int:
        return int(self.used.total_seconds() // 60)

    @property
    def overdue(self) -> bool:
        """Ran out while still running: what the escalation sweep looks for."""
        return self.status is ClockStatus.BREACHED and self.stopped_at is None


@dataclass(frozen=True)
class SlaReading:
    """How a dealer's clocks are read: in its calendar, against its targets, at one moment."""

    calendar: BusinessCalendar
    targets: SlaTargets | SeverityTargets
    now: datetime

    @property
    def today(self) -> date:
        return self.calendar.today(self.now)


def resolution_target(calendar: BusinessCalendar, received_at: datetime, promised_on: date) -> timedelta:
    """The business time from receipt to the end of the promised day."""
    end_of_day = datetime.combine(promised_on + timedelta(days=1), time(0), calendar.zone)
    return calendar.elapsed(received_at, end_of_day)


def clock_state(clock: SlaClock, *, calendar: BusinessCalendar, started_at: datetime, target: timedelta | None,
                stopped_at: datetime | None, pauses: Sequence[Interval], now: datetime) -> ClockState:
    if target is None:
        return ClockState(clock, ClockStatus.NOT_SET, started_at, None, stopped_at, None, timedelta())
    end = stopped_at or now
    used = calendar.elapsed(started_at, end, pauses)
    due = calendar.deadline(started_at, target, pauses)
    if stopped_at is not None:
        status = ClockStatus.MET if used <= target else ClockStatus.BREACHED
    elif used >= target:
        status = ClockStatus.BREACHED
    elif any(until is None or since <= now < until for since, until in pauses if since <= now):
        status = ClockStatus.PAUSED
    else:
        status = ClockStatus.RUNNING
    return ClockState(clock, status, started_at, due, stopped_at, target, used)
