"""Holding parts for a repair order or an appointment (预留), and letting them go.

A use case with a request body takes a command: a frozen dataclass of what the clerk asks,
defined beside it (the API's schemas load into it). A reservation's number comes from the URL,
not from the command.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.auth import Caller
from shared.db import ALL_DEALERS
from shared.jobs import drain
from shared.numbers import document_number

from parts.domain.catalog import Part
from parts.domain.errors import InsufficientStock, LinesShort, ReservationNotFound, StockMoved
from parts.domain.stock import PartStock, Reservation, check_deposit, where_to_reserve_lines
from parts.service.ports import PartsUnitOfWork, UnitsOfWork


@dataclass(frozen=True)
class ReservationLineAsked:
    """One line as the clerk writes it: the part, how many, where from (None: wherever it is
    available) and the customer's deposit (None: none given)."""

    part_number: str
    quantity: Decimal
    location: str | None = None
    deposit: Decimal | None = None


@dataclass(frozen=True)
class Reserve:
    """One part held for a repair order or an appointment (`for_kind`, `for_reference`), until
    `expires_at` (None: for the configured hold)."""

    part_number: str
    quantity: Decimal
    for_kind: str
    for_reference: str
    location: str | None = None
    expires_at: datetime | None = None
    deposit: Decimal | None = None

    @property
    def line(self) -> ReservationLineAsked:
        return ReservationLineAsked(self.part_number, self.quantity, location=self.location, deposit=self.deposit)


@dataclass(frozen=True)
class ReserveQuote:
    """Every line of a quote, held for one repair order or appointment, until `expires_at`
    (None: for the configured hold)."""

    for_kind: str
    for_reference: str
    lines: tuple[ReservationLineAsked, ...]
    expires_at: datetime | None = None


@dataclass(frozen=True)
class ReleaseReservation:
    reason: str = "released"


def reserve(uow: PartsUnitOfWork, caller: Caller, command: Reserve) -> Reservation:
    """Hold parts at the location named, or, when none is, wherever they are (`where_to_reserve`)."""
    line = command.line
    if line.location:
        reservation = _reserve_locking_last(uow, caller, line, for_kind=command.for_kind,
                                            for_reference=command.for_reference, expires_at=command.expires_at)
        if reservation is not None:
            return reservation
    with uow:
        reservations, shortages = _reserve_lines(uow, caller, [line], for_kind=command.for_kind,
                                                 for_reference=command.for_reference,
                                                 expires_at=command.expires_at, fields=lambda index: "")
        if shortages:
            raise shortages[0][1]
        uow.commit()
    return reservations[0]


def _reserve_locking_last(uow: PartsUnitOfWork, caller: Caller, line: ReservationLineAsked, *, for_kind: str,
                          for_reference: str, expires_at: datetime | None) -> Reservation | None:
    """A reservation at a named location, made on the stock as read without its lock; the lock
    is taken by the commit's last statements (`StockRepository.settle_reservations`), so a
    hot part's clerks queue for the database's work, not for the whole use case. None, with
    nothing written, when that cannot answer for sure (no stock row there yet, too little
    available as read, or the stock moved meanwhile): the caller reserves the locked way."""
    with uow:
        now = uow.now()
        part = _checked(uow, line, for_kind, fields="", alone=True)
        stock = uow.stock.to_reserve(part.part_number, line.location)
        if stock is None:
            return None
        try:
            reservation = stock.reserve(
                document_number("RV", uow.today()), line.quantity, for_kind=for_kind, for_reference=for_reference,
                expires_at=expires_at or now + uow.rules.reservation_hold, deposit=line.deposit, at=now,
                actor=caller.sub,
            )
            uow.commit()
        except (InsufficientStock, StockMoved):
            return None
    return reservation


def reserve_quote(uow: PartsUnitOfWork, caller: Caller, command: ReserveQuote) -> list[Reservation]:
    """Reserve every line of a quote for one repair order or appointment (整单预留): all lines or
    none. Each line is a reservation of its own, as if reserved alone (its own number, lots and
    `parts.stock.reserved`). Every line the stock cannot meet is named in one `LinesShort`
    (409), and nothing is reserved."""
    with uow:
        reservations, shortages = _reserve_lines(uow, caller, command.lines, for_kind=command.for_kind,
                                                 for_reference=command.for_reference,
                                                 expires_at=command.expires_at, fields=lambda index: f"lines.{index}.")
        if shortages:
            raise LinesShort(shortages)
        uow.commit()
    return reservations


def hold_lines(uow: PartsUnitOfWork, caller: Caller, lines: Sequence[ReservationLineAsked], *, for_kind: str,
               for_reference: str, prefix: str = "lines") -> list[Reservation]:
    """Within the caller's unit of work (a sale being confirmed): reserve every line as
    `reserve_quote` does, all or none, raising `LinesShort`; the caller commits. `prefix`: the
    request field the lines are in (an exchange's replacement lines are in `exchange`)."""
    reservations, shortages = _reserve_lines(uow, caller, lines, for_kind=for_kind, for_reference=for_reference,
                                             expires_at=None, fields=lambda index: f"{prefix}.{index}.")
    if shortages:
        raise LinesShort(shortages, prefix)
    return reservations


