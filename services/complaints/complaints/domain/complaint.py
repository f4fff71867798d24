"""A customer complaint (客户投诉) and its timeline.

Whoever receives a complaint owns it until it is closed (首问责任制).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from enum import Enum

from shared.model import Aggregate, DealerOwned

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Category, Classification, Severity
from complaints.domain.errors import (
    AcceptedFeedbackRequired,
    ActionAlreadyDone,
    ActionNotFound,
    ActionsStillOpen,
    AlreadyAcknowledged,
    AlreadyOwner,
    AlreadyPaused,
    AwaitingFeedback,
    BlankField,
    ClassificationIncomplete,
    ComplaintClosed,
    ComplaintMerged,
    DateInFuture,
    EmptyComplaint,
    FeedbackAlreadyRecorded,
    MergeIntoItself,
    MergeTargetClosed,
    NothingToReclassify,
    NothingToRecord,
    NotClosed,
    NotPaused,
    NotResolved,
    NotYourComplaint,
    PromiseBeforeReceipt,
    PromiseTooFar,
    ReasonRequired,
    ReceivedInFuture,
    ReopenWindowPassed,
    RootCauseRequired,
)
from complaints.domain.events import (
    ComplaintAssigned,
    ComplaintClassified,
    ComplaintClosed as ComplaintClosedEvent,
    ComplaintEscalated,
    ComplaintReceived,
    ComplaintReopened,
    ComplaintResolved,
)
from complaints.domain.investigation import (
    Action,
    ActionKind,
    Evidence,
    EvidenceKind,
    Feedback,
    FollowUp,
    RootCause,
    optional_text,
    required_text,
)
from complaints.domain.sla import ClockState, SeverityTargets, SlaClock, SlaTargets, clock_state, resolution_target

# A letter's date or a phone system's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# Who an automatic classification is recorded as.
CLASSIFIER = "classifier"
SUMMARY_LENGTH = 500
# The furthest a resolution date may be promised after receipt.
LONGEST_PROMISE = timedelta(days=366)
# 投诉 (complaint): the first letters of the number the desk reads out to the customer.
NUMBER_PREFIX = "TS"


def complaint_number(received_on: date, sequence: int) -> str:
    """TS-20261206-0001: the dealer's `sequence`-th complaint received on that day (its calendar's
    day), short enough to read out on the phone. Unique per dealer."""
    return f"{NUMBER_PREFIX}-{received_on:%Y%m%d}-{sequence:04d}"


class Channel(str, Enum):
    PHONE = "phone"
    WEB = "web"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    WECHAT = "wechat"


class Status(str, Enum):
    """Where a complaint stands (状态):

    - open → in_progress when evidence, findings, the root cause or an action is recorded;
    - open / in_progress / reopened → resolved (needs the root cause);
    - resolved → closed once the customer accepted; resolved → in_progress when they reject it;
    - closed → reopened within the reopening window; reopened works as open;
    - anything not closed → merged, into the complaint it duplicates. Merged is final.
    """

    OPEN = "open"  # received; nobody has investigated or acted yet
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"  # waiting for the customer's word on the resolution
    CLOSED = "closed"
    REOPENED = "reopened"
    MERGED = "merged"  # a duplicate of another complaint (merged_into)


# The complaint is being worked on: investigation, actions, resolution and the clocks run.
WORKING = (Status.OPEN, Status.IN_PROGRESS, Status.REOPENED)
FINISHED = (Status.CLOSED, Status.MERGED)


# The timeline details people type (or another service sent as text): masked like the summary
# for readers who may not see personal data.
FREE_TEXT_DETAILS = frozenset({"reason", "note", "comment", "description", "findings", "resolution", "answer",
                               "asked", "reference"})


class TimelineEntry(DealerOwned):
    """Something that happened to a complaint: who, when, what. `summary` says it in English;
    `details` holds the values it is made of (codes, numbers, ISO dates, the text typed), so a
    desk can say it in its own language. Entries written before details were kept have none."""

    def __init__(self, dealer: str, at: datetime, kind: str, summary: str, actor: str,
                 event_id: str | None = None, details: dict | None = None):
        self.dealer = dealer
        self.at = at
        self.kind = kind
        self.summary = summary if len(summary) <= SUMMARY_LENGTH else summary[:SUMMARY_LENGTH - 1] + "…"
        self.actor = actor
        self.event_id = event_id
        self.details = None if details is None else {key: value for key, value in details.items() if value is not None}


def _moment(at: datetime) -> str:
    """A moment as an English summary says it: to the minute, in UTC (the summary knows no dealer)."""
    return f"{at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def _iso(at: datetime) -> str:
    """A moment in the details: ISO 8601 in UTC, as the API writes its times."""
    return at.astimezone(timezone.utc).isoformat()


class ClassificationRecord(DealerOwned):
    """One classification of a complaint: the automatic one from its text, or a person's
    correction with their reason. All are kept; the latest is the complaint's."""

    def __init__(self, dealer: str, at: datetime, *, category: Category, severity: Severity,
                 actor: str, automatic: bool, confidence: float | None = None,
                 terms: tuple[str, ...] = (), severity_terms: tuple[str, ...] = (),
                 reason: str | None = None):
        self.dealer = dealer
        self.at = at
        self.category = Category(category)
        self.severity = Severity(severity)
        self.actor = actor
        self.automatic = automatic
        self.confidence = confidence
        self.terms = list(terms)
        self.severity_terms = list(severity_terms)
        self.reason = reason

    @classmethod
    def from_text(cls, dealer: str, at: datetime, result: Classification) -> ClassificationRecord:
        return cls(dealer, at, category=result.category, severity=result.severity, actor=CLASSIFIER,
                   automatic=True, confidence=result.confidence, terms=result.terms,
                   severity_terms=result.severity_terms)

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL


