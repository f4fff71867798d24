"""Reorder arithmetic: what to order, and the demand-driven figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from parts.domain.replenishment import demand_rule, order_quantity
from parts.domain.stock import ReorderRule

D = Decimal


def test_nothing_is_ordered_while_projected_stock_is_above_the_reorder_point():
    rule = ReorderRule(safety_stock=D(2), reorder_point=D(5), max_stock=D(20), pack_multiple=D(4))
    assert order_quantity(rule, available=D(6), on_order=D(0)) == 0
    assert order_quantity(rule, available=D(1), on_order=D(5)) == 0  # on order counts


def test_the_order_fills_up_to_max_in_whole_packs():
    rule = ReorderRule(safety_stock=D(2), reorder_point=D(5), max_stock=D(20), pack_multiple=D(4))
    assert order_quantity(rule, available=D(5), on_order=D(0)) == 16  # 15 short, 4 packs of 4
    assert order_quantity(rule, available=D(1), on_order=D(2)) == 20  # 17 short, 5 packs


def test_without_a_maximum_the_order_fills_up_to_the_reorder_point():
    rule = ReorderRule(reorder_point=D("8.5"), pack_multiple=D(1))
    assert order_quantity(rule, available=D(3), on_order=D(0)) == 6


@given(
    available=st.decimals(0, 500, places=0),
    on_order=st.decimals(0, 500, places=0),
    reorder_point=st.decimals(1, 300, places=0),
    extra=st.decimals(0, 300, places=0),
    pack=st.sampled_from([D(1), D(4), D(6), D(12), D("0.5")]),
)
def test_an_order_is_whole_packs_and_reaches_the_target(available, on_order, reorder_point, extra, pack):
    rule = ReorderRule(reorder_point=reorder_point, max_stock=reorder_point + extra, pack_multiple=pack)
    ordered = order_quantity(rule, available, on_order)
    projected = available + on_order
    if projected > reorder_point:
        assert ordered == 0
    else:
        assert ordered % pack == 0
        assert projected + ordered >= rule.max_stock
        assert projected + ordered - pack < rule.max_stock  # not a pack more than needed


def test_demand_figures_follow_the_formula_rounded_up_to_the_unit():
    # 90 days of history, all 90 units on one day: mean 1/day, σ = √89 ≈ 9.434.
    daily = [D(90)] + [D(0)] * 89
    rule = demand_rule(ReorderRule(max_stock=D(10), service_level=D("0.95")), daily, lead_time_days=4, places=0)
    # safety = 1.6449 × 9.434 × √4 = 31.04 → 32 whole units; reorder point = 1 × 4 + 32.
    assert (rule.safety_stock, rule.reorder_point, rule.max_stock, rule.lead_time_days) == (D(32), D(36), D(40), 4)


def test_steady_demand_needs_no_safety_stock_and_litres_keep_two_places():
    rule = demand_rule(ReorderRule(service_level=D("0.95")), [D("1.25")] * 30, lead_time_days=3, places=2)
    assert (rule.safety_stock, rule.reorder_point, rule.max_stock) == (D("0.00"), D("3.75"), D("7.50"))
