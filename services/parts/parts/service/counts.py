"""Stock counts (盘点): open, count blind, submit, approve, post. A line's names, unit and bin are
taken when the count opens; its list price when it is submitted.

A use case with a request body takes a command, a frozen dataclass defined beside it (the API's
schemas load into it); the count's number comes from the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.counting import StockCount
from parts.domain.errors import CountNotFound, NothingToCount
from parts.service.ports import PartsUnitOfWork


@dataclass(frozen=True)
class OpenCount:
    """Count every lot at `location`, or only those of `part_numbers` (None: all)."""

    location: str
    part_numbers: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CountLineAsked:
    """What the counter found on the shelf of one lot, and why it differs (None: not said)."""

    part_number: str
    lot: str
    counted: Decimal
    reason: str | None = None


@dataclass(frozen=True)
class RecordCountLines:
    lines: tuple[CountLineAsked, ...]


@dataclass(frozen=True)
class DecideOnCount:
    """A parts manager's decision: `approve` posts the variances; otherwise the large ones go back
    to be recounted."""

    approve: bool
    note: str | None = None


def open_count(uow: PartsUnitOfWork, caller: Caller, command: OpenCount) -> StockCount:
    """One line per lot with stock at the location (of the parts asked, or all)."""
    location, part_numbers = command.location, command.part_numbers
    with uow:
        place = uow.locations.require(location, field="location")
        for index, number in enumerate(part_numbers or []):
            uow.parts.require(number, field=f"part_numbers.{index}")
        lots = uow.stock.lots_at(location, part_numbers)
        if not lots:
            raise NothingToCount(location)
        now = uow.now()
        count = StockCount(caller.dealer, document_number("CNT", uow.today()), location=location, bin=place.bin,
                           lots=lots, parts=uow.parts.of(part for part, _lot in lots), at=now, actor=caller.sub)
        uow.counts.add(count)
        uow.commit()
    return count


def record(uow: PartsUnitOfWork, caller: Caller, number: str, command: RecordCountLines) -> StockCount:
    """The counter's figures; the book quantity is read now and kept from the counter."""
    with uow:
        count = _count(uow, number)
        for index, line in enumerate(command.lines):
            part = uow.parts.require(line.part_number, field=f"lines.{index}.part_number")
            part.check_quantity(line.counted, field=f"lines.{index}.counted")
            stock = uow.stock.get(part.part_number, count.location)
            balance = None if stock is None else stock.balance(line.lot)
            book = Decimal("0") if balance is None else balance.on_hand
            count.record(part.part_number, line.lot, line.counted, book=book, reason=line.reason,
                         at=uow.now(), actor=caller.sub)
        uow.commit()
    return count


def submit(uow: PartsUnitOfWork, caller: Caller, number: str) -> StockCount:
    """Close counting: posts at once unless a variance is large enough to need a manager."""
    with uow:
        count = _count(uow, number)
        parts = uow.parts.of(x.part_number for x in count.lines)
        prices = {number: part.details.list_price for number, part in parts.items()}
        if count.submit(prices, uow.rules.count_approval_value, at=uow.now(), actor=caller.sub):
            _post(uow, caller, count)
        uow.commit()
    return count


def decide(uow: PartsUnitOfWork, caller: Caller, number: str, command: DecideOnCount) -> StockCount:
    """A parts manager approves the variances (they post) or sends the large ones to be recounted."""
    with uow:
        count = _count(uow, number)
        if command.approve:
            count.approve(command.note, actor=caller.sub)
            _post(uow, caller, count)
        else:
            count.send_back(command.note, actor=caller.sub)
        uow.commit()
    return count


def _post(uow: PartsUnitOfWork, caller: Caller, count: StockCount) -> None:
    now = uow.now()
    variances = sorted(count.variances(), key=lambda line: (line.part_number, line.lot))
    # Lock each part's stock once, in part-number order like every other use case.
    stocks = {part: uow.stock.get_or_create_for_update(part, count.location)
              for part in sorted({line.part_number for line in variances})}
    for line in variances:
        stock = stocks[line.part_number]
        lot = uow.lots.get(line.lot)
        stock.correct(line.lot, line.variance, received_at=lot.received_at, supplier=lot.supplier,
                      blocked=lot.blocked, reference=count.number,
                      reason=line.reason or f"stock count {count.number}", at=now, actor=caller.sub)
    count.posted(at=now)


def _count(uow: PartsUnitOfWork, number: str) -> StockCount:
    count = uow.counts.get_for_update(number)
    if count is None:
        raise CountNotFound(number)
    return count
