"""Reports on counter sales (配件销售报表) for the parts manager: sales per day, category or
customer group with their margin at lot cost; returns; and a promotion's effect against the
same length of time right before it (促销效果评估, parts standard 1.3.4).

A sale counts on the day it was completed (handed over with its invoice), in the dealer's
time zone; its revenue is what its lines charged, its cost what the lots actually handed over
cost (each sold lot's quantity at that lot's unit cost). Returns are reported on their own, on
the day they came back: the sales figures are what was sold, not net of later returns.
Sessions are dealer-scoped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from parts.domain.catalog import Part
from parts.domain.pricing import Promotion
from parts.domain.sales import CENT, COMPLETED, HUNDRED, ZERO, SaleLine, SaleLot, SaleReturn, SaleReturnLine, SalesOrder
from parts.domain.supply import Lot
from parts.queries.quality import Period

DAY, CATEGORY, CUSTOMER_GROUP = "day", "category", "customer_group"
GROUPINGS = (DAY, CATEGORY, CUSTOMER_GROUP)


@dataclass
class Figures:
    """What a set of sold lines adds up to."""

    orders: set = field(default_factory=set)
    lines: int = 0
    quantity: Decimal = ZERO
    revenue: Decimal = ZERO
    cost: Decimal = ZERO

    def add(self, line: SoldLine) -> None:
        self.orders.add(line.order)
        self.lines += 1
        self.quantity += line.quantity
        self.revenue += line.revenue
        self.cost += line.cost

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    def as_dict(self) -> dict:
        return {"orders": len(self.orders), "lines": self.lines, "quantity": self.quantity, "revenue": self.revenue,
                "cost": self.cost.quantize(CENT, ROUND_HALF_UP),
                "margin": self.margin.quantize(CENT, ROUND_HALF_UP),
                "margin_percent": None if self.revenue == ZERO else _percent(self.margin, self.revenue)}


@dataclass(frozen=True)
class SoldLine:
    order: int
    day: date
    customer_group: str | None
    part_number: str
    category: str | None
    promotion: str | None
    quantity: Decimal
    revenue: Decimal
    cost: Decimal


# ---------------------------------------------------------------- sales


def sales_report(session: Session, period: Period, group_by: str) -> dict:
    """The period's completed sales grouped by `group_by`, in key order, and their total."""
    key = {DAY: lambda line: line.day.isoformat(), CATEGORY: lambda line: line.category,
           CUSTOMER_GROUP: lambda line: line.customer_group}[group_by]
    groups: dict[str | None, Figures] = defaultdict(Figures)
    total = Figures()
    for line in sold_lines(session, period):
        groups[key(line)].add(line)
        total.add(line)
    return {"start": period.start, "end": period.end, "group_by": group_by,
            "items": [{"key": name, **groups[name].as_dict()} for name in sorted(groups, key=lambda k: (k is None, k))],
            "total": total.as_dict()}


def sold_lines(session: Session, period: Period, *, where: Iterable = ()) -> list[SoldLine]:
    """Every line of the sales completed in the period, with its revenue and its lots' cost."""
    rows = session.execute(
        select(SaleLine.id, SalesOrder.id, SalesOrder.completed_at, SalesOrder.customer_group, SaleLine.part_number,
               Part.category, SaleLine.promotion, SaleLine.quantity, SaleLine.free_quantity, SaleLine.unit_price)
        .join(SalesOrder, SalesOrder.id == SaleLine.sales_order_id)
        .outerjoin(Part, Part.part_number == SaleLine.part_number)
        .where(SalesOrder.status == COMPLETED, *period.of(SalesOrder.completed_at), *where)
        .order_by(SaleLine.id)).all()
    costs = _lot_costs(session, [row[0] for row in rows])
    return [SoldLine(order=order, day=completed_at.astimezone(period.zone).date(), customer_group=group,
                     part_number=part_number, category=category, promotion=promotion, quantity=quantity,
                     revenue=(unit_price * (quantity - free)).quantize(CENT, ROUND_HALF_UP),
                     cost=costs.get(line_id, ZERO))
            for line_id, order, completed_at, group, part_number, category, promotion, quantity, free, unit_price
            in rows]


