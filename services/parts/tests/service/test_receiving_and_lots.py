"""Stock coming in (入库): a delivery booked into lots, its incoming inspection, a lot put on hold
(质量冻结) and released, stock sent back to its supplier (退货)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parts.domain import errors, events
from parts.domain.stock import ReservationStatus
from parts.domain.supply import Inspection
from parts.service import issues, lots, purchasing, reservations

from services.parts.tests.service.conftest import CLERK, MANAGER, caller, line, receive


def test_a_delivery_books_one_lot_per_line_with_a_ledger_row_and_an_event_each(desk, uow, store):
    receipt = receive(uow, line("PADS", "4"), line("OIL", "20.5", cost="30.00"), delivery_note="DN-88")

    pads, oil = store.stock("PADS"), store.stock("OIL")
    assert (pads.on_hand, pads.available, oil.on_hand) == (Decimal(4), Decimal(4), Decimal("20.5"))
    assert [receipt_line.lot for receipt_line in receipt.lines] == [pads.balances[0].lot, oil.balances[0].lot]
    assert sorted((m.part_number, m.on_hand_change, m.reference) for m in store.movements("receipt")) == [
        ("OIL", Decimal("20.5"), receipt.number), ("PADS", Decimal(4), receipt.number)]
    assert sorted((e.part_number, e.quantity, e.supplier) for e in store.events_of(events.StockReceived)) == [
        ("OIL", Decimal("20.5"), "S1"), ("PADS", Decimal(4), "S1")]


def test_a_delivery_from_an_unqualified_supplier_books_nothing(desk, uow, store):
    before = len(store.events)
    with pytest.raises(errors.SupplierNotQualified):
        receive(uow, line("PADS", "4"), supplier="S9")
    assert store.stock("PADS") is None
    assert (store.rows.lots, store.ledger, len(store.events)) == ([], [], before)


def test_one_bad_line_and_no_line_of_the_delivery_is_booked(desk, uow, store):
    with pytest.raises(errors.LocationNotFound) as refused:
        receive(uow, line("PADS", "4"), line("OIL", "5", location="ROOF"))
    assert refused.value.context["field"] == "lines.1.location"
    assert store.stock("PADS") is None and store.ledger == []


def test_a_delivery_against_its_purchase_order_is_no_longer_on_order(desk, uow, store):
    order = purchasing.place(uow(), MANAGER, purchasing.OrderFromSupplier(
        "S1", (purchasing.OrderLineAsked("PADS", Decimal(4)),)))
    receive(uow, line("PADS", "4"), purchase_order=order.number)

    stored = next(o for o in store.rows.orders if o.number == order.number)
    assert stored.status == "received"
    assert stored.lines[0].outstanding == 0
    with pytest.raises(errors.PurchaseOrderClosed):
        receive(uow, line("PADS", "1"), purchase_order=order.number)
    assert store.stock("PADS").on_hand == Decimal(4)


def test_a_lot_pending_inspection_is_blocked_until_it_passes(desk, uow, store):
    receipt = receive(uow, line("PADS", "4", inspection="pending"))
    lot = receipt.lines[0].lot
    assert (store.stock("PADS").on_hand, store.stock("PADS").available) == (Decimal(4), Decimal(0))
    with pytest.raises(errors.InsufficientStock):
        reservations.reserve(uow(), CLERK, reservations.Reserve("PADS", Decimal(1), "repair_order", "RO-1"))

    lots.record_inspection(uow(), caller("inspector-he"), lot, lots.RecordInspection(Inspection.PASSED))
    assert store.stock("PADS").available == Decimal(4)
    assert [m.quarantined_change for m in store.movements("unblock")] == [Decimal(-4)]
    assert [e.result for e in store.events_of(events.LotInspected)] == ["passed"]


def test_a_failed_inspection_keeps_the_lot_blocked_and_counts_against_the_supplier(desk, uow, store):
    lot = receive(uow, line("PADS", "4", inspection="pending")).lines[0].lot
    lots.record_inspection(uow(), caller("inspector-he"), lot, lots.RecordInspection(Inspection.FAILED, note="cracked"))

    assert store.stock("PADS").available == Decimal(0)
    quality = store.events_of(events.SupplierQualityChanged)
    assert [(e.supplier, e.cause, e.lots_inspected, e.lots_rejected) for e in quality] == [
        ("S1", "inspection_failed", 1, 1)]
    with pytest.raises(errors.AlreadyInspected):
        lots.record_inspection(uow(), caller("inspector-he"), lot, lots.RecordInspection(Inspection.PASSED))
    assert store.stock("PADS").available == Decimal(0)


def test_quarantine_blocks_the_lot_everywhere_and_moves_its_reservations_to_other_lots(desk, uow, store, clock):
    old = receive(uow, line("PADS", "3")).lines[0].lot
    clock.now = clock.now.replace(hour=10)
    new = receive(uow, line("PADS", "5")).lines[0].lot
    held = reservations.reserve(uow(), CLERK, reservations.Reserve("PADS", Decimal(2), "repair_order", "RO-7"))
    assert [a.lot for a in store.reservation(held.number).allocations] == [old]  # oldest first
    issues.issue(uow(), CLERK, issues.IssueParts("RO-6", "LSVAM4187C2184847", "tech-wu",
                                                (issues.IssueLineAsked("PADS", Decimal(1)),)))

    lots.quarantine(uow(), MANAGER, old, lots.HoldReason("supplier recall notice"))

    stock = store.stock("PADS")
    assert (stock.balance(old).quarantined, stock.balance(old).reserved) == (stock.balance(old).on_hand, Decimal(0))
    assert {a.lot: a.quantity for a in store.reservation(held.number).allocations} == {old: 0, new: Decimal(2)}
    assert stock.available == Decimal(3)  # 5 of the new lot, 2 of them held
    [quarantined] = store.events_of(events.LotQuarantined)
    assert quarantined.affected_vins == ("LSVAM4187C2184847",)
    with pytest.raises(errors.LotAlreadyOnHold):
        lots.quarantine(uow(), MANAGER, old, lots.HoldReason("again"))

    lots.release(uow(), MANAGER, old, lots.HoldReason("supplier cleared the batch"))
    assert store.stock("PADS").available == Decimal(3) + store.stock("PADS").balance(old).on_hand


def test_a_reservation_that_no_other_lot_can_hold_is_cut_when_its_lot_is_quarantined(desk, uow, store):
    lot = receive(uow, line("PADS", "2")).lines[0].lot
    held = reservations.reserve(uow(), CLERK, reservations.Reserve("PADS", Decimal(2), "repair_order", "RO-7"))
    lots.quarantine(uow(), MANAGER, lot, lots.HoldReason("quality hold"))

    assert store.reservation(held.number).status == ReservationStatus.RELEASED
    assert [(e.reservation, e.reason) for e in store.events_of(events.ReservationReleased)] == [
        (held.number, "lot_blocked")]


def test_stock_goes_back_to_its_supplier_only_as_far_as_it_is_not_reserved(desk, uow, store):
    lot = receive(uow, line("PADS", "4")).lines[0].lot
    reservations.reserve(uow(), CLERK, reservations.Reserve("PADS", Decimal(3), "repair_order", "RO-1"))
    with pytest.raises(errors.InsufficientStock):
        lots.return_to_supplier(uow(), MANAGER, lot, lots.ReturnToSupplier("MAIN", Decimal(2), "damaged"))
    assert store.stock("PADS").on_hand == Decimal(4)

    lots.return_to_supplier(uow(), MANAGER, lot, lots.ReturnToSupplier("MAIN", Decimal(1), "damaged"))
    assert store.stock("PADS").on_hand == Decimal(3)
    assert [(e.lot, e.quantity, e.reason) for e in store.events_of(events.StockReturnedToSupplier)] == [
        (lot, Decimal(1), "damaged")]
