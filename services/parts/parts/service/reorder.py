"""Safety stock and reorder settings (安全库存), set by the parts manager, and the demand-driven
figures the service keeps current from the issue history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from shared.auth import Caller
from shared.db import ALL_DEALERS

from parts.domain.catalog import UNITS
from parts.domain.replenishment import demand_rule
from parts.domain.stock import PartStock, ReorderRule
from parts.service.ports import PartsUnitOfWork, UnitsOfWork

SYSTEM = "system:reorder"


@dataclass(frozen=True)
class SetReorderRule:
    """A part's reorder settings at a location (None: the default location). `mode` "fixed"
    keeps the manager's figures; "demand" computes safety stock and reorder point from the issue
    history at `service_level`. `lead_time_days` None: the suppliers' or the default."""

    part_number: str
    safety_stock: Decimal
    reorder_point: Decimal
    max_stock: Decimal
    pack_multiple: Decimal
    location: str | None = None
    lead_time_days: int | None = None
    mode: str = "fixed"
    service_level: Decimal = Decimal("0.95")


def set_rule(uow: PartsUnitOfWork, caller: Caller, command: SetReorderRule) -> PartStock:
    """In demand mode the manager's safety stock and reorder point are replaced at once by the
    figures from the issue history (the maximum stays as a floor)."""
    with uow:
        part = uow.parts.require(command.part_number, field="part_number")
        where = command.location or uow.rules.default_location
        uow.locations.require(where, field="location")
        for name in ("safety_stock", "reorder_point", "max_stock", "pack_multiple"):
            part.check_quantity(getattr(command, name), field=name)
        stock = uow.stock.get_or_create_for_update(command.part_number, where)
        rule = ReorderRule(safety_stock=command.safety_stock, reorder_point=command.reorder_point,
                           max_stock=command.max_stock, lead_time_days=command.lead_time_days,
                           pack_multiple=command.pack_multiple, mode=command.mode,
                           service_level=command.service_level)
        if command.mode == "demand":
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
