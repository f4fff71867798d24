"""The parts catalog (配件目录): what a part is, what it fits and what replaces it."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from parts.domain.errors import (
    AlternateOfItself,
    NothingToChange,
    SupersessionLoop,
    TooPrecise,
    UnitInUse,
)
from parts.domain.events import PartCreated, PartUpdated
from parts.domain.part_details import DETAIL_NAMES, PartDetails

# Unit of measure -> decimal places a quantity may have (oil by the litre, bolts by the piece).
UNITS: dict[str, int] = {"pcs": 0, "set": 0, "pair": 0, "L": 2, "kg": 3, "m": 2}

# What a part's history follows: its details, what replaces it, what it fits, what may be fitted instead.
RECORDED = (*DETAIL_NAMES, "superseded_by", "fitments", "alternates")
# Longest supersession chain followed before it is called a loop.
MAX_SUPERSESSIONS = 20


def quantity_problem(part_number: str, unit: str, quantity: Decimal, field: str = "quantity") -> TooPrecise | None:
    """Whether a quantity is too precise for the part's unit (1.5 sets). A function as well as
    `Part.quantity_problem`, for readers that hold the part's number and unit but no `Part`."""
    places = UNITS.get(unit, 3)
    if quantity.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN) != quantity:
        return TooPrecise(part_number, unit, places, field=field)
    return None


class Fitment(DealerOwned):
    """A vehicle the part fits (适用车型): make, model, model years, engine displacement (litres)."""

    def __init__(self, dealer: str, *, make: str, model: str, year_from: int, year_to: int,
                 displacement: Decimal | None = None):
        self.dealer = dealer
        self.make = make
        self.model = model
        self.year_from = year_from
        self.year_to = year_to
        self.displacement = displacement

    def key(self) -> tuple:
        return (self.make, self.model, self.year_from, self.year_to, self.displacement)

    def recorded(self) -> dict:
        """As the part's history keeps it: plain values, the displacement as text ("2.5")."""
        return {"make": self.make, "model": self.model, "year_from": self.year_from, "year_to": self.year_to,
                "displacement": None if self.displacement is None else format(self.displacement, ".1f")}


class Alternate(DealerOwned):
    """Another number that may be fitted instead (互换件)."""

    def __init__(self, dealer: str, part_number: str):
        self.dealer = dealer
        self.part_number = part_number


class PartChange(DealerOwned):
    """One entry of a part's history (变更记录): who created or changed it, when and why, and
    each field that changed, `from` → `to` (`from` is null when the part was created). Written
    once, never changed."""

    CREATED = "created"
    UPDATED = "updated"

    def __init__(self, dealer: str, part_number: str, *, kind: str, at: datetime, by: str, reason: str | None,
                 changes: list[dict]):
        self.dealer = dealer
        self.part_number = part_number
        self.kind = kind
        self.at = at
        self.by = by
        self.reason = reason
        self.changes = changes


