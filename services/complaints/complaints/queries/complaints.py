"""Reading complaints, with customer personal data masked for roles that do not need it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Severity
from complaints.domain.complaint import (
    FREE_TEXT_DETAILS,
    ClassificationRecord,
    Complaint,
    Escalation,
    Pause,
    TimelineEntry,
)
from complaints.domain.investigation import Action, Evidence, Feedback, FollowUp
from complaints.domain.errors import ComplaintNotFound, PersonalDataSearch
from complaints.domain.privacy import mask_name, mask_personal_data, mask_phone, may_see_personal_data
from complaints.domain.sla import SeverityTargets, SlaPolicy, SlaTargets


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


@dataclass(frozen=True)
class ClockView:
    clock: str
    status: str
    started_at: datetime
    due_at: datetime | None
    stopped_at: datetime | None
    target_minutes: int | None
    used_minutes: int
    escalated_at: datetime | None


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
class ComplaintView:
    id: str
    number: str
    channel: str
    status: str
    owner: str
    text: str
    received_at: datetime
    recorded_at: datetime
    customer_name: str | None
    customer_phone: str | None
    vin: str | None
    plate: str | None
    repair_order: str | None
    claim_number: str | None
    part_number: str | None
    lot: str | None
    desired_remedy: str | None
    category: str | None
    severity: str | None
    needs_review: bool
    classification: ClassificationRecord | None
    classifications: tuple[ClassificationRecord, ...]
    version: int
    timeline: tuple[TimelineEntry, ...]
    department: str | None
    handler: str | None
    acknowledged_at: datetime | None
    first_response_at: datetime | None
    promised_resolution_on: date | None
    paused: bool
    pauses: tuple[Pause, ...]
    escalations: tuple[Escalation, ...]
    clocks: tuple[ClockView, ...]
    evidence: tuple[Evidence, ...]
    findings: str | None
    root_cause: str | None
    actions: tuple[ActionView, ...]
    resolution: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    accepted_at: datetime | None
    satisfaction: int | None
    feedback: tuple[Feedback, ...]
    follow_ups: tuple[FollowUp, ...]
    closed_at: datetime | None
    closed_by: str | None
    merged_into: str | None


def _clocks(complaint: Complaint, calendar: BusinessCalendar, reading: ClockReading) -> tuple[ClockView, ...]:
    shown = []
    for state in complaint.clocks(calendar, reading.targets, reading.now):
        escalation = complaint.escalated(state.clock)
        shown.append(ClockView(
            clock=state.clock.value, status=state.status.value, started_at=state.started_at, due_at=state.due_at,
            stopped_at=state.stopped_at,
            target_minutes=None if state.target is None else int(state.target.total_seconds() // 60),
            used_minutes=int(state.used.total_seconds() // 60),
            escalated_at=escalation.at if escalation else None,
        ))
    return tuple(shown)


def shown(session: Session, complaint: Complaint, *, viewer: Caller, reading: ClockReading) -> ComplaintView:
    """A complaint just changed, with its clocks read in the dealer's calendar."""
    return view(complaint, viewer, calendar(session, reading.timezone), reading.for_dealer(session))


