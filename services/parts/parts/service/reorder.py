"""Safety stock and reorder settings (安全库存), set by the parts manager, and the demand-driven
figures the service keeps current from the issue history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shared.auth import Caller
from shared.db import ALL_DEALERS

from parts.domain.catalog import UNITS
from parts.domain.replenishment import demand_rule
from parts.domain.stock import PartStock, ReorderRule
from parts.service.ports import PartsUnitOfWork, UnitsOfWork

SYSTEM = "system:reorder"


def set_rule(uow: PartsUnitOfWork, caller: Caller, *, part_number: str, location: str | None = None,
             safety_stock: Decimal, reorder_point: Decimal, max_stock: Decimal, pack_multiple: Decimal,
             lead_time_days: int | None = None, mode: str = "fixed",
             service_level: Decimal = Decimal("0.95")) -> PartStock:
    """In demand mode the manager's safety stock and reorder point are replaced at once by the
    figures from the issue history (the maximum stays as a floor)."""
    with uow:
        part = uow.parts.require(part_number, field="part_number")
        where = location or uow.rules.default_location
        uow.locations.require(where, field="location")
        for name, value in (("safety_stock", safety_stock), ("reorder_point", reorder_point),
                            ("max_stock", max_stock), ("pack_multiple", pack_multiple)):
            part.check_quantity(value, field=name)
        stock = uow.stock.get_or_create_for_update(part_number, where)
        rule = ReorderRule(safety_stock=safety_stock, reorder_point=reorder_point, max_stock=max_stock,
                           lead_time_days=lead_time_days, pack_multiple=pack_multiple, mode=mode,
                           service_level=service_level)
        if mode == "demand":
            rule = _from_demand(uow, stock, rule, UNITS.get(part.details.unit, 3))
        stock.set_rule(rule, at=uow.now())
        uow.commit()
    return stock


def recompute_demand(units_of_work: UnitsOfWork) -> int:
    """The service's own nightly round: bring every demand-driven rule up to date with the
    issue history, one stock per transaction. Returns how many rules changed."""
    finder = units_of_work(dealer=ALL_DEALERS, actor=SYSTEM, correlation_id="reorder-demand")
    with finder:
        due = finder.stock.demand_driven()
    changed = 0
    for dealer, part_number, location in due:
        uow = units_of_work(dealer=dealer, actor=SYSTEM, correlation_id=f"demand-{part_number}")
        with uow:
            stock = uow.stock.get_for_update(part_number, location)
            part = uow.parts.get(part_number)
            if stock is None or part is None or stock.rule.mode != "demand":
                continue
            rule = _from_demand(uow, stock, stock.rule, UNITS.get(part.details.unit, 3))
            if rule != stock.rule:
                stock.set_rule(rule, at=uow.now())
                changed += 1
            uow.commit()
    return changed


def _from_demand(uow: PartsUnitOfWork, stock: PartStock, rule: ReorderRule, places: int) -> ReorderRule:
    days = uow.rules.demand_history_days
    now = uow.now()
    daily = [Decimal("0")] * days
    for at, used in uow.stock.usage(stock.part_number, stock.location, since=now - timedelta(days=days)):
        daily[min(days - 1, (now - at).days)] += used
    lead_time = rule.lead_time_days or uow.stock.lead_time_of(stock.part_number) or uow.rules.default_lead_time_days
    return demand_rule(rule, daily, lead_time, places)