class Part(Aggregate):
    """A part number of the catalog. Whatever one use case does to a part (its details, its
    replacement, what it fits, its alternates) is one change: one `parts.part.created` or
    `parts.part.updated` event, and one entry of its history (`revision`), saying who and why."""

    version: int  # kept by the mapper: 1 on insert, +1 on every update
    details: PartDetails
    fitments: list[Fitment]
    alternate_links: list[Alternate]

    def __init__(self, dealer: str, part_number: str, details: PartDetails, *, at: datetime, by: str,
                 reason: str | None = None):
        details.check()
        self.dealer = dealer
        self.part_number = part_number
        self.details = details
        self.superseded_by: str | None = None
        self.fitments = []
        self.alternate_links = []
        self.created_at = at
        self.updated_at = at
        self.__dict__["_before"] = None  # nothing: the part is new
        self._record(at, by, reason)

    @property
    def subject(self) -> str:
        return self.part_number

    @property
    def alternates(self) -> list[str]:
        return [link.part_number for link in self.alternate_links]

    @property
    def revision(self) -> PartChange | None:
        """The history entry of what this unit of work changed, until the repository writes it."""
        return self.__dict__.get("_revision")

    def revision_written(self) -> None:
        """The repository wrote `revision`: a further change starts a new entry."""
        for name in ("_revision", "_before", "_announced"):
            self.__dict__.pop(name, None)

    def change(self, expected_version: int, at: datetime, *, by: str, reason: str | None = None,
               stock_held: bool = False, **changes) -> None:
        """Change the details named in `changes` (fields of `PartDetails`); `by` made the change,
        for `reason`. `stock_held`: some location holds stock of the part or an open reservation
        for it, all counted in its unit, so the unit may not change."""
        StaleVersion.check(expected_version, self.version)
        if not changes:
            raise NothingToChange()
        wanted = replace(self.details, **changes)
        changed = self.details.differences(wanted)
        if not changed:
            return
        if "unit" in changed and stock_held:
            raise UnitInUse(self.part_number, self.details.unit, wanted.unit)
        wanted.check()
        self._baseline()
        self.details = wanted
        self._record(at, by, reason)

    def supersede(self, replacement: str | None, successors: list[str], at: datetime, *, by: str,
                  reason: str | None = None) -> None:
        """This number is replaced by `replacement` (None: no longer). `successors` is the
        replacement's own chain of successors, to refuse a loop."""
        if replacement == self.superseded_by:
            return
        if replacement == self.part_number or self.part_number in successors:
            raise SupersessionLoop(self.part_number, replacement)
        self._baseline()
        self.superseded_by = replacement
        self._record(at, by, reason)

    def describe(self, *, fitments: list[dict] | None, alternates: list[str] | None, at: datetime, by: str,
                 reason: str | None = None) -> None:
        """Replace the vehicles it fits and the numbers that may be fitted instead."""
        if alternates is not None and self.part_number in alternates:
            raise AlternateOfItself(self.part_number)
        new = None if fitments is None else [Fitment(self.dealer, **f) for f in fitments]
        refit = new is not None and [f.key() for f in new] != [f.key() for f in self.fitments]
        relist = alternates is not None and sorted(set(alternates)) != sorted(self.alternates)
        if not (refit or relist):
            return
        self._baseline()
        if refit:
            self.fitments[:] = new
        if relist:
            self.alternate_links[:] = [Alternate(self.dealer, n) for n in sorted(set(alternates))]
        self._record(at, by, reason)

    def check_quantity(self, quantity: Decimal, field: str = "quantity") -> None:
        """Oil comes by the litre to two places; brake pads by the whole set."""
        problem = self.quantity_problem(quantity, field)
        if problem is not None:
            raise problem

    def quantity_problem(self, quantity: Decimal, field: str = "quantity") -> TooPrecise | None:
        """What `check_quantity` would raise, for a reader that reports it instead."""
        return quantity_problem(self.part_number, self.details.unit, quantity, field)

    def _baseline(self) -> None:
        """Keep the part as it was before this unit of work's first change to it."""
        if "_before" not in self.__dict__:
            self.__dict__["_before"] = self._recorded()

    def _record(self, at: datetime, by: str, reason: str | None) -> None:
        """Describe everything this unit of work changed, as one event and one history entry,
        in place of what an earlier step of the same unit of work described."""
        before, after = self.__dict__["_before"], self._recorded()
        if before is None:
            kind = PartChange.CREATED
            changes = [{"field": name, "from": None, "to": after[name]}
                       for name in RECORDED if after[name] not in (None, [])]
            event = PartCreated(**self._state(), by=by, reason=reason)
        else:
            kind = PartChange.UPDATED
            changes = [{"field": name, "from": before[name], "to": after[name]}
                       for name in RECORDED if before[name] != after[name]]
            event = PartUpdated(**self._state(), changed=tuple(c["field"] for c in changes), by=by, reason=reason)
            self.updated_at = at  # also moves the version when only fitments or alternates changed
        announced = self.__dict__.pop("_announced", None)
        self.events[:] = [earlier for earlier in self.events if earlier is not announced]
        self.__dict__.pop("_revision", None)
        if not changes and kind == PartChange.UPDATED:
            return  # changed, then changed back
        self.events.append(event)
        self.__dict__["_announced"] = event
        self.__dict__["_revision"] = PartChange(self.dealer, self.part_number, kind=kind, at=at, by=by,
                                                reason=reason, changes=changes)

    def _recorded(self) -> dict:
        """The values the history compares, as plain text, numbers, lists and dicts."""
        return {
            **self.details.recorded(),
            "superseded_by": self.superseded_by,
            "fitments": [fitment.recorded() for fitment in self.fitments],
            "alternates": sorted(self.alternates),
        }

    def _state(self) -> dict:
        """What both part events carry: the number, the details (their fields) and the replacement."""
        return {"part_number": self.part_number, **asdict(self.details), "superseded_by": self.superseded_by}
