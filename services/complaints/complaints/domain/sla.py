"""SLA clocks (时效) of a complaint, each shown on its own.

- acknowledge: the desk confirms to the customer that the complaint is being handled;
- first_response: the first substantive answer to the customer (48 h, read as two working days);
- escalation: a complaint not answered within two working days goes to the supervisor;
- resolution: resolved by the date promised to the customer (runs once a date is promised).

All count business time in the dealer's calendar, less paused time (waiting for the customer
or a supplier). Every clock that runs out while still running is escalated, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from complaints.domain.calendar import BusinessCalendar, Interval


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

    @property
    def overdue(self) -> bool:
        """Ran out while still running: what the escalation sweep looks for."""
        return self.status is ClockStatus.BREACHED and self.stopped_at is None


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