def _lot_costs(session: Session, line_ids: list[int]) -> dict[int, Decimal]:
    """Each line's cost: the quantity handed over from each lot at that lot's unit cost."""
    costs: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for start in range(0, len(line_ids), 500):  # keeps the IN list within every database's limits
        for line_id, quantity, unit_cost in session.execute(
                select(SaleLot.sale_line_id, SaleLot.quantity, Lot.unit_cost)
                .join(Lot, Lot.code == SaleLot.lot)
                .where(SaleLot.sale_line_id.in_(line_ids[start:start + 500]))):
            costs[line_id] += quantity * unit_cost
    return costs


# ---------------------------------------------------------------- returns


def returns_report(session: Session, period: Period) -> dict:
    """The returns taken in the period: how many, what came back and what was refunded, per
    reason and per condition."""
    returns = session.execute(
        select(SaleReturn.id, SaleReturn.reason, SaleReturn.refund_amount)
        .where(*period.of(SaleReturn.returned_at))).all()
    lines = session.execute(
        select(SaleReturnLine.sale_return_id, SaleReturnLine.condition, SaleReturnLine.quantity,
               SaleReturnLine.value)
        .join(SaleReturn, SaleReturn.id == SaleReturnLine.sale_return_id)
        .where(*period.of(SaleReturn.returned_at))).all()
    reason_of = {number: reason for number, reason, _ in returns}
    by_reason: dict[str | None, dict] = defaultdict(lambda: {"count": 0, "quantity": ZERO, "refunded": ZERO})
    for _, reason, refunded in returns:
        by_reason[reason]["count"] += 1
        by_reason[reason]["refunded"] += refunded
    by_condition: dict[str, dict] = defaultdict(lambda: {"quantity": ZERO, "value": ZERO})
    for return_id, condition, quantity, value in lines:
        by_reason[reason_of[return_id]]["quantity"] += quantity
        by_condition[condition]["quantity"] += quantity
        by_condition[condition]["value"] += value
    return {
        "start": period.start, "end": period.end, "count": len(returns),
        "quantity": sum((line[2] for line in lines), ZERO), "value": sum((line[3] for line in lines), ZERO),
        "refunded": sum((row[2] for row in returns), ZERO),
        "by_reason": [{"reason": reason, **figures} for reason, figures in
                      sorted(by_reason.items(), key=lambda item: (item[0] is None, item[0]))],
        "by_condition": [{"condition": condition, **figures} for condition, figures in sorted(by_condition.items())],
    }


# ---------------------------------------------------------------- a promotion's effect


def promotion_effect(session: Session, promotion: Promotion, zone: tzinfo) -> dict:
    """The sales of the promotion's parts and categories while it ran (its first day to its
    last, or to the day it was ended) against the same number of days right before it."""
    days = (promotion.last_day - promotion.starts_on).days + 1
    during = Period(promotion.starts_on, promotion.last_day, zone)
    before = Period(promotion.starts_on - timedelta(days=days), promotion.starts_on - timedelta(days=1), zone)
    scope = _in_scope(promotion)
    figures = {name: _figures(sold_lines(session, period, where=scope), promotion.code)
               for name, period in (("during", during), ("before", before))}
    return {
        "promotion": promotion.code, "days": max(days, 0),
        "during": {"start": during.start, "end": during.end, **figures["during"][0].as_dict(),
                   "at_promotion_price": figures["during"][1]},
        "before": {"start": before.start, "end": before.end, **figures["before"][0].as_dict()},
        "change_percent": {name: _change(getattr(figures["before"][0], name), getattr(figures["during"][0], name))
                           for name in ("quantity", "revenue", "margin")},
    }


def _in_scope(promotion: Promotion) -> list:
    """Lines of its part numbers or in its categories (as the catalog files the part today)."""
    conditions: list = []
    if promotion.part_numbers:
        conditions.append(func.lower(SaleLine.part_number).in_([p.lower() for p in promotion.part_numbers]))
    if promotion.categories:
        conditions.append(func.lower(Part.category).in_([c.lower() for c in promotion.categories]))
    return [or_(*conditions)]


def _figures(lines: list[SoldLine], code: str) -> tuple[Figures, Decimal]:
    """The lines' figures, and how much of their quantity was sold at the promotion's price."""
    figures = Figures()
    promoted = ZERO
    for line in lines:
        figures.add(line)
        promoted += line.quantity if line.promotion == code else ZERO
    return figures, promoted


def _change(before: Decimal, during: Decimal) -> Decimal | None:
    """How much `during` is above (or below) `before`, in percent; none from nothing."""
    return None if before == ZERO else _percent(during - before, before)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)

