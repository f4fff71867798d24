"""Stock moved between locations (移库), counted (盘点) and watched against its safety stock
(安全库存), with the demand-driven rule kept up to date from what was issued."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from parts.domain import errors, events
from parts.domain.counting import CountStatus
from parts.service import counts, issues, lots, reorder, reservations, stock_transfers
from parts.service.issues import IssueLineAsked, IssueParts
from parts.service.reservations import Reserve
from parts.service.stock_transfers import TransferStock

from services.parts.tests.service.conftest import CLERK, MANAGER, line, receive


@pytest.fixture
def two_lots(desk, uow, clock):
    """PADS at MAIN: 3 of an older lot, 5 of a newer one; 20 L of OIL."""
    older = receive(uow, line("PADS", "3")).lines[0].lot
    clock.now += timedelta(hours=1)
    newer, oil = (x.lot for x in receive(uow, line("PADS", "5"), line("OIL", "20")).lines)
    return older, newer, oil


def _issue(uow, repair_order: str, part: str, quantity: int):
    issues.issue(uow(), CLERK, IssueParts(repair_order, "LSVAM4187C2184847", "tech-wu",
                                          (IssueLineAsked(part, Decimal(quantity)),)))


# ---------------------------------------------------------------- transfers


def test_a_transfer_moves_available_stock_lot_by_lot_and_leaves_what_is_held(two_lots, uow, store):
    older, newer, _ = two_lots
    reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-1", location="MAIN"))
    moved = stock_transfers.transfer(uow(), CLERK, TransferStock("PADS", "MAIN", "BODY", Decimal(5), "body shop job"))

    assert [(p.lot, p.quantity) for p in moved.picks] == [(older, 1), (newer, 4)]  # 2 of the older lot are held
    main, body = store.stock("PADS", "MAIN"), store.stock("PADS", "BODY")
    assert (main.on_hand, main.reserved, main.available) == (Decimal(3), Decimal(2), Decimal(1))
    assert {b.lot: b.on_hand for b in body.balances} == {older: 1, newer: 4}
    assert sum(m.on_hand_change for m in store.movements("transfer_out")) == Decimal(-5)
    assert sum(m.on_hand_change for m in store.movements("transfer_in")) == Decimal(5)
    assert {e.transfer for e in store.events_of(events.StockTransferred)} == {moved.number}


def test_a_transfer_is_refused_whole_beyond_what_is_available_from_a_held_lot_or_to_the_same_place(two_lots, uow,
                                                                                                  store):
    older, _, _ = two_lots
    reservations.reserve(uow(), CLERK, Reserve("PADS", Decimal(2), "repair_order", "RO-1", location="MAIN"))
    with pytest.raises(errors.InsufficientStock):
        stock_transfers.transfer(uow(), CLERK, TransferStock("PADS", "MAIN", "BODY", Decimal(7), "body shop job"))
    with pytest.raises(errors.SameLocation):
        stock_transfers.transfer(uow(), CLERK, TransferStock("PADS", "MAIN", "MAIN", Decimal(1), "tidy up"))
    lots.quarantine(uow(), MANAGER, older, lots.HoldReason("recall"))
    with pytest.raises(errors.LotQuarantined):
        stock_transfers.transfer(uow(), CLERK, TransferStock("PADS", "MAIN", "BODY", Decimal(1), "x", lot=older))

    assert store.stock("PADS", "BODY") is None  # not even created empty
    assert store.movements("transfer_out") == []


# ---------------------------------------------------------------- counts


def _count_all(uow, store, figures: dict[str, int]):
    """Open a count of MAIN and record each lot's figure (by lot code)."""
    count = counts.open_count(uow(), CLERK, counts.OpenCount("MAIN"))
    lines = tuple(counts.CountLineAsked(x.part_number, x.lot, Decimal(figures[x.lot])) for x in count.lines)
    return counts.record(uow(), CLERK, count.number, counts.RecordCountLines(lines))


def _stored(store, count):
    return next(c for c in store.rows.counts if c.number == count.number)


def test_a_count_with_small_differences_posts_when_it_is_submitted(two_lots, uow, store):
    older, newer, oil = two_lots
    count = _count_all(uow, store, {older: 3, newer: 5, oil: 18})  # 2 L short: 192.00 at list price
    counts.submit(uow(), CLERK, count.number)

    assert _stored(store, count).status is CountStatus.POSTED
    assert store.stock("OIL").on_hand == Decimal(18)
    assert [(m.lot, m.on_hand_change, m.reference) for m in store.movements("adjust")] == [
        (oil, Decimal(-2), count.number)]
    assert [(e.lot, e.change) for e in store.events_of(events.StockAdjusted)] == [(oil, Decimal(-2))]


