"""Safety stock and reorder settings (安全库存), set by the parts manager."""

from __future__ import annotations

from decimal import Decimal

from shared.auth import Caller

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.errors import LocationNotFound, PartNotFound
from parts.domain.stock import PartStock, ReorderRule


def set_rule(uow: PartsUnitOfWork, caller: Caller, *, part_number: str, location: str | None = None,
             safety_stock: Decimal, reorder_point: Decimal, max_stock: Decimal, pack_multiple: Decimal,
             lead_time_days: int | None = None, mode: str = "fixed",
             service_level: Decimal = Decimal("0.95")) -> PartStock:
    with uow:
        part = uow.parts.get(part_number)
        if part is None:
            raise PartNotFound(part_number, field="part_number")
        where = location or uow.rules.default_location
        if uow.locations.get(where) is None:
            raise LocationNotFound(where)
        for name, value in (("safety_stock", safety_stock), ("reorder_point", reorder_point),
                            ("max_stock", max_stock), ("pack_multiple", pack_multiple)):
            part.check_quantity(value, field=name)
        stock = uow.stock.get_or_create_for_update(part_number, where)
        stock.set_rule(
            ReorderRule(safety_stock=safety_stock, reorder_point=reorder_point, max_stock=max_stock,
                        lead_time_days=lead_time_days, pack_multiple=pack_multiple, mode=mode,
                        service_level=service_level),
            at=uow.now(),
        )
        uow.commit()
    return stock
