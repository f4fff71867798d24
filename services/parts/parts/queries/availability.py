"""Can we quote it? One call answers a whole repair quote (报价前查库存).

For each line: stock of the asked number (on hand, reserved, available), whether it covers the
quantity, its price, whether it is below safety stock, the lead time when short, the number
that supersedes it and that number's stock, and its alternates that are in stock. An unknown
number, or a quantity the part's unit cannot have (1.5 sets), is reported on its line. A
fixed handful of queries answers any number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, raiseload

from shared.errors import DomainError

from parts.domain.catalog import MAX_SUPERSESSIONS, Alternate, Part
from parts.domain.errors import LocationNotFound, PartNotFound
from parts.domain.stock import LotBalance, PartStock
from parts.domain.supply import Location, Lot, Supplier, SupplierPartNumber

ZERO = Decimal("0")


@dataclass
class Level:
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    quarantined: Decimal = ZERO
    available: Decimal = ZERO
    safety_stock: Decimal = ZERO
    lead_time_days: int | None = None


@dataclass
class Offer:
    part_number: str
    name: str | None
    source: str
    unit_price: Decimal
    currency: str
    on_hand: Decimal
    reserved: Decimal
    quarantined: Decimal
    available: Decimal
    can_fulfil: bool


@dataclass
class QuoteLine:
    part_number: str
    quantity: Decimal
    found: bool
    name: str | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    currency: str | None = None
    on_hand: Decimal = ZERO
    reserved: Decimal = ZERO
    quarantined: Decimal = ZERO
    available: Decimal = ZERO
    can_fulfil: bool = False
    below_safety_level: bool = False
    lead_time_days: int | None = None
    superseded_by: Offer | None = None
    alternates: list[Offer] = field(default_factory=list)
    problem: dict | None = None


def quote(session: Session, lines: list[dict], location: str | None = None) -> list[QuoteLine]:
    if location is not None and session.scalar(select(Location.id).where(Location.code == location)) is None:
        raise LocationNotFound(location, field="location")
    asked = [line["part_number"] for line in lines]
    parts = _parts_with_successors(session, set(asked))
    currents = {number: _current(parts, number) for number in asked if number in parts}
    alternates = _alternates(session, parts, set(asked))
    numbers = set(parts) | {n for alts in alternates.values() for n in alts}
    parts.update(_parts(session, numbers - set(parts)))
    levels = _levels(session, numbers, location)
    lead_times = _supplier_lead_times(session, numbers)
    return [_line(index, line, parts, currents, alternates, levels, lead_times) for index, line in enumerate(lines)]


def _line(index, line, parts, currents, alternates, levels, lead_times) -> QuoteLine:
    number, quantity = line["part_number"], line["quantity"]
    part = parts.get(number)
    if part is None:
        unknown = PartNotFound(number, field=f"lines.{index}.part_number")
        return QuoteLine(number, quantity, found=False, problem=_problem(unknown))
    level = levels.get(number, Level())
    short = level.available < quantity
    # A quantity the unit cannot have is answered with the stock, but cannot be fulfilled.
    too_precise = part.quantity_problem(quantity, field=f"lines.{index}.quantity")
    result = QuoteLine(
        number, quantity, found=True, name=part.name_zh or part.name_en, unit=part.unit,
        unit_price=part.list_price, currency=part.currency, on_hand=level.on_hand, reserved=level.reserved,
        quarantined=level.quarantined, available=level.available, can_fulfil=not short and too_precise is None,
        below_safety_level=level.available < level.safety_stock,
        lead_time_days=(level.lead_time_days or lead_times.get(number)) if short else None,
        problem=None if too_precise is None else _problem(too_precise),
    )
    current = currents[number]
    if current.part_number != number:
        result.superseded_by = _offer(current, levels, quantity)
    result.alternates = [
        offer for offer in (_offer(parts[n], levels, quantity) for n in alternates.get(number, []) if n in parts)
        if offer.available > ZERO
    ]
    return result


def _problem(error: DomainError) -> dict:
    """Why a line could not be answered as asked: the error its use would raise."""
    return {"code": error.code, "detail": error.detail, "field": error.context.get("field")}


def _offer(part: Part, levels: dict[str, Level], quantity: Decimal) -> Offer:
    level = levels.get(part.part_number, Level())
    return Offer(part.part_number, part.name_zh or part.name_en, part.source.value, part.list_price,
                 part.currency, level.on_hand, level.reserved, level.quarantined, level.available,
                 level.available >= quantity)


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
    if not numbers:
        return {}
    usable = LotBalance.on_hand - LotBalance.reserved - LotBalance.quarantined
    stock = (
        select(
            PartStock.part_number,
            func.coalesce(func.sum(LotBalance.on_hand), 0),
            func.coalesce(func.sum(LotBalance.reserved), 0),
            func.coalesce(func.sum(LotBalance.quarantined), 0),
            func.coalesce(func.sum(case((usable > 0, usable), else_=0)), 0),
        )
        .outerjoin(LotBalance, LotBalance.part_stock_id == PartStock.id)
        .where(PartStock.part_number.in_(numbers))
        .group_by(PartStock.part_number)
    )
    rules = (
        select(PartStock.part_number, func.sum(PartStock.safety_stock), func.min(PartStock.lead_time_days))
        .where(PartStock.part_number.in_(numbers))
        .group_by(PartStock.part_number)
    )
    if location is not None:
        stock = stock.where(PartStock.location == location)
        rules = rules.where(PartStock.location == location)
    levels = {number: Level(_quantity(on_hand), _quantity(reserved), _quantity(quarantined), _quantity(available))
              for number, on_hand, reserved, quarantined, available in session.execute(stock)}
    for number, safety_stock, lead_time in session.execute(rules):
        level = levels.setdefault(number, Level())
        level.safety_stock = _quantity(safety_stock or 0)
        level.lead_time_days = lead_time
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