def _reserve_lines(uow: PartsUnitOfWork, caller: Caller, lines: Sequence[ReservationLineAsked], *, for_kind: str,
                   for_reference: str, expires_at: datetime | None, fields: Callable[[int], str],
                   ) -> tuple[list[Reservation], list[tuple[int, InsufficientStock]]]:
    """Reserve the lines in their order, each where `where_to_reserve_lines` holds it; returns
    the reservations and the lines that are short, each with why. `fields(index)` is what a
    line's request fields are prefixed with ("lines.2."), as `purchasing.place_all` names them."""
    now = uow.now()
    until = expires_at or now + uow.rules.reservation_hold
    parts = [_checked(uow, line, for_kind, fields=fields(index)) for index, line in enumerate(lines)]
    stocks = _locked(uow, parts, lines, fields)
    places = where_to_reserve_lines(
        [(part.part_number, line.quantity, line.location) for part, line in zip(parts, lines)],
        {key: stock.available for key, stock in stocks.items()}, default_location=uow.rules.default_location)
    reservations, shortages = [], {}
    for index, (part, line, where) in enumerate(zip(parts, lines, places)):
        if isinstance(where, InsufficientStock):
            shortages[index] = where
            continue
        try:
            reservations.append(stocks[(part.part_number, where)].reserve(
                document_number("RV", uow.today()), line.quantity, for_kind=for_kind, for_reference=for_reference,
                expires_at=until, deposit=line.deposit, at=now, actor=caller.sub,
            ))
        except InsufficientStock as short:  # the stock is unchanged: go on, to name every short line
            shortages[index] = short
    return reservations, sorted(shortages.items())


def _checked(uow: PartsUnitOfWork, line: ReservationLineAsked, for_kind: str, *, fields: str,
             alone: bool = False) -> Part:
    """The line's part, with its quantity and deposit checked. `fields` prefixes the request's
    fields. `alone`: the unit of work reads nothing else of the part (`require_alone`)."""
    find = uow.parts.require_alone if alone else uow.parts.require
    part = find(line.part_number, field=f"{fields}part_number")
    part.check_quantity(line.quantity, field=f"{fields}quantity")
    check_deposit(part.part_number, part.details.list_price, line.quantity, for_kind, line.deposit,
                  high_value_threshold=uow.rules.high_value_threshold, share=uow.rules.deposit_share,
                  field=f"{fields}deposit")
    return part


def _locked(uow: PartsUnitOfWork, parts: list[Part], lines: Sequence[ReservationLineAsked],
            fields: Callable[[int], str]) -> dict[tuple[str, str], PartStock]:
    """Every stock the lines may be held from, locked in part and location order, like every use
    case that moves stock (two reservations never wait on each other): a line's own location, or
    every location holding the part for a line that names none. Reserving adds a reservation
    and reads only the lot balances."""
    named: dict[tuple[str, str], str] = {}  # the stock a line names -> that line's location field
    anywhere: set[tuple[str, str]] = set()
    for index, (part, line) in enumerate(zip(parts, lines)):
        if line.location:
            named.setdefault((part.part_number, line.location), f"{fields(index)}location")
        else:
            anywhere.update((part.part_number, where) for where in uow.stock.locations_holding(part.part_number))
    stocks = {}
    for key in sorted(named.keys() | anywhere):
        stock = uow.stock.get_for_update(*key, reservations=False)
        if stock is None and key in named:
            uow.locations.require(key[1], field=named[key])
            stock = uow.stock.get_or_create_for_update(*key, reservations=False)
        if stock is not None:
            stocks[key] = stock
    return stocks


def release(uow: PartsUnitOfWork, caller: Caller, number: str, command: ReleaseReservation) -> Reservation:
    with uow:
        stock = uow.stock.holding_reservation_for_update(number)
        if stock is None:
            raise ReservationNotFound(number)
        reservation = stock.release(number, reason=command.reason, at=uow.now(), actor=caller.sub)
        uow.commit()
    return reservation


def release_expired(units_of_work: UnitsOfWork, batch: int = 100) -> int:
    """The service's own sweep: release every reservation past its expiry, each in its own
    transaction (a busy part is never locked for the whole sweep). Returns how many."""

    def find(limit: int) -> list[tuple]:
        finder = units_of_work(dealer=ALL_DEALERS, actor="system:expiry", correlation_id="reservation-expiry")
        with finder:
            return list(finder.stock.expired_reservations(finder.now(), limit=limit))

    def release_one(due: tuple) -> int:
        dealer, number, part_number, location = due
        uow = units_of_work(dealer=dealer, actor="system:expiry", correlation_id=f"expiry-{number}")
        with uow:
            stock = uow.stock.get_for_update(part_number, location)
            reservation = stock.reservation(number) if stock else None
            if reservation is None or not reservation.expired_by(uow.now()):
                return 0  # issued or released meanwhile
            stock.release(number, reason="expired", at=uow.now(), actor="system:expiry")
            uow.commit()
        return 1

    return drain(find, release_one, batch)
