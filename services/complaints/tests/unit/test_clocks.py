"""A complaint's clocks as its record holds them: read, watched by the sweep, escalated, promised."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.calendar import DEFAULT_HOURS, BusinessCalendar
from complaints.domain.classification import Severity
from complaints.domain.clocks import (
    ClockRecord,
    Escalation,
    Overdue,
    Pause,
    Promise,
    next_deadline,
    ran_out,
    watched,
)
from complaints.domain.errors import PromiseBeforeReceipt, PromiseTooFar, ReasonRequired
from complaints.domain.sla import ClockStatus, SeverityTargets, SlaClock, SlaReading, SlaTargets

BEIJING = ZoneInfo("Asia/Shanghai")
CALENDAR = BusinessCalendar("D001", timezone="Asia/Shanghai", hours=DEFAULT_HOURS, by="manager-li",
                            at=datetime(2026, 12, 1, tzinfo=BEIJING))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)


def record(**stops) -> ClockRecord:  # received Friday 4 December, 16:00
    fields = dict(received_at=at(4, 16), severity=None, acknowledged_at=None, first_response_at=None,
                  resolved_at=None, promised_on=None, pauses=())
    return ClockRecord(**(fields | stops))


def read(clocks: ClockRecord, now: datetime, targets=SlaTargets()) -> dict[SlaClock, tuple]:
    return {state.clock: (state.status, state.due_at) for state in clocks.read(SlaReading(CALENDAR, targets, now))}


def test_the_first_response_stops_the_first_response_and_escalation_clocks():
    shown = read(record(acknowledged_at=at(4, 17), first_response_at=at(7, 10)), now=at(7, 11))
    assert shown[SlaClock.ACKNOWLEDGE][0] is ClockStatus.MET
    assert shown[SlaClock.FIRST_RESPONSE][0] is shown[SlaClock.ESCALATION][0] is ClockStatus.MET
    assert shown[SlaClock.RESOLUTION] == (ClockStatus.NOT_SET, None)


def test_the_resolution_clock_runs_to_the_end_of_the_promised_day_less_the_pauses():
    assert read(record(promised_on=date(2026, 12, 7)), now=at(7, 9))[SlaClock.RESOLUTION] == (
        ClockStatus.RUNNING, at(7, 18))
    paused_monday = (at(7, 9), at(8, 9))
    assert read(record(promised_on=date(2026, 12, 7), pauses=(paused_monday,)), now=at(8, 9))[
        SlaClock.RESOLUTION] == (ClockStatus.RUNNING, at(8, 18))


def test_the_targets_of_the_severity_apply():
    critical = SlaTargets(acknowledge=timedelta(minutes=30))
    targets = SeverityTargets(SlaTargets(), {Severity.CRITICAL: critical})
    assert read(record(severity=Severity.CRITICAL), at(4, 16), targets)[SlaClock.ACKNOWLEDGE][1] == at(4, 16, 30)
    assert read(record(severity=Severity.LOW), at(4, 16), targets)[SlaClock.ACKNOWLEDGE][1] == at(4, 18)


def test_the_sweep_watches_running_clocks_not_yet_escalated():
    states = record(acknowledged_at=at(4, 17)).read(SlaReading(CALENDAR, SlaTargets(), at(9, 9)))
    assert [state.clock for state in watched(states, [])] == [  # resolution: no date promised, no deadline
        SlaClock.FIRST_RESPONSE, SlaClock.ESCALATION, SlaClock.RESOLUTION]
    assert [state.clock for state in ran_out(states, [])] == [SlaClock.FIRST_RESPONSE, SlaClock.ESCALATION]
    escalated = [Escalation("D001", clock=SlaClock.FIRST_RESPONSE, due_at=at(8, 16), at=at(9, 9))]
    assert [state.clock for state in ran_out(states, escalated)] == [SlaClock.ESCALATION]
    assert next_deadline(states, escalated) == at(8, 16)
    assert next_deadline(states, escalated + [Escalation("D001", clock="escalation", due_at=at(8, 16),
                                                         at=at(9, 9))]) is None


def test_clocks_that_ran_out_together_make_one_escalation_naming_them_all():
    states = record().read(SlaReading(CALENDAR, SlaTargets(), at(9, 9)))
    overdue = Overdue(tuple(ran_out(states, [])), at(9, 9))
    assert (overdue.first.clock, overdue.first_due_at) == (SlaClock.ACKNOWLEDGE, at(4, 18))
    assert overdue.summary == ("acknowledge, first_response, escalation clocks ran out "
                               "(first at 2026-12-04 10:00 UTC); escalated to the service_manager")
    assert overdue.details == {"clocks": ["acknowledge", "first_response", "escalation"],
                               "first_due_at": "2026-12-04T10:00:00+00:00", "escalated_to": "service_manager"}
    assert [(e.clock, e.due_at, e.at) for e in overdue.escalations("D001")] == [
        (SlaClock.ACKNOWLEDGE, at(4, 18), at(9, 9)), (SlaClock.FIRST_RESPONSE, at(8, 16), at(9, 9)),
        (SlaClock.ESCALATION, at(8, 16), at(9, 9))]


def test_a_pause_needs_a_reason_and_never_ends_before_it_began():
    with pytest.raises(ReasonRequired):
        Pause("D001", since=at(7, 9), waiting_for="customer", reason="  ", by="agent-zhao")
    pause = Pause("D001", since=at(7, 9), waiting_for="supplier", reason=" supplier's report ", by="agent-zhao")
    assert (pause.summary, pause.interval) == ("clocks paused, waiting for the supplier: supplier's report",
                                               (at(7, 9), None))
    pause.end(at=at(7, 8), reason="report came", by="agent-qian")
    assert (pause.until, pause.resume_reason, pause.resumed_by) == (at(7, 9), "report came", "agent-qian")


def test_a_promised_date_is_within_a_year_of_receipt_and_moving_it_needs_a_reason():
    received = date(2026, 12, 4)
    with pytest.raises(PromiseBeforeReceipt):
        Promise.made(date(2026, 12, 3), received_on=received, previous=None, reason=None)
    with pytest.raises(PromiseTooFar):
        Promise.made(received + timedelta(days=367), received_on=received, previous=None, reason=None)
    first = Promise.made(date(2026, 12, 9), received_on=received, previous=None, reason=" ")
    assert (first.summary, first.details) == (
        "resolution promised for 2026-12-09", {"on": "2026-12-09", "previous": None, "reason": None})
    with pytest.raises(ReasonRequired):
        Promise.made(date(2026, 12, 11), received_on=received, previous=first.on, reason=" ")
    moved = Promise.made(date(2026, 12, 11), received_on=received, previous=first.on, reason="parts late")
    assert moved.summary == "promised resolution moved 2026-12-09 → 2026-12-11: parts late"
