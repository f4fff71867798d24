"""The parts catalog (配件目录): what a part is, what it fits and what replaces it."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from enum import Enum

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from parts.domain.errors import (
    AlternateOfItself,
    NothingToChange,
    PartNeedsAName,
    SupersessionLoop,
    TooPrecise,
    UnitInUse,
)
from parts.domain.events import PartCreated, PartUpdated


class Source(str, Enum):
    OEM = "oem"  # 正厂件
    AFTERMARKET = "aftermarket"  # 副厂件


# Unit of measure -> decimal places a quantity may have (oil by the litre, bolts by the piece).
UNITS: dict[str, int] = {"pcs": 0, "set": 0, "pair": 0, "L": 2, "kg": 3, "m": 2}

EDITABLE = (
    "name_zh", "name_en", "category", "unit", "source", "safety_critical", "list_price", "currency",
)
# Longest supersession chain followed before it is called a loop.
MAX_SUPERSESSIONS = 20


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


class Alternate(DealerOwned):
    """Another number that may be fitted instead (互换件)."""

    def __init__(self, dealer: str, part_number: str):
        self.dealer = dealer
        self.part_number = part_number


class Part(Aggregate):
    version: int  # kept by the mapper: 1 on insert, +1 on every update
    fitments: list[Fitment]
    alternate_links: list[Alternate]

    def __init__(
        self,
        dealer: str,
        part_number: str,
        *,
        name_zh: str | None,
        name_en: str | None,
        category: str,
        unit: str,
        source: Source,
        safety_critical: bool,
        list_price: Decimal,
        currency: str,
        at: datetime,
    ):
        if not (name_zh or name_en):
            raise PartNeedsAName()
        self.dealer = dealer
        self.part_number = part_number
        self.name_zh = name_zh
        self.name_en = name_en
        self.category = category
        self.unit = unit
        self.source = Source(source)
        self.safety_critical = safety_critical
        self.list_price = list_price
        self.currency = currency
        self.superseded_by: str | None = None
        self.fitments = []
        self.alternate_links = []
        self.created_at = at
        self.updated_at = at
        self.events.append(PartCreated(**self._state()))

    @property
    def subject(self) -> str:
        return self.part_number

    @property
    def alternates(self) -> list[str]:
        return [link.part_number for link in self.alternate_links]

    def change(self, expected_version: int, at: datetime, *, stock_held: bool = False, **changes) -> None:
        """`stock_held`: some location holds stock of the part or an open reservation for it,
        all counted in its unit, so the unit may not change."""
        StaleVersion.check(expected_version, self.version)
        changed = tuple(
            name for name in EDITABLE if name in changes and changes[name] != getattr(self, name)
        )
        if not changes:
            raise NothingToChange()
        if not changed:
            return
        if "unit" in changed and stock_held:
            raise UnitInUse(self.part_number, self.unit, changes["unit"])
        name_zh = changes.get("name_zh", self.name_zh)
        name_en = changes.get("name_en", self.name_en)
        if not (name_zh or name_en):
            raise PartNeedsAName()
        for name in changed:
            setattr(self, name, Source(changes[name]) if name == "source" else changes[name])
        self._changed(changed, at)

    def supersede(self, replacement: str | None, successors: list[str], at: datetime) -> None:
        """This number is replaced by `replacement` (None: no longer). `successors` is the
        replacement's own chain of successors, to refuse a loop."""
        if replacement == self.superseded_by:
            return
        if replacement == self.part_number or self.part_number in successors:
            raise SupersessionLoop(self.part_number, replacement)
        self.superseded_by = replacement
        self._changed(("superseded_by",), at)

    def describe(self, *, fitments: list[dict] | None, alternates: list[str] | None, at: datetime) -> None:
        """Replace the vehicles it fits and the numbers that may be fitted instead."""
        changed = []
        if fitments is not None:
            new = [Fitment(self.dealer, **f) for f in fitments]
            if [f.key() for f in new] != [f.key() for f in self.fitments]:
                self.fitments[:] = new
                changed.append("fitments")
        if alternates is not None:
            if self.part_number in alternates:
                raise AlternateOfItself(self.part_number)
            if sorted(set(alternates)) != sorted(self.alternates):
                self.alternate_links[:] = [Alternate(self.dealer, n) for n in sorted(set(alternates))]
                changed.append("alternates")
        if changed:
            self._changed(tuple(changed), at)

    def check_quantity(self, quantity: Decimal, field: str = "quantity") -> None:
        """Oil comes by the litre to two places; brake pads by the whole set."""
        problem = self.quantity_problem(quantity, field)
        if problem is not None:
            raise problem

    def quantity_problem(self, quantity: Decimal, field: str = "quantity") -> TooPrecise | None:
        """What `check_quantity` would raise, for a reader that reports it instead."""
        places = UNITS.get(self.unit, 3)
        if quantity.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN) != quantity:
            return TooPrecise(self.part_number, self.unit, places, field=field)
        return None

    def _changed(self, changed: tuple[str, ...], at: datetime) -> None:
        self.updated_at = at  # also moves the version when only fitments or alternates changed
        self.events.append(PartUpdated(**self._state(), changed=changed))

    def _state(self) -> dict:
        return {
            "part_number": self.part_number,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "category": self.category,
            "unit": self.unit,
            "source": self.source.value,
            "safety_critical": self.safety_critical,
            "list_price": self.list_price,
            "currency": self.currency,
            "superseded_by": self.superseded_by,
        }
