"""Bulk import from a spreadsheet (批量导入): the catalog, and the stock a dealer starts with.

Either the whole file is applied or none of it. The HTTP layer reads the CSV file and checks
each row's format with the API's schemas. These use cases get the rows that passed, each with
its line number, and the problems of the rows that did not. They check the business rules on
every row, and apply the file in one unit of work only if no row has a problem. Otherwise
they raise `RowsRejected`, which lists every problem by line.

Exporting is a read, so the HTTP layer pages through `queries` for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from shared.auth import Caller
from shared.errors import DomainError
from shared.numbers import document_number

from parts.domain.catalog import Part
from parts.domain.documents import Receipt
from parts.domain.errors import (
    LocationNotFound,
    PartNotFound,
    PartNumberTaken,
    RowsRejected,
    SupplierNotFound,
)
from parts.domain.supply import Inspection
from parts.service.catalog import AddPart, describe, supersede, unit_held
from parts.service.ports import PartsUnitOfWork
from parts.service.receipts import ReceiptLineAsked, book_line

# The delivery note of the receipts that book opening stock.
OPENING_BALANCE = "opening balance (期初库存)"


@dataclass(frozen=True)
class Row:
    """One data row of the file as the API's schema loaded it (a catalog row: the `AddPart` of
    the part it describes; a stock row: its `OpeningStock`); `line` 2 is the first."""

    line: int
    values: Any


@dataclass(frozen=True)
class CatalogImport:
    rows: int
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class OpeningStock:
    """Stock of a part at a location when the dealer starts, from one supplier's lot (its own
    lot number: None if not given), at a unit cost."""

    part_number: str
    location: str
    supplier: str
    quantity: Decimal
    unit_cost: Decimal
    supplier_lot: str | None = None

    def receipt_line(self) -> ReceiptLineAsked:
        """As a receipt books it. Already on the shelf, not just delivered: it counts as
        inspected (passed)."""
        return ReceiptLineAsked(self.part_number, self.quantity, self.unit_cost, self.location,
                                inspection=Inspection.PASSED.value, supplier_lot=self.supplier_lot)


@dataclass(frozen=True)
class StockTakeOn:
    rows: int
    receipts: list[Receipt]


def import_catalog(uow: PartsUnitOfWork, caller: Caller, rows: Sequence[Row], *,
                   rejected: Sequence[dict] = (), create_only: bool = False) -> CatalogImport:
    """Add the file's new part numbers, and make existing parts match the file (配件目录导入).

    A row describes a whole part: all the catalog's columns. A blank name or `superseded_by`
    means there is none. `fitments` and `alternates` are lists: a row without them (the file has
    no such column) leaves the part's as they are, an empty list means none. An alternate or a
    replacement may be a number further down the file. With `create_only`, a number that is
    already in the catalog is a problem on its row instead of an update. A number that appears
    twice in the file is a problem on each later line. The same events are announced as when
    parts are added and changed one at a time, one per part: `parts.part.created` for each new
    part, and `parts.part.updated` for each part that really changed; each goes into the part's
    history with the line of the file as its reason.
    """
    problems = _Problems(rejected)
    rows = _once_each(rows, "part_number", lambda asked: (asked.part_number,), problems)
    with uow:
        now = uow.now()
        imported: list[tuple[Row, Part]] = []
        created: set[str] = set()
        # A new number may not differ from one in the catalog, or earlier in the file, only in case.
        spelled = uow.parts.spellings(row.values.part_number for row in rows)
        # Lock the parts in part-number order, so that two imports cannot deadlock. Supersession
        # comes after every part of the file exists: a row may name a replacement that appears
        # further down the file.
        for row in sorted(rows, key=lambda row: row.values.part_number):
            asked: AddPart = row.values
            number = asked.part_number
            why = imported_from(row)
            part = uow.parts.get_for_update(number)
            if part is None:
                with problems.on(row.line, "part_number"):
                    if number.lower() in spelled:
                        raise PartNumberTaken(number, spelled[number.lower()])
                    part = Part(caller.dealer, number, asked.details, at=now, by=caller.sub, reason=why)
                if part is None:
                    continue
                uow.parts.add(part)
                created.add(number)
                spelled[number.lower()] = number
            elif create_only:
                problems.append(RowsRejected.problem_of(row.line, PartNumberTaken(number), "part_number"))
                continue
            else:
                with problems.on(row.line, "part_number"):
                    part.change(part.version, now, by=caller.sub, reason=why,
                                stock_held=unit_held(uow, part, asked.details.unit), **asdict(asked.details))
            imported.append((row, part))
        # Alternates, like replacements, may be numbers further down the file: all exist by now.
        for row, part in sorted(imported, key=lambda pair: pair[0].line):
            asked, why = row.values, imported_from(row)
            with problems.on(row.line, "superseded_by"):
                supersede(uow, part, asked.superseded_by, now, by=caller.sub, reason=why)
            with problems.on(row.line, "alternates"):
                describe(uow, part, asked.fitments, asked.alternates, now, by=caller.sub, reason=why,
                         field="alternates")
        if problems:
            raise RowsRejected(problems)
        # A part that existed has recorded events only if the file changed it.
        updated = sum(1 for _, part in imported if part.part_number not in created and part.events)
        uow.commit()
    return CatalogImport(rows=len(imported), created=len(created), updated=updated,
                         unchanged=len(imported) - len(created) - updated)


def imported_from(row: Row) -> str:
    """The reason a part's history gives for a change made by an import."""
    return f"catalog import, line {row.line}"


