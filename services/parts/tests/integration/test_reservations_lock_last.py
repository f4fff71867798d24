"""A reservation at a named location takes the stock row's lock only in its last statement
(`StockRepository.settle_reservations`): it is built on the stock as read without the lock,
and the database checks, under the lock, that it still fits. These tests change the stock
between that read and the lock, in another transaction, and check that nothing is lost,
nothing oversold, and the safety-level event still says what happened."""

from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shared.auth import Caller, mint
from shared.db import ALL_DEALERS
from shared.events.tables import outbox

from parts.adapters.repositories import StockRepository
from parts.domain.errors import InsufficientStock, StockMoved
from parts.domain.stock import LotBalance, Movement, Reservation
from parts.service import reservations
from parts.service.reservations import Reserve

CLERK = Caller("clerk", "D001", frozenset({"parts_clerk"}))


@pytest.fixture
def parts(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    client = app.test_client()
    manager = {"Authorization": "Bearer " + mint(settings.jwt_secret, "boss", "D001", ["parts_manager"])}
    clerk = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk", "D001", ["parts_clerk"])}
    client.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=manager)
    client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=manager)
    client.post("/api/v1/parts", json={"part_number": "FILTER", "name_en": "Oil filter", "category": "filters",
                                       "unit": "pcs", "source": "oem", "list_price": "58.00"}, headers=clerk)

    class Parts:
        units_of_work = app.extensions["aftersales"].unit_of_work
        database = app.extensions["aftersales"].database

        def receive(self, *quantities: str) -> None:
            for quantity in quantities:
                answer = client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
                    {"part_number": "FILTER", "quantity": quantity, "unit_cost": "30.00", "location": "MAIN",
                     "inspection": "passed"}]}, headers=clerk)
                assert answer.status_code == 201, answer.get_json()

        def safety_stock(self, amount: str) -> None:
            answer = client.post("/api/v1/reorder-rules", json={
                "part_number": "FILTER", "location": "MAIN", "safety_stock": amount, "reorder_point": amount,
                "max_stock": "100"}, headers=manager)
            assert answer.status_code == 200, answer.get_json()

        def reserve(self, quantity: str, reference: str, *, location: str | None = "MAIN") -> Reservation:
            uow = self.units_of_work(dealer="D001", actor="clerk", correlation_id=reference)
            return reservations.reserve(uow, CLERK, Reserve(part_number="FILTER", quantity=Decimal(quantity),
                                                            for_kind="repair_order", for_reference=reference,
                                                            location=location))

        def reserved(self) -> tuple[Decimal, Decimal, Decimal]:
            """Reserved on the lot balances, on the active reservations, and in the ledger."""
            with self.database.reading(ALL_DEALERS) as session:
                return (session.scalar(select(func.sum(LotBalance.reserved))),
                        session.scalar(select(func.sum(Reservation.quantity)).where(Reservation.status == "active")),
                        session.scalar(select(func.sum(Movement.reserved_change))))

        def events(self, kind: str) -> list[dict]:
            with self.database.reading(ALL_DEALERS) as session:
                rows = session.execute(select(outbox.c.envelope).where(outbox.c.type == kind)).scalars()
                return [json.loads(row) for row in rows]

    return Parts()


@pytest.fixture
def meanwhile(monkeypatch, parts):
    """Run `meanwhile.then(...)` right after a reservation has read the stock without its lock,
    and count how its lock-last settling went."""

    class Meanwhile:
        change = None
        settled = 0
        moved = 0

        def then(self, change) -> None:
            self.change = change

    state = Meanwhile()
    read, settle = StockRepository.to_reserve, StockRepository._settle

    def to_reserve(repository, part_number, location):
        stock = read(repository, part_number, location)
        change, state.change = state.change, None
        if change is not None:
            change()  # another clerk's transaction, committed before this one locks anything
        return stock

    def counted_settle(repository, stock, taken):
        try:
            settle(repository, stock, taken)
        except StockMoved:
            state.moved += 1
            raise
        state.settled += 1

    monkeypatch.setattr(StockRepository, "to_reserve", to_reserve)
    monkeypatch.setattr(StockRepository, "_settle", counted_settle)
    return state


def test_a_reservation_made_meanwhile_is_added_to_not_overwritten(parts, meanwhile):
    parts.receive("10")
    meanwhile.then(lambda: parts.reserve("3", "RO-OTHER", location=None))  # the locked way

    parts.reserve("2", "RO-1")

    assert meanwhile.settled == 1 and meanwhile.moved == 0
    assert parts.reserved() == (Decimal(5), Decimal(5), Decimal(5))


def test_stock_taken_meanwhile_refuses_the_late_lock_and_the_locked_way_answers(parts, meanwhile):
    parts.receive("4")
    meanwhile.then(lambda: parts.reserve("3", "RO-OTHER"))

    with pytest.raises(InsufficientStock) as refused:
        parts.reserve("2", "RO-1")

    assert meanwhile.moved == 1
    assert refused.value.context["available"] == Decimal(1)
    assert parts.reserved() == (Decimal(3), Decimal(3), Decimal(3))


def test_crossing_the_safety_level_meanwhile_is_announced_once(parts, meanwhile):
    parts.receive("10")
    parts.safety_stock("5")
    # As read, 10 - 2 stays above 5; with 4 reserved meanwhile it falls to 4, below.
    meanwhile.then(lambda: parts.reserve("4", "RO-OTHER"))

    parts.reserve("2", "RO-1")

    assert meanwhile.moved == 1  # the late lock saw the crossing it had not announced
    below = parts.events("parts.stock.below_safety_level")
    assert len(below) == 1
    assert Decimal(below[0]["data"]["available"]) == Decimal(4)
    assert parts.reserved() == (Decimal(6), Decimal(6), Decimal(6))


def test_parallel_reservations_locking_last_and_first_never_oversell_nor_deadlock(parts):
    parts.receive("10", "15")  # two lots, so allocation crosses a lot boundary too
    clients, statuses = 40, []
    start = threading.Barrier(clients)

    def clerk_reserves(n: int) -> None:
        start.wait()
        try:
            # Naming the location locks last; naming none locks first (where_to_reserve).
            parts.reserve("1", f"RO-{n}", location="MAIN" if n % 2 else None)
            statuses.append(201)
        except InsufficientStock:
            statuses.append(409)

    threads = [threading.Thread(target=clerk_reserves, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # A deadlock, or any failure but a refusal, leaves its client without a status.
    assert statuses.count(201) == 25 and statuses.count(409) == clients - 25
    assert parts.reserved() == (Decimal(25), Decimal(25), Decimal(25))
