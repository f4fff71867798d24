"""Two escalation sweeps at once on PostgreSQL: every clock that ran out is escalated exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shared.auth import Caller
from shared.db import ALL_DEALERS
from shared.fakes import Clock

from complaints.domain.complaint import Escalation
from complaints.service import intake
from complaints.service.clocks import escalate_overdue

FRIDAY_4PM = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)
NEXT_WEEK = datetime(2026, 12, 14, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)
COMPLAINTS = 30


@pytest.fixture
def infra(real_infra):
    """Row locks are the point here: PostgreSQL only."""
    return real_infra


def test_two_sweeps_at_once_escalate_each_clock_once(service, settings, token):
    clock = Clock(FRIDAY_4PM)
    units = service.units_of_work(settings, clock)
    for n in range(COMPLAINTS):
        dealer = ("D001", "D002")[n % 2]
        agent = Caller(sub="agent-zhao", dealer=dealer, roles=frozenset({"complaints_agent"}))
        intake.receive(units(dealer=dealer, actor=agent.sub, correlation_id=f"c{n}"), agent, channel="phone",
                       text=f"第{n}次投诉：保养后异响")
    clock.now = NEXT_WEEK  # acknowledge, first response and escalation all ran out

    start = threading.Barrier(2)
    done: list[int] = []
    failures: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(timeout=10)
            done.append(escalate_overdue(units, batch=COMPLAINTS))
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    sweepers = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in sweepers:
        thread.start()
    for thread in sweepers:
        thread.join(timeout=60)
    assert failures == []
    assert sum(done) == COMPLAINTS * 3

    with units.database.reading(ALL_DEALERS) as session:
        rows = session.execute(select(Escalation.complaint_id, Escalation.clock)).all()
    assert len(rows) == COMPLAINTS * 3 and len(set(rows)) == COMPLAINTS * 3

    app = service.create_app(settings, clock=clock)
    client = app.test_client()
    escalated = Counter()
    for dealer in ("D001", "D002"):
        items = client.get("/api/v1/events?limit=200", headers=token(["integration"], dealer=dealer)).get_json()["items"]
        escalated.update((item["event"]["subject"], tuple(item["event"]["data"]["clocks"])) for item in items
                         if item["event"]["type"] == "complaints.complaint.escalated")
    # one escalation per complaint, naming the three clocks, whichever sweep made it
    assert len(escalated) == COMPLAINTS and set(escalated.values()) == {1}
    assert {clocks for _subject, clocks in escalated} == {("acknowledge", "first_response", "escalation")}

    # and a third sweep later finds nothing left to do
    assert escalate_overdue(units) == 0


def test_a_sweep_that_read_the_list_before_another_one_escalated_adds_nothing(service, settings, monkeypatch):
    """The slow sweep's list is stale by the time it locks each complaint: it must look again."""
    from complaints.adapters.repositories import ComplaintRepository

    clock = Clock(FRIDAY_4PM)
    units = service.units_of_work(settings, clock)
    agent = Caller(sub="agent-zhao", dealer="D001", roles=frozenset({"complaints_agent"}))
    for n in range(3):
        intake.receive(units(dealer="D001", actor=agent.sub, correlation_id=f"c{n}"), agent, channel="phone",
                       text="保养后异响")
    clock.now = NEXT_WEEK
    finder = units(dealer=ALL_DEALERS, actor="test", correlation_id="stale")
    with finder:
        stale = finder.complaints.overdue(clock(), limit=10)
    assert len(stale) == 3

    assert escalate_overdue(units) == 9
    monkeypatch.setattr(ComplaintRepository, "overdue", lambda self, now, limit: stale)
    assert escalate_overdue(units) == 0
    with units.database.reading(ALL_DEALERS) as session:
        assert len(session.execute(select(Escalation.id)).all()) == 9


def test_a_backlog_bigger_than_a_batch_is_worked_off_in_one_sweep(service, settings):
    clock = Clock(FRIDAY_4PM)
    units = service.units_of_work(settings, clock)
    agent = Caller(sub="agent-zhao", dealer="D001", roles=frozenset({"complaints_agent"}))
    for n in range(COMPLAINTS):
        intake.receive(units(dealer="D001", actor=agent.sub, correlation_id=f"c{n}"), agent, channel="phone",
                       text=f"第{n}次投诉：保养后异响")
    clock.now = NEXT_WEEK  # the worker was down over the weekend

    assert escalate_overdue(units, batch=7) == COMPLAINTS * 3
    assert escalate_overdue(units, batch=7) == 0
