"""Reorder arithmetic (补货): what to order, and the demand-driven rule.

Pure functions of figures the service reads; nothing here touches stock.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from parts.domain.stock import ReorderRule

ZERO = Decimal("0")
QUANTUM = Decimal("0.001")


def order_quantity(rule: ReorderRule, available: Decimal, on_order: Decimal) -> Decimal:
    """How much to order now: nothing while projected stock (available + on order) is above
    the reorder point; else up to the maximum (or the reorder point when no maximum is set),
    rounded up to whole packs."""
    projected = available + on_order
    if rule.reorder_point <= ZERO or projected > rule.reorder_point:
        return ZERO
    target = max(rule.max_stock, rule.reorder_point)
    short = target - projected
    if short <= ZERO:
        return ZERO
    packs = (short / rule.pack_multiple).to_integral_value(rounding=ROUND_CEILING)
    return packs * rule.pack_multiple


def demand_rule(rule: ReorderRule, daily_demand: list[Decimal], lead_time_days: int, places: int) -> ReorderRule:
    """The demand-driven figures from the issue history, one value per day (zero days included):
    safety stock = z × σ(daily demand) × √lead time, with z from the service level;
    reorder point = mean daily demand × lead time + safety stock;
    maximum = reorder point + mean demand over one lead time, unless the manager set a higher one.
    Rounded up to the part's unit (a whole set, two places of a litre)."""
    if not daily_demand:
        return rule
    mean = statistics.fmean(float(d) for d in daily_demand)
    sigma = statistics.pstdev(float(d) for d in daily_demand)
    z = statistics.NormalDist().inv_cdf(float(rule.service_level))
    safety = _up(z * sigma * math.sqrt(lead_time_days), places)
    reorder_point = _up(mean * lead_time_days, places) + safety
    maximum = max(rule.max_stock, reorder_point + _up(mean * lead_time_days, places))
    return replace(rule, safety_stock=safety, reorder_point=reorder_point, max_stock=maximum,
                   lead_time_days=lead_time_days)


def _up(value: float, places: int) -> Decimal:
    step = Decimal(1).scaleb(-places)
    # Round to a micro-unit first so float noise (2.0000000001) does not add a whole unit.
    exact = Decimal(repr(max(value, 0.0))).quantize(QUANTUM / 1000, rounding=ROUND_HALF_UP)
    return exact.quantize(step, rounding=ROUND_CEILING).quantize(QUANTUM)
