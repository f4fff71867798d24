"""Use cases of the catalog: add a part, change a part.

Each takes a command: a frozen dataclass of what the clerk asks, defined here beside its use
case (its signature is the use case's; the API's schemas load into it). The part's number and
the version the clerk saw come with a change from the URL and If-Match, not from the command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from shared.auth import Caller
from shared.errors import StaleVersion

from parts.domain.catalog import Part
from parts.domain.errors import NothingToChange, PartNotFound, PartNumberTaken
from parts.domain.part_details import PartDetails
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class AddPart:
    """A whole part: its number and details, and optionally what replaces it, the vehicles it
    fits (make, model, year_from, year_to, displacement) and the numbers that may be fitted
    instead. None: not given (a part being added has none; an imported row leaves an existing
    part's lists as they are)."""

    part_number: str
    details: PartDetails
    superseded_by: str | None = None
    fitments: tuple[dict, ...] | None = None
    alternates: tuple[str, ...] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ChangePart:
    """Only what changes. `details`: new values of `PartDetails` fields, by name.
    `supersession_given`: `superseded_by` is to be set, None meaning no longer replaced.
    `fitments`, `alternates`: None leaves them as they are."""

    details: Mapping[str, object]
    supersession_given: bool = False
    superseded_by: str | None = None
    fitments: tuple[dict, ...] | None = None
    alternates: tuple[str, ...] | None = None
    reason: str | None = None

    def asks_nothing(self) -> bool:
        """Only a reason, or nothing at all."""
        return not (self.details or self.supersession_given or self.fitments is not None
                    or self.alternates is not None)


def add_part(uow: PartsUnitOfWork, caller: Caller, command: AddPart) -> Part:
    """Add a part whole: what it is, what replaces it, what it fits and what may be fitted
    instead, by the same rules as a change; one `parts.part.created` and one history entry."""
    with uow:
        now = uow.now()
        existing = uow.parts.spellings([command.part_number]).get(command.part_number.lower())
        if existing is not None:
            raise PartNumberTaken(command.part_number, existing)
        part = Part(caller.dealer, command.part_number, command.details, at=now, by=caller.sub,
                    reason=command.reason)
        # All of it before the part is added, so that it is inserted once, as version 1.
        if command.superseded_by is not None:
            supersede(uow, part, command.superseded_by, now, by=caller.sub, reason=command.reason)
        if command.fitments or command.alternates:
            describe(uow, part, command.fitments, command.alternates, now, by=caller.sub, reason=command.reason)
        uow.parts.add(part)
        uow.commit()
    return part


def change_part(uow: PartsUnitOfWork, caller: Caller, part_number: str, expected_version: int,
                command: ChangePart) -> Part:
    """Change what a part is, what replaces it, what it fits and what may be fitted instead;
    `reason` says why. One `parts.part.updated` and one history entry, if anything changed."""
    if command.asks_nothing():
        raise NothingToChange()
    with uow:
        now = uow.now()
        part = uow.parts.get_for_update(part_number)
        if part is None:
            raise PartNotFound(part_number)
        StaleVersion.check(expected_version, part.version)
        if command.details:
            part.change(part.version, now, by=caller.sub, reason=command.reason,
                        stock_held=unit_held(uow, part, command.details.get("unit")), **command.details)
        if command.supersession_given:
            supersede(uow, part, command.superseded_by, now, by=caller.sub, reason=command.reason)
        if command.fitments is not None or command.alternates is not None:
            describe(uow, part, command.fitments, command.alternates, now, by=caller.sub, reason=command.reason)
        uow.commit()
    return part


def supersede(uow: PartsUnitOfWork, part: Part, replacement: str | None, at: datetime, *, by: str,
              reason: str | None, field: str = "superseded_by") -> None:
    """`part` is replaced by `replacement`, a number of the catalog (None: no longer replaced)."""
    if replacement is not None and replacement != part.part_number:
        uow.parts.require(replacement, field=field)
    successors = uow.parts.successors(replacement) if replacement is not None else []
    part.supersede(replacement, successors, at, by=by, reason=reason)


def describe(uow: PartsUnitOfWork, part: Part, fitments: Sequence[dict] | None, alternates: Sequence[str] | None,
             at: datetime, *, by: str, reason: str | None, field: str | None = None) -> None:
    """What `part` fits and which numbers of the catalog may be fitted instead (None: as they are).
    A missing alternate names `field`, or else its place in the list (`alternates.2`)."""
    numbers = alternates or []
    found = uow.parts.existing(numbers)
    for index, number in enumerate(numbers):
        if number not in found and number != part.part_number:
            raise PartNotFound(number, field=field or f"alternates.{index}")
    part.describe(fitments=fitments, alternates=alternates, at=at, by=by, reason=reason)


def unit_held(uow: PartsUnitOfWork, part: Part, unit: str | None) -> bool:
    """Whether changing the part's unit to `unit` (None: not changing it) would meet stock or
    reservations counted in the old one."""
    return unit is not None and unit != part.details.unit and uow.stock.holds(part.part_number)
