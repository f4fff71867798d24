"""Issuing parts to a technician (领料出库), first in first out by lot, and taking back what was
not used (退料)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parts.domain import errors, events
from parts.domain.documents import IssueSlip
from parts.domain.stock import ReservationStatus
from parts.service import issues, lots, reservations
from parts.service.issues import IssueLineAsked, IssueParts, ReturnLineAsked, TakeBack
from parts.service.reservations import Reserve

from services.parts.tests.service.conftest import CLERK, MANAGER, line, receive

VIN = "LSVAM4187C2184847"


@pytest.fixture
def two_lots(desk, uow, clock):
    """PADS at MAIN: 3 of an older lot (from S1), 5 of a newer one."""
    older = receive(uow, line("PADS", "3")).lines[0].lot
    clock.now += timedelta(hours=1)
    newer = receive(uow, line("PADS", "5")).lines[0].lot
    return older, newer


def _issue(uow, repair_order: str, *lines: IssueLineAsked):
    return issues.issue(uow(), CLERK, IssueParts(repair_order, VIN.lower(), "tech-wu", lines))


def test_an_issue_takes_the_oldest_lots_first_one_slip_line_and_ledger_row_each(two_lots, uow, store):
    older, newer = two_lots
    slip = _issue(uow, "RO-1", IssueLineAsked("PADS", Decimal(4)))

    assert [(x.lot, x.quantity, x.supplier) for x in slip.lines] == [(older, 3, "S1"), (newer, 1, "S1")]
    stock = store.stock("PADS")
    assert stock.on_hand == Decimal(4) and stock.balance(older) is None  # emptied lots leave the stock
    assert [(m.lot, m.on_hand_change, m.reason) for m in store.movements("issue")] == [
        (older, Decimal(-3), "repair order RO-1"), (newer, Decimal(-1), "repair order RO-1")]
    assert [(e.lot, e.quantity, e.vin) for e in store.events_of(events.StockIssued)] == [
        (older, Decimal(3), VIN), (newer, Decimal(1), VIN)]


def test_the_repair_orders_own_reservation_is_issued_before_free_stock(two_lots, uow, store):
    older, newer = two_lots
    own = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-1", location="MAIN"))
    other = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(3), "repair_order", "RO-2", location="MAIN"))

    _issue(uow, "RO-1", IssueLineAsked("PADS", Decimal(3)))

    assert store.reservation(own.number).status == ReservationStatus.ISSUED
    assert store.reservation(other.number).status == ReservationStatus.ACTIVE
    stock = store.stock("PADS")
    assert (stock.on_hand, stock.reserved, stock.available) == (Decimal(5), Decimal(3), Decimal(2))


def test_a_reservation_for_another_repair_order_is_not_issued(two_lots, uow, store):
    held = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-2", location="MAIN"))
    with pytest.raises(errors.ReservationForAnotherOrder):
        _issue(uow, "RO-1", IssueLineAsked("PADS", Decimal(2), reservation=held.number))

    assert store.reservation(held.number).outstanding == Decimal(2)
    assert store.movements("issue") == []
    assert [slip for slip in store.rows.documents if isinstance(slip, IssueSlip)] == []


def test_an_issue_is_all_its_lines_or_none(two_lots, uow, store):
    receive(uow, line("OIL", "2"))
    with pytest.raises(errors.InsufficientStock):
        _issue(uow, "RO-1", IssueLineAsked("PADS", Decimal(2)), IssueLineAsked("OIL", Decimal(3)))

    assert (store.stock("PADS").on_hand, store.stock("OIL").on_hand) == (Decimal(8), Decimal(2))
    assert store.movements("issue") == [] and store.events_of(events.StockIssued) == []


def test_unused_parts_come_back_into_the_lot_they_were_issued_from_never_more_than_issued(two_lots, uow, store):
    older, newer = two_lots
    slip = _issue(uow, "RO-1", IssueLineAsked("PADS", Decimal(4)))
    with pytest.raises(errors.ReturnExceedsIssue):
        issues.take_back(uow(), CLERK, slip.number, TakeBack((ReturnLineAsked("PADS", older, Decimal(4)),)))
    assert store.stock("PADS").balance(older) is None

    issues.take_back(uow(), CLERK, slip.number, TakeBack((ReturnLineAsked("PADS", older, Decimal(2)),)))
    assert store.stock("PADS").balance(older).on_hand == Decimal(2)
    assert [(e.lot, e.quantity, e.reason) for e in store.events_of(events.StockReturned)] == [
        (older, Decimal(2), "not used")]
    with pytest.raises(errors.ReturnExceedsIssue):
        issues.take_back(uow(), CLERK, slip.number, TakeBack((ReturnLineAsked("PADS", older, Decimal(2)),)))


def test_parts_of_a_quarantined_lot_come_back_blocked(two_lots, uow, store):
    older, _ = two_lots
    slip = _issue(uow, "RO-1", IssueLineAsked("PADS", Decimal(3)))
    lots.quarantine(uow(), MANAGER, older, lots.HoldReason("recall"))
    issues.take_back(uow(), CLERK, slip.number, TakeBack((ReturnLineAsked("PADS", older, Decimal(1)),)))

    balance = store.stock("PADS").balance(older)
    assert (balance.on_hand, balance.quarantined, balance.available) == (Decimal(1), Decimal(1), Decimal(0))