class Correction(DealerOwned):
    """A person's correction of a complaint's classification, kept with the text as a labelled
    example for the next training of the classifier (`python -m complaints export-corrections`).
    One per complaint: a later correction replaces it."""

    def __init__(self, dealer: str, *, text: str, channel: Channel, category: Category, severity: Severity,
                 by: str, at: datetime, reason: str):
        self.dealer = dealer
        self.text = text
        self.channel = Channel(channel)
        self.correct(category=category, severity=severity, by=by, at=at, reason=reason)

    def correct(self, *, category: Category, severity: Severity, by: str, at: datetime, reason: str) -> None:
        self.category = Category(category)
        self.severity = Severity(severity)
        self.corrected_by = by
        self.corrected_at = at
        self.reason = reason

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL


class WaitingFor(str, Enum):
    CUSTOMER = "customer"
    SUPPLIER = "supplier"


class Pause(DealerOwned):
    """The clocks stood still while the complaint waited for the customer or a supplier."""

    def __init__(self, dealer: str, *, since: datetime, waiting_for: WaitingFor, reason: str, by: str):
        self.dealer = dealer
        self.since = since
        self.waiting_for = WaitingFor(waiting_for)
        self.reason = reason
        self.paused_by = by
        self.until: datetime | None = None
        self.resume_reason: str | None = None
        self.resumed_by: str | None = None


class Escalation(DealerOwned):
    """A clock ran out and the complaint went to the service manager; once per clock."""

    def __init__(self, dealer: str, *, clock: SlaClock, due_at: datetime, at: datetime):
        self.dealer = dealer
        self.clock = SlaClock(clock)
        self.due_at = due_at
        self.at = at


ESCALATED_TO = "service_manager"
# The complaints desk works every complaint of its dealer (SPEC §1); the service manager supervises it.
DESK_ROLES = frozenset({"complaints_agent", "service_manager", "admin"})
# Who may close a complaint whose actions (整改) are not all done, giving the reason.
SUPERVISOR_ROLES = frozenset({"service_manager", "admin"})


