"""Holding parts for a repair order or an appointment (预留): first in first out by lot, never more
than is available, a quote all or nothing, released by the clerk or by the expiry sweep."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parts.domain import errors, events
from parts.domain.stock import ReservationStatus
from parts.service import reservations
from parts.service.reservations import ReservationLineAsked, Reserve, ReserveQuote

from services.parts.tests.service.conftest import CLERK, caller, line, receive


@pytest.fixture
def two_lots(desk, uow, clock):
    """PADS at MAIN: 3 of an older lot, 5 of a newer one; 2 at BODY."""
    older = receive(uow, line("PADS", "3")).lines[0].lot
    clock.now += timedelta(hours=1)
    newer = receive(uow, line("PADS", "5"), line("PADS", "2", location="BODY")).lines[0].lot
    return older, newer


def test_a_reservation_takes_the_oldest_lots_first_and_says_what_for_in_the_ledger(two_lots, uow, store):
    older, newer = two_lots
    held = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(4), "repair_order", "RO-1", location="MAIN"))

    stock = store.stock("PADS")
    assert (stock.reserved, stock.available) == (Decimal(4), Decimal(4))
    assert {a.lot: a.quantity for a in store.reservation(held.number).allocations} == {older: 3, newer: 1}
    assert [(m.lot, m.reserved_change, m.reason) for m in store.movements("reserve")] == [
        (older, Decimal(3), "reserved for repair order RO-1"), (newer, Decimal(1), "reserved for repair order RO-1")]
    [reserved] = store.events_of(events.StockReserved)
    assert (reserved.reservation, reserved.quantity, reserved.for_reference) == (held.number, Decimal(4), "RO-1")


def test_reserving_more_than_is_available_changes_nothing(two_lots, uow, store):
    before = (len(store.ledger), len(store.events))
    with pytest.raises(errors.InsufficientStock) as refused:
        reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(9), "repair_order", "RO-1", location="MAIN"))

    assert refused.value.context["available"] == Decimal(8)
    assert store.stock("PADS").reserved == 0
    assert store.rows.reservations == []
    assert (len(store.ledger), len(store.events)) == before


def test_what_is_held_for_one_repair_order_is_not_available_to_the_next(two_lots, uow, store):
    reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(6), "repair_order", "RO-1", location="MAIN"))
    with pytest.raises(errors.InsufficientStock):
        reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(3), "repair_order", "RO-2", location="MAIN"))
    reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-2", location="MAIN"))

    stock = store.stock("PADS")
    assert (stock.on_hand, stock.reserved, stock.available) == (Decimal(8), Decimal(8), Decimal(0))
    assert all(balance.reserved <= balance.on_hand for balance in stock.balances)


def test_without_a_location_the_parts_are_held_where_one_location_has_them_all(two_lots, uow, store):
    reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(7), "repair_order", "RO-1"))
    held = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-2"))

    assert held.location == "BODY"  # MAIN has 1 left
    assert store.stock("PADS", "BODY").reserved == Decimal(2)


def test_a_quote_is_held_whole_or_not_at_all_and_every_short_line_is_named(two_lots, uow, store):
    receive(uow, line("OIL", "4"))
    quote = ReserveQuote("repair_order", "RO-1", lines=(
        ReservationLineAsked("PADS", Decimal(2), location="MAIN"),
        ReservationLineAsked("OIL", Decimal(5)),
        ReservationLineAsked("PADS", Decimal(7), location="MAIN"),
    ))
    with pytest.raises(errors.LinesShort) as refused:
        reservations.reserve_quote(uow(), CLERK, quote)

    assert [(short["line"], short["part_number"]) for short in refused.value.context["lines"]] == [
        (1, "OIL"), (2, "PADS")]
    assert store.rows.reservations == []
    assert store.stock("PADS").reserved == store.stock("OIL").reserved == 0

    held = reservations.reserve_quote(uow(), CLERK, ReserveQuote("repair_order", "RO-1", lines=(
        ReservationLineAsked("PADS", Decimal(2), location="MAIN"), ReservationLineAsked("OIL", Decimal(4)))))
    assert [(r.part_number, r.quantity, r.status) for r in held] == [
        ("PADS", Decimal(2), ReservationStatus.ACTIVE), ("OIL", Decimal(4), ReservationStatus.ACTIVE)]
    assert len({r.number for r in held}) == 2


def test_releasing_gives_the_stock_back_once(two_lots, uow, store):
    held = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(4), "repair_order", "RO-1", location="MAIN"))
    reservations.release(uow(), CLERK, held.number, reservations.ReleaseReservation("customer cancelled"))

    assert store.stock("PADS").available == Decimal(8)
    assert store.reservation(held.number).status == ReservationStatus.RELEASED
    assert sum(m.reserved_change for m in store.movements("release")) == Decimal(-4)
    with pytest.raises(errors.ReservationNotActive):
        reservations.release(uow(), CLERK, held.number, reservations.ReleaseReservation())
    with pytest.raises(errors.ReservationNotFound):
        reservations.release(uow(), CLERK, "RV-261207-NOSUCH00", reservations.ReleaseReservation())


def test_another_dealers_reservation_is_not_found_and_stays_held(two_lots, uow, store):
    held = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(4), "repair_order", "RO-1", location="MAIN"))
    with pytest.raises(errors.ReservationNotFound):
        reservations.release(uow("D002"), caller(dealer="D002"), held.number, reservations.ReleaseReservation())
    assert store.reservation(held.number).status == ReservationStatus.ACTIVE


def test_the_sweep_releases_what_ran_out_once_and_leaves_the_rest(two_lots, uow, units, store, clock):
    short = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-1", location="MAIN",
                                                        expires_at=clock() + timedelta(hours=2)))
    long = reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(3), "repair_order", "RO-2", location="MAIN"))
    clock.now += timedelta(hours=3)

    assert reservations.release_expired(units) == 1
    assert reservations.release_expired(units) == 0
    assert store.reservation(short.number).status == ReservationStatus.EXPIRED
    assert store.reservation(long.number).status == ReservationStatus.ACTIVE
    assert store.stock("PADS").reserved == Decimal(3)
    assert [e.reason for e in store.events_of(events.ReservationReleased)] == ["expired"]


def test_an_appointment_for_a_high_value_part_needs_half_its_price_as_deposit(desk, uow, store):
    receive(uow, line("ECU", "1", cost="6000.00"))
    with pytest.raises(errors.DepositRequired) as refused:
        reservations.reserve(uow(), CLERK, Reserve("ECU", Decimal(1), "appointment", "AP-9", deposit=Decimal(1000)))
    assert refused.value.context["required"] == Decimal("4400.00")
    assert store.stock("ECU").reserved == 0

    held = reservations.reserve(uow(), CLERK, Reserve("ECU", Decimal(1), "appointment", "AP-9",
                                                      deposit=Decimal("4400.00")))
    assert store.reservation(held.number).deposit == Decimal("4400.00")
