"""Stock counts (盘点): open, count blind, submit, approve, post. A line's names, unit and bin are
taken when the count opens; its list price when it is submitted."""

from __future__ import annotations

from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.counting import StockCount
from parts.domain.errors import CountNotFound, NothingToCount
from parts.service.ports import PartsUnitOfWork


def open_count(uow: PartsUnitOfWork, caller: Caller, *, location: str,
               part_numbers: list[str] | None = None) -> StockCount:
    """One line per lot with stock at the location (of the parts asked, or all)."""
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


def record(uow: PartsUnitOfWork, caller: Caller, number: str, *, lines: list[dict]) -> StockCount:
    """The counter's figures; the book quantity is read now and kept from the counter."""
    with uow:
        count = _count(uow, number)
        for index, line in enumerate(lines):
            part = uow.parts.require(line["part_number"], field=f"lines.{index}.part_number")
            part.check_quantity(line["counted"], field=f"lines.{index}.counted")
            stock = uow.stock.get(part.part_number, count.location)
            balance = None if stock is None else stock.balance(line["lot"])
            book = Decimal("0") if balance is None else balance.on_hand
            count.record(part.part_number, line["lot"], line["counted"], book=book, reason=line.get("reason"),
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


def decide(uow: PartsUnitOfWork, caller: Caller, number: str, *, approve: bool,
           note: str | None = None) -> StockCount:
    """A parts manager approves the variances (they post) or sends the large ones to be recounted."""
    with uow:
        count = _count(uow, number)
        if approve:
            count.approve(note, actor=caller.sub)
            _post(uow, caller, count)
        else:
            count.send_back(note, actor=caller.sub)
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
