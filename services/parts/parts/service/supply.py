"""Use cases for suppliers and locations.

Each takes a command, a frozen dataclass defined beside it (the API's schemas load into it); a
supplier's code and the version the manager saw come with a change from the URL and If-Match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shared.auth import Caller

from parts.domain.errors import PartNotFound, SupplierNotFound
from parts.domain.supply import Location, Supplier
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class AddSupplier:
    """A supplier, whether it passed supplier review (`qualified`: may deliver), and its numbers
    for parts of the catalog (`part_numbers`: part_number, supplier_part_number)."""

    code: str
    name: str
    qualified: bool
    lead_time_days: int
    part_numbers: tuple[dict, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class ChangeSupplier:
    """Only what changes: new values of name, qualified, lead_time_days and part_numbers, by
    name; `reason` says why (a failed supplier review, a new contract)."""

    changes: Mapping[str, object] = field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True)
class AddLocation:
    """A place stock lies: warehouse and bin (仓库/货位)."""

    code: str
    warehouse: str
    bin: str | None = None


def add_supplier(uow: PartsUnitOfWork, caller: Caller, command: AddSupplier) -> Supplier:
    with uow:
        _check_parts_exist(uow, command.part_numbers)
        supplier = Supplier(caller.dealer, command.code, name=command.name, qualified=command.qualified,
                            lead_time_days=command.lead_time_days, at=uow.now(), by=caller.sub,
                            reason=command.reason, part_numbers=command.part_numbers)
        uow.suppliers.add(supplier)
        uow.commit()
    return supplier


def change_supplier(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int,
                    command: ChangeSupplier) -> Supplier:
    """Change a supplier; announced only if something really changed."""
    with uow:
        supplier = uow.suppliers.get_for_update(code)
        if supplier is None:
            raise SupplierNotFound(code)
        _check_parts_exist(uow, command.changes.get("part_numbers", ()))
        supplier.change(expected_version, by=caller.sub, reason=command.reason, **command.changes)
        uow.commit()
    return supplier


def _check_parts_exist(uow: PartsUnitOfWork, part_numbers: Sequence[dict]) -> None:
    existing = uow.parts.existing(entry["part_number"] for entry in part_numbers)
    for index, entry in enumerate(part_numbers):
        if entry["part_number"] not in existing:
            raise PartNotFound(entry["part_number"], field=f"part_numbers.{index}.part_number")


def add_location(uow: PartsUnitOfWork, caller: Caller, command: AddLocation) -> Location:
    with uow:
        location = Location(caller.dealer, command.code, warehouse=command.warehouse, bin=command.bin, at=uow.now())
        uow.locations.add(location)
        uow.commit()
    return location