class Complaint(Aggregate):
    version: int
    timeline: list[TimelineEntry]
    classifications: list[ClassificationRecord]
    pauses: list[Pause]
    escalations: list[Escalation]
    category: Category | None  # the latest classification's, kept here to filter and count by
    severity: Severity | None
    needs_review: bool  # the classifier was unsure of the category and no person has looked yet
    correction: Correction | None  # the latest person's correction, as a training example
    status: Status
    evidence: list[Evidence]
    actions: list[Action]
    feedback: list[Feedback]
    follow_ups: list[FollowUp]

    def __init__(
        self,
        dealer: str,
        *,
        number: str,
        channel: Channel,
        text: str,
        received_at: datetime,
        owner: str,
        at: datetime,
        customer_name: str | None = None,
        customer_phone: str | None = None,
        vin: str | None = None,
        plate: str | None = None,
        repair_order: str | None = None,
        claim_number: str | None = None,
        part_number: str | None = None,
        lot: str | None = None,
        desired_remedy: str | None = None,
    ):
        if not text.strip():
            raise EmptyComplaint()
        if received_at > at + CLOCK_SKEW:
            raise ReceivedInFuture()
        self.id = str(uuid.uuid4())
        self.dealer = dealer
        self.number = number
        self.channel = Channel(channel)
        self.text = text.strip()
        self.received_at = received_at
        self.recorded_at = at
        self.owner = owner
        self.status = Status.OPEN
        self.customer_name = customer_name
        self.customer_phone = customer_phone
        self.vin = vin
        self.plate = plate.strip().upper() if plate else None  # 车牌, as the customer reads it out
        self.repair_order = repair_order
        self.claim_number = claim_number
        self.part_number = part_number
        self.lot = lot
        self.desired_remedy = desired_remedy
        self.category = None
        self.severity = None
        self.needs_review = False
        self.correction = None
        self.classifications = []
        self.department = None
        self.handler = None
        self.acknowledged_at = None
        self.first_response_at = None
        self.promised_resolution_on = None
        self.sla_due_at = None
        self.pauses = []
        self.escalations = []
        self.evidence = []
        self.findings = None
        self.root_cause = None
        self.actions = []
        self.resolution = None
        self.resolved_at = None
        self.resolved_by = None
        self.feedback = []
        self.accepted_at = None
        self.satisfaction = None
        self.follow_ups = []
        self.closed_at = None
        self.closed_by = None
        self.merged_into = None
        self.timeline = [
            TimelineEntry(dealer, at, "received", f"received via {self.channel.value}", actor=owner,
                          details={"channel": self.channel.value})
        ]
        self.events.append(
            ComplaintReceived(
                self.id, self.channel.value, received_at, owner, vin, repair_order,
                claim_number, part_number, lot, number=number,
            )
        )

    @property
    def subject(self) -> str:
        return self.id

    @property
    def classification(self) -> ClassificationRecord | None:
        return self.classifications[-1] if self.classifications else None

    @property
    def classified_by_a_person(self) -> bool:
        return any(not record.automatic for record in self.classifications)

    def classify(self, result: Classification, at: datetime, *, review_below: float) -> bool:
        """Take the classification read from the text (自动分类); below `review_below` confidence
        the desk is asked to check it. Once a person has classified the complaint, an automatic
        reading never changes it again: returns False and records nothing."""
        if self.classified_by_a_person:
            return False
        record = ClassificationRecord.from_text(self.dealer, at, result)
        self.needs_review = result.needs_review(review_below)
        summary = (f"classified {record.category.value} ({record.confidence:.2f}), severity "
                   f"{record.severity.value}" + (f": {', '.join(record.terms)}" if record.terms else "")
                   + ("; to be reviewed by the desk" if self.needs_review else ""))
        self._take(record, kind="classified", summary=summary, details={
            "category": record.category.value, "severity": record.severity.value, "confidence": record.confidence,
            "terms": list(record.terms), "needs_review": self.needs_review})
        return True

    def reclassify(self, *, category: Category | None, severity: Severity | None, reason: str, by: str,
                   at: datetime) -> None:
        """A person corrects the category or severity; who and why are kept with the earlier
        classifications, the automatic one included. It is no longer to be reviewed, and the
        text with the corrected labels is kept for the next training of the classifier."""
        if category is None and severity is None:
            raise NothingToReclassify()
        if not reason.strip():
            raise ReasonRequired()
        current = self.classification
        if current is not None:
            category = category or current.category
            severity = severity or current.severity
        if category is None or severity is None:
            raise ClassificationIncomplete()
        record = ClassificationRecord(self.dealer, at, category=category, severity=severity, actor=by,
                                      automatic=False, reason=reason.strip())
        summary = f"reclassified {record.category.value}, severity {record.severity.value}: {record.reason}"
        self.needs_review = False
        if self.correction is None:
            self.correction = Correction(self.dealer, text=self.text, channel=self.channel, category=record.category,
                                         severity=record.severity, by=by, at=at, reason=record.reason)
        else:
            self.correction.correct(category=record.category, severity=record.severity, by=by, at=at,
                                    reason=record.reason)
        self._take(record, kind="reclassified", summary=summary, details={
            "category": record.category.value, "severity": record.severity.value, "reason": record.reason})

    def _take(self, record: ClassificationRecord, *, kind: str, summary: str, details: dict) -> None:
        self.classifications.append(record)
        self.category = record.category
        self.severity = record.severity
        self.timeline.append(TimelineEntry(self.dealer, record.at, kind, summary, actor=record.actor,
                                           details=details))
        self.events.append(
            ComplaintClassified(
                complaint_number=self.id, category=record.category.value, severity=record.severity.value,
                safety_related=record.safety_related, confidence=record.confidence,
                terms=tuple(record.terms), overridden=not record.automatic, vin=self.vin,
                part_number=self.part_number, lot=self.lot, needs_review=self.needs_review,
            )
        )

    def note_related_event(self, at: datetime, kind: str, summary: str, actor: str, event_id: str,
                           details: dict | None = None) -> bool:
        """Show another service's event on the timeline, once."""
        if any(entry.event_id == event_id for entry in self.timeline):
            return False
        self.timeline.append(TimelineEntry(self.dealer, at, kind, summary, actor, event_id, details))
        return True

    # ------------------------------------------------------------------ ownership (首问责任制)

    def _require_not_merged(self) -> None:
        """Refuse changes to a merged duplicate: its original is worked on instead."""
        if self.status == Status.MERGED:
            raise ComplaintMerged(self.id, self.merged_into)

    def _require_open(self) -> None:
        """Refuse changes to a closed or merged complaint."""
        self._require_not_merged()
        if self.status == Status.CLOSED:
            raise ComplaintClosed(self.id)

    def require_worker(self, person: str, roles: frozenset[str]) -> None:
        """首问责任制: whoever received the complaint works it, whatever their desk role (a service
        advisor who took the call); anyone else's complaint is the complaints desk's to work."""
        if person != self.owner and roles.isdisjoint(DESK_ROLES):
            raise NotYourComplaint(self.id, self.owner)

    def _require_working(self) -> None:
        """Refuse work on a complaint that is closed, merged, or resolved and waiting for the customer."""
        self._require_open()
        if self.status == Status.RESOLVED:
            raise AwaitingFeedback(self.id)

    def _require_resolved(self) -> None:
        self._require_open()
        if self.status != Status.RESOLVED:
            raise NotResolved(self.id, self.status.value)

    def _start_work(self) -> None:
        if self.status in (Status.OPEN, Status.REOPENED):
            self.status = Status.IN_PROGRESS

    def _note(self, at: datetime, kind: str, summary: str, by: str, /, **details) -> None:
        """Put it on the timeline: the English summary, and the values it is made of (JSON-ready;
        the first four are positional because a detail may be called `kind`)."""
        self.timeline.append(TimelineEntry(self.dealer, at, kind, summary, actor=by, details=details))

    def assign(self, *, department: str, handler: str | None, note: str | None, by: str, at: datetime) -> None:
        """Give the work to a handling department (and handler); the owner stays the owner."""
        self._require_open()
        if not department.strip():
            raise BlankField("department")
        self.department = department.strip()
        self.handler = handler.strip() if handler else None
        note = optional_text(note)
        summary = f"assigned to {self.department}" + (f" / {self.handler}" if self.handler else "")
        summary += f"; owner stays {self.owner}" + (f": {note}" if note else "")
        self._note(at, "assigned", summary, by, department=self.department, handler=self.handler, owner=self.owner,
                   note=note)
        self.events.append(ComplaintAssigned(
            complaint_id=self.id, owner=self.owner, previous_owner=None, department=self.department,
            handler=self.handler, reason=note, assigned_by=by,
        ))

    def transfer_ownership(self, *, owner: str, reason: str, by: str, at: datetime) -> None:
        """Hand the complaint to a new owner; only with a reason, kept on the timeline."""
        self._require_open()
        if not reason.strip():
            raise ReasonRequired()
        owner = owner.strip()
        if not owner:
            raise BlankField("owner")
        if owner == self.owner:
            raise AlreadyOwner(owner)
        previous, self.owner = self.owner, owner
        self._note(at, "owner_changed", f"owner {previous} → {owner}: {reason.strip()}", by, previous=previous,
                   owner=owner, reason=reason.strip())
        self.events.append(ComplaintAssigned(
            complaint_id=self.id, owner=owner, previous_owner=previous, department=self.department,
            handler=self.handler, reason=reason.strip(), assigned_by=by,
        ))

    # ------------------------------------------------------------------ meeting the clocks

    def acknowledge(self, *, note: str | None, by: str, at: datetime) -> None:
        """The customer is told the complaint is being handled (受理确认)."""
        self._require_open()
        if self.acknowledged_at is not None:
            raise AlreadyAcknowledged(self.acknowledged_at)
        self.acknowledged_at = at
        note = optional_text(note)
        self._note(at, "acknowledged", "acknowledged to the customer" + (f": {note}" if note else ""), by, note=note)

    def respond(self, *, summary: str, by: str, at: datetime) -> None:
        """An answer to the customer; the first one stops the first-response and escalation
        clocks, and counts as the acknowledgement if none was recorded."""
        self._require_open()
        if not summary.strip():
            raise BlankField("summary")
        if self.acknowledged_at is None:
            self.acknowledged_at = at
        if self.first_response_at is None:
            self.first_response_at = at
        self._note(at, "responded", summary.strip(), by, answer=summary.strip())

    def promise_resolution(self, *, on: date, reason: str | None, by: str, at: datetime, local_receipt: date) -> None:
        """The date by which the customer was told it will be resolved; changing it needs a reason."""
        self._require_open()
        if on < local_receipt:
            raise PromiseBeforeReceipt()
        if on - local_receipt > LONGEST_PROMISE:
            raise PromiseTooFar(LONGEST_PROMISE.days)
        if self.promised_resolution_on is not None and not (reason and reason.strip()):
            raise ReasonRequired()
        previous, self.promised_resolution_on = self.promised_resolution_on, on
        reason = optional_text(reason)
        summary = (f"resolution promised for {on.isoformat()}" if previous is None
                   else f"promised resolution moved {previous.isoformat()} → {on.isoformat()}")
        if reason:
            summary += f": {reason}"
        self._note(at, "resolution_promised", summary, by, on=on.isoformat(),
                   previous=previous.isoformat() if previous else None, reason=reason)

    @property
    def open_pause(self) -> Pause | None:
        return next((pause for pause in self.pauses if pause.until is None), None)

    @property
    def paused(self) -> bool:
        """The clocks stand still: waiting for the customer or a supplier."""
        return self.open_pause is not None

    def pause(self, *, waiting_for: WaitingFor, reason: str, by: str, at: datetime) -> None:
        """Stop the clocks while waiting for the customer or a supplier."""
        self._require_working()
        if self.open_pause is not None:
            raise AlreadyPaused(self.open_pause.since)
        if not reason.strip():
            raise ReasonRequired()
        pause = Pause(self.dealer, since=at, waiting_for=waiting_for, reason=reason.strip(), by=by)
        self.pauses.append(pause)
        self._note(at, "paused", f"clocks paused, waiting for the {pause.waiting_for.value}: {pause.reason}", by,
                   waiting_for=pause.waiting_for.value, reason=pause.reason)

    def resume(self, *, reason: str, by: str, at: datetime) -> None:
        self._require_open()
        pause = self.open_pause
        if pause is None:
            raise NotPaused()
        if not reason.strip():
            raise ReasonRequired()
        self._end_pause(reason=reason.strip(), by=by, at=at)

    def _end_pause(self, *, reason: str, by: str, at: datetime, upon: str | None = None) -> None:
        """Let the clocks run again, for a person's reason, or `upon` the complaint being resolved or
        merged (a status code the timeline keeps apart from typed text)."""
        pause = self.open_pause
        if pause is not None:
            pause.until, pause.resume_reason, pause.resumed_by = max(at, pause.since), reason, by
            self._note(at, "resumed", f"clocks resumed: {reason}", by, upon=upon, reason=None if upon else reason)

    def clocks(self, calendar: BusinessCalendar, targets: SlaTargets | SeverityTargets,
               now: datetime) -> list[ClockState]:
        """Each clock in business time, against the targets for this complaint's severity."""
        targets = targets.for_severity(self.severity)
        pauses = [(pause.since, pause.until) for pause in self.pauses]
        resolution = (resolution_target(calendar, self.received_at, self.promised_resolution_on)
                      if self.promised_resolution_on is not None else None)
        plan = [
            (SlaClock.ACKNOWLEDGE, targets.acknowledge, self.acknowledged_at),
            (SlaClock.FIRST_RESPONSE, targets.first_response, self.first_response_at),
            (SlaClock.ESCALATION, targets.escalation, self.first_response_at),
            (SlaClock.RESOLUTION, resolution, self.resolved_at),
        ]
        return [clock_state(clock, calendar=calendar, started_at=self.received_at, target=target, stopped_at=stopped,
                            pauses=pauses, now=now) for clock, target, stopped in plan]

    def escalated(self, clock: SlaClock) -> Escalation | None:
        return next((e for e in self.escalations if e.clock is SlaClock(clock)), None)

    def reschedule(self, calendar: BusinessCalendar, targets: SlaTargets | SeverityTargets, now: datetime) -> None:
        """Note when the escalation sweep next needs to look at this complaint."""
        dues = [state.due_at for state in self.clocks(calendar, targets, now)
                if state.due_at is not None and state.stopped_at is None and self.escalated(state.clock) is None]
        self.sla_due_at = min(dues, default=None) if self.status in WORKING else None

    def escalate_overdue(self, calendar: BusinessCalendar, targets: SlaTargets | SeverityTargets,
                         now: datetime) -> list[SlaClock]:
        """Send the complaint to the service manager once for every clock that ran out since the
        last look, naming them all: clocks sharing a target (first response and escalation) make
        one escalation, not one each. Each clock is escalated only once."""
        ran_out = []
        if self.status in WORKING:
            ran_out = [state for state in self.clocks(calendar, targets, now)
                       if state.overdue and self.escalated(state.clock) is None]
        if ran_out:
            self._escalate(ran_out, now)
        self.reschedule(calendar, targets, now)
        return [state.clock for state in ran_out]

    def _escalate(self, ran_out: list[ClockState], now: datetime) -> None:
        for state in ran_out:
            self.escalations.append(Escalation(self.dealer, clock=state.clock, due_at=state.due_at or now, at=now))
        first = min(ran_out, key=lambda state: state.due_at or now)
        due = first.due_at or now
        names = [state.clock.value for state in ran_out]
        self.timeline.append(TimelineEntry(
            self.dealer, now, "escalated",
            f"{', '.join(names)} {'clock' if len(names) == 1 else 'clocks'} ran out (first at {_moment(due)}); "
            f"escalated to the {ESCALATED_TO}",
            actor="system:sla",
            details={"clocks": names, "first_due_at": _iso(due), "escalated_to": ESCALATED_TO}))
        self.events.append(ComplaintEscalated(
            complaint_id=self.id, clock=first.clock.value, due_at=due, escalated_at=now,
            escalated_to=ESCALATED_TO, owner=self.owner, severity=self.severity.value if self.severity else None,
            clocks=tuple(names), number=self.number,
        ))

    # ------------------------------------------------------------------ investigation (调查)

    def add_evidence(self, *, kind: EvidenceKind, reference: str, note: str | None, by: str,
                     at: datetime) -> Evidence:
        """Keep a reference to a photo, repair record, call recording or document, and what it shows."""
        self._require_working()
        evidence = Evidence(self.dealer, kind=kind, reference=reference, note=note, by=by, at=at)
        self.evidence.append(evidence)
        self._start_work()
        self._note(at, "evidence_added", f"{evidence.kind.value.replace('_', ' ')} {evidence.reference}"
                   + (f": {evidence.note}" if evidence.note else ""), by, kind=evidence.kind.value,
                   reference=evidence.reference, note=evidence.note)
        return evidence

    def investigate(self, *, findings: str | None, root_cause: RootCause | None, by: str, at: datetime) -> None:
        """Record what the investigation found and/or the root cause; a later record replaces it."""
        self._require_working()
        if findings is None and root_cause is None:
            raise NothingToRecord()
        parts = []
        if root_cause is not None:
            self.root_cause = RootCause(root_cause)
            parts.append(f"root cause {self.root_cause.value}")
        if findings is not None:
            self.findings = required_text(findings, "findings")
            parts.append(f"findings: {self.findings}")
        self._start_work()
        self._note(at, "investigated", "; ".join(parts), by,
                   root_cause=self.root_cause.value if root_cause is not None else None,
                   findings=self.findings if findings is not None else None)

    # ------------------------------------------------------------------ actions (整改清单)

    def plan_action(self, *, kind: ActionKind, description: str, owner: str, due_on: date, by: str,
                    at: datetime) -> Action:
        """Put an action on the rectification list, with its owner and due date."""
        self._require_open()
        action = Action(self.dealer, number=len(self.actions) + 1, kind=kind, description=description, owner=owner,
                        due_on=due_on, by=by, at=at)
        self.actions.append(action)
        self._start_work()
        self._note(at, "action_planned", f"action #{action.number}: {action.kind.value} for {action.owner}, due "
                   f"{due_on.isoformat()}: {action.description}", by, number=action.number, kind=action.kind.value,
                   owner=action.owner, due_on=due_on.isoformat(), description=action.description)
        return action

    def complete_action(self, action_id: str, *, done_on: date, note: str | None, by: str, at: datetime,
                        today: date) -> Action:
        """Mark an action done; also after the complaint closed (a process change takes time)."""
        self._require_not_merged()
        action = next((a for a in self.actions if a.id == action_id), None)
        if action is None:
            raise ActionNotFound(action_id)
        if action.done_on is not None:
            raise ActionAlreadyDone(action_id, action.done_on)
        if done_on > today:
            raise DateInFuture("done_on")
        action.done_on, action.done_by, action.done_note = done_on, by, optional_text(note)
        self._note(at, "action_done", f"action #{action.number}: {action.kind.value} done on {done_on.isoformat()}: "
                   f"{action.description}" + (f" ({action.done_note})" if action.done_note else ""), by,
                   number=action.number, kind=action.kind.value, done_on=done_on.isoformat(),
                   description=action.description, note=action.done_note)
        return action

    # ------------------------------------------------------------------ resolution and feedback (处理结果与反馈)

    def resolve(self, *, resolution: str, by: str, at: datetime) -> None:
        """The desk has dealt with it: needs the root cause. Stops the clocks; the customer's
        word on it comes next."""
        self._require_working()
        resolution = required_text(resolution, "resolution")
        if self.root_cause is None:
            raise RootCauseRequired()
        self._end_pause(reason="resolved", by=by, at=at, upon="resolved")
        self.resolution, self.resolved_at, self.resolved_by = resolution, at, by
        # The resolution answers the customer, if nobody had yet.
        self.acknowledged_at = self.acknowledged_at or at
        self.first_response_at = self.first_response_at or at
        self.status = Status.RESOLVED
        self._note(at, "resolved", f"resolved (root cause {self.root_cause.value}): {resolution}", by,
                   root_cause=self.root_cause.value, resolution=resolution)
        self.events.append(ComplaintResolved(
            complaint_id=self.id, resolved_at=at, resolved_by=by, root_cause=self.root_cause.value,
            actions=tuple(action.kind.value for action in self.actions),
            category=self.category.value if self.category else None,
            severity=self.severity.value if self.severity else None,
            vin=self.vin, part_number=self.part_number, lot=self.lot,
        ))

    def record_feedback(self, *, told: str, accepted: bool, satisfaction: int | None, comment: str | None,
                        by: str, at: datetime) -> Feedback:
        """What the customer was told and said. Accepted: it may be closed. Rejected: it goes
        back in progress and its resolution clock runs again."""
        self._require_resolved()
        if self.accepted_at is not None:
            raise FeedbackAlreadyRecorded()
        feedback = Feedback(self.dealer, told=told, accepted=accepted, satisfaction=satisfaction, comment=comment,
                            by=by, at=at)
        self.feedback.append(feedback)
        if feedback.satisfaction is not None:
            self.satisfaction = feedback.satisfaction
        rated = f", satisfaction {feedback.satisfaction}/5" if feedback.satisfaction is not None else ""
        said = f": {feedback.comment}" if feedback.comment else ""
        heard = {"satisfaction": feedback.satisfaction, "comment": feedback.comment}
        if accepted:
            self.accepted_at = at
            self._note(at, "feedback_accepted", f"customer accepted{rated}{said}", by, **heard)
        else:
            self.status = Status.IN_PROGRESS
            self.resolution = self.resolved_at = self.resolved_by = None
            self._note(at, "feedback_rejected", f"customer rejected the resolution{rated}{said}; back in progress", by,
                       **heard)
        return feedback

    @property
    def open_actions(self) -> list[Action]:
        return [action for action in self.actions if action.done_on is None]

    def close(self, *, note: str | None, by: str, at: datetime, reason: str | None = None,
              roles: frozenset[str] = frozenset()) -> None:
        """Close a resolved complaint whose customer accepted the resolution, once its actions are
        done; with actions still open only a service manager closes it, saying why (kept on the timeline)."""
        self._require_resolved()
        if self.accepted_at is None:
            raise AcceptedFeedbackRequired()
        still_open, reason = self.open_actions, optional_text(reason)
        if still_open and not (reason and not roles.isdisjoint(SUPERVISOR_ROLES)):
            raise ActionsStillOpen(still_open)
        self._finish(Status.CLOSED, by=by, at=at)
        note = optional_text(note)
        summary = "closed" + (f": {note}" if note else "")
        if still_open:
            summary += (f"; with actions {', '.join(f'#{a.number}' for a in still_open)} not done yet, "
                        f"because: {reason}")
        self._note(at, "closed", summary, by, note=note, reason=reason if still_open else None,
                   open_actions=[a.number for a in still_open] or None)

    def _finish(self, status: Status, *, by: str, at: datetime, merged_into: str | None = None) -> None:
        self.status, self.closed_at, self.closed_by, self.merged_into = status, at, by, merged_into
        self.events.append(ComplaintClosedEvent(
            complaint_id=self.id, closed_at=at, closed_by=by,
            root_cause=self.root_cause.value if self.root_cause else None, satisfaction=self.satisfaction,
            merged_into=merged_into,
        ))

    def reopen(self, *, reason: str, by: str, at: datetime, window: timedelta) -> None:
        """The customer comes back about a closed complaint: within the window it is worked on again."""
        self._require_not_merged()
        if self.status != Status.CLOSED:
            raise NotClosed(self.id, self.status.value)
        reason = required_text(reason, "reason")
        closed_at = self.closed_at
        if at > closed_at + window:
            raise ReopenWindowPassed(closed_at, window.days)
        self.status = Status.REOPENED
        self.closed_at = self.closed_by = None
        self.resolution = self.resolved_at = self.resolved_by = self.accepted_at = None
        self._note(at, "reopened", f"reopened (closed {_moment(closed_at)}): {reason}", by,
                   closed_at=_iso(closed_at), reason=reason)
        self.events.append(ComplaintReopened(complaint_id=self.id, reopened_at=at, reopened_by=by, reason=reason,
                                             closed_at=closed_at))

    def record_follow_up(self, *, visited_on: date, visited_by: str, note: str, satisfaction: int | None,
                         by: str, at: datetime, today: date) -> FollowUp:
        """A follow-up visit or call (回访) after the resolution, also once it is closed."""
        self._require_not_merged()
        if self.status not in (Status.RESOLVED, Status.CLOSED):
            raise NotResolved(self.id, self.status.value)
        if visited_on > today:
            raise DateInFuture("visited_on")
        visit = FollowUp(self.dealer, visited_on=visited_on, visited_by=visited_by, note=note,
                         satisfaction=satisfaction, by=by, at=at)
        self.follow_ups.append(visit)
        rated = f", satisfaction {visit.satisfaction}/5" if visit.satisfaction is not None else ""
        self._note(at, "follow_up", f"follow-up by {visit.visited_by} on {visited_on.isoformat()}{rated}: "
                   f"{visit.note}", by, visited_by=visit.visited_by, visited_on=visited_on.isoformat(),
                   satisfaction=visit.satisfaction, note=visit.note)
        return visit

    # ------------------------------------------------------------------ duplicates (合并重复投诉)

    def merge_into(self, original: Complaint, *, reason: str | None, by: str, at: datetime) -> None:
        """This complaint repeats `original`: it ends here, pointing there; both timelines say so."""
        if original.id == self.id:
            raise MergeIntoItself()
        self._require_open()
        if original.status in FINISHED:
            raise MergeTargetClosed(original.id, original.status.value)
        reason = optional_text(reason)
        why = f": {reason}" if reason else ""
        self._end_pause(reason="merged", by=by, at=at, upon="merged")
        self._finish(Status.MERGED, by=by, at=at, merged_into=original.id)
        self._note(at, "merged_into", f"merged into complaint {original.number} as a duplicate{why}", by,
                   number=original.number, id=original.id, reason=reason)
        original.take_duplicate(self, reason=reason, by=by, at=at)

    def take_duplicate(self, duplicate: Complaint, *, reason: str | None, by: str, at: datetime) -> None:
        why = f": {reason}" if reason else ""
        self._note(at, "duplicate_merged", f"complaint {duplicate.number} merged into this one as a duplicate{why}",
                   by, number=duplicate.number, id=duplicate.id, reason=reason)
