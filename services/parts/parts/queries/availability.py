"""Can we quote it? One call answers a whole repair quote (报价前查库存).

For each line: stock of the asked number (on hand, reserved, available) in all and per location
(with its bin), whether it covers the quantity, its price and the line's total, whether it is
below safety stock, the lead time when short, the number that supersedes it and that number's
stock, and its alternates that are in stock. The quote adds up the lines it found. A number is
found however the clerk typed it (hyphens, spaces, case: `catalog.catalog_numbers`). An
unknown number, or a quantity the part's unit cannot have (1.5 sets), is reported on its line.
A fixed handful of queries answers any number of lines.

While the caller counts a part at a location blind, its figures there are withheld (null, with
`withheld` naming the count), and so are its figures summed over the locations; whether the
line can be fulfilled is still answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, raiseload

from shared.auth import Caller
from shared.errors import DomainError

from parts.domain.catalog import MAX_SUPERSESSIONS, Alternate, Part
from parts.domain.errors import LocationNotFound, PartNotFound, PartNumberAmbiguous
from parts.domain.stock import LotBalance, PartStock
from parts.domain.supply import Location, Lot, Supplier, SupplierPartNumber
from parts.queries.catalog import catalog_numbers
from parts.queries.counts import BlindSpots, blind_spots

ZERO = Decimal("0")
CENT = Decimal("0.01")


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


def quote(session: Session, lines: list[dict], location: str | None = None, *, viewer: Caller,
          default_lead_time_days: int) -> Quote:
    if location is not None and session.scalar(select(Location.id).where(Location.code == location)) is None:
        raise LocationNotFound(location, field="location")
    matches = catalog_numbers(session, (line["part_number"] for line in lines))
    asked = {found[0] for found in matches.values() if len(found) == 1}
    parts = _parts_with_successors(session, asked)
    currents = {number: _current(parts, number) for number in asked if number in parts}
    alternates = _alternates(session, parts, asked)
    numbers = set(parts) | {n for alts in alternates.values() for n in alts}
    parts.update(_parts(session, numbers - set(parts)))
    stock = _Stock(_levels(session, numbers, location), blind_spots(session, viewer), location)
    lead_times = _supplier_lead_times(session, numbers)
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


def _offer(part: Part, stock: _Stock, quantity: Decimal) -> Offer:
    level, withheld = stock.of(part.part_number)
    return Offer(part.part_number, part.name_zh or part.name_en, part.source.value, part.list_price,
                 part.currency, **_figures(level, withheld), can_fulfil=level.available >= quantity,
                 withheld=withheld, name_zh=part.name_zh, name_en=part.name_en)


def _parts(session: Session, numbers: set[str]) -> dict[str, Part]:
    if not numbers:
        return {}
    # A quote never looks at fitments: do not load them.
    statement = select(Part).where(Part.part_number.in_(numbers)).options(raiseload(Part.fitments))
    return {p.part_number: p for p in session.scalars(statement)}


def _parts_with_successors(session: Session, numbers: set[str]) -> dict[str, Part]:
    parts = _parts(session, numbers)
    for _ in range(MAX_SUPERSESSIONS):
        missing = {p.superseded_by for p in parts.values() if p.superseded_by and p.superseded_by not in parts}
        if not missing:
            break
        parts.update(_parts(session, missing))
    return parts


def _current(parts: dict[str, Part], number: str) -> Part:
    part = parts[number]
    for _ in range(MAX_SUPERSESSIONS):
        if part.superseded_by is None or part.superseded_by not in parts:
            break
        part = parts[part.superseded_by]
    return part


def _alternates(session: Session, parts: dict[str, Part], asked: set[str]) -> dict[str, list[str]]:
    """Alternates either way: listed on the asked part, or listing the asked part."""
    found: dict[str, set[str]] = {number: set(parts[number].alternates) for number in asked if number in parts}
    rows = session.execute(
        select(Part.part_number, Alternate.part_number.label("alternate"))
        .join(Alternate, Alternate.part_id == Part.id)
        .where(Alternate.part_number.in_(asked))
    )
    for owner, alternate in rows:
        found.setdefault(alternate, set()).add(owner)
    return {number: sorted(others) for number, others in found.items()}


def _levels(session: Session, numbers: set[str], location: str | None) -> dict[str, Level]:
    """Each part's stock per location (one row per part and location), summed per part."""
    if not numbers:
        return {}
    usable = LotBalance.on_hand - LotBalance.reserved - LotBalance.quarantined
    statement = (
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
    if location is not None:
        statement = statement.where(PartStock.location == location)
    levels: dict[str, Level] = {}
    for number, where, bin_, safety_stock, lead_time, on_hand, reserved, quarantined, available in (
            session.execute(statement)):
        here = LocationLevel(where, bin_, _quantity(on_hand), _quantity(reserved), _quantity(quarantined),
                             _quantity(available))
        levels.setdefault(number, Level()).add(here, _quantity(safety_stock or 0), lead_time)
    return levels


def _quantity(value) -> Decimal:
    # SQLite sums NUMERIC columns as floats; PostgreSQL as exact decimals.
    return Decimal(str(value)).quantize(Decimal("0.001"))


def _supplier_lead_times(session: Session, numbers: set[str]) -> dict[str, int]:
    """The quickest qualified supplier that lists the part or has delivered it before."""
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
    for statement in (listed, delivered):
        for number, days in session.execute(statement):
            quickest[number] = min(days, quickest.get(number, days))
    return quickest
