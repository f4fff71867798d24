"""Reading complaints: found by id, number or filters, their clocks read in the dealer's calendar.
`ComplaintSchema` masks the customer's personal data for roles that do not need it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Severity
from complaints.domain.clocks import Escalation
from complaints.domain.complaint import Complaint
from complaints.domain.errors import ComplaintNotFound, PersonalDataSearch
from complaints.domain.investigation import Action
from complaints.domain.privacy import may_see_personal_data
from complaints.domain.sla import ClockState, SeverityTargets, SlaPolicy, SlaReading, SlaTargets


@dataclass(frozen=True)
class ClockReading:
    """What it takes to read the SLA clocks: the targets (the configured defaults until read for
    a dealer with `for_dealer`), the default time zone, now."""

    targets: SlaTargets | SeverityTargets
    timezone: str
    now: datetime

    def for_dealer(self, session: Session) -> ClockReading:
        """With the session's dealer's targets per severity."""
        if isinstance(self.targets, SeverityTargets):
            return self
        policy = session.scalars(select(SlaPolicy)).first()
        return replace(self, targets=policy.applied_to(self.targets) if policy else SeverityTargets(self.targets))


def calendar(session: Session, timezone: str) -> BusinessCalendar:
    """The dealer's calendar, or the default one (version 0) until it is set."""
    return session.scalars(select(BusinessCalendar)).first() or BusinessCalendar.default(
        str(session.info.get("dealer", "")), timezone)


@dataclass(frozen=True)
class ActionView:
    """One action of a complaint's rectification list, with whether it is overdue today."""

    id: str
    complaint_id: str
    number: int
    kind: str
    description: str
    owner: str
    due_on: date
    planned_by: str
    planned_at: datetime
    done_on: date | None
    done_by: str | None
    done_note: str | None
    overdue: bool

    @classmethod
    def of(cls, action: Action, today: date) -> ActionView:
        return cls(
            id=action.id, complaint_id=action.complaint_id, number=action.number, kind=action.kind.value,
            description=action.description,
            owner=action.owner, due_on=action.due_on, planned_by=action.planned_by, planned_at=action.planned_at,
            done_on=action.done_on, done_by=action.done_by, done_note=action.done_note,
            overdue=action.overdue(today),
        )


@dataclass(frozen=True)
class ComplaintRead:
    """A complaint as one viewer reads it at one moment: what `ComplaintSchema` dumps. The
    aggregate gives its own fields; the reading gives its clocks and which actions are overdue."""

    complaint: Complaint
    viewer: Caller
    sla: SlaReading

    @property
    def version(self) -> int:  # its ETag
        return self.complaint.version

    @property
    def clocks(self) -> list[ClockState]:
        """Each clock, and when it was escalated if it was."""
        return [replace(state, escalated_at=self._escalated_at(state))
                for state in self.complaint.clocks(self.sla.calendar, self.sla.targets, self.sla.now)]

    def _escalated_at(self, state: ClockState) -> datetime | None:
        escalation = self.complaint.escalated(state.clock)
        return escalation.at if escalation else None

    @property
    def actions(self) -> list[ActionView]:
        today = self.sla.today
        return [ActionView.of(action, today) for action in self.complaint.actions]


def sla_reading(session: Session, reading: ClockReading) -> SlaReading:
    """The clocks read now, in the dealer's calendar and against its targets."""
    return SlaReading(calendar(session, reading.timezone), reading.for_dealer(session).targets, reading.now)


def complaint(session: Session, complaint_id: str, *, viewer: Caller, reading: ClockReading) -> ComplaintRead:
    """By its id or its number (TS-20261206-0001, in any letter case)."""
    found = session.scalars(select(Complaint).where(
        or_(Complaint.id == complaint_id, Complaint.number == complaint_id.upper()))).first()
    if found is None:
        raise ComplaintNotFound(complaint_id)
    return ComplaintRead(found, viewer, sla_reading(session, reading))


