"""A complaint's way from investigation to closing, reopening and merging: the domain alone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import Complaint, Status
from complaints.domain.errors import (
    AcceptedFeedbackRequired,
    ActionAlreadyDone,
    ActionNotFound,
    ActionsStillOpen,
    AwaitingFeedback,
    BlankField,
    ComplaintClosed,
    ComplaintMerged,
    DateInFuture,
    FeedbackAlreadyRecorded,
    InvalidSatisfaction,
    MergeIntoItself,
    MergeTargetClosed,
    NothingToRecord,
    NotClosed,
    NotResolved,
    ReopenWindowPassed,
    RootCauseRequired,
)
from complaints.domain.events import ComplaintClosed as Closed
from complaints.domain.events import ComplaintReopened, ComplaintResolved
from complaints.domain.investigation import ActionKind, EvidenceKind, RootCause
from complaints.domain.sla import ClockStatus, SlaClock, SlaTargets

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)
WINDOW = timedelta(days=30)
CALENDAR = BusinessCalendar.default("D001", "Asia/Shanghai")


def a_complaint(**overrides) -> Complaint:
    fields = dict(number="TS-20261125-0001", channel="phone", text="换的刹车片一周就异响", received_at=NOW,
                  owner="agent-zhao", at=NOW, part_number="04465-33450", lot="L2026-11")
    fields.update(overrides)
    complaint = Complaint("D001", **fields)
    complaint.events.clear()
    return complaint


def investigated(cause: RootCause = RootCause.SUPPLIER) -> Complaint:
    complaint = a_complaint()
    complaint.investigate(findings="pads from lot L2026-11 glazed", root_cause=cause, by="agent-zhao", at=NOW)
    return complaint


def resolved() -> Complaint:
    complaint = investigated()
    complaint.resolve(resolution="pads replaced free of charge", by="agent-zhao", at=NOW)
    complaint.events.clear()
    return complaint


def accepted() -> Complaint:
    complaint = resolved()
    complaint.record_feedback(told="pads replaced", accepted=True, satisfaction=4, comment="ok", by="agent-zhao",
                              at=NOW)
    return complaint


def closed(at: datetime = NOW) -> Complaint:
    complaint = accepted()
    complaint.close(note=None, by="agent-zhao", at=at)
    complaint.events.clear()
    return complaint


def kinds(complaint: Complaint) -> list[str]:
    return [entry.kind for entry in complaint.timeline]


# ---------------------------------------------------------------- investigation and actions


def test_recording_evidence_starts_the_work():
    complaint = a_complaint()
    assert complaint.status == Status.OPEN
    complaint.add_evidence(kind=EvidenceKind.PHOTO, reference="IMG_2041.jpg", note=" glazed pads ", by="agent-zhao",
                           at=NOW)
    assert complaint.status == Status.IN_PROGRESS
    [evidence] = complaint.evidence
    assert (evidence.kind, evidence.reference, evidence.note, evidence.added_by) == (
        EvidenceKind.PHOTO, "IMG_2041.jpg", "glazed pads", "agent-zhao")
    assert complaint.timeline[-1].summary == "photo IMG_2041.jpg: glazed pads"


def test_the_investigation_needs_something_to_record_and_keeps_what_it_is_not_given():
    complaint = a_complaint()
    with pytest.raises(NothingToRecord):
        complaint.investigate(findings=None, root_cause=None, by="agent-zhao", at=NOW)
    with pytest.raises(BlankField):
        complaint.investigate(findings="  ", root_cause=None, by="agent-zhao", at=NOW)
    assert complaint.status == Status.OPEN and kinds(complaint) == ["received"]
    complaint.investigate(findings="glazed pads", root_cause=None, by="agent-zhao", at=NOW)
    complaint.investigate(findings=None, root_cause=RootCause.SUPPLIER, by="agent-qian", at=NOW)
    assert (complaint.findings, complaint.root_cause) == ("glazed pads", RootCause.SUPPLIER)
    assert complaint.timeline[-1].summary == "root cause supplier" and complaint.timeline[-1].actor == "agent-qian"


def test_an_action_is_overdue_after_its_due_date_until_it_is_done():
    complaint = investigated()
    action = complaint.plan_action(kind=ActionKind.SUPPLIER_ACCOUNTABILITY, description="claim back the pads",
                                   owner="parts-manager", due_on=date(2026, 11, 30), by="agent-zhao", at=NOW)
    assert not action.overdue(date(2026, 11, 30)) and action.overdue(date(2026, 12, 1))
    with pytest.raises(DateInFuture):
        complaint.complete_action(action.id, done_on=date(2026, 12, 2), note=None, by="x", at=NOW, today=TODAY)
    complaint.complete_action(action.id, done_on=date(2026, 11, 24), note="debit note DN-7", by="parts-manager",
                              at=NOW, today=TODAY)
    assert not action.overdue(date(2027, 1, 1)) and action.done_by == "parts-manager"
    with pytest.raises(ActionAlreadyDone):
        complaint.complete_action(action.id, done_on=TODAY, note=None, by="x", at=NOW, today=TODAY)
    with pytest.raises(ActionNotFound):
        complaint.complete_action("no-such-action", done_on=TODAY, note=None, by="x", at=NOW, today=TODAY)
    assert kinds(complaint)[-2:] == ["action_planned", "action_done"]


# ---------------------------------------------------------------- resolving, feedback, closing


def test_resolving_needs_the_root_cause_and_stops_the_clocks():
    complaint = a_complaint()
    with pytest.raises(RootCauseRequired):
        complaint.resolve(resolution="replaced", by="agent-zhao", at=NOW)
    complaint = investigated()
    complaint.plan_action(kind=ActionKind.REPLACE, description="new pads", owner="workshop", due_on=TODAY,
                          by="agent-zhao", at=NOW)
    complaint.pause(waiting_for="supplier", reason="waiting for the supplier's report", by="agent-zhao", at=NOW)
    later = NOW + timedelta(hours=3)
    complaint.resolve(resolution="pads replaced", by="agent-zhao", at=later)
    assert complaint.status == Status.RESOLVED and complaint.resolved_at == later
    assert complaint.open_pause is None and complaint.first_response_at == later
    [event] = complaint.events
    assert isinstance(event, ComplaintResolved)
    assert (event.root_cause, event.actions, event.lot) == ("supplier", ("replace",), "L2026-11")
    complaint.reschedule(CALENDAR, SlaTargets(), later)
    assert complaint.sla_due_at is None
    resolution = {s.clock: s for s in complaint.clocks(CALENDAR, SlaTargets(), later)}[SlaClock.RESOLUTION]
    assert resolution.stopped_at == later and resolution.status is ClockStatus.NOT_SET  # no date was promised


def test_a_resolved_complaint_waits_for_the_customer():
    complaint = resolved()
    with pytest.raises(AwaitingFeedback):
        complaint.add_evidence(kind=EvidenceKind.DOCUMENT, reference="x", note=None, by="agent-zhao", at=NOW)
    with pytest.raises(AwaitingFeedback):
        complaint.resolve(resolution="again", by="agent-zhao", at=NOW)
    with pytest.raises(AcceptedFeedbackRequired):
        complaint.close(note=None, by="agent-zhao", at=NOW)
    assert complaint.status == Status.RESOLVED and complaint.events == []


def test_a_rejection_puts_it_back_in_progress():
    complaint = resolved()
    complaint.record_feedback(told="pads replaced", accepted=False, satisfaction=2, comment="still squeaks",
                              by="agent-zhao", at=NOW)
    assert complaint.status == Status.IN_PROGRESS and complaint.resolved_at is None
    assert complaint.satisfaction == 2 and complaint.feedback[-1].accepted is False
    assert complaint.timeline[-1].kind == "feedback_rejected" and "still squeaks" in complaint.timeline[-1].summary
    with pytest.raises(NotResolved):
        complaint.close(note=None, by="agent-zhao", at=NOW)
    complaint.resolve(resolution="discs skimmed as well", by="agent-zhao", at=NOW)
    assert complaint.status == Status.RESOLVED


@pytest.mark.parametrize("score", [0, 6, -1])
def test_satisfaction_is_one_to_five(score):
    complaint = resolved()
    with pytest.raises(InvalidSatisfaction):
        complaint.record_feedback(told="done", accepted=True, satisfaction=score, comment=None, by="a", at=NOW)
    assert complaint.feedback == [] and complaint.accepted_at is None


def test_closing_after_acceptance_and_only_once():
    complaint = accepted()
    with pytest.raises(FeedbackAlreadyRecorded):
        complaint.record_feedback(told="again", accepted=True, satisfaction=5, comment=None, by="a", at=NOW)
    complaint.close(note="customer happy", by="agent-zhao", at=NOW)
    assert complaint.status == Status.CLOSED and complaint.closed_by == "agent-zhao"
    [event] = complaint.events
    assert isinstance(event, Closed) and (event.satisfaction, event.merged_into, event.root_cause) == (4, None,
                                                                                                       "supplier")
    with pytest.raises(ComplaintClosed):
        complaint.close(note=None, by="agent-zhao", at=NOW)
    with pytest.raises(ComplaintClosed):
        complaint.assign(department="workshop", handler=None, note=None, by="agent-zhao", at=NOW)


def test_closing_with_actions_not_done_needs_a_service_manager_and_a_reason():
    complaint = investigated()
    complaint.plan_action(kind=ActionKind.PROCESS_CHANGE, description="torque check at every pad change",
                          owner="workshop", due_on=date(2026, 12, 31), by="agent-zhao", at=NOW)
    complaint.resolve(resolution="pads replaced", by="agent-zhao", at=NOW)
    complaint.record_feedback(told="pads replaced", accepted=True, satisfaction=4, comment=None, by="agent-zhao",
                              at=NOW)
    complaint.events.clear()
    with pytest.raises(ActionsStillOpen) as refused:
        complaint.close(note=None, by="agent-zhao", at=NOW, reason="customer is happy",
                        roles=frozenset({"complaints_agent"}))
    assert [a["number"] for a in refused.value.context["open_actions"]] == [1]
    with pytest.raises(ActionsStillOpen):
        complaint.close(note=None, by="manager-li", at=NOW, reason="  ", roles=frozenset({"service_manager"}))
    assert complaint.status == Status.RESOLVED and complaint.events == []

    complaint.close(note=None, by="manager-li", at=NOW, reason="the process change runs into next year",
                    roles=frozenset({"service_manager"}))
    assert complaint.status == Status.CLOSED
    assert complaint.timeline[-1].summary == (
        "closed; with actions #1 not done yet, because: the process change runs into next year")


def test_closing_once_every_action_is_done_needs_no_reason():
    complaint = investigated()
    action = complaint.plan_action(kind=ActionKind.REPLACE, description="new pads", owner="workshop",
                                   due_on=TODAY, by="agent-zhao", at=NOW)
    complaint.complete_action(action.id, done_on=TODAY, note=None, by="agent-zhao", at=NOW, today=TODAY)
    complaint.resolve(resolution="pads replaced", by="agent-zhao", at=NOW)
    complaint.record_feedback(told="pads replaced", accepted=True, satisfaction=5, comment=None, by="agent-zhao",
                              at=NOW)
    complaint.close(note=None, by="agent-zhao", at=NOW)
    assert complaint.status == Status.CLOSED


# ---------------------------------------------------------------- reopening


def test_reopening_within_the_window():
    complaint = closed()
    last_day = NOW + WINDOW
    complaint.reopen(reason="squeaks again", by="agent-qian", at=last_day, window=WINDOW)
    assert complaint.status == Status.REOPENED
    assert (complaint.closed_at, complaint.resolved_at, complaint.accepted_at) == (None, None, None)
    [event] = complaint.events
    assert isinstance(event, ComplaintReopened) and (event.reason, event.closed_at) == ("squeaks again", NOW)
    complaint.add_evidence(kind=EvidenceKind.CALL_RECORDING, reference="CALL-88", note=None, by="agent-qian",
                           at=last_day)
    assert complaint.status == Status.IN_PROGRESS


def test_no_reopening_after_the_window_or_of_what_is_not_closed():
    complaint = closed()
    with pytest.raises(ReopenWindowPassed):
        complaint.reopen(reason="late", by="agent-qian", at=NOW + WINDOW + timedelta(seconds=1), window=WINDOW)
    with pytest.raises(NotClosed):
        resolved().reopen(reason="x", by="agent-qian", at=NOW, window=WINDOW)
    assert complaint.status == Status.CLOSED and complaint.events == []


# ---------------------------------------------------------------- follow-up visits


def test_follow_up_visits_come_after_the_resolution():
    with pytest.raises(NotResolved):
        investigated().record_follow_up(visited_on=TODAY, visited_by="agent-li", note="call", satisfaction=None,
                                        by="agent-li", at=NOW, today=TODAY)
    complaint = closed()
    with pytest.raises(DateInFuture):
        complaint.record_follow_up(visited_on=TODAY + timedelta(days=1), visited_by="agent-li", note="call",
                                   satisfaction=None, by="agent-li", at=NOW, today=TODAY)
    complaint.record_follow_up(visited_on=TODAY, visited_by="agent-li", note="no more noise", satisfaction=5,
                               by="agent-li", at=NOW, today=TODAY)
    assert complaint.follow_ups[0].satisfaction == 5 and complaint.timeline[-1].kind == "follow_up"


# ---------------------------------------------------------------- duplicates


def test_a_duplicate_is_merged_into_the_original():
    original, duplicate = a_complaint(), a_complaint(channel="wechat", number="TS-20261125-0002")
    duplicate.merge_into(original, reason="same car, same noise", by="agent-zhao", at=NOW)
    assert (duplicate.status, duplicate.merged_into, duplicate.closed_at) == (Status.MERGED, original.id, NOW)
    said = duplicate.timeline[-1]
    assert (said.kind, said.summary) == ("merged_into", f"merged into complaint {original.number} as a duplicate: "
                                                         "same car, same noise")
    assert said.details == {"number": original.number, "id": original.id, "reason": "same car, same noise"}
    taken = original.timeline[-1]
    assert taken.kind == "duplicate_merged" and duplicate.number in taken.summary
    assert taken.details == {"number": duplicate.number, "id": duplicate.id, "reason": "same car, same noise"}
    [event] = duplicate.events
    assert isinstance(event, Closed) and event.merged_into == original.id
    assert original.status == Status.OPEN and original.events == []
    with pytest.raises(ComplaintMerged):
        duplicate.add_evidence(kind=EvidenceKind.PHOTO, reference="x", note=None, by="a", at=NOW)
    with pytest.raises(ComplaintMerged):
        duplicate.reopen(reason="x", by="a", at=NOW, window=WINDOW)


def test_no_merging_into_itself_or_into_a_closed_or_merged_complaint():
    complaint = a_complaint()
    with pytest.raises(MergeIntoItself):
        complaint.merge_into(complaint, reason=None, by="a", at=NOW)
    with pytest.raises(MergeTargetClosed):
        complaint.merge_into(closed(), reason=None, by="a", at=NOW)
    merged = a_complaint()
    merged.merge_into(a_complaint(), reason=None, by="a", at=NOW)
    with pytest.raises(MergeTargetClosed):
        complaint.merge_into(merged, reason=None, by="a", at=NOW)
    with pytest.raises(ComplaintClosed):
        closed().merge_into(complaint, reason=None, by="a", at=NOW)
    assert complaint.status == Status.OPEN and complaint.events == [] and kinds(complaint) == ["received"]

