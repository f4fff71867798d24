"""Issuing parts to a technician against a repair order (领料出库) and taking back what was not
used (退料).

Each use case takes a command: a frozen dataclass of what the clerk asks, defined beside it
(the API's schemas load into it). The issue slip's number comes from the URL, not from the
command.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.catalog import Part
from parts.domain.documents import IssueLine, IssueSlip
from parts.domain.errors import (
    InsufficientStock,
    IssueNotFound,
    PartSuperseded,
    ReservationElsewhere,
    ReservationNotActive,
    ReservationNotFound,
)
from parts.domain.stock import ReservationStatus
from parts.domain.supply import Location
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class IssueLineAsked:
    """One line of an issue as the clerk writes it: the part, how many, where from (None: the
    reservation's location, else the default store) and the reservation it takes (None: the
    repair order's own reservations of the part there, then the oldest available lots)."""

    part_number: str
    quantity: Decimal
    location: str | None = None
    reservation: str | None = None


@dataclass(frozen=True)
class IssueParts:
    """Parts for a repair order and the vehicle (VIN) they go into, signed for by `technician`."""

    repair_order: str
    vin: str
    technician: str
    lines: tuple[IssueLineAsked, ...]


@dataclass(frozen=True)
class ReturnLineAsked:
    """Unused parts coming back: the part, the lot they were issued from, how many, and why
    (None: not used)."""

    part_number: str
    lot: str
    quantity: Decimal
    reason: str | None = None


@dataclass(frozen=True)
class TakeBack:
    lines: tuple[ReturnLineAsked, ...]


def issue(uow: PartsUnitOfWork, caller: Caller, command: IssueParts) -> IssueSlip:
    """Every line takes its named reservation, or else the repair order's own reservations of
    the part at the line's location, then the oldest available lots. A line that names a
    reservation but no location is issued where the reservation is held. All lines are issued
    or none."""
    with uow:
        now = uow.now()
        slip = IssueSlip(caller.dealer, document_number("IS", uow.today()), repair_order=command.repair_order,
                         vin=command.vin.upper(), technician=command.technician, issued_at=now, issued_by=caller.sub)
        planned = [_plan(uow, index, line) for index, line in enumerate(command.lines)]
        # Lock in a stable order (no two issues wait on each other), issue in the slip's order.
        stocks = {key: uow.stock.get_for_update(*key)
                  for key in sorted({(part.part_number, where.code) for _, part, where, _ in planned})}
        for index, part, where, line in planned:
            location = where.code
            stock = stocks[(part.part_number, location)]
            if stock is None or not stock.balances:
                if part.superseded_by is not None:
                    raise PartSuperseded(part.part_number, uow.parts.current(part.part_number).part_number,
                                         field=f"lines.{index}.part_number")
                if stock is None:
                    raise InsufficientStock(part.part_number, asked=line.quantity, available=Decimal(0),
                                            location=location)
            picks = stock.issue(line.quantity, reservation=line.reservation, issue_number=slip.number,
                                repair_order=command.repair_order, vin=slip.vin, technician=command.technician,
                                source=part.details.source, at=now, actor=caller.sub)
            for pick in picks:
                slip.lines.append(IssueLine(caller.dealer, part_number=part.part_number, location=location,
                                            lot=pick.lot, supplier=pick.supplier,
                                            quantity=pick.quantity, reservation=pick.reservation,
                                            name_zh=part.details.name_zh, name_en=part.details.name_en, bin=where.bin))
        uow.documents.add(slip)
        uow.commit()
    return slip


def _plan(uow: PartsUnitOfWork, index: int, line: IssueLineAsked) -> tuple[int, Part, Location, IssueLineAsked]:
    """The line's part and the location it is issued from: the line's, else its reservation's,
    else the default store."""
    part = uow.parts.require(line.part_number, field=f"lines.{index}.part_number")
    part.check_quantity(line.quantity, field=f"lines.{index}.quantity")
    location = line.location
    number = line.reservation
    if number:
        held = uow.stock.where_reserved(number)
        if held is None:
            raise ReservationNotFound(number, field=f"lines.{index}.reservation")
        location = location or held.location
        if (held.part_number, held.location) != (part.part_number, location):
            raise ReservationElsewhere(number, held.part_number, held.location, part.part_number, location,
                                       field=f"lines.{index}.reservation")
        if held.status != ReservationStatus.ACTIVE:
            raise ReservationNotActive(number, held.status)
    location = location or uow.rules.default_location
    return index, part, uow.locations.require(location, field=f"lines.{index}.location"), line


def take_back(uow: PartsUnitOfWork, caller: Caller, issue_number: str, command: TakeBack) -> IssueSlip:
    """Unused parts return to the lot they were issued from, at the location they came from.
    A part and lot issued on several lines of the slip may come back up to their total."""
    with uow:
        now = uow.now()
        slip = uow.documents.issue_for_update(issue_number)
        if slip is None:
            raise IssueNotFound(issue_number)
        # (part, location, lot, reason) -> quantity, in the order the lines name them.
        returning: dict[tuple[str, str, str, str], Decimal] = {}
        for index, line in enumerate(command.lines):
            taken = slip.take_back(line.part_number, line.lot, line.quantity)
            uow.parts.get(line.part_number).check_quantity(line.quantity, field=f"lines.{index}.quantity")
            for issued, quantity in taken:
                key = (issued.part_number, issued.location, issued.lot, line.reason or "not used")
                returning[key] = returning.get(key, Decimal(0)) + quantity
        # Lock in a stable order, as every use case does.
        stocks = {key: uow.stock.get_or_create_for_update(*key)
                  for key in sorted({(part_number, location) for part_number, location, _, _ in returning})}
        for (part_number, location, lot_code, reason), quantity in returning.items():
            lot = uow.lots.get(lot_code)
            stocks[(part_number, location)].return_to_stock(
                lot_code, lot.received_at, lot.supplier, quantity, blocked=lot.blocked, issue_number=slip.number,
                repair_order=slip.repair_order, reason=reason, at=now, actor=caller.sub)
        uow.commit()
    return slip
