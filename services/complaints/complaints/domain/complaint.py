"""A customer complaint (客户投诉) and its timeline.

Whoever receives a complaint owns it until it is closed (首问责任制). The complaint is the
aggregate: every change goes through it and lands in its own fields, one row as it always was.
The rules and the words of each part live beside it, in the records and value objects it builds
from those fields: its classifications in `classifications`, its SLA clocks in `clocks`, the
investigation and the actions in `investigation`, the resolution, the customer's word, closing
and reopening in `resolution`, and the entries of its timeline in `timeline`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from enum import Enum

from shared.model import Aggregate

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Category, Classification, Severity
from complaints.domain.classification_records import ClassificationRecord, Correction
from complaints.domain.clocks import (
    ESCALATED_TO,
    ClockRecord,
    Escalation,
    Overdue,
    Pause,
    Promise,
    WaitingFor,
    next_deadline,
    ran_out,
)
from complaints.domain.errors import (
    ActionNotFound,
    AlreadyAcknowledged,
    AlreadyOwner,
    AlreadyPaused,
    AwaitingFeedback,
    ComplaintClosed,
    ComplaintMerged,
    EmptyComplaint,
    FeedbackAlreadyRecorded,
    MergeIntoItself,
    MergeTargetClosed,
    NotClosed,
    NotPaused,
    NotResolved,
    NotYourComplaint,
    ReasonRequired,
    ReceivedInFuture,
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
    Investigation,
    RootCause,
    optional_text,
    required_text,
)
from complaints.domain.resolution import Closure, Feedback, FollowUp, Reopening, Resolution
from complaints.domain.sla import ClockState, SeverityTargets, SlaClock, SlaReading, SlaTargets
from complaints.domain.timeline import TimelineEntry

# A letter's date or a phone system's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# 投诉 (complaint): the first letters of the number the desk reads out to the customer.
NUMBER_PREFIX = "TS"
# The complaints desk works every complaint of its dealer (SPEC §1); the service manager supervises it.
DESK_ROLES = frozenset({"complaints_agent", "service_manager", "admin"})


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

    def __init__(self, dealer: str, *, number: str, channel: Channel, text: str, received_at: datetime, owner: str,
                 at: datetime, customer_name: str | None = None, customer_phone: str | None = None,
                 vin: str | None = None, plate: str | None = None, repair_order: str | None = None,
                 claim_number: str | None = None, part_number: str | None = None, lot: str | None = None,
                 desired_remedy: str | None = None):
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
        self.category = self.severity = self.correction = None
        self.needs_review = False
        self.classifications = []
        self.department = self.handler = None
        # What stops the clocks, the date promised, the pauses, the escalations, the next deadline.
        self.acknowledged_at = self.first_response_at = self.resolved_at = self.promised_resolution_on = None
        self.pauses, self.escalations = [], []
        self.sla_due_at = None
        # The investigation and the rectification list.
        self.findings = self.root_cause = None
        self.evidence, self.actions = [], []
        # The resolution, the customer's word on it, its end.
        self.resolution = self.resolved_by = self.accepted_at = self.satisfaction = None
        self.feedback, self.follow_ups = [], []
        self.closed_at = self.closed_by = self.merged_into = None
        self.timeline = [TimelineEntry(dealer, at, "received", f"received via {self.channel.value}", actor=owner,
                                       details={"channel": self.channel.value})]
        self.events.append(ComplaintReceived(self.id, self.channel.value, received_at, owner, vin, repair_order,
                                             claim_number, part_number, lot, number=number))

    @property
    def subject(self) -> str:
        return self.id

    # ------------------------------------------------------------------ classification (分类)

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
        self.needs_review = result.needs_review(review_below)
        self._take(ClassificationRecord.from_text(self.dealer, at, result), kind="classified")
        return True

    def reclassify(self, *, category: Category | None, severity: Severity | None, reason: str, by: str,
                   at: datetime) -> None:
        """A person corrects the category or severity; who and why are kept with the earlier
        classifications, the automatic one included. It is no longer to be reviewed, and the
        text with the corrected labels is kept for the next training of the classifier."""
        record = ClassificationRecord.by_person(self.dealer, at, self.classification, category=category,
                                                severity=severity, reason=reason, by=by)
        self.needs_review = False
        if self.correction is None:
            self.correction = Correction(self.dealer, text=self.text, channel=self.channel, record=record)
        else:
            self.correction.correct(record)
        self._take(record, kind="reclassified")

    def _take(self, record: ClassificationRecord, *, kind: str) -> None:
        self.classifications.append(record)
        self.category, self.severity = record.category, record.severity
        self._note(record.at, kind, record.summary(self.needs_review), record.actor,
                   **record.details(self.needs_review))
        self.events.append(ComplaintClassified(
            complaint_number=self.id, category=record.category.value, severity=record.severity.value,
            safety_related=record.safety_related, confidence=record.confidence, terms=tuple(record.terms),
            overridden=not record.automatic, vin=self.vin, part_number=self.part_number, lot=self.lot,
            needs_review=self.needs_review,
        ))

    def note_related_event(self, at: datetime, kind: str, summary: str, actor: str, event_id: str,
                           details: dict | None = None) -> bool:
        """Show another service's event on the timeline, once."""
        if any(entry.event_id == event_id for entry in self.timeline):
            return False
        self.timeline.append(TimelineEntry(self.dealer, at, kind, summary, actor, event_id, details))
        return True

    # ------------------------------------------------------------------ who may change it, and when

    def require_worker(self, person: str, roles: frozenset[str]) -> None:
        """首问责任制: whoever received the complaint works it, whatever their desk role (a service
        advisor who took the call); anyone else's complaint is the complaints desk's to work."""
        if person != self.owner and roles.isdisjoint(DESK_ROLES):
            raise NotYourComplaint(self.id, self.owner)

    def _require_not_merged(self) -> None:
        """Refuse changes to a merged duplicate: its original is worked on instead."""
        if self.status == Status.MERGED:
            raise ComplaintMerged(self.id, self.merged_into)

    def _require_open(self) -> None:
        """Refuse changes to a closed or merged complaint."""
        self._require_not_merged()
        if self.status == Status.CLOSED:
            raise ComplaintClosed(self.id)

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

    # ------------------------------------------------------------------ ownership (首问责任制)

    def assign(self, *, department: str, handler: str | None, note: str | None, by: str, at: datetime) -> None:
        """Give the work to a handling department (and handler); the owner stays the owner."""
        self._require_open()
        self.department = required_text(department, "department")
        self.handler = handler.strip() if handler else None
        note = optional_text(note)
        summary = f"assigned to {self.department}" + (f" / {self.handler}" if self.handler else "")
        summary += f"; owner stays {self.owner}" + (f": {note}" if note else "")
        self._note(at, "assigned", summary, by, department=self.department, handler=self.handler, owner=self.owner,
                   note=note)
        self._tell_assigned(previous_owner=None, reason=note, by=by)

    def transfer_ownership(self, *, owner: str, reason: str, by: str, at: datetime) -> None:
        """Hand the complaint to a new owner; only with a reason, kept on the timeline."""
        self._require_open()
        if not reason.strip():
            raise ReasonRequired()
        owner = required_text(owner, "owner")
        if owner == self.owner:
            raise AlreadyOwner(owner)
        previous, self.owner = self.owner, owner
        self._note(at, "owner_changed", f"owner {previous} → {owner}: {reason.strip()}", by, previous=previous,
                   owner=owner, reason=reason.strip())
        self._tell_assigned(previous_owner=previous, reason=reason.strip(), by=by)

    def _tell_assigned(self, *, previous_owner: str | None, reason: str | None, by: str) -> None:
        self.events.append(ComplaintAssigned(
            complaint_id=self.id, owner=self.owner, previous_owner=previous_owner, department=self.department,
            handler=self.handler, reason=reason, assigned_by=by,
        ))

    # ------------------------------------------------------------------ meeting the clocks (时效)

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
        answer = required_text(summary, "summary")
        self._answered(at)
        self._note(at, "responded", answer, by, answer=answer)

    def _answered(self, at: datetime) -> None:
        """The customer has an answer: the clocks it stops are stopped, if nothing had yet."""
        self.acknowledged_at = self.acknowledged_at or at
        self.first_response_at = self.first_response_at or at

    def promise_resolution(self, *, on: date, reason: str | None, by: str, at: datetime, local_receipt: date) -> None:
        """The date by which the customer was told it will be resolved; changing it needs a reason."""
        self._require_open()
        promise = Promise.made(on, received_on=local_receipt, previous=self.promised_resolution_on, reason=reason)
        self.promised_resolution_on = promise.on
        self._note(at, "resolution_promised", promise.summary, by, **promise.details)

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
        pause = Pause(self.dealer, since=at, waiting_for=waiting_for, reason=reason, by=by)
        self.pauses.append(pause)
        self._note(at, "paused", pause.summary, by, **pause.details)

    def resume(self, *, reason: str, by: str, at: datetime) -> None:
        self._require_open()
        if self.open_pause is None:
            raise NotPaused()
        if not reason.strip():
            raise ReasonRequired()
        self._end_pause(reason=reason.strip(), by=by, at=at)

    def _end_pause(self, *, reason: str, by: str, at: datetime, upon: str | None = None) -> None:
        """Let the clocks run again, for a person's reason, or `upon` the complaint being resolved or
        merged (a status code the timeline keeps apart from typed text)."""
        pause = self.open_pause
        if pause is not None:
            pause.end(at=at, reason=reason, by=by)
            self._note(at, "resumed", f"clocks resumed: {reason}", by, upon=upon, reason=None if upon else reason)

    def clocks(self, calendar: BusinessCalendar, targets: SlaTargets | SeverityTargets,
               now: datetime) -> list[ClockState]:
        """Each clock in business time, against the targets for this complaint's severity."""
        record = ClockRecord(
            received_at=self.received_at, severity=self.severity, acknowledged_at=self.acknowledged_at,
            first_response_at=self.first_response_at, resolved_at=self.resolved_at,
            promised_on=self.promised_resolution_on, pauses=tuple(pause.interval for pause in self.pauses),
        )
        return record.read(SlaReading(calendar, targets, now))

    def escalated(self, clock: SlaClock) -> Escalation | None:
        return next((e for e in self.escalations if e.clock is SlaClock(clock)), None)

    def reschedule(self, calendar: BusinessCalendar, targets: SlaTargets | SeverityTargets, now: datetime) -> None:
        """Note when the escalation sweep next needs to look at this complaint."""
        self.sla_due_at = (next_deadline(self.clocks(calendar, targets, now), self.escalations)
                           if self.status in WORKING else None)

    def escalate_overdue(self, calendar: BusinessCalendar, targets: SlaTargets | SeverityTargets,
                         now: datetime) -> list[SlaClock]:
        """Send the complaint to the service manager once for every clock that ran out since the
        last look, naming them all in one escalation. Each clock is escalated only once."""
        overdue = ran_out(self.clocks(calendar, targets, now), self.escalations) if self.status in WORKING else []
        if overdue:
            self._escalate(Overdue(tuple(overdue), now))
        self.reschedule(calendar, targets, now)
        return [state.clock for state in overdue]

    def _escalate(self, overdue: Overdue) -> None:
        self.escalations.extend(overdue.escalations(self.dealer))
        self._note(overdue.at, "escalated", overdue.summary, "system:sla", **overdue.details)
        self.events.append(ComplaintEscalated(
            complaint_id=self.id, clock=overdue.first.clock.value, due_at=overdue.first_due_at,
            escalated_at=overdue.at, escalated_to=ESCALATED_TO, owner=self.owner,
            severity=self.severity.value if self.severity else None, clocks=tuple(overdue.clocks), number=self.number,
        ))

    # ------------------------------------------------------------------ investigation and actions (调查与整改)

    def add_evidence(self, *, kind: EvidenceKind, reference: str, note: str | None, by: str,
                     at: datetime) -> Evidence:
        """Keep a reference to a photo, repair record, call recording or document, and what it shows."""
        self._require_working()
        evidence = Evidence(self.dealer, kind=kind, reference=reference, note=note, by=by, at=at)
        self.evidence.append(evidence)
        self._start_work()
        self._note(at, "evidence_added", evidence.summary, by, **evidence.details)
        return evidence

    def investigate(self, *, findings: str | None, root_cause: RootCause | None, by: str, at: datetime) -> None:
        """Record what the investigation found and/or the root cause; a later record replaces it."""
        self._require_working()
        record = Investigation.recorded(findings=findings, root_cause=root_cause)
        if record.root_cause is not None:
            self.root_cause = record.root_cause
        if record.findings is not None:
            self.findings = record.findings
        self._start_work()
        self._note(at, "investigated", record.summary, by, **record.details)

    def plan_action(self, *, kind: ActionKind, description: str, owner: str, due_on: date, by: str,
                    at: datetime) -> Action:
        """Put an action on the rectification list, with its owner and due date."""
        self._require_open()
        action = Action(self.dealer, number=len(self.actions) + 1, kind=kind, description=description, owner=owner,
                        due_on=due_on, by=by, at=at)
        self.actions.append(action)
        self._start_work()
        self._note(at, "action_planned", action.summary, by, **action.details)
        return action

    def complete_action(self, action_id: str, *, done_on: date, note: str | None, by: str, at: datetime,
                        today: date) -> Action:
        """Mark an action done; also after the complaint closed (a process change takes time)."""
        self._require_not_merged()
        action = next((action for action in self.actions if action.id == action_id), None)
        if action is None:
            raise ActionNotFound(action_id)
        action.complete(done_on=done_on, note=note, by=by, today=today)
        self._note(at, "action_done", action.summary, by, **action.details)
        return action

    @property
    def open_actions(self) -> list[Action]:
        return [action for action in self.actions if action.done_on is None]

    # ------------------------------------------------------------------ resolution and feedback (处理结果与反馈)

    def resolve(self, *, resolution: str, by: str, at: datetime) -> None:
        """The desk has dealt with it: needs the root cause. Stops the clocks; the customer's
        word on it comes next."""
        self._require_working()
        given = Resolution.given(resolution, root_cause=self.root_cause)
        self._end_pause(reason="resolved", by=by, at=at, upon="resolved")
        self.resolution, self.resolved_at, self.resolved_by = given.text, at, by
        self._answered(at)  # the resolution answers the customer, if nobody had yet
        self.status = Status.RESOLVED
        self._note(at, "resolved", given.summary, by, **given.details)
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
        if accepted:
            self.accepted_at = at
        else:
            self.status = Status.IN_PROGRESS
            self._withdraw_resolution()
        self._note(at, "feedback_accepted" if accepted else "feedback_rejected", feedback.summary, by,
                   **feedback.details)
        return feedback

    def _withdraw_resolution(self) -> None:
        self.resolution = self.resolved_at = self.resolved_by = self.accepted_at = None

    def close(self, *, note: str | None, by: str, at: datetime, reason: str | None = None,
              roles: frozenset[str] = frozenset()) -> None:
        """Close a resolved complaint whose customer accepted the resolution, once its actions are
        done; with actions still open only a service manager closes it, saying why (kept on the timeline)."""
        self._require_resolved()
        closure = Closure.asked(accepted_at=self.accepted_at, note=note, reason=reason, roles=roles,
                                open_actions=self.open_actions)
        self._finish(Status.CLOSED, by=by, at=at)
        self._note(at, "closed", closure.summary, by, **closure.details)

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
        reopening = Reopening.asked(reason=reason, closed_at=self.closed_at, at=at, window=window)
        self.status = Status.REOPENED
        self.closed_at = self.closed_by = None
        self._withdraw_resolution()
        self._note(at, "reopened", reopening.summary, by, **reopening.details)
        self.events.append(ComplaintReopened(complaint_id=self.id, reopened_at=at, reopened_by=by,
                                             reason=reopening.reason, closed_at=reopening.closed_at))

    def record_follow_up(self, *, visited_on: date, visited_by: str, note: str, satisfaction: int | None,
                         by: str, at: datetime, today: date) -> FollowUp:
        """A follow-up visit or call (回访) after the resolution, also once it is closed."""
        self._require_not_merged()
        if self.status not in (Status.RESOLVED, Status.CLOSED):
            raise NotResolved(self.id, self.status.value)
        visit = FollowUp(self.dealer, visited_on=visited_on, visited_by=visited_by, note=note,
                         satisfaction=satisfaction, by=by, at=at, today=today)
        self.follow_ups.append(visit)
        self._note(at, "follow_up", visit.summary, by, **visit.details)
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
