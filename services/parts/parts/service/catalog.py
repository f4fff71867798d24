"""Use cases of the catalog: add a part, change a part."""

from __future__ import annotations

from decimal import Decimal

from shared.auth import Caller
from shared.errors import StaleVersion

from parts.adapters.unit_of_work import PartsUnitOfWork
from parts.domain.catalog import Part, Source
from parts.domain.errors import NothingToChange, PartNotFound, PartNumberTaken


def add_part(
    uow: PartsUnitOfWork,
    caller: Caller,
    *,
    part_number: str,
    name_zh: str | None = None,
    name_en: str | None = None,
    category: str,
    unit: str,
    source: Source,
    safety_critical: bool = False,
    list_price: Decimal,
    currency: str = "CNY",
) -> Part:
    with uow:
        existing = uow.parts.spellings([part_number]).get(part_number.lower())
        if existing is not None:
            raise PartNumberTaken(part_number, existing)
        part = Part(
            caller.dealer,
            part_number,
            name_zh=name_zh,
            name_en=name_en,
            category=category,
            unit=unit,
            source=source,
            safety_critical=safety_critical,
            list_price=list_price,
            currency=currency,
            at=uow.now(),
        )
        uow.parts.add(part)
        uow.commit()
    return part


def change_part(
    uow: PartsUnitOfWork, caller: Caller, part_number: str, expected_version: int, **changes
) -> Part:
    """Change what a part is, what replaces it, what it fits and what may be fitted instead."""
    if not changes:
        raise NothingToChange()
    supersession_given = "superseded_by" in changes
    replacement = changes.pop("superseded_by", None)
    fitments = changes.pop("fitments", None)
    alternates = changes.pop("alternates", None)
    with uow:
        now = uow.now()
        part = uow.parts.get_for_update(part_number)
        if part is None:
            raise PartNotFound(part_number)
        StaleVersion.check(expected_version, part.version)
        if changes:
            part.change(part.version, now, stock_held=unit_held(uow, part, changes), **changes)
        if supersession_given:
            if replacement is not None:
                uow.parts.require(replacement, field="superseded_by")
            part.supersede(replacement, uow.parts.successors(replacement) if replacement else [], now)
        if fitments is not None or alternates is not None:
            for index, number in enumerate(alternates or []):
                uow.parts.require(number, field=f"alternates.{index}")
            part.describe(fitments=fitments, alternates=alternates, at=now)
        uow.commit()
    return part


def unit_held(uow: PartsUnitOfWork, part: Part, changes: dict) -> bool:
    """Whether a change of the part's unit would meet stock or reservations counted in the old one."""
    return changes.get("unit", part.unit) != part.unit and uow.stock.holds(part.part_number)
