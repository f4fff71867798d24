"""Use cases for suppliers and locations."""

from __future__ import annotations

from shared.auth import Caller

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.errors import SupplierNotFound
from parts.domain.supply import Location, Supplier


def add_supplier(uow: PartsUnitOfWork, caller: Caller, *, code: str, name: str, qualified: bool,
                 lead_time_days: int, part_numbers: list[dict] = ()) -> Supplier:
    with uow:
        supplier = Supplier(caller.dealer, code, name=name, qualified=qualified,
                            lead_time_days=lead_time_days, at=uow.now())
        uow.suppliers.add(supplier)
        if part_numbers:
            supplier.change(supplier.version, part_numbers=part_numbers)
        uow.commit()
    return supplier


def change_supplier(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int, **changes) -> Supplier:
    with uow:
        supplier = uow.suppliers.get_for_update(code)
        if supplier is None:
            raise SupplierNotFound(code)
        supplier.change(expected_version, **changes)
        uow.commit()
    return supplier


def add_location(uow: PartsUnitOfWork, caller: Caller, *, code: str, warehouse: str, bin: str | None = None) -> Location:
    with uow:
        location = Location(caller.dealer, code, warehouse=warehouse, bin=bin, at=uow.now())
        uow.locations.add(location)
        uow.commit()
    return location
