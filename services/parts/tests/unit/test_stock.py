from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import DomainError

from parts.domain.errors import InsufficientStock, ReservationExpired, ReservationNotActive, WouldGoNegative
from parts.domain.events import ReservationReleased, StockIssued
from parts.domain.stock import PartStock

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
D = Decimal


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def stock_with(*lots: tuple[str, int, str, bool]) -> PartStock:
    """lots: (lot, quantity, supplier, blocked), received one day apart in this order."""
    stock = PartStock("D001", "P-1", "MAIN")
    for n, (lot, quantity, supplier, blocked) in enumerate(lots):
        stock.receive(lot, day(n), supplier, D(quantity), blocked=blocked, reference=f"R-{n}", at=day(n), actor="clerk")
    stock.events.clear()
    stock.movements.clear()
    return stock


def reserve(stock: PartStock, number: str, quantity: int, expires: datetime = day(30)):
    return stock.reserve(number, D(quantity), for_kind="repair_order", for_reference="RO-1",
                         expires_at=expires, deposit=None, at=day(5), actor="clerk")


def issue(stock: PartStock, quantity: int, reservation: str | None = None, at: datetime = day(6)):
    return stock.issue(D(quantity), reservation=reservation, issue_number="I-1", repair_order="RO-1",
                       vin="LVSHCAMB1CE054249", technician="tech-wang", source="oem", at=at, actor="clerk")


def test_stock_pending_inspection_is_on_hand_but_not_available():
    stock = stock_with(("L1", 5, "S1", False), ("L2", 3, "S1", True))
    assert (stock.on_hand, stock.quarantined, stock.available) == (D(8), D(3), D(5))
    stock.unblock("L2", reference="INSP-1", reason="inspection passed", at=day(3), actor="clerk")
    assert stock.available == D(8)


def test_a_reservation_takes_the_oldest_lots_and_the_issue_takes_exactly_those():
    stock = stock_with(("OLD", 2, "S1", False), ("NEW", 5, "S2", False))
    reservation = reserve(stock, "RS-1", 3)
    assert [(a.lot, a.quantity) for a in reservation.allocations] == [("OLD", D(2)), ("NEW", D(1))]
    assert stock.available == D(4)

    picks = issue(stock, 3, reservation="RS-1")
    assert [(p.lot, p.quantity) for p in picks] == [("OLD", D(2)), ("NEW", D(1))]
    assert reservation.status == "issued"
    assert (stock.on_hand, stock.reserved, stock.available) == (D(4), D(0), D(4))
    assert [(e.lot, e.supplier, e.quantity) for e in stock.events if isinstance(e, StockIssued)] == [
        ("OLD", "S1", D(2)), ("NEW", "S2", D(1))]
    assert stock.balance("OLD") is None  # emptied lots leave the stock; the ledger keeps them


def test_issuing_without_a_reservation_never_takes_reserved_stock():
    stock = stock_with(("OLD", 2, "S1", False), ("NEW", 2, "S2", False))
    reserve(stock, "RS-1", 2)
    assert [(p.lot, p.quantity) for p in issue(stock, 2)] == [("NEW", D(2))]
    with pytest.raises(InsufficientStock):
        issue(stock, 1)


def test_asking_for_more_than_is_available_changes_nothing():
    stock = stock_with(("L1", 2, "S1", False), ("L2", 9, "S1", True))
    with pytest.raises(InsufficientStock) as refused:
        reserve(stock, "RS-1", 3)
    assert refused.value.context["available"] == D(2)
    assert (stock.reserved, stock.movements, stock.events, stock.reservations) == (D(0), [], [], [])


def test_an_expired_or_released_reservation_cannot_be_issued():
    stock = stock_with(("L1", 5, "S1", False))
    reserve(stock, "RS-1", 2, expires=day(5) + timedelta(hours=1))
    with pytest.raises(ReservationExpired):
        issue(stock, 2, reservation="RS-1", at=day(7))
    stock.release("RS-1", reason="expired", at=day(7), actor="system")
    assert stock.reserved == D(0) and stock.reservation("RS-1").status == "expired"
    with pytest.raises(ReservationNotActive):
        issue(stock, 2, reservation="RS-1")


def test_blocking_a_lot_moves_its_reservations_to_other_lots_or_says_what_is_short():
    stock = stock_with(("OLD", 3, "S1", False), ("NEW", 2, "S2", False))
    reservation = reserve(stock, "RS-1", 4)
    stock.events.clear()
    stock.block("OLD", reference="RECALL-7", reason="supplier recall", at=day(8), actor="manager")
    assert stock.balance("OLD").quarantined == D(3) and stock.balance("OLD").reserved == D(0)
    assert reservation.quantity == D(2) and stock.balance("NEW").reserved == D(2)
    assert stock.events == [ReservationReleased(reservation="RS-1", part_number="P-1", location="MAIN",
                                                quantity=D(2), reason="lot_blocked")]


