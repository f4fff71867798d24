"""Can we quote it? One call answers a whole repair quote (报价前查库存).

For each line: stock of the asked number (on hand, reserved, available) in all and per location
(with its bin), whether it covers the quantity, its price and the line's total, whether it is
below safety stock, the lead time when short, the number that supersedes it and that number's
stock, and its alternates that are in stock. The quote adds up the lines it found. A number is
found however the clerk typed it (hyphens, spaces, case: `catalog.catalog_numbers`). An
unknown number, or a quantity the part's unit cannot have (1.5 sets), is reported on its line.
A fixed handful of statements answers any number of lines: typically one for the parts (the
asked ones, what supersedes them and their alternates either way), one for their stock per
location, and one for the caller's blind counts. Parts are read as plain rows (`CatalogPart`),
not as `Part` aggregates with their fitments and alternate links: a quote changes nothing.

While the caller counts a part at a location blind, its figures there are withheld (null, with
`withheld` naming the count), and so are its figures summed over the locations; whether the
line can be fulfilled is still answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Select, bindparam, case, func, select, union, union_all
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.errors import DomainError

from parts.domain.catalog import MAX_SUPERSESSIONS, Alternate, Part, quantity_problem
from parts.domain.errors import LocationNotFound, PartNotFound, PartNumberAmbiguous
from parts.domain.stock import LotBalance, PartStock
from parts.domain.supply import Location, Lot, Supplier, SupplierPartNumber
from parts.queries.catalog import catalog_numbers
from parts.queries.counts import BlindSpots, blind_spots

ZERO = Decimal("0")
CENT = Decimal("0.01")
THOUSANDTH = Decimal("0.001")


@dataclass
class LocationLevel:
    """A part's stock at one location."""

    location: str
    bin: str | None
    on_hand: Decimal | None
    reserved: Decimal | None
    quarantined: Decimal | None
    available: Decimal | None
    withheld: str | None = None


@dataclass
class Level:
    """A part's stock over the locations asked about, and its reorder settings there."""

    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    quarantined: Decimal = ZERO
    available: Decimal = ZERO
    safety_stock: Decimal = ZERO
    lead_time_days: int | None = None
    locations: list[LocationLevel] = field(default_factory=list)

    def add(self, here: LocationLevel, safety_stock: Decimal, lead_time_days: int | None) -> None:
        self.on_hand += here.on_hand
        self.reserved += here.reserved
        self.quarantined += here.quarantined
        self.available += here.available
        self.safety_stock += safety_stock
        if lead_time_days is not None and (self.lead_time_days is None or lead_time_days < self.lead_time_days):
            self.lead_time_days = lead_time_days
        if here.on_hand > ZERO:
            self.locations.append(here)


@dataclass
class Offer:
    part_number: str
    name: str | None
    source: str
    unit_price: Decimal
    currency: str
    on_hand: Decimal | None
    reserved: Decimal | None
    quarantined: Decimal | None
    available: Decimal | None
    can_fulfil: bool
    withheld: str | None = None
    name_zh: str | None = None
    name_en: str | None = None


@dataclass
class QuoteLine:
    part_number: str
    quantity: Decimal
    found: bool
    asked_part_number: str
    name: str | None = None  # the Chinese name, else the English one
    name_zh: str | None = None
    name_en: str | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    currency: str | None = None
    line_total: Decimal | None = None
    on_hand: Decimal | None = ZERO
    reserved: Decimal | None = ZERO
    quarantined: Decimal | None = ZERO
    available: Decimal | None = ZERO
    can_fulfil: bool = False
    below_safety_level: bool = False
    lead_time_days: int | None = None
    locations: list[LocationLevel] = field(default_factory=list)
    superseded_by: Offer | None = None
    alternates: list[Offer] = field(default_factory=list)
    problem: dict | None = None
    withheld: str | None = None


@dataclass
class Quote:
    lines: list[QuoteLine]
    total: Decimal | None
    currency: str | None


