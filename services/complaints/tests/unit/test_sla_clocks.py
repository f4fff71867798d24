"""Ownership (首问责任制) and the SLA clocks of one complaint, without a database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.calendar import DEFAULT_HOURS, BusinessCalendar
from complaints.domain.complaint import Complaint
from complaints.domain.errors import (
    AlreadyAcknowledged,
    AlreadyOwner,
    AlreadyPaused,
    BlankField,
    ComplaintClosed,
    NotPaused,
    InvalidSlaTargets,
    NotYourComplaint,
    PromiseBeforeReceipt,
    ReasonRequired,
)
from complaints.domain.events import ComplaintAssigned, ComplaintEscalated
from complaints.domain.classification import Severity
from complaints.domain.sla import ClockStatus, SeverityTargets, SlaClock, SlaPolicy, SlaTargets

BEIJING = ZoneInfo("Asia/Shanghai")
TARGETS = SlaTargets()  # acknowledge 2 h, first response and escalation 16 h of business time
CALENDAR = BusinessCalendar("D001", timezone="Asia/Shanghai", hours=DEFAULT_HOURS, by="manager-li",
                            at=datetime(2026, 12, 1, tzinfo=BEIJING))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)


def a_complaint(received: datetime = at(4, 16)) -> Complaint:  # Friday 16:00
    complaint = Complaint("D001", number="TS-20261204-0001", channel="phone", text="保养后发动机异响",
                          received_at=received, owner="agent-zhao", at=received)
    complaint.events.clear()
    return complaint


def states(complaint: Complaint, now: datetime) -> dict[str, tuple]:
    return {s.clock.value: (s.status.value, s.due_at) for s in complaint.clocks(CALENDAR, TARGETS, now)}


def test_the_owner_works_their_complaint_whatever_their_role_and_the_desk_works_every_one():
    complaint = a_complaint()  # owned by agent-zhao
    complaint.require_worker("agent-zhao", frozenset({"service_advisor"}))
    complaint.require_worker("agent-qian", frozenset({"complaints_agent"}))
    complaint.require_worker("manager-li", frozenset({"service_manager"}))
    with pytest.raises(NotYourComplaint):
        complaint.require_worker("advisor-wu", frozenset({"service_advisor"}))


def test_assigning_work_keeps_the_owner():
    complaint = a_complaint()
    complaint.assign(department="workshop", handler="tech-sun", note="check the timing chain", by="agent-zhao",
                     at=at(4, 17))
    assert (complaint.owner, complaint.department, complaint.handler) == ("agent-zhao", "workshop", "tech-sun")
    [event] = complaint.events
    assert isinstance(event, ComplaintAssigned)
    assert (event.owner, event.previous_owner, event.department, event.assigned_by) == (
        "agent-zhao", None, "workshop", "agent-zhao")
    entry = complaint.timeline[-1]
    assert (entry.kind, entry.actor, entry.at) == ("assigned", "agent-zhao", at(4, 17))
    assert "owner stays agent-zhao" in entry.summary


def test_the_owner_changes_only_with_a_reason():
    complaint = a_complaint()
    with pytest.raises(ReasonRequired):
        complaint.transfer_ownership(owner="agent-qian", reason="  ", by="manager-li", at=at(4, 17))
    with pytest.raises(AlreadyOwner):
        complaint.transfer_ownership(owner="agent-zhao", reason="no change", by="manager-li", at=at(4, 17))
    assert complaint.owner == "agent-zhao" and complaint.events == [] and len(complaint.timeline) == 1

    complaint.transfer_ownership(owner="agent-qian", reason="agent-zhao on leave", by="manager-li", at=at(4, 17))
    assert complaint.owner == "agent-qian"
    [event] = complaint.events
    assert (event.owner, event.previous_owner, event.reason) == ("agent-qian", "agent-zhao", "agent-zhao on leave")
    assert complaint.timeline[-1].kind == "owner_changed" and complaint.timeline[-1].actor == "manager-li"


def test_a_closed_complaint_cannot_be_assigned():
    complaint = a_complaint()
    complaint.status = "closed"
    with pytest.raises(ComplaintClosed):
        complaint.assign(department="workshop", handler=None, note=None, by="agent-zhao", at=at(4, 17))


def test_each_clock_runs_in_business_time_and_is_shown_separately():
    complaint = a_complaint()  # Friday 16:00
    shown = states(complaint, now=at(7, 10))  # Monday 10:00
    assert shown["acknowledge"] == ("breached", at(4, 18))  # 2 h: Friday 16–18
    assert shown["first_response"] == ("running", at(8, 16))  # 16 h: Fri 2 + Mon 8 + Tue 6
    assert shown["escalation"] == ("running", at(8, 16))
    assert shown["resolution"] == ("not_set", None)


def test_answering_stops_the_clocks():
    complaint = a_complaint()
    complaint.acknowledge(note=None, by="agent-zhao", at=at(4, 17))
    with pytest.raises(AlreadyAcknowledged):
        complaint.acknowledge(note=None, by="agent-zhao", at=at(4, 17, 30))
    complaint.respond(summary="technician will call back", by="agent-zhao", at=at(8, 17))
    shown = states(complaint, now=at(9, 9))
    assert shown["acknowledge"][0] == "met"
    assert shown["first_response"][0] == shown["escalation"][0] == "breached"  # an hour late, stopped
    assert not any(s.overdue for s in complaint.clocks(CALENDAR, TARGETS, at(9, 9)))


def test_a_pause_holds_the_clocks_and_moves_the_deadline():
    complaint = a_complaint()
    complaint.acknowledge(note=None, by="agent-zhao", at=at(4, 17))
    complaint.pause(waiting_for="customer", reason="customer to bring the car in", by="agent-zhao", at=at(7, 9))
    with pytest.raises(AlreadyPaused):
        complaint.pause(waiting_for="supplier", reason="again", by="agent-zhao", at=at(7, 10))
    assert states(complaint, now=at(9, 9))["first_response"] == ("paused", None)
    complaint.resume(reason="car is here", by="agent-zhao", at=at(8, 9))  # a whole working day paused
    with pytest.raises(NotPaused):
        complaint.resume(reason="again", by="agent-zhao", at=at(8, 10))
    assert states(complaint, now=at(8, 10))["first_response"] == ("running", at(9, 16))
    assert [entry.kind for entry in complaint.timeline][-2:] == ["paused", "resumed"]


def test_the_resolution_clock_runs_to_the_promised_day():
    complaint = a_complaint()
    with pytest.raises(PromiseBeforeReceipt):
        complaint.promise_resolution(on=date(2026, 12, 3), reason=None, by="agent-zhao", at=at(4, 17),
                                     local_receipt=date(2026, 12, 4))
    complaint.promise_resolution(on=date(2026, 12, 9), reason=None, by="agent-zhao", at=at(4, 17),
                                 local_receipt=date(2026, 12, 4))
    assert states(complaint, now=at(9, 17))["resolution"] == ("running", at(9, 18))
    assert states(complaint, now=at(9, 18))["resolution"] == ("breached", at(9, 18))
    with pytest.raises(ReasonRequired):
        complaint.promise_resolution(on=date(2026, 12, 11), reason=None, by="agent-zhao", at=at(9, 17),
                                     local_receipt=date(2026, 12, 4))


def test_a_clock_is_escalated_once():
    complaint = a_complaint()
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(4, 17, 59)) == []
    assert complaint.sla_due_at == at(4, 18)
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(7, 8)) == [SlaClock.ACKNOWLEDGE]
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(7, 12)) == []
    assert complaint.sla_due_at == at(8, 16)
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(8, 16)) == [SlaClock.FIRST_RESPONSE, SlaClock.ESCALATION]
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(10, 16)) == []
    assert complaint.sla_due_at is None
    escalated = [e for e in complaint.events if isinstance(e, ComplaintEscalated)]
    assert [(e.clock, e.clocks, e.due_at, e.escalated_to) for e in escalated] == [
        ("acknowledge", ("acknowledge",), at(4, 18), "service_manager"),
        ("first_response", ("first_response", "escalation"), at(8, 16), "service_manager")]
    assert [entry.kind for entry in complaint.timeline].count("escalated") == 2
    assert len(complaint.escalations) == 3


def test_clocks_that_ran_out_together_make_one_escalation_naming_them_all():
    complaint = a_complaint()
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(9, 9)) == [
        SlaClock.ACKNOWLEDGE, SlaClock.FIRST_RESPONSE, SlaClock.ESCALATION]
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(9, 10)) == []
    [escalated] = [e for e in complaint.events if isinstance(e, ComplaintEscalated)]
    assert (escalated.clock, escalated.due_at, escalated.clocks) == (
        "acknowledge", at(4, 18), ("acknowledge", "first_response", "escalation"))
    [entry] = [entry for entry in complaint.timeline if entry.kind == "escalated"]
    assert entry.summary.startswith("acknowledge, first_response, escalation clocks ran out")


def test_a_paused_complaint_is_not_escalated_for_the_time_it_waits():
    complaint = a_complaint()
    complaint.acknowledge(note=None, by="agent-zhao", at=at(4, 17))
    complaint.pause(waiting_for="supplier", reason="waiting for the supplier's analysis", by="agent-zhao",
                    at=at(7, 9))
    assert complaint.escalate_overdue(CALENDAR, TARGETS, at(18, 9)) == []
    assert complaint.sla_due_at is None
    assert ClockStatus.PAUSED in {s.status for s in complaint.clocks(CALENDAR, TARGETS, at(18, 9))}
    assert timedelta(hours=2) == complaint.clocks(CALENDAR, TARGETS, at(18, 9))[1].used


def test_blank_names_and_answers_are_refused_and_change_nothing():
    complaint = a_complaint()
    with pytest.raises(BlankField):
        complaint.assign(department="  ", handler=None, note=None, by="agent-zhao", at=at(4, 17))
    with pytest.raises(BlankField):
        complaint.transfer_ownership(owner=" ", reason="leave", by="manager-li", at=at(4, 17))
    with pytest.raises(BlankField):
        complaint.respond(summary=" ", by="agent-zhao", at=at(4, 17))
    assert (complaint.department, complaint.owner, complaint.first_response_at, complaint.acknowledged_at) == (
        None, "agent-zhao", None, None)
    assert complaint.events == [] and len(complaint.timeline) == 1


CRITICAL_TARGETS = SlaTargets(acknowledge=timedelta(minutes=30), first_response=timedelta(hours=4),
                              escalation=timedelta(hours=4))


def test_a_critical_complaint_is_held_to_its_severitys_targets_and_others_to_the_default():
    by_severity = SeverityTargets(TARGETS, {Severity.CRITICAL: CRITICAL_TARGETS})
    brakes, floor_mat = a_complaint(), a_complaint()
    brakes.severity, floor_mat.severity = Severity.CRITICAL, Severity.LOW
    critical = {s.clock.value: s.due_at for s in brakes.clocks(CALENDAR, by_severity, at(4, 16))}
    low = {s.clock.value: s.due_at for s in floor_mat.clocks(CALENDAR, by_severity, at(4, 16))}
    assert (critical["acknowledge"], critical["first_response"]) == (at(4, 16, 30), at(7, 11))
    assert (low["acknowledge"], low["first_response"]) == (at(4, 18), at(8, 16))
    assert SeverityTargets(TARGETS).for_severity(None) is TARGETS


def test_targets_are_a_minute_or_more_and_acknowledging_comes_before_answering():
    with pytest.raises(InvalidSlaTargets):
        SlaPolicy("D001", targets={Severity.HIGH: SlaTargets(acknowledge=timedelta(0))}, by="manager-li",
                  at=at(4, 9))
    with pytest.raises(InvalidSlaTargets):
        SlaPolicy("D001", targets={Severity.HIGH: SlaTargets(acknowledge=timedelta(hours=5),
                                                             first_response=timedelta(hours=4))},
                  by="manager-li", at=at(4, 9))
    policy = SlaPolicy("D001", targets={Severity.CRITICAL: CRITICAL_TARGETS}, by="manager-li", at=at(4, 9))
    assert policy.targets == {"critical": {"acknowledge": 30, "first_response": 240, "escalation": 240}}
    assert policy.applied_to(TARGETS).for_severity(Severity.CRITICAL) == CRITICAL_TARGETS
