"""The records and value objects a complaint is made of, on their own: classifications, the
investigation, the actions, and the steps of its ending."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from complaints.domain.classification import Category, Classification, Severity
from complaints.domain.classification_records import ClassificationRecord, Correction
from complaints.domain.errors import (
    AcceptedFeedbackRequired,
    ActionAlreadyDone,
    ActionsStillOpen,
    BlankField,
    ClassificationIncomplete,
    DateInFuture,
    NothingToReclassify,
    NothingToRecord,
    ReasonRequired,
    ReopenWindowPassed,
    RootCauseRequired,
)
from complaints.domain.investigation import Action, ActionKind, Evidence, Investigation, RootCause
from complaints.domain.resolution import Closure, Feedback, FollowUp, Reopening, Resolution

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)
MANAGER = frozenset({"service_manager"})


def an_action(**overrides) -> Action:
    fields = dict(number=1, kind=ActionKind.REPLACE, description=" new pads ", owner="workshop", due_on=TODAY,
                  by="agent-zhao", at=NOW)
    return Action("D001", **(fields | overrides))


# ---------------------------------------------------------------- classifications


def test_an_automatic_classification_says_whether_the_desk_is_to_review_it():
    read = Classification(category=Category.PRODUCT_QUALITY, confidence=0.31, terms=("刹车",),
                          severity=Severity.CRITICAL, severity_terms=("刹车",))
    record = ClassificationRecord.from_text("D001", NOW, read)
    assert (record.actor, record.automatic, record.safety_related) == ("classifier", True, True)
    assert record.summary(needs_review=True) == (
        "classified product_quality (0.31), severity critical: 刹车; to be reviewed by the desk")
    assert record.details(needs_review=False) == {"category": "product_quality", "severity": "critical",
                                                  "confidence": 0.31, "terms": ["刹车"], "needs_review": False}


def test_a_persons_classification_keeps_what_they_do_not_change_and_needs_a_reason():
    current = ClassificationRecord("D001", NOW, category=Category.OTHER, severity=Severity.LOW, actor="classifier",
                                   automatic=True, confidence=0.9)
    with pytest.raises(NothingToReclassify):
        ClassificationRecord.by_person("D001", NOW, current, category=None, severity=None, reason="x", by="a")
    with pytest.raises(ReasonRequired):
        ClassificationRecord.by_person("D001", NOW, current, category=None, severity=Severity.HIGH, reason=" ",
                                       by="a")
    with pytest.raises(ClassificationIncomplete):
        ClassificationRecord.by_person("D001", NOW, None, category=None, severity=Severity.HIGH, reason="x", by="a")
    record = ClassificationRecord.by_person("D001", NOW, current, category=None, severity=Severity.HIGH,
                                            reason=" VIP ", by="agent-qian")
    assert (record.category, record.severity, record.reason, record.automatic) == (
        Category.OTHER, Severity.HIGH, "VIP", False)
    assert record.summary(needs_review=True) == "reclassified other, severity high: VIP"
    example = Correction("D001", text="请回电话", channel="phone", record=record)
    assert (example.category, example.severity, example.corrected_by, example.reason) == (
        Category.OTHER, Severity.HIGH, "agent-qian", "VIP")


# ---------------------------------------------------------------- investigation and actions


def test_an_investigation_record_needs_something_and_says_what_it_gives():
    with pytest.raises(NothingToRecord):
        Investigation.recorded(findings=None, root_cause=None)
    with pytest.raises(BlankField):
        Investigation.recorded(findings=" ", root_cause=RootCause.SUPPLIER)
    both = Investigation.recorded(findings=" glazed pads ", root_cause="supplier")
    assert (both.summary, both.details) == ("root cause supplier; findings: glazed pads",
                                            {"root_cause": "supplier", "findings": "glazed pads"})
    assert Investigation.recorded(findings=None, root_cause=RootCause.STAFF).details == {
        "root_cause": "staff", "findings": None}


def test_evidence_says_what_it_is_and_what_it_shows():
    evidence = Evidence("D001", kind="call_recording", reference="CALL-88", note=" angry ", by="a", at=NOW)
    assert (evidence.summary, evidence.details) == (
        "call recording CALL-88: angry", {"kind": "call_recording", "reference": "CALL-88", "note": "angry"})


def test_an_action_is_done_once_never_in_the_future_and_says_where_it_stands():
    action = an_action()
    assert action.summary == "action #1: replace for workshop, due 2026-11-25: new pads"
    with pytest.raises(DateInFuture):
        action.complete(done_on=TODAY + timedelta(days=1), note=None, by="a", today=TODAY)
    action.complete(done_on=TODAY, note=" fitted ", by="tech-sun", today=TODAY)
    assert (action.done_by, action.done_note) == ("tech-sun", "fitted")
    assert action.summary == "action #1: replace done on 2026-11-25: new pads (fitted)"
    assert action.details == {"number": 1, "kind": "replace", "done_on": "2026-11-25", "description": "new pads",
                              "note": "fitted"}
    with pytest.raises(ActionAlreadyDone):
        action.complete(done_on=TODAY, note=None, by="a", today=TODAY)


# ---------------------------------------------------------------- resolution, feedback, closing, reopening


def test_a_resolution_needs_its_text_and_the_root_cause():
    with pytest.raises(BlankField):
        Resolution.given(" ", root_cause=RootCause.SUPPLIER)
    with pytest.raises(RootCauseRequired):
        Resolution.given("pads replaced", root_cause=None)
    assert Resolution.given(" pads replaced ", root_cause=RootCause.SUPPLIER).summary == (
        "resolved (root cause supplier): pads replaced")


def test_feedback_and_follow_ups_say_what_the_customer_said():
    rejected = Feedback("D001", told="pads", accepted=False, satisfaction=2, comment="still squeaks", by="a", at=NOW)
    assert rejected.summary == "customer rejected the resolution, satisfaction 2/5: still squeaks; back in progress"
    assert Feedback("D001", told="pads", accepted=True, satisfaction=None, comment=None, by="a",
                    at=NOW).summary == "customer accepted"
    with pytest.raises(DateInFuture):
        FollowUp("D001", visited_on=TODAY + timedelta(days=1), visited_by="agent-li", note="call", satisfaction=None,
                 by="a", at=NOW, today=TODAY)
    visit = FollowUp("D001", visited_on=TODAY, visited_by="agent-li", note="quiet now", satisfaction=5, by="a",
                     at=NOW, today=TODAY)
    assert visit.summary == "follow-up by agent-li on 2026-11-25, satisfaction 5/5: quiet now"


def test_closing_needs_acceptance_and_with_open_actions_a_supervisor_and_a_reason():
    with pytest.raises(AcceptedFeedbackRequired):
        Closure.asked(accepted_at=None, note=None, reason=None, roles=MANAGER, open_actions=[])
    still_open = [an_action()]
    with pytest.raises(ActionsStillOpen):
        Closure.asked(accepted_at=NOW, note=None, reason="why", roles=frozenset({"complaints_agent"}),
                      open_actions=still_open)
    with pytest.raises(ActionsStillOpen):
        Closure.asked(accepted_at=NOW, note=None, reason=" ", roles=MANAGER, open_actions=still_open)
    closure = Closure.asked(accepted_at=NOW, note=" happy ", reason="next year", roles=MANAGER,
                            open_actions=still_open)
    assert closure.summary == "closed: happy; with actions #1 not done yet, because: next year"
    assert closure.details == {"note": "happy", "reason": "next year", "open_actions": [1]}
    done = Closure.asked(accepted_at=NOW, note=None, reason="ignored", roles=frozenset(), open_actions=[])
    assert (done.summary, done.details) == ("closed", {"note": None, "reason": None, "open_actions": None})


def test_reopening_is_within_the_window_and_needs_a_reason():
    window = timedelta(days=30)
    with pytest.raises(BlankField):
        Reopening.asked(reason=" ", closed_at=NOW, at=NOW, window=window)
    with pytest.raises(ReopenWindowPassed):
        Reopening.asked(reason="again", closed_at=NOW, at=NOW + window + timedelta(seconds=1), window=window)
    reopening = Reopening.asked(reason=" squeaks again ", closed_at=NOW, at=NOW + window, window=window)
    assert (reopening.summary, reopening.details) == (
        "reopened (closed 2026-11-25 09:00 UTC): squeaks again",
        {"closed_at": "2026-11-25T09:00:00+00:00", "reason": "squeaks again"})