@dataclass(slots=True)
class CatalogPart:
    """What a quote reads of a part: a row, not the aggregate."""

    part_number: str
    name_zh: str | None
    name_en: str | None
    unit: str
    list_price: Decimal
    currency: str
    source: str
    superseded_by: str | None
    alternates: list[str] = field(default_factory=list)  # the ones it lists itself

    def quantity_problem(self, quantity: Decimal, field: str = "quantity"):
        return quantity_problem(self.part_number, self.unit, quantity, field)


def quote(session: Session, lines: list[dict], location: str | None = None, *, viewer: Caller,
          default_lead_time_days: int) -> Quote:
    if location is not None and session.scalar(select(Location.id).where(Location.code == location)) is None:
        raise LocationNotFound(location, field="location")
    typed = {line["part_number"] for line in lines}
    # Numbers typed as the catalog writes them are found by the parts statement itself; only
    # the others need catalog_numbers' spelling queries.
    parts = _parts_around(session, typed)
    matches = {number: [number] for number in typed if number in parts}
    if len(matches) < len(typed):
        matches.update(catalog_numbers(session, typed - set(matches)))
    asked = {found[0] for found in matches.values() if len(found) == 1}
    # A number found by its spelling may already be here as another's alternate; its own
    # successor and alternates are not yet.
    parts.update(_parts_around(session, asked - typed))
    _add_successors(session, parts)
    currents = {number: _current(parts, number) for number in asked if number in parts}
    alternates = _alternates(parts, asked)
    numbers = set(parts)
    stock = _Stock(_levels(session, numbers, location), blind_spots(session, viewer), location)
    # A supplier's lead time is only answered on a short line: look it up for those alone.
    short = {found[0] for found, quantity in ((matches.get(line["part_number"], []), line["quantity"])
                                              for line in lines)
             if len(found) == 1 and stock.levels.get(found[0], Level()).available < quantity}
    lead_times = _supplier_lead_times(session, short)
    answered = [
        _line(index, line, matches.get(line["part_number"], []), parts, currents, alternates, stock,
              lead_times, default_lead_time_days)
        for index, line in enumerate(lines)
    ]
    return _totalled(answered)


@dataclass
class _Stock:
    levels: dict[str, Level]
    blind: BlindSpots
    location: str | None

    def of(self, number: str) -> tuple[Level, str | None]:
        """The part's level, and why its summed figures are withheld from the caller, if they are."""
        return self.levels.get(number, Level()), self.blind.withheld_within(number, self.location)


def _line(index, line, matches, parts, currents, alternates, stock: _Stock, lead_times,
          default_lead_time_days: int) -> QuoteLine:
    asked, quantity = line["part_number"], line["quantity"]
    if len(matches) != 1:
        unknown = (PartNumberAmbiguous(asked, matches, field=f"lines.{index}.part_number") if matches
                   else PartNotFound(asked, field=f"lines.{index}.part_number"))
        return QuoteLine(asked, quantity, found=False, asked_part_number=asked, problem=_problem(unknown))
    number = matches[0]
    part = parts[number]
    level, withheld = stock.of(number)
    short = level.available < quantity
    # A quantity the unit cannot have is answered with the stock, but cannot be fulfilled.
    too_precise = part.quantity_problem(quantity, field=f"lines.{index}.quantity")
    lead_time = _first_known(level.lead_time_days, lead_times.get(number), default_lead_time_days)
    result = QuoteLine(
        number, quantity, found=True, asked_part_number=asked, name=part.name_zh or part.name_en,
        name_zh=part.name_zh, name_en=part.name_en, unit=part.unit,
        unit_price=part.list_price, currency=part.currency,
        line_total=(part.list_price * quantity).quantize(CENT, rounding=ROUND_HALF_UP),
        can_fulfil=not short and too_precise is None, below_safety_level=level.available < level.safety_stock,
        lead_time_days=lead_time if short else None,
        locations=[_seen(here, stock.blind.withheld(number, here.location)) for here in level.locations],
        problem=None if too_precise is None else _problem(too_precise), withheld=withheld,
        **_figures(level, withheld),
    )
    current = currents[number]
    if current.part_number != number:
        result.superseded_by = _offer(current, stock, quantity)
    result.alternates = [
        offer for offer in (_offer(parts[n], stock, quantity) for n in alternates.get(number, []) if n in parts)
        if offer.withheld is not None or offer.available > ZERO
    ]
    return result


