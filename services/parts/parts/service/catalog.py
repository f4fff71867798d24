"""Use cases of the catalog: add a part, change a part."""

from __future__ import annotations

from datetime import datetime
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
    superseded_by: str | None = None,
    fitments: list[dict] | None = None,
    alternates: list[str] | None = None,
    reason: str | None = None,
) -> Part:
    """Add a part whole: what it is, what replaces it, what it fits and what may be fitted
    instead, by the same rules as a change; one `parts.part.created` and one history entry."""
    with uow:
        now = uow.now()
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
            at=now,
            by=caller.sub,
            reason=reason,
        )
        # All of it before the part is added, so that it is inserted once, as version 1.
        if superseded_by is not None:
            supersede(uow, part, superseded_by, now, by=caller.sub, reason=reason)
        if fitments or alternates:
            describe(uow, part, fitments, alternates, now, by=caller.sub, reason=reason)
        uow.parts.add(part)
        uow.commit()
    return part


def change_part(
    uow: PartsUnitOfWork, caller: Caller, part_number: str, expected_version: int, *,
    reason: str | None = None, **changes
) -> Part:
    """Change what a part is, what replaces it, what it fits and what may be fitted instead;
    `reason` says why. One `parts.part.updated` and one history entry, if anything changed."""
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
            part.change(part.version, now, by=caller.sub, reason=reason,
                        stock_held=unit_held(uow, part, changes), **changes)
        if supersession_given:
            supersede(uow, part, replacement, now, by=caller.sub, reason=reason)
        if fitments is not None or alternates is not None:
            describe(uow, part, fitments, alternates, now, by=caller.sub, reason=reason)
        uow.commit()
    return part


def supersede(uow: PartsUnitOfWork, part: Part, replacement: str | None, at: datetime, *, by: str,
              reason: str | None, field: str = "superseded_by") -> None:
    """`part` is replaced by `replacement`, a number of the catalog (None: no longer replaced)."""
    if replacement is not None and replacement != part.part_number:
        uow.parts.require(replacement, field=field)
    successors = uow.parts.successors(replacement) if replacement is not None else []
    part.supersede(replacement, successors, at, by=by, reason=reason)


def describe(uow: PartsUnitOfWork, part: Part, fitments: list[dict] | None, alternates: list[str] | None,
             at: datetime, *, by: str, reason: str | None, field: str | None = None) -> None:
    """What `part` fits and which numbers of the catalog may be fitted instead (None: as they are).
    A missing alternate names `field`, or else its place in the list (`alternates.2`)."""
    numbers = alternates or []
    found = uow.parts.existing(numbers)
    for index, number in enumerate(numbers):
        if number not in found and number != part.part_number:
            raise PartNotFound(number, field=field or f"alternates.{index}")
    part.describe(fitments=fitments, alternates=alternates, at=at, by=by, reason=reason)


def unit_held(uow: PartsUnitOfWork, part: Part, changes: dict) -> bool:
    """Whether a change of the part's unit would meet stock or reservations counted in the old one."""
    return changes.get("unit", part.unit) != part.unit and uow.stock.holds(part.part_number)
