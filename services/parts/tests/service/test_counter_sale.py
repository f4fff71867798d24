"""A counter sale's life (配件销售): drafted at today's price, confirmed (its stock reserved like a
repair order's), paid, handed over from the lots the reservations hold, cancelled before payment,
and parts brought back into the lots they were sold from (销售退货)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from parts.domain import errors, events
from parts.domain.sales import CANCELLED, COMPLETED, CONFIRMED, FAULTY, ReturnAsked
from parts.domain.stock import ReservationStatus
from parts.service import reservations, sales
from parts.service.reservations import Reserve
from parts.service.sales import CancelSale, CompleteSale, Customer, OpenSale, PaySale, ReturnParts, SaleLineAsked

from services.parts.tests.service.conftest import CLERK, line, receive

WALK_IN = Customer(kind="walk_in", name="Mr Zhang", phone="13800000000")


@pytest.fixture
def two_lots(desk, uow, clock):
    """PADS at MAIN: 3 of an older lot, 5 of a newer one; 20 L of OIL."""
    older = receive(uow, line("PADS", "3")).lines[0].lot
    clock.now += timedelta(hours=1)
    newer = receive(uow, line("PADS", "5"), line("OIL", "20")).lines[0].lot
    return older, newer


def _stored(store, order):
    return next(o for o in store.rows.sales if o.number == order.number)


def _confirmed(uow, *lines: SaleLineAsked):
    order = sales.open_sale(uow(), CLERK, OpenSale(WALK_IN, lines))
    return sales.confirm(uow(), CLERK, order.number, expected_version=1)


def _sold(uow, *lines: SaleLineAsked):
    order = _confirmed(uow, *lines)
    order = sales.pay(uow(), CLERK, order.number, 2, PaySale("cash", None, order.total))
    return sales.complete(uow(), CLERK, order.number, 3, CompleteSale("INV-0001"))


def test_a_sale_is_held_paid_and_handed_over_from_the_oldest_lots(two_lots, uow, store):
    older, newer = two_lots
    order = _confirmed(uow, SaleLineAsked("PADS", Decimal(4), location="MAIN"), SaleLineAsked("OIL", Decimal("4.5")))

    assert order.status == CONFIRMED and order.total == Decimal("3152.00")  # 4 × 680 + 4.5 × 96
    held = store.reservation(order.lines[0].reservation)
    assert (held.for_kind, held.for_reference, held.quantity) == ("sales_order", order.number, Decimal(4))
    assert store.stock("PADS").available == Decimal(4)

    order = sales.pay(uow(), CLERK, order.number, 2, PaySale("wechat_pay", "WX-42", order.total))
    sales.complete(uow(), CLERK, order.number, 3, CompleteSale("INV-0001"))

    stored = _stored(store, order)
    assert (stored.status, stored.version) == (COMPLETED, 4)
    assert (store.stock("PADS").on_hand, store.stock("PADS").reserved, store.stock("OIL").on_hand) == (
        Decimal(4), Decimal(0), Decimal("15.5"))
    assert store.reservation(held.number).status == ReservationStatus.ISSUED
    assert [(m.part_number, m.lot, m.on_hand_change) for m in store.movements("sale") if m.part_number == "PADS"] == [
        ("PADS", older, Decimal(-3)), ("PADS", newer, Decimal(-1))]
    [completed] = store.events_of(events.SaleCompleted)
    assert [[(lot.lot, lot.quantity) for lot in sold.lots] for sold in completed.lines] == [
        [(older, Decimal(3)), (newer, Decimal(1))], [(store.stock("OIL").balances[0].lot, Decimal("4.5"))]]


def test_a_sale_the_stock_cannot_meet_stays_a_draft_and_takes_nothing(two_lots, uow, store):
    order = sales.open_sale(uow(), CLERK, OpenSale(WALK_IN, (
        SaleLineAsked("OIL", Decimal(5)), SaleLineAsked("PADS", Decimal(9)))))
    with pytest.raises(errors.LinesShort) as refused:
        sales.confirm(uow(), CLERK, order.number, expected_version=1)

    assert [short["part_number"] for short in refused.value.context["lines"]] == ["PADS"]
    assert _stored(store, order).status == "draft"
    assert store.rows.reservations == [] and store.stock("OIL").reserved == 0


def test_a_sale_is_not_held_with_what_a_repair_order_holds(two_lots, uow, store):
    reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(6), "repair_order", "RO-1", location="MAIN"))
    order = sales.open_sale(uow(), CLERK, OpenSale(WALK_IN, (SaleLineAsked("PADS", Decimal(3), location="MAIN"),)))
    with pytest.raises(errors.LinesShort):
        sales.confirm(uow(), CLERK, order.number, expected_version=1)
    assert store.stock("PADS").reserved == Decimal(6)


def test_a_change_against_an_old_version_is_refused(two_lots, uow, store):
    order = _confirmed(uow, SaleLineAsked("PADS", Decimal(1)))
    with pytest.raises(StaleVersion):
        sales.pay(uow(), CLERK, order.number, 1, PaySale("cash", None, order.total))
    assert _stored(store, order).status == CONFIRMED


def test_cancelling_a_confirmed_sale_lets_its_stock_go_and_it_cannot_be_paid_after(two_lots, uow, store):
    order = _confirmed(uow, SaleLineAsked("PADS", Decimal(4)))
    sales.cancel(uow(), CLERK, order.number, 2, CancelSale("customer changed his mind"))

    assert _stored(store, order).status == CANCELLED
    assert store.stock("PADS").available == Decimal(8)
    assert store.reservation(order.lines[0].reservation).status == ReservationStatus.RELEASED
    with pytest.raises(errors.SaleCancelled):
        sales.pay(uow(), CLERK, order.number, 3, PaySale("cash", None, order.total))


def test_a_faulty_part_brought_back_goes_into_its_lot_blocked_and_is_refunded(two_lots, uow, store):
    older, _ = two_lots
    order = _sold(uow, SaleLineAsked("PADS", Decimal(2)))
    sales.return_parts(uow(), CLERK, order.number, 4, ReturnParts(
        (ReturnAsked("PADS", Decimal(1), condition=FAULTY),), reason="squeals"))

    balance = store.stock("PADS").balance(older)
    assert (balance.on_hand, balance.quarantined) == (Decimal(2), Decimal(1))
    assert _stored(store, order).refunded_amount == Decimal("680.00")
    [returned] = store.events_of(events.SaleReturned)
    assert [(p.lot, p.quantity, p.condition) for p in returned.lines] == [(older, Decimal(1), FAULTY)]
    with pytest.raises(errors.ReturnExceedsSold):
        sales.return_parts(uow(), CLERK, order.number, 5, ReturnParts((ReturnAsked("PADS", Decimal(2)),)))
    assert store.stock("PADS").balance(older).on_hand == Decimal(2)