def take_on_stock(uow: PartsUnitOfWork, caller: Caller, rows: Sequence[Row], *,
                  rejected: Sequence[dict] = ()) -> StockTakeOn:
    """Book the stock a dealer already holds when it starts using the system (期初库存).

    Each row is stock of one part at one location, from one supplier's lot, at a unit cost.
    It is booked the way receiving books a delivery: one lot per row, one receipt per supplier
    (its delivery note says "opening balance"), a ledger row, and `parts.stock.received`.
    There is one difference. The stock was already on the shelf, not just delivered, so it
    counts as inspected (passed) and is available at once. A superseded number is booked to
    its current number, as on a receipt. These are problems on the row: an unknown part,
    location or supplier; a supplier that is not qualified; a quantity with more decimal
    places than the part's unit allows; and a part, location, supplier and supplier lot that
    an earlier row already has.
    """
    problems = _Problems(rejected)
    rows = _once_each(rows, "part_number", lambda line: (line.part_number, line.location, line.supplier,
                                                         line.supplier_lot), problems)
    with uow:
        now = uow.now()
        part_of, location_of, supplier_of = (
            _Cached(uow.parts.current), _Cached(uow.locations.get), _Cached(uow.suppliers.get))
        booked: list[tuple[Row, Part]] = []
        for row in rows:
            line, values, before = row.line, row.values, len(problems)
            part = part_of(values.part_number)
            with problems.on(line, "part_number"):
                if part is None:
                    raise PartNotFound(values.part_number)
                part.check_quantity(values.quantity)
            with problems.on(line, "location"):
                if location_of(values.location) is None:
                    raise LocationNotFound(values.location)
            with problems.on(line, "supplier"):
                supplier = supplier_of(values.supplier)
                if supplier is None:
                    raise SupplierNotFound(values.supplier)
                supplier.may_deliver()
            if len(problems) == before:
                booked.append((row, part))
        if problems:
            raise RowsRejected(problems)
        # Lock stock rows in a stable order, then book them in the order of the file.
        stocks = {
            key: uow.stock.get_or_create_for_update(*key)
            for key in sorted({(part.part_number, row.values.location) for row, part in booked})
        }
        receipts: dict[str, Receipt] = {}
        receipt_numbers, lot_codes = _Numbers("RC", uow.today()), _Numbers("LOT", uow.today())
        for row, part in booked:
            values = row.values
            receipt = receipts.get(values.supplier)
            if receipt is None:
                receipt = receipts[values.supplier] = Receipt(
                    caller.dealer, receipt_numbers.next(), supplier=values.supplier,
                    delivery_note=OPENING_BALANCE, received_at=now, received_by=caller.sub,
                )
            book_line(uow, caller, receipt, stocks[(part.part_number, values.location)], part,
                      values.receipt_line(), lot_code=lot_codes.next(), bin=location_of(values.location).bin)
        for receipt in receipts.values():
            uow.documents.add(receipt)
        uow.commit()
    return StockTakeOn(rows=len(booked), receipts=list(receipts.values()))


class _Problems(list):
    """The problems of the file found so far."""

    @contextmanager
    def on(self, line: int, field: str) -> Iterator[None]:
        """If a rule checked in this block is broken, record a problem on this row and go on
        to the next row. If the error names no field, `field` is used."""
        try:
            yield
        except DomainError as error:
            self.append(RowsRejected.problem_of(line, error, field))


def _once_each(rows: Sequence[Row], column: str, key_of: Callable[[Any], tuple], problems: _Problems) -> list[Row]:
    """Keep the rows that no earlier row matches on `key_of(row.values)`. A repeated row is a
    problem, on its `column` (the key's first)."""
    first: dict[tuple, int] = {}
    kept = []
    for row in rows:
        key = key_of(row.values)
        if key in first:
            shown = " / ".join("(blank)" if value is None else str(value) for value in key)
            problems.append(RowsRejected.problem(
                row.line, column, "duplicate_in_file", f"{shown} is already on line {first[key]}"))
        else:
            first[key] = row.line
            kept.append(row)
    return kept


class _Cached:
    """Look each code up once per file."""

    def __init__(self, get: Callable[[str], object]):
        self._get = get
        self._found: dict[str, object] = {}

    def __call__(self, code: str):
        if code not in self._found:
            self._found[code] = self._get(code)
        return self._found[code]


class _Numbers:
    """Document numbers that are unique within the file. One file books thousands of lots on one
    day, and among thousands of random suffixes of one day (`document_number`) two may meet."""

    def __init__(self, prefix: str, on: date):
        self._prefix = prefix
        self._at = on
        self._taken: set[str] = set()

    def next(self) -> str:
        while (number := document_number(self._prefix, self._at)) in self._taken:
            pass
        self._taken.add(number)
        return number