def test_a_return_goes_back_to_its_lot_even_after_the_lot_was_emptied():
    stock = stock_with(("L1", 1, "S1", False))
    issue(stock, 1)
    assert stock.balance("L1") is None
    stock.return_to_stock("L1", day(0), "S1", D(1), blocked=False, issue_number="I-1", repair_order="RO-1",
                          reason="not needed", at=day(7), actor="clerk")
    assert stock.balance("L1").on_hand == D(1) and stock.available == D(1)


def test_a_count_cannot_take_away_reserved_units():
    stock = stock_with(("L1", 5, "S1", False))
    reserve(stock, "RS-1", 4)
    with pytest.raises(WouldGoNegative):
        stock.adjust("L1", D(3), reference="C-1", reason="count", at=day(9), actor="clerk")
    assert stock.adjust("L1", D(4), reference="C-1", reason="count", at=day(9), actor="clerk") == D(-1)


def ledger_totals(stock: PartStock, lot: str) -> tuple[Decimal, Decimal, Decimal]:
    rows = [m for m in stock.movements if m.lot == lot]
    return (sum((m.on_hand_change for m in rows), D(0)), sum((m.reserved_change for m in rows), D(0)),
            sum((m.quarantined_change for m in rows), D(0)))


operations = st.lists(
    st.tuples(
        st.sampled_from(["receive", "reserve", "release", "issue", "issue_reserved", "block", "unblock",
                         "adjust", "return"]),
        st.sampled_from(["L1", "L2", "L3"]),
        st.integers(min_value=1, max_value=6),
    ),
    max_size=40,
)


@settings(max_examples=int(os.environ.get("STOCK_EXAMPLES", "300")), deadline=None)
@given(operations)
def test_no_sequence_of_operations_breaks_a_balance_or_the_ledger(steps):
    stock = PartStock("D001", "P-1", "MAIN")
    stock.movements.clear()
    received = {"L1": day(1), "L2": day(2), "L3": day(3)}
    numbers = []
    for n, (operation, lot, quantity) in enumerate(steps):
        at = day(10) + timedelta(minutes=n)
        try:
            if operation == "receive":
                stock.receive(lot, received[lot], "S1", D(quantity), blocked=quantity % 3 == 0,
                              reference=f"R{n}", at=at, actor="t")
            elif operation == "reserve":
                numbers.append(f"RS{n}")
                reserve(stock, f"RS{n}", quantity)
            elif operation == "release" and numbers:
                stock.release(numbers[quantity % len(numbers)], reason="released", at=at, actor="t")
            elif operation == "issue":
                issue(stock, quantity, at=at)
            elif operation == "issue_reserved" and numbers:
                issue(stock, quantity, reservation=numbers[quantity % len(numbers)], at=at)
            elif operation == "block":
                stock.block(lot, reference=f"B{n}", reason="hold", at=at, actor="t")
            elif operation == "unblock":
                stock.unblock(lot, reference=f"U{n}", reason="ok", at=at, actor="t")
            elif operation == "adjust":
                stock.adjust(lot, D(quantity), reference=f"C{n}", reason="count", at=at, actor="t")
            elif operation == "return":
                stock.return_to_stock(lot, received[lot], "S1", D(quantity), blocked=False, issue_number="I",
                                      repair_order="RO", reason="unused", at=at, actor="t")
        except DomainError:
            pass
        for balance in stock.balances:
            assert balance.on_hand >= 0 and balance.reserved >= 0 and balance.quarantined >= 0
            assert balance.reserved + balance.quarantined <= balance.on_hand
        for reservation in stock.reservations:
            allocated = sum((a.quantity for a in reservation.allocations), D(0))
            if reservation.status == "active":
                assert allocated == reservation.outstanding
    for lot in ("L1", "L2", "L3"):
        balance = stock.balance(lot)
        expected = (balance.on_hand, balance.reserved, balance.quarantined) if balance else (D(0), D(0), D(0))
        assert ledger_totals(stock, lot) == expected


def test_falling_below_safety_stock_and_coming_back_are_each_announced_once():
    from parts.domain.events import StockBelowSafetyLevel, StockReplenished
    from parts.domain.stock import ReorderRule

    stock = stock_with(("L1", 6, "S1", False))
    stock.set_rule(ReorderRule(safety_stock=D(4), reorder_point=D(5), max_stock=D(20)), at=day(4))
    assert stock.events == []
    issue(stock, 2)  # 4 left: not below
    issue(stock, 1)  # 3 left: below
    issue(stock, 1)  # 2 left: still below, no second event
    stock.receive("L2", day(7), "S1", D(10), blocked=False, reference="R", at=day(7), actor="t")
    crossings = [(type(e).__name__, e.available) for e in stock.events
                 if isinstance(e, (StockBelowSafetyLevel, StockReplenished))]
    assert crossings == [("StockBelowSafetyLevel", D(3)), ("StockReplenished", D(12))]
