"""A complaint's SLA clocks as its record holds them: what stopped each clock, the date promised
to the customer, the pauses that hold them all (waiting for the customer or a supplier), and the
escalations to the service manager when one ran out.

`sla` counts a clock in business time; the complaint decides when each of these happens and
keeps them in its own fields, which `ClockRecord` reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from shared.model import DealerOwned

from complaints.domain.calendar import BusinessCalendar, Interval
from complaints.domain.classification import Severity
from complaints.domain.errors import PromiseBeforeReceipt, PromiseTooFar, ReasonRequired
from complaints.domain.investigation import optional_text
from complaints.domain.sla import ClockState, SlaClock, SlaReading, clock_state, resolution_target
from complaints.domain.timeline import iso, moment

# The furthest a resolution date may be promised after receipt.
LONGEST_PROMISE = timedelta(days=366)
ESCALATED_TO = "service_manager"


class WaitingFor(str, Enum):
    CUSTOMER = "customer"
    SUPPLIER = "supplier"


class Pause(DealerOwned):
    """The clocks stood still while the complaint waited for the customer or a supplier."""

    def __init__(self, dealer: str, *, since: datetime, waiting_for: WaitingFor, reason: str, by: str):
        if not reason.strip():
            raise ReasonRequired()
        self.dealer = dealer
        self.since = since
        self.waiting_for = WaitingFor(waiting_for)
        self.reason = reason.strip()
        self.paused_by = by
        self.until: datetime | None = None
        self.resume_reason: str | None = None
        self.resumed_by: str | None = None

    @property
    def interval(self) -> Interval:
        return self.since, self.until

    @property
    def summary(self) -> str:
        return f"clocks paused, waiting for the {self.waiting_for.value}: {self.reason}"

    @property
    def details(self) -> dict:
        return {"waiting_for": self.waiting_for.value, "reason": self.reason}

    def end(self, *, at: datetime, reason: str, by: str) -> None:
        """The clocks run again from `at`, never from before the pause began."""
        self.until, self.resume_reason, self.resumed_by = max(at, self.since), reason, by


class Escalation(DealerOwned):
    """A clock ran out and the complaint went to the service manager; once per clock."""

    def __init__(self, dealer: str, *, clock: SlaClock, due_at: datetime, at: datetime):
        self.dealer = dealer
        self.clock = SlaClock(clock)
        self.due_at = due_at
        self.at = at


@dataclass(frozen=True)
class ClockRecord:
    """What a complaint's clocks are read from: when it was received, its severity (which targets
    apply), what stopped each clock, the date promised and the pauses."""

    received_at: datetime
    severity: Severity | None
    acknowledged_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    promised_on: date | None
    pauses: tuple[Interval, ...]

    def read(self, sla: SlaReading) -> list[ClockState]:
        """Each clock in business time, against the targets for this severity. The first response
        stops the escalation clock too: it runs to a target of its own."""
        targets = sla.targets.for_severity(self.severity)
        plan = [
            (SlaClock.ACKNOWLEDGE, targets.acknowledge, self.acknowledged_at),
            (SlaClock.FIRST_RESPONSE, targets.first_response, self.first_response_at),
            (SlaClock.ESCALATION, targets.escalation, self.first_response_at),
            (SlaClock.RESOLUTION, self._resolution_target(sla.calendar), self.resolved_at),
        ]
        return [clock_state(clock, calendar=sla.calendar, started_at=self.received_at, target=target,
                            stopped_at=stopped, pauses=self.pauses, now=sla.now) for clock, target, stopped in plan]

    def _resolution_target(self, calendar: BusinessCalendar) -> timedelta | None:
        """The resolution clock runs once a date is promised, to the end of that day."""
        if self.promised_on is None:
            return None
        return resolution_target(calendar, self.received_at, self.promised_on)


def watched(states: Iterable[ClockState], escalations: Iterable[Escalation]) -> list[ClockState]:
    """The clocks not stopped and not yet gone to the service manager: what the sweep watches (a
    resolution clock with no date promised has no deadline yet)."""
    escalated = {escalation.clock for escalation in escalations}
    return [state for state in states if state.stopped_at is None and state.clock not in escalated]


def next_deadline(states: Iterable[ClockState], escalations: Iterable[Escalation]) -> datetime | None:
    """When the sweep next needs to look: the earliest deadline of a clock it watches."""
    return min((state.due_at for state in watched(states, escalations) if state.due_at is not None), default=None)


def ran_out(states: Iterable[ClockState], escalations: Iterable[Escalation]) -> list[ClockState]:
    """The clocks the sweep watches that ran out."""
    return [state for state in watched(states, escalations) if state.overdue]


@dataclass(frozen=True)
class Overdue:
    """The clocks one look of the sweep found run out: one escalation names them all, so clocks
    sharing a target (first response and escalation) go to the service manager once, not once each."""

    states: tuple[ClockState, ...]
    at: datetime

    @property
    def first(self) -> ClockState:
        return min(self.states, key=lambda state: state.due_at or self.at)

    @property
    def first_due_at(self) -> datetime:
        return self.first.due_at or self.at

    @property
    def clocks(self) -> list[str]:
        return [state.clock.value for state in self.states]

    def escalations(self, dealer: str) -> list[Escalation]:
        """One per clock: the sweep never escalates that clock again."""
        return [Escalation(dealer, clock=state.clock, due_at=state.due_at or self.at, at=self.at)
                for state in self.states]

    @property
    def summary(self) -> str:
        noun = "clock" if len(self.states) == 1 else "clocks"
        return (f"{', '.join(self.clocks)} {noun} ran out (first at {moment(self.first_due_at)}); "
                f"escalated to the {ESCALATED_TO}")

    @property
    def details(self) -> dict:
        return {"clocks": self.clocks, "first_due_at": iso(self.first_due_at), "escalated_to": ESCALATED_TO}


@dataclass(frozen=True)
class Promise:
    """The date by which the customer was told the complaint will be resolved: not before the day
    it was received, at most a year after; moving a date already promised needs a reason."""

    on: date
    previous: date | None
    reason: str | None

    @classmethod
    def made(cls, on: date, *, received_on: date, previous: date | None, reason: str | None) -> Promise:
        if on < received_on:
            raise PromiseBeforeReceipt()
        if on - received_on > LONGEST_PROMISE:
            raise PromiseTooFar(LONGEST_PROMISE.days)
        if previous is not None and not optional_text(reason):
            raise ReasonRequired()
        return cls(on, previous, optional_text(reason))

    @property
    def summary(self) -> str:
        said = (f"resolution promised for {self.on.isoformat()}" if self.previous is None
                else f"promised resolution moved {self.previous.isoformat()} → {self.on.isoformat()}")
        return said + (f": {self.reason}" if self.reason else "")

    @property
    def details(self) -> dict:
        return {"on": self.on.isoformat(), "previous": self.previous.isoformat() if self.previous else None,
                "reason": self.reason}