def _totalled(lines: list[QuoteLine]) -> Quote:
    """The quote's total: the sum of the found lines, when they are priced in one currency."""
    found = [line for line in lines if line.found]
    currencies = {line.currency for line in found}
    if len(currencies) > 1:
        return Quote(lines, total=None, currency=None)
    return Quote(lines, total=sum((line.line_total for line in found), ZERO).quantize(CENT),
                 currency=currencies.pop() if currencies else None)


def _first_known(*values: int | None) -> int | None:
    return next((value for value in values if value is not None), None)


def _seen(here: LocationLevel, withheld: str | None) -> LocationLevel:
    if withheld is None:
        return here
    return LocationLevel(here.location, here.bin, **_figures(here, withheld), withheld=withheld)


def _figures(level: Level | LocationLevel, withheld: str | None) -> dict[str, Decimal | None]:
    """The stock figures the caller may see: the level's, or none while they count it blind."""
    return {name: None if withheld else getattr(level, name)
            for name in ("on_hand", "reserved", "quarantined", "available")}


def _problem(error: DomainError) -> dict:
    """Why a line could not be answered as asked: the error its use would raise."""
    return {"code": error.code, "detail": error.detail, "field": error.context.get("field")}


def _offer(part: CatalogPart, stock: _Stock, quantity: Decimal) -> Offer:
    level, withheld = stock.of(part.part_number)
    return Offer(part.part_number, part.name_zh or part.name_en, part.source, part.list_price,
                 part.currency, **_figures(level, withheld), can_fulfil=level.available >= quantity,
                 withheld=withheld, name_zh=part.name_zh, name_en=part.name_en)


def _parts_around(session: Session, numbers: set[str]) -> dict[str, CatalogPart]:
    """The parts numbered so, the parts that supersede them, the alternates they list and the
    parts that list them as an alternate: one statement, a row per part and alternate it lists."""
    if not numbers:
        return {}
    return _catalog_rows(session.execute(_statements().around, {"numbers": list(numbers)}))


def _catalog_rows(rows) -> dict[str, CatalogPart]:
    parts: dict[str, CatalogPart] = {}
    for number, name_zh, name_en, unit, price, currency, source, successor, alternate in rows:
        part = parts.get(number)
        if part is None:
            part = parts[number] = CatalogPart(number, name_zh, name_en, unit, price, currency, source.value,
                                               successor)
        if alternate is not None:
            part.alternates.append(alternate)
    return parts


@dataclass(frozen=True)
class _Statements:
    around: Select  # parts, their successors and alternates either way, by :numbers
    exactly: Select  # parts by :numbers
    levels: Select  # stock per part and location, by :numbers
    levels_at: Select  # the same at one :location


@cache
def _statements() -> _Statements:
    """Built once: a quote's statements differ only in their parameters (the lists expand)."""
    numbers = bindparam("numbers", expanding=True)
    rows = (
        select(Part.part_number, Part.name_zh, Part.name_en, Part.unit, Part.list_price, Part.currency,
               Part.source, Part.superseded_by, Alternate.part_number)
        .outerjoin(Alternate, Alternate.part_id == Part.id)
        .order_by(Part.part_number, Alternate.id)
    )
    wanted = union(
        select(Part.part_number).where(Part.part_number.in_(numbers)),
        select(Part.superseded_by).where(Part.part_number.in_(numbers), Part.superseded_by.is_not(None)),
        select(Alternate.part_number).join(Part, Part.id == Alternate.part_id).where(Part.part_number.in_(numbers)),
        select(Part.part_number).join(Alternate, Alternate.part_id == Part.id)
        .where(Alternate.part_number.in_(numbers)),
    )
    usable = LotBalance.on_hand - LotBalance.reserved - LotBalance.quarantined
    levels = (
        select(
            PartStock.part_number,
            PartStock.location,
            Location.bin,
            PartStock.safety_stock,
            PartStock.lead_time_days,
            func.coalesce(func.sum(LotBalance.on_hand), 0),
            func.coalesce(func.sum(LotBalance.reserved), 0),
            func.coalesce(func.sum(LotBalance.quarantined), 0),
            func.coalesce(func.sum(case((usable > 0, usable), else_=0)), 0),
        )
        .outerjoin(LotBalance, LotBalance.part_stock_id == PartStock.id)
        .outerjoin(Location, Location.code == PartStock.location)
        .where(PartStock.part_number.in_(numbers))
        .group_by(PartStock.id, PartStock.part_number, PartStock.location, Location.bin, PartStock.safety_stock,
                  PartStock.lead_time_days)
        .order_by(PartStock.part_number, PartStock.location)
    )
    return _Statements(
        around=rows.where(Part.part_number.in_(wanted)),
        exactly=rows.where(Part.part_number.in_(numbers)),
        levels=levels,
        levels_at=levels.where(PartStock.location == bindparam("location")),
    )


