"""Working a complaint to its end: ownership, the clocks and their escalation, the investigation,
the resolution, closing, reopening and merging. Each use case as the API and the jobs call it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.complaint import Status
from complaints.domain.errors import (
    ActionsStillOpen,
    ComplaintNotFound,
    NotYourComplaint,
    ReasonRequired,
    ReopenWindowPassed,
)
from complaints.domain.events import ComplaintAssigned, ComplaintClosed, ComplaintEscalated, ComplaintReopened
from complaints.service import clocks, intake, investigation, ownership, resolution, timeline

from services.complaints.tests.service.conftest import caller

BEIJING = ZoneInfo("Asia/Shanghai")
ZHAO = caller("agent-zhao")
MANAGER = caller("manager-li", "service_manager")


@pytest.fixture
def brakes(uow):
    return intake.receive(uow(), ZHAO, channel="phone", text="换的刹车片一周就异响", lot="L2026-11",
                          claim_number="WC-20261201-ABC123").complaint


def _stored(store, complaint):
    return store.one("complaints", id=complaint.id)


def _resolved(uow, complaint):
    investigation.investigate(uow(), ZHAO, complaint.id, findings="pads glazed", root_cause="supplier")
    return resolution.resolve(uow(), ZHAO, complaint.id, resolution="pads and discs replaced")


def test_the_owner_stays_when_the_work_goes_to_a_department_and_changes_only_with_a_reason(uow, store, brakes):
    ownership.assign(uow(), ZHAO, brakes.id, department="workshop", handler="tech-wu")
    with pytest.raises(ReasonRequired):
        ownership.transfer_ownership(uow(), ZHAO, brakes.id, owner="agent-qian", reason=" ")
    ownership.transfer_ownership(uow(), ZHAO, brakes.id, owner="agent-qian", reason="on leave from Monday")

    complaint = _stored(store, brakes)
    assert (complaint.owner, complaint.department, complaint.handler) == ("agent-qian", "workshop", "tech-wu")
    assert [(e.owner, e.previous_owner) for e in store.events_of(ComplaintAssigned)] == [
        ("agent-zhao", None), ("agent-qian", "agent-zhao")]


def test_someone_elses_complaint_is_the_desks_to_work_and_a_stranger_changes_nothing(uow, store, brakes):
    advisor = caller("advisor-wang", "service_advisor")
    with pytest.raises(NotYourComplaint):
        clocks.acknowledge(uow(), advisor, brakes.id)
    assert _stored(store, brakes).acknowledged_at is None

    clocks.acknowledge(uow(), caller("agent-qian"), brakes.id, note="called back")  # the desk may
    assert _stored(store, brakes).acknowledged_at is not None


def test_another_dealers_complaint_is_not_found(uow, brakes):
    with pytest.raises(ComplaintNotFound):
        clocks.acknowledge(uow("D002"), caller("agent-zhao", dealer="D002"), brakes.id)


def test_the_sweep_escalates_each_clock_that_ran_out_once_for_every_dealer(uow, units, store, clock, brakes):
    elsewhere = intake.receive(uow("D002"), caller("agent-sun", dealer="D002"), channel="phone", text="空调不制冷").complaint
    clock.now = datetime(2026, 12, 7, 9, 30, tzinfo=BEIJING)  # Monday: acknowledging was due Friday 18:00

    assert clocks.escalate_overdue(units) == 2
    assert clocks.escalate_overdue(units) == 0  # the same clocks are not escalated twice
    escalated = store.events_of(ComplaintEscalated)
    assert sorted((e.complaint_id, e.clocks) for e in escalated) == sorted(
        [(brakes.id, ("acknowledge",)), (elsewhere.id, ("acknowledge",))])

    clock.now = datetime(2026, 12, 8, 16, 30, tzinfo=BEIJING)  # 16 business hours to answer ran out Tuesday 16:00
    assert clocks.escalate_overdue(units) == 4
    assert {e.clocks for e in store.events_of(ComplaintEscalated)[2:]} == {("first_response", "escalation")}


def test_an_answered_and_paused_complaint_is_not_escalated(uow, units, store, clock, brakes):
    clocks.respond(uow(), ZHAO, brakes.id, summary="we will replace the pads on Monday")
    clocks.pause(uow(), ZHAO, brakes.id, waiting_for="customer", reason="customer away until the 20th")
    clock.now = datetime(2026, 12, 18, 9, 30, tzinfo=BEIJING)
    assert clocks.escalate_overdue(units) == 0
    assert store.events_of(ComplaintEscalated) == []


def test_closing_with_actions_open_needs_a_service_manager_and_a_reason(uow, store, brakes):
    investigation.plan_action(uow(), ZHAO, brakes.id, kind="supplier_accountability",
                              description="8D report from the supplier", owner="quality-he", due_on=date(2026, 12, 18))
    _resolved(uow, brakes)
    resolution.record_feedback(uow(), ZHAO, brakes.id, told="pads replaced free of charge", accepted=True,
                               satisfaction=4)

    with pytest.raises(ActionsStillOpen):
        resolution.close(uow(), ZHAO, brakes.id, note="customer satisfied")
    assert _stored(store, brakes).status is Status.RESOLVED
    with pytest.raises(ActionsStillOpen):
        resolution.close(uow(), MANAGER, brakes.id, note="customer satisfied")

    resolution.close(uow(), MANAGER, brakes.id, note="customer satisfied", reason="the 8D report follows")
    assert _stored(store, brakes).status is Status.CLOSED
    [closed] = store.events_of(ComplaintClosed)
    assert (closed.complaint_id, closed.satisfaction, closed.root_cause) == (brakes.id, 4, "supplier")


def test_a_closed_complaint_reopens_within_the_window_only(uow, store, clock, brakes):
    _resolved(uow, brakes)
    resolution.record_feedback(uow(), ZHAO, brakes.id, told="pads replaced", accepted=True)
    resolution.close(uow(), ZHAO, brakes.id)

    clock.now = datetime(2026, 12, 10, 10, 0, tzinfo=BEIJING)
    resolution.reopen(uow(), ZHAO, brakes.id, reason="the noise is back")
    assert _stored(store, brakes).status is Status.REOPENED
    assert [e.reason for e in store.events_of(ComplaintReopened)] == ["the noise is back"]

    _resolved(uow, brakes)
    resolution.record_feedback(uow(), ZHAO, brakes.id, told="discs replaced", accepted=True)
    resolution.close(uow(), ZHAO, brakes.id)
    clock.now = datetime(2027, 1, 20, 10, 0, tzinfo=BEIJING)  # 30 days on (COMPLAINT_REOPEN_DAYS)
    with pytest.raises(ReopenWindowPassed):
        resolution.reopen(uow(), ZHAO, brakes.id, reason="the noise is back again")
    assert _stored(store, brakes).status is Status.CLOSED


def test_a_duplicate_merged_ends_pointing_at_the_original(uow, store, brakes):
    again = intake.receive(uow(), ZHAO, channel="wechat", text="刹车片还是响").complaint
    resolution.merge(uow(), ZHAO, brakes.id, duplicate_id=again.id, reason="same customer, same pads")

    assert _stored(store, again).status is Status.MERGED
    assert _stored(store, brakes).status is Status.OPEN
    [closed] = store.events_of(ComplaintClosed)
    assert (closed.complaint_id, closed.merged_into) == (again.id, brakes.id)
    assert _stored(store, again).sla_due_at is None  # the sweep no longer looks at it


def test_news_of_its_lot_and_claim_reaches_the_timeline_once_and_only_this_dealers(uow, store, brakes):
    other = intake.receive(uow("D002"), caller("agent-sun", dealer="D002"), channel="phone", text="刹车片异响",
                           lot="L2026-11").complaint
    system = caller("event:/aftersales/parts", "system")
    noted = [timeline.note_lot_event(uow(), system, lot="L2026-11", kind="lot_quarantined",
                                     summary="lot L2026-11 quarantined", at=brakes.recorded_at, event_id="e-1")
             for _ in range(2)]
    timeline.note_claim_event(uow(), system, claim_number="WC-20261201-ABC123", kind="claim_approved",
                              summary="claim approved", at=brakes.recorded_at, event_id="e-2")

    assert noted == [1, 0]
    kinds = [entry.kind for entry in _stored(store, brakes).timeline]
    assert kinds.count("lot_quarantined") == 1 and kinds.count("claim_approved") == 1
    assert "lot_quarantined" not in [entry.kind for entry in store.one("complaints", "D002", id=other.id).timeline]