def view(complaint: Complaint, viewer: Caller, calendar: BusinessCalendar, reading: ClockReading) -> ComplaintView:
    """The complaint as this viewer may see it: personal data masked unless their role needs it."""
    today = calendar.today(reading.now)
    shown = ComplaintView(
        id=complaint.id,
        number=complaint.number,
        channel=complaint.channel.value,
        status=complaint.status.value,
        owner=complaint.owner,
        text=complaint.text,
        received_at=complaint.received_at,
        recorded_at=complaint.recorded_at,
        customer_name=complaint.customer_name,
        customer_phone=complaint.customer_phone,
        vin=complaint.vin,
        plate=complaint.plate,
        repair_order=complaint.repair_order,
        claim_number=complaint.claim_number,
        part_number=complaint.part_number,
        lot=complaint.lot,
        desired_remedy=complaint.desired_remedy,
        category=complaint.category.value if complaint.category else None,
        severity=complaint.severity.value if complaint.severity else None,
        needs_review=complaint.needs_review,
        classification=complaint.classification,
        classifications=tuple(complaint.classifications),
        version=complaint.version,
        timeline=tuple(complaint.timeline),
        department=complaint.department,
        handler=complaint.handler,
        acknowledged_at=complaint.acknowledged_at,
        first_response_at=complaint.first_response_at,
        promised_resolution_on=complaint.promised_resolution_on,
        paused=complaint.open_pause is not None,
        pauses=tuple(complaint.pauses),
        escalations=tuple(complaint.escalations),
        clocks=_clocks(complaint, calendar, reading),
        evidence=tuple(complaint.evidence),
        findings=complaint.findings,
        root_cause=complaint.root_cause.value if complaint.root_cause else None,
        actions=tuple(ActionView.of(a, today) for a in complaint.actions),
        resolution=complaint.resolution,
        resolved_at=complaint.resolved_at,
        resolved_by=complaint.resolved_by,
        accepted_at=complaint.accepted_at,
        satisfaction=complaint.satisfaction,
        feedback=tuple(complaint.feedback),
        follow_ups=tuple(complaint.follow_ups),
        closed_at=complaint.closed_at,
        closed_by=complaint.closed_by,
        merged_into=complaint.merged_into,
    )
    if may_see_personal_data(viewer.roles):
        return shown
    return _masked(shown)


def _masked(shown: ComplaintView) -> ComplaintView:
    """The complaint with the customer's name and phone masked, and in every free text the phone and
    ID numbers and the customer's name typed into it (the stored text stays whole)."""

    def text(value: str | None) -> str | None:
        return mask_personal_data(value, [shown.customer_name])

    def items(rows, *fields: str) -> tuple:
        return tuple(_MaskedText(row, fields, text) for row in rows)

    def entry_text(value: str | dict | None):  # a timeline entry's summary, or the text typed in its details
        return _masked_details(value, text) if isinstance(value, dict) else text(value)

    return replace(
        shown,
        customer_name=mask_name(shown.customer_name),
        customer_phone=mask_phone(shown.customer_phone),
        text=text(shown.text),
        desired_remedy=text(shown.desired_remedy),
        findings=text(shown.findings),
        resolution=text(shown.resolution),
        timeline=tuple(_MaskedText(entry, ("summary", "details"), entry_text) for entry in shown.timeline),
        pauses=items(shown.pauses, "reason", "resume_reason"),
        evidence=items(shown.evidence, "note"),
        actions=tuple(replace(a, description=text(a.description), done_note=text(a.done_note))
                      for a in shown.actions),
        feedback=items(shown.feedback, "told", "comment"),
        follow_ups=items(shown.follow_ups, "note"),
    )


def _masked_details(details: dict, text) -> dict:
    """A timeline entry's details with the text people typed masked; codes, numbers and dates as they are."""
    return {key: text(value) if key in FREE_TEXT_DETAILS and isinstance(value, str) else value
            for key, value in details.items()}


class _MaskedText:
    """A timeline entry, pause, piece of evidence, feedback or follow-up read through a mask: the
    named free-text fields come out masked, the rest as they are (the stored row is not touched)."""

    def __init__(self, row, fields: tuple[str, ...], mask):
        self._row, self._fields, self._mask = row, fields, mask

    def __getattr__(self, name: str):
        value = getattr(self._row, name)
        return self._mask(value) if name in self._fields else value


def complaint(session: Session, complaint_id: str, *, viewer: Caller, reading: ClockReading) -> ComplaintView:
    """By its id or its number (TS-20261206-0001, in any letter case)."""
    found = session.scalars(select(Complaint).where(
        or_(Complaint.id == complaint_id, Complaint.number == complaint_id.upper()))).first()
    if found is None:
        raise ComplaintNotFound(complaint_id)
    return shown(session, found, viewer=viewer, reading=reading)


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
    dealer_calendar, reading = calendar(session, reading.timezone), reading.for_dealer(session)
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
        statement = statement.where(Complaint.received_at >= dealer_calendar.start_of(received_from))
    if received_to is not None:
        statement = statement.where(Complaint.received_at < dealer_calendar.start_of(received_to + timedelta(days=1)))
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
    return Page([view(c, viewer, dealer_calendar, reading) for c in page.items], page.next_cursor)


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