def complaints(
    session: Session,
    *,
    viewer: Caller,
    reading: ClockReading,
    limit: int,
    cursor: str | None = None,
    number: str | None = None,
    customer_phone: str | None = None,
    customer_name: str | None = None,
    vin: str | None = None,
    plate: str | None = None,
    owner: str | None = None,
    handler: str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    q: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    claim_number: str | None = None,
    part_number: str | None = None,
    lot: str | None = None,
    category: str | None = None,
    severity: str | None = None,
    escalated: bool | None = None,
    needs_review: bool | None = None,
) -> Page:
    """Newest received first. Phone, name, VIN, plate and text match any part (any letter case); the
    period is of days received in the dealer's calendar, both ends included."""
    if (customer_phone or customer_name) and not may_see_personal_data(viewer.roles):
        raise PersonalDataSearch()
    sla = sla_reading(session, reading)
    statement = select(Complaint)
    if number is not None:
        statement = statement.where(Complaint.number == number.upper())
    for column, part in ((Complaint.customer_phone, customer_phone), (Complaint.customer_name, customer_name),
                         (Complaint.vin, vin), (Complaint.plate, plate), (Complaint.text, q)):
        if part is not None:
            statement = statement.where(column.icontains(part.strip(), autoescape=True))
    if owner is not None:
        statement = statement.where(Complaint.owner == owner)
    if handler is not None:
        statement = statement.where(Complaint.handler == handler)
    if received_from is not None:
        statement = statement.where(Complaint.received_at >= sla.calendar.start_of(received_from))
    if received_to is not None:
        statement = statement.where(Complaint.received_at < sla.calendar.start_of(received_to + timedelta(days=1)))
    if needs_review is not None:
        statement = statement.where(Complaint.needs_review == needs_review)
    if escalated is not None:
        any_escalation = exists().where(Escalation.complaint_id == Complaint.id)
        statement = statement.where(any_escalation if escalated else ~any_escalation)
    if category is not None:
        statement = statement.where(Complaint.category == category)
    if severity is not None:
        statement = statement.where(Complaint.severity == severity)
    if status is not None:
        statement = statement.where(Complaint.status == status)
    if channel is not None:
        statement = statement.where(Complaint.channel == channel)
    if claim_number is not None:
        statement = statement.where(Complaint.claim_number == claim_number)
    if part_number is not None:
        statement = statement.where(Complaint.part_number == part_number)
    if lot is not None:
        statement = statement.where(Complaint.lot == lot)
    page = keyset_page(
        session, statement, [Complaint.received_at, Complaint.id], cursor, limit, descending=True
    )
    return Page([ComplaintRead(c, viewer, sla) for c in page.items], page.next_cursor)


@dataclass(frozen=True)
class SeverityTargetView:
    severity: str
    acknowledge_minutes: int
    first_response_minutes: int
    escalation_minutes: int
    configured: bool  # false: the service's default targets


@dataclass(frozen=True)
class SlaTargetsView:
    targets: tuple[SeverityTargetView, ...]
    updated_by: str | None
    updated_at: datetime | None
    version: int


def sla_targets(session: Session, default: SlaTargets) -> SlaTargetsView:
    """The dealer's targets for every severity, the defaults where it set none (version 0 until it sets any)."""
    policy = session.scalars(select(SlaPolicy)).first()
    configured = policy.by_severity() if policy else {}
    return SlaTargetsView(
        targets=tuple(SeverityTargetView(
            severity=severity.value, configured=severity in configured,
            **{f"{clock}_minutes": int(getattr(configured.get(severity, default), clock).total_seconds() // 60)
               for clock in ("acknowledge", "first_response", "escalation")},
        ) for severity in Severity),
        updated_by=policy.updated_by if policy else None,
        updated_at=policy.updated_at if policy else None,
        version=policy.version if policy else 0,
    )
