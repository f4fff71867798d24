"""Many intakes at once on PostgreSQL: every complaint of a dealer and day gets its own number."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from shared.auth import Caller
from shared.db import ALL_DEALERS

from complaints.domain.complaint import Complaint
from complaints.service import intake

DESKS = 8
EACH = 5


@pytest.fixture
def infra(real_infra):
    """Concurrent transactions are the point here: PostgreSQL only."""
    return real_infra


def test_intakes_at_once_never_share_a_number(service, settings):
    units = service.units_of_work(settings)
    start = threading.Barrier(DESKS)
    failures: list[BaseException] = []

    def desk(n: int) -> None:
        agent = Caller(sub=f"agent-{n}", dealer="D001", roles=frozenset({"complaints_agent"}))
        try:
            start.wait(timeout=10)
            for k in range(EACH):
                intake.receive(units(dealer="D001", actor=agent.sub, correlation_id=f"d{n}-{k}"), agent,
                               channel="phone", text=f"第{n}-{k}次投诉：保养后异响")
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    desks = [threading.Thread(target=desk, args=(n,)) for n in range(DESKS)]
    for thread in desks:
        thread.start()
    for thread in desks:
        thread.join(timeout=60)
    assert failures == []
    with units.database.reading(ALL_DEALERS) as session:
        numbers = session.scalars(select(Complaint.number)).all()
    assert sorted(int(number.rsplit("-", 1)[1]) for number in numbers) == list(range(1, DESKS * EACH + 1))
    assert len({number.rsplit("-", 1)[0] for number in numbers}) == 1  # one day: the counter is what kept them apart
