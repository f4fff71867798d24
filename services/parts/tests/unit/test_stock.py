from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import DomainError

from parts.domain.errors import (
    ExpiryInThePast,
    InsufficientStock,
    LotQuarantined,
    ReservationExpired,
    ReservationForAnotherOrder,
    ReservationNotActive,
    SameLocation,
    WouldGoNegative,
)
from parts.domain.events import (
    ReservationReleased,
    StockIssued,
    StockReturnedToSupplier,
    StockTransferred,
)
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


def reserve(stock: PartStock, number: str, quantity: int, expires: datetime = day(30), for_reference: str = "RO-1",
            for_kind: str = "repair_order"):
    return stock.reserve(number, D(quantity), for_kind=for_kind, for_reference=for_reference,
                         expires_at=expires, deposit=None, at=day(5), actor="clerk")


def issue(stock: PartStock, quantity: int, reservation: str | None = None, at: datetime = day(6),
          repair_order: str = "RO-1"):
    return stock.issue(D(quantity), reservation=reservation, issue_number="I-1", repair_order=repair_order,
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


def test_issuing_to_another_repair_order_never_takes_reserved_stock():
    stock = stock_with(("OLD", 2, "S1", False), ("NEW", 2, "S2", False))
    reserve(stock, "RS-1", 2)
    assert [(p.lot, p.quantity, p.reservation) for p in issue(stock, 2, repair_order="RO-2")] == [("NEW", D(2), None)]
    with pytest.raises(InsufficientStock):
        issue(stock, 1, repair_order="RO-2")


def test_a_reservation_is_issued_only_to_its_own_repair_order_and_a_refusal_changes_nothing():
    stock = stock_with(("L1", 5, "S1", False))
    reservation = reserve(stock, "RS-1", 2, for_reference="RO-1")
    stock.events.clear()
    stock.movements.clear()
    with pytest.raises(ReservationForAnotherOrder) as refused:
        issue(stock, 2, reservation="RS-1", repair_order="RO-2")
    assert refused.value.code == "reservation_for_another_order" and refused.value.context["reserved_for"] == "RO-1"
    assert (stock.on_hand, stock.reserved, reservation.issued, reservation.status) == (D(5), D(2), D(0), "active")
    assert [(a.lot, a.quantity) for a in reservation.allocations] == [("L1", D(2))]
    assert (stock.events, stock.movements) == ([], [])


def test_an_appointments_reservation_goes_to_the_repair_order_the_appointment_became():
    stock = stock_with(("L1", 5, "S1", False))
    reserve(stock, "RS-1", 2, for_kind="appointment", for_reference="AP-7")
    assert [(p.lot, p.quantity, p.reservation) for p in issue(stock, 2, reservation="RS-1", repair_order="RO-9")] == [
        ("L1", D(2), "RS-1")]
    assert stock.reservation("RS-1").status == "issued" and stock.reserved == D(0)


def test_an_issue_to_a_repair_order_takes_its_own_reservations_before_free_stock():
    stock = stock_with(("OLD", 3, "S1", False), ("NEW", 3, "S2", False))
    reserve(stock, "RS-OTHER", 1, for_reference="RO-2")  # OLD: 1 for another order
    reserve(stock, "RS-MINE", 2, for_reference="RO-3")   # OLD: 2
    picks = issue(stock, 3, repair_order="RO-3")          # its 2 reserved, then 1 free (NEW)
    assert [(p.lot, p.quantity, p.reservation) for p in picks] == [("OLD", D(2), "RS-MINE"), ("NEW", D(1), None)]
    assert stock.reservation("RS-MINE").status == "issued"
    assert stock.reservation("RS-OTHER").outstanding == D(1)
    assert [(b.lot, b.on_hand, b.reserved) for b in stock.balances] == [("OLD", D(1), D(1)), ("NEW", D(2), D(0))]
    assert [(m.lot, m.on_hand_change, m.reserved_change) for m in stock.movements if m.kind == "issue"] == [
        ("OLD", D(-2), D(-2)), ("NEW", D(-1), D(0))]


def test_a_repair_order_that_reserved_everything_can_issue_it_without_naming_the_reservation():
    stock = stock_with(("L1", 3, "S1", False))
    reserve(stock, "RS-3", 3, for_reference="RO-3")
    assert stock.available == D(0)
    with pytest.raises(InsufficientStock) as refused:
        issue(stock, 4, repair_order="RO-3")
    assert refused.value.context["available"] == D(3)
    assert [(p.lot, p.quantity, p.reservation) for p in issue(stock, 3, repair_order="RO-3")] == [("L1", D(3), "RS-3")]
    assert stock.balances == [] and stock.reservation("RS-3").status == "issued"


def test_a_reservation_cannot_expire_before_it_is_made():
    stock = stock_with(("L1", 5, "S1", False))
    with pytest.raises(ExpiryInThePast) as refused:
        reserve(stock, "RS-1", 1, expires=day(5))  # made at day(5)
    assert refused.value.status == 422 and refused.value.context["field"] == "expires_at"
    assert (stock.reserved, stock.reservations, stock.events, stock.movements) == (D(0), [], [], [])


def test_a_transfer_moves_available_stock_and_each_lot_keeps_its_identity():
    main = stock_with(("OLD", 2, "S1", False), ("NEW", 4, "S2", False))
    body = PartStock("D001", "P-1", "BODY")
    reserve(main, "RS-1", 1)  # OLD: 1 reserved stays at MAIN
    main.events.clear()
    main.movements.clear()
    moved = main.transfer_to(body, D(3), lot=None, number="TR-1", reason="body shop job", at=day(7), actor="clerk")
    assert (moved.quantity, [(p.lot, p.quantity) for p in moved.picks]) == (D(3), [("OLD", D(1)), ("NEW", D(2))])
    assert [(b.lot, b.on_hand, b.reserved) for b in main.balances] == [("OLD", D(1), D(1)), ("NEW", D(2), D(0))]
    assert [(b.lot, b.on_hand, b.received_at, b.supplier) for b in body.balances] == [
        ("OLD", D(1), day(0), "S1"), ("NEW", D(2), day(1), "S2")]
    assert [(m.kind, m.location, m.lot, m.on_hand_change, m.reference) for m in main.movements + body.movements] == [
        ("transfer_out", "MAIN", "OLD", D(-1), "TR-1"), ("transfer_out", "MAIN", "NEW", D(-2), "TR-1"),
        ("transfer_in", "BODY", "OLD", D(1), "TR-1"), ("transfer_in", "BODY", "NEW", D(2), "TR-1")]
    assert main.events == [
        StockTransferred(transfer="TR-1", part_number="P-1", lot="OLD", from_location="MAIN", to_location="BODY",
                         quantity=D(1), reason="body shop job", by="clerk"),
        StockTransferred(transfer="TR-1", part_number="P-1", lot="NEW", from_location="MAIN", to_location="BODY",
                         quantity=D(2), reason="body shop job", by="clerk")]
    # A named lot moves only from that lot, and an emptied lot leaves the stock.
    main.transfer_to(body, D(2), lot="NEW", number="TR-2", reason="r", at=day(8), actor="clerk")
    assert main.balance("NEW") is None and body.balance("NEW").on_hand == D(4)


@pytest.mark.parametrize("quantity, lot, to, error", [
    (4, None, "BODY", InsufficientStock),      # 3 available: 1 of OLD is reserved, BAD is blocked
    (2, "OLD", "BODY", InsufficientStock),     # OLD has 1 available
    (1, "BAD", "BODY", LotQuarantined),
    (1, None, "MAIN", SameLocation),
])
def test_a_refused_transfer_moves_nothing(quantity, lot, to, error):
    main = stock_with(("OLD", 2, "S1", False), ("NEW", 2, "S2", False), ("BAD", 5, "S2", True))
    reserve(main, "RS-1", 1)
    main.events.clear()
    main.movements.clear()
    other = PartStock("D001", "P-1", to)
    with pytest.raises(error):
        main.transfer_to(other, D(quantity), lot=lot, number="TR-1", reason="r", at=day(7), actor="clerk")
    assert [(b.lot, b.on_hand, b.reserved, b.quarantined) for b in main.balances] == [
        ("OLD", D(2), D(1), D(0)), ("NEW", D(2), D(0), D(0)), ("BAD", D(5), D(0), D(5))]
    assert (main.events, main.movements, other.balances) == ([], [], [])


def test_a_return_to_the_supplier_is_announced():
    stock = stock_with(("L1", 3, "S7", True))
    stock.return_to_supplier("L1", D(2), reference="RTS-1", reason="failed inspection", at=day(4), actor="clerk")
    assert stock.events == [StockReturnedToSupplier(
        reference="RTS-1", part_number="P-1", location="MAIN", lot="L1", supplier="S7", quantity=D(2),
        reason="failed inspection", by="clerk")]


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


def test_a_reservations_ledger_rows_name_what_the_parts_are_held_for():
    stock = stock_with(("L1", 1, "S1", False), ("L2", 5, "S1", False))
    reserve(stock, "RS-1", 2, for_kind="appointment", for_reference="AP-9")
    stock.release("RS-1", reason="customer cancelled", at=day(6), actor="clerk")
    assert [(m.kind, m.lot, m.reference, m.reason) for m in stock.movements] == [
        ("reserve", "L1", "RS-1", "reserved for appointment AP-9"),
        ("reserve", "L2", "RS-1", "reserved for appointment AP-9"),
        ("release", "L1", "RS-1", "customer cancelled (reserved for appointment AP-9)"),
        ("release", "L2", "RS-1", "customer cancelled (reserved for appointment AP-9)"),
    ]


@pytest.mark.parametrize("reason", [None, "", "  "])
def test_a_ledger_row_without_a_reason_is_never_written(reason):
    stock = stock_with(("L1", 5, "S1", False))
    with pytest.raises(ValueError):
        stock.adjust("L1", D(4), reference="C-1", reason=reason, at=day(9), actor="clerk")
    assert stock.movements == []


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
                         "adjust", "return", "transfer", "transfer_lot", "issue_other_order"]),
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
    elsewhere = PartStock("D001", "P-1", "BODY")
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
            elif operation == "issue_other_order":
                issue(stock, quantity, at=at, repair_order="RO-2")
            elif operation == "transfer":
                stock.transfer_to(elsewhere, D(quantity), lot=None, number=f"T{n}", reason="r", at=at, actor="t")
            elif operation == "transfer_lot":
                stock.transfer_to(elsewhere, D(quantity), lot=lot, number=f"T{n}", reason="r", at=at, actor="t")
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
    for place in (stock, elsewhere):
        for lot in ("L1", "L2", "L3"):
            balance = place.balance(lot)
            expected = (balance.on_hand, balance.reserved, balance.quarantined) if balance else (D(0), D(0), D(0))
            assert ledger_totals(place, lot) == expected
    for balance in elsewhere.balances:
        assert balance.on_hand > 0 and balance.reserved == balance.quarantined == 0


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