def _add_successors(session: Session, parts: dict[str, CatalogPart]) -> None:
    """Follow supersession chains longer than the one step `_parts_around` reads."""
    for _ in range(MAX_SUPERSESSIONS):
        missing = {p.superseded_by for p in parts.values() if p.superseded_by and p.superseded_by not in parts}
        if not missing:
            break
        parts.update(_catalog_rows(session.execute(_statements().exactly, {"numbers": list(missing)})))


def _current(parts: dict[str, CatalogPart], number: str) -> CatalogPart:
    part = parts[number]
    for _ in range(MAX_SUPERSESSIONS):
        if part.superseded_by is None or part.superseded_by not in parts:
            break
        part = parts[part.superseded_by]
    return part


def _alternates(parts: dict[str, CatalogPart], asked: set[str]) -> dict[str, list[str]]:
    """Alternates either way: listed on the asked part, or listing the asked part."""
    found: dict[str, set[str]] = {number: set(parts[number].alternates) for number in asked if number in parts}
    for owner in parts.values():
        for alternate in owner.alternates:
            if alternate in asked:
                found.setdefault(alternate, set()).add(owner.part_number)
    return {number: sorted(others) for number, others in found.items()}


def _levels(session: Session, numbers: set[str], location: str | None) -> dict[str, Level]:
    """Each part's stock per location (one row per part and location), summed per part."""
    if not numbers:
        return {}
    if location is None:
        rows = session.execute(_statements().levels, {"numbers": list(numbers)})
    else:
        rows = session.execute(_statements().levels_at, {"numbers": list(numbers), "location": location})
    levels: dict[str, Level] = {}
    for number, where, bin_, safety_stock, lead_time, on_hand, reserved, quarantined, available in rows:
        here = LocationLevel(where, bin_, _quantity(on_hand), _quantity(reserved), _quantity(quarantined),
                             _quantity(available))
        levels.setdefault(number, Level()).add(here, _quantity(safety_stock or 0), lead_time)
    return levels


def _quantity(value) -> Decimal:
    # SQLite sums NUMERIC columns as floats (read through their text: 0.1 stays 0.1); PostgreSQL
    # as exact decimals, which need no round trip through text (a 10-line quote reads dozens).
    if type(value) is not Decimal:
        value = Decimal(str(value))
    return value.quantize(THOUSANDTH)


def _supplier_lead_times(session: Session, numbers: set[str]) -> dict[str, int]:
    """The quickest qualified supplier that lists the part or has delivered it before."""
    if not numbers:
        return {}
    listed = (
        select(SupplierPartNumber.part_number, Supplier.lead_time_days)
        .join(Supplier, Supplier.id == SupplierPartNumber.supplier_id)
        .where(SupplierPartNumber.part_number.in_(numbers), Supplier.qualified.is_(True))
    )
    delivered = (
        select(Lot.part_number, Supplier.lead_time_days)
        .join(Supplier, Supplier.code == Lot.supplier)
        .where(Lot.part_number.in_(numbers), Supplier.qualified.is_(True))
    )
    quickest: dict[str, int] = {}
    for number, days in session.execute(union_all(listed, delivered)):
        quickest[number] = min(days, quickest.get(number, days))
    return quickest