def test_a_large_difference_waits_for_the_manager_who_approves_it_or_sends_it_back(two_lots, uow, store):
    older, newer, oil = two_lots
    count = _count_all(uow, store, {older: 3, newer: 4, oil: 18})  # one set of pads short: 680.00
    counts.submit(uow(), CLERK, count.number)

    assert _stored(store, count).status is CountStatus.AWAITING_APPROVAL
    assert (store.stock("PADS").on_hand, store.stock("OIL").on_hand) == (Decimal(8), Decimal(20))  # nothing posted
    with pytest.raises(errors.CountNotInStatus):
        counts.record(uow(), CLERK, count.number,
                      counts.RecordCountLines((counts.CountLineAsked("PADS", newer, Decimal(5)),)))

    counts.decide(uow(), MANAGER, count.number, counts.DecideOnCount(approve=False, note="count the pads again"))
    stored = _stored(store, count)
    assert stored.status is CountStatus.COUNTING
    assert [(x.lot, x.counted) for x in stored.lines if x.counted is None] == [(newer, None)]  # only the large one

    counts.record(uow(), CLERK, count.number,
                  counts.RecordCountLines((counts.CountLineAsked("PADS", newer, Decimal(4)),)))
    counts.submit(uow(), CLERK, count.number)
    counts.decide(uow(), MANAGER, count.number, counts.DecideOnCount(approve=True, note="one set found damaged"))
    assert _stored(store, count).status is CountStatus.POSTED
    assert (store.stock("PADS").balance(newer).on_hand, store.stock("OIL").on_hand) == (Decimal(4), Decimal(18))


def test_a_count_posts_the_difference_on_what_the_lot_holds_at_posting(two_lots, uow, store):
    older, newer, oil = two_lots
    count = _count_all(uow, store, {older: 3, newer: 5, oil: 17})
    _issue(uow, "RO-1", "OIL", 5)  # while the count waited to be submitted
    counts.submit(uow(), CLERK, count.number)

    assert store.stock("OIL").on_hand == Decimal(12)  # 20 - 5 issued - 3 missing


# ---------------------------------------------------------------- safety stock and reorder


def test_crossing_the_safety_stock_is_announced_once_each_way(two_lots, uow, store):
    reorder.set_rule(uow(), MANAGER, reorder.SetReorderRule(part_number="PADS", safety_stock=Decimal(5),
                                                            reorder_point=Decimal(6), max_stock=Decimal(12),
                                                            pack_multiple=Decimal(1)))
    _issue(uow, "RO-1", "PADS", 4)
    _issue(uow, "RO-2", "PADS", 1)
    receive(uow, line("PADS", "4"))

    assert [(type(e).__name__, e.available) for e in store.events
            if isinstance(e, (events.StockBelowSafetyLevel, events.StockReplenished))] == [
        ("StockBelowSafetyLevel", Decimal(4)), ("StockReplenished", Decimal(7))]
    with pytest.raises(errors.RuleOutOfOrder):
        reorder.set_rule(uow(), MANAGER, reorder.SetReorderRule(part_number="PADS", safety_stock=Decimal(8),
                                                                reorder_point=Decimal(6), max_stock=Decimal(12),
                                                                pack_multiple=Decimal(1)))
    assert store.stock("PADS").rule.safety_stock == Decimal(5)


def test_a_demand_driven_rule_follows_the_issue_history(desk, uow, units, store, clock):
    receive(uow, line("PADS", "40"))
    _issue(uow, "RO-1", "PADS", 2)
    reorder.set_rule(uow(), MANAGER, reorder.SetReorderRule(part_number="PADS", safety_stock=Decimal(0),
                                                            reorder_point=Decimal(0), max_stock=Decimal(0),
                                                            pack_multiple=Decimal(1), mode="demand"))

    # 2 sets in 90 days, S1's 5 days' lead time: safety z·σ·√5 = 0.77 -> 1, reorder point 0.11 -> 1, + 1.
    rule = store.stock("PADS").rule
    assert (rule.safety_stock, rule.reorder_point, rule.max_stock, rule.lead_time_days) == (1, 2, 3, 5)
    assert reorder.recompute_demand(units) == 0  # nothing new

    clock.now += timedelta(days=1)
    for order in range(10):
        _issue(uow, f"RO-1{order}", "PADS", 2)
    assert reorder.recompute_demand(units) == 1
    assert store.stock("PADS").rule.reorder_point > 2
