"""Use cases for suppliers and locations."""

from __future__ import annotations

from shared.auth import Caller

from parts.domain.errors import PartNotFound, SupplierNotFound
from parts.domain.supply import Location, Supplier
from parts.service.ports import PartsUnitOfWork


def add_supplier(uow: PartsUnitOfWork, caller: Caller, *, code: str, name: str, qualified: bool,
                 lead_time_days: int, part_numbers: list[dict] = (), reason: str | None = None) -> Supplier:
    with uow:
        _check_parts_exist(uow, part_numbers)
        supplier = Supplier(caller.dealer, code, name=name, qualified=qualified, lead_time_days=lead_time_days,
                            at=uow.now(), by=caller.sub, reason=reason, part_numbers=part_numbers)
        uow.suppliers.add(supplier)
        uow.commit()
    return supplier


def change_supplier(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int, *,
                    reason: str | None = None, **changes) -> Supplier:
    """Change a supplier; `reason` says why (a failed supplier review, a new contract)."""
    with uow:
        supplier = uow.suppliers.get_for_update(code)
        if supplier is None:
            raise SupplierNotFound(code)
        _check_parts_exist(uow, changes.get("part_numbers", ()))
        supplier.change(expected_version, by=caller.sub, reason=reason, **changes)
        uow.commit()
    return supplier


def _check_parts_exist(uow: PartsUnitOfWork, part_numbers: list[dict]) -> None:
    existing = uow.parts.existing(entry["part_number"] for entry in part_numbers)
    for index, entry in enumerate(part_numbers):
        if entry["part_number"] not in existing:
            raise PartNotFound(entry["part_number"], field=f"part_numbers.{index}.part_number")


def add_location(uow: PartsUnitOfWork, caller: Caller, *, code: str, warehouse: str, bin: str | None = None) -> Location:
    with uow:
        location = Location(caller.dealer, code, warehouse=warehouse, bin=bin, at=uow.now())
        uow.locations.add(location)
        uow.commit()
    return location
