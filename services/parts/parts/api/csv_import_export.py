"""`/api/v1/catalog/...` and `/api/v1/stock/...`: the catalog and stock as CSV files, for clerks
who work in spreadsheets.

Files are comma-separated CSV (RFC 4180). The first line names the columns, in any order;
every column of the format must be there. An uploaded file is read as UTF-8, with or without
a byte order mark (Excel's "CSV UTF-8 (逗号分隔)" writes one), unless the Content-Type names
another charset. Exports are UTF-8 with a byte order mark, so that Excel shows Chinese names
correctly. A blank cell has no value: the field's default, or an error if the field is
required. Line numbers are the spreadsheet's row numbers: line 1 is the header, line 2 the
first row.

An import checks every row. If any row is bad, it answers 422 `rows_rejected`, lists every
problem with its line and column, and applies nothing. A file may have up to MAX_ROWS rows,
and must fit in the service's body limit (MAX_BODY_BYTES, 1 MiB by default).

A spreadsheet runs a cell that starts with = + - or @ as a formula. An export therefore puts
an apostrophe in front of such a value, and an import takes it off again.

The catalog's lists are one cell each, for a clerk to edit in Excel:

- `fitments`, the vehicles a part fits, separated by semicolons; each is make, model, model
  years and, if it matters, the engine displacement in litres:
  `Toyota Camry 2018-2022 2.5; Toyota RAV4 2019-2023`. The make is one word, or in double
  quotes when it has spaces (`"Land Rover" Defender 2020-2024 3.0`); the model is everything
  up to the years, which are four digits each (`2019` alone is that one year).
- `alternates`, the numbers that may be fitted instead, separated by `|`: `04465-33471|04465-YZZ60`.

A blank cell means none. A file without these columns leaves every part's lists as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView

from shared.errors import DomainError
from shared.fields import DecimalString
from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.problems import PROBLEM_JSON, ProblemSchema
from shared.http.security import requires_role
from shared.paging import MAX_LIMIT, Page

from parts.api.roles import CLERKS, MANAGERS, READERS
from parts.api.schemas import (
    CODE,
    PART_NUMBER,
    BalanceSchema,
    FitmentSchema,
    PartCreate,
    PartSchema,
    StockLineFields,
)
from parts.domain.errors import RowsRejected
from parts.domain.part_details import DETAIL_NAMES
from parts.queries import catalog as catalog_queries
from parts.queries import stock as stock_queries
from parts.service import csv_import_export
from parts.service.csv_import_export import OpeningStock, Row

# "transfer" is the tag the published OpenAPI document files these endpoints under: kept, so
# the document stays as it was.
blp = Blueprint("transfer", __name__, url_prefix="/api/v1",
                description="The catalog and stock as CSV files for spreadsheets: export, and import (all rows or none)")

# All rows go in one transaction, and each row costs a few queries: a bigger file would hold
# its locks, and keep the request waiting, for minutes. Split it instead.
MAX_ROWS = 5_000
CSV = "text/csv"
# A part's number, its details in their order, its replacement and its lists.
CATALOG_COLUMNS = ("part_number", *DETAIL_NAMES, "superseded_by", "fitments", "alternates")
# Columns an imported catalog may leave out: the parts keep their lists.
CATALOG_LISTS = ("fitments", "alternates")
STOCK_COLUMNS = ("part_number", "name_zh", "name_en", "location", "lot", "supplier", "supplier_lot", "received_at",
                 "inspection", "on_hold", "on_hand", "reserved", "quarantined", "available", "unit_cost")
OPENING_STOCK_COLUMNS = ("part_number", "location", "supplier", "supplier_lot", "quantity", "unit_cost")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- cells that hold a list

# make ("Land Rover" in quotes), model, years (2018-2022 or 2018), displacement in litres (2.5 or 2.5L)
_FITMENT = re.compile(
    r'^(?:"(?P<quoted_make>[^"]+)"|(?P<make>[^\s"]+))\s+(?P<model>\S.*?)'
    r'\s+(?P<year_from>\d{4})(?:\s*-\s*(?P<year_to>\d{4}))?(?:\s+(?P<displacement>\d{1,2}(?:\.\d)?)\s*[Ll]?)?$'
)
FITMENT_FORMAT = "make model years [litres], such as Toyota Camry 2018-2022 2.5"
_FITMENT_SCHEMA = FitmentSchema()  # one for every cell of a file: building a schema is the slow part


class FitmentsCell(ma.fields.Field):
    """The vehicles a part fits, in one cell: `Toyota Camry 2018-2022 2.5; Toyota RAV4 2019-2023`."""

    def _serialize(self, value, attr, obj, **kwargs) -> str:
        return "; ".join(_fitment_text(fitment) for fitment in value or ())

    def _deserialize(self, value, attr, data, **kwargs) -> list[dict]:
        if not isinstance(value, str):
            raise ma.ValidationError("vehicles as text, separated by ;")
        fitments, problems = [], []
        for text in (entry.strip() for entry in value.split(";")):
            if not text:
                continue
            match = _FITMENT.match(text)
            if match is None:
                problems.append(f"{text!r} is not {FITMENT_FORMAT}")
                continue
            try:
                fitments.append(_FITMENT_SCHEMA.load({
                    "make": match["quoted_make"] or match["make"], "model": match["model"],
                    "year_from": int(match["year_from"]), "year_to": int(match["year_to"] or match["year_from"]),
                    "displacement": match["displacement"],
                }))
            except ma.ValidationError as error:
                problems += [f"{text!r}: {field} {message}" for field, messages in error.messages.items()
                             for message in messages]
        if len(fitments) > 500:
            problems.append("at most 500 vehicles")
        if problems:
            raise ma.ValidationError(problems)
        return fitments


def _fitment_text(fitment) -> str:
    make = f'"{fitment.make}"' if re.search(r"\s", fitment.make) else fitment.make
    text = f"{make} {fitment.model} {fitment.year_from}-{fitment.year_to}"
    return text if fitment.displacement is None else f"{text} {format(fitment.displacement, '.1f')}"


class AlternatesCell(ma.fields.Field):
    """The numbers that may be fitted instead, in one cell: `04465-33471|04465-YZZ60`."""

    def _serialize(self, value, attr, obj, **kwargs) -> str:
        return "|".join(value or ())

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        if not isinstance(value, str):
            raise ma.ValidationError("part numbers as text, separated by |")
        numbers = [number.strip() for number in value.split("|") if number.strip()]
        problems = []
        for number in numbers:
            try:
                PART_NUMBER(number)
            except ma.ValidationError as error:
                problems += [f"{number!r}: {message}" for message in error.messages]
        if len(numbers) > 50:
            problems.append("at most 50 alternates")
        if problems:
            raise ma.ValidationError(problems)
        return numbers


# ---------------------------------------------------------------- rows of an uploaded file


class _CsvRow(ma.Schema):
    """One row of an uploaded file. Cells are trimmed, a blank cell is left out (a blank list
    cell is kept: it means none), and an export's formula guard is taken off."""

    LISTS: tuple[str, ...] = ()

    @ma.pre_load
    def cells(self, data, **_):
        return {name: _unguarded(value.strip()) for name, value in data.items()
                if value.strip() or name in self.LISTS}


class CatalogRow(_CsvRow, PartCreate):
    """A part as a catalog row; the same rules as adding one, and loaded into the same command
    (`AddPart`)."""

    class Meta:
        exclude = ("reason",)

    LISTS = CATALOG_LISTS
    # A blank cell does not mean "no" for the safety flag: the row must say true or false.
    safety_critical = ma.fields.Boolean(required=True)
    superseded_by = ma.fields.String(load_default=None, validate=PART_NUMBER)
    fitments = FitmentsCell()
    alternates = AlternatesCell()


class OpeningStockRow(_CsvRow, StockLineFields):
    """Stock on the shelf when the dealer starts: a line of stock plus its supplier; there is no
    inspection, because the stock is already in use."""

    supplier = ma.fields.String(required=True, validate=CODE)

    @ma.post_load
    def opening_stock(self, data, **_) -> OpeningStock:
        return OpeningStock(part_number=data["part_number"], location=data["location"], supplier=data["supplier"],
                            quantity=data["quantity"], unit_cost=data["unit_cost"],
                            supplier_lot=data["supplier_lot"])


class CatalogImportQuery(ma.Schema):
    mode = ma.fields.String(
        load_default="upsert", validate=ma.validate.OneOf(["upsert", "create"]),
        metadata={"description": "upsert: add new numbers, update existing ones; "
                                 "create: a number already in the catalog is a bad row"},
    )


# ---------------------------------------------------------------- what the API answers


class CatalogImportSchema(ma.Schema):
    rows = ma.fields.Integer()
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer(metadata={"description": "rows that already matched the catalog"})


class TakenOnReceiptSchema(ma.Schema):
    number = ma.fields.String()
    supplier = ma.fields.String()
    received_at = ma.fields.AwareDateTime()
    lines = ma.fields.Function(lambda receipt: len(receipt.lines), metadata={"type": "integer"})


class StockTakeOnSchema(ma.Schema):
    rows = ma.fields.Integer()
    receipts = ma.fields.List(ma.fields.Nested(TakenOnReceiptSchema),
                              metadata={"description": "one receipt per supplier, one lot per row"})


class RowProblemSchema(ma.Schema):
    line = ma.fields.Integer(metadata={"description": "1 is the header, 2 the first row"})
    field = ma.fields.String(metadata={"description": "the column; _header, _row or _file for the whole of it"})
    code = ma.fields.String()
    message = ma.fields.String()


class RowsRejectedSchema(ProblemSchema):
    rows = ma.fields.List(ma.fields.Nested(RowProblemSchema),
                          metadata={"description": "rows_rejected: every problem of the file, by line"})


class CatalogExportRow(PartSchema):
    fitments = FitmentsCell()
    alternates = AlternatesCell()


class StockExportRow(BalanceSchema):
    unit_cost = DecimalString(places=2)


CSV_FILE = {"type": "string", "description": "a CSV file, UTF-8 with a byte order mark"}
ATTACHMENT = {"Content-Disposition": {"schema": {"type": "string"}, "description": "attachment; filename=..."}}
ROWS_REJECTED = ("rows_rejected: every bad row with its line number and column; nothing was applied. "
                 "Also 422 for a bad query parameter.")


# The catalog import's example row, by column; a column it does not name is blank.
CATALOG_EXAMPLE = {
    "part_number": "04465-33450", "name_zh": "前刹车片", "name_en": "Front brake pads", "category": "brakes",
    "unit": "set", "source": "oem", "safety_critical": "true", "list_price": "680.00", "currency": "CNY",
    "fitments": "Toyota Camry 2018-2022 2.5; Toyota RAV4 2019-2023", "alternates": "04465-33471|04465-YZZ60",
}


def _example_file(columns: tuple[str, ...], row: dict[str, str]) -> str:
    """A header and one row, so that the documented example has every column of the format."""
    return ",".join(columns) + "\r\n" + ",".join(row.get(column, "") for column in columns) + "\r\n"


def _csv_body(columns: Iterable[str], example: str) -> dict:
    return {"requestBody": {
        "required": True,
        "description": f"a CSV file, UTF-8 (a byte order mark is fine); columns: {', '.join(columns)}",
        "content": {CSV: {"schema": {"type": "string"}, "example": example}},
    }}


# ---------------------------------------------------------------- endpoints


@blp.route("/catalog/export")
class CatalogExport(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CSV_FILE, content_type=CSV, headers=ATTACHMENT)
    def get(self):
        """The whole catalog as a CSV file: edit it in a spreadsheet and import it back

        `fitments` holds the vehicles a part fits, separated by semicolons
        (`Toyota Camry 2018-2022 2.5; Toyota RAV4 2019-2023`), `alternates` the numbers that may
        be fitted instead, separated by `|` (`04465-33471|04465-YZZ60`).
        """
        dump = CatalogExportRow(only=CATALOG_COLUMNS).dump
        with read_session() as session:
            parts = [dump(part) for part in _every(lambda **page: catalog_queries.parts(session, **page))]
        return _csv_file("catalog.csv", CATALOG_COLUMNS, parts)


@blp.route("/catalog/import")
class CatalogImport(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(CatalogImportQuery, location="query")
    @blp.doc(**_csv_body(CATALOG_COLUMNS, _example_file(CATALOG_COLUMNS, CATALOG_EXAMPLE)))
    @blp.response(200, CatalogImportSchema)
    @blp.alt_response(422, schema=RowsRejectedSchema, content_type=PROBLEM_JSON, description=ROWS_REJECTED)
    def post(self, query):
        """Add and update parts from a CSV file, all rows or none

        The columns are the export's. A row describes the whole part: a blank name,
        superseded_by, fitments or alternates means none, and safety_critical must say true or
        false. The fitments and alternates columns may be left out of the file: the parts then
        keep theirs. A replacement or an alternate must be in the catalog or in the file.
        """
        rows, rejected = _read_rows(CatalogRow(), CATALOG_COLUMNS, optional=CATALOG_LISTS)
        return csv_import_export.import_catalog(unit_of_work(), caller(), rows, rejected=rejected,
                                                create_only=query["mode"] == "create")


@blp.route("/stock/export")
class StockExport(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CSV_FILE, content_type=CSV, headers=ATTACHMENT)
    def get(self):
        """Stock per part (with its names), location and lot as a CSV file: on hand, reserved,
        quarantined, available"""
        dump = StockExportRow().dump
        with read_session() as session:
            balances = [dump(row) for row in _every(lambda **page: stock_queries.balances(session, viewer=caller(),
                                                                                           **page))]
        return _csv_file("stock.csv", STOCK_COLUMNS, balances)


@blp.route("/stock/import")
class StockImport(MethodView):
    @requires_role(*MANAGERS)
    @blp.doc(**_csv_body(OPENING_STOCK_COLUMNS, (
        "part_number,location,supplier,supplier_lot,quantity,unit_cost\r\n"
        "04465-33450,MAIN,S1,B-2026-11,4,410.00\r\n")))
    @blp.response(201, StockTakeOnSchema)
    @blp.alt_response(422, schema=RowsRejectedSchema, content_type=PROBLEM_JSON, description=ROWS_REJECTED)
    def post(self):
        """Book the opening stock (期初库存) from a CSV file, all rows or none

        Use this for the stock already on the shelves when the dealer starts using the system.
        Each row gets its own lot, and each supplier its own receipt. The stock counts as
        inspected, so it is available at once. Only a parts manager may do this, because it
        creates stock without a delivery.
        """
        rows, rejected = _read_rows(OpeningStockRow(), OPENING_STOCK_COLUMNS)
        return csv_import_export.take_on_stock(unit_of_work(), caller(), rows, rejected=rejected)


# ---------------------------------------------------------------- reading and writing CSV


class NotCsv(DomainError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


def _read_rows(schema: ma.Schema, columns: tuple[str, ...], *,
               optional: tuple[str, ...] = ()) -> tuple[list[Row], list[dict]]:
    """Read the uploaded file. Returns the rows that `schema` loads, and the problems of the
    rows it refuses. A problem with the file or its header stops the reading here. The file
    must have every one of `columns` except the `optional` ones."""
    reader = csv.reader(io.StringIO(_uploaded_text(), newline=""))
    rows: list[Row] = []
    problems: list[dict] = []
    line = 1
    try:
        names = _header(next(reader, []), columns, optional)
        while True:
            line += 1  # the line being read, for a problem reading it
            record = next(reader, None)
            if record is None:
                break
            if line > MAX_ROWS + 1:
                raise RowsRejected([RowsRejected.problem(
                    line, "_file", "too_many_rows", f"a file may have at most {MAX_ROWS} rows; split it")])
            row = _row(schema, names, record, line, problems)
            if row is not None:
                rows.append(row)
    except csv.Error as error:
        raise RowsRejected([*problems, RowsRejected.problem(
            line, "_file", "malformed_csv", f"not readable as CSV: {error}")]) from None
    if not rows and not problems:
        raise RowsRejected([RowsRejected.problem(2, "_file", "no_rows", "the file has a header but no rows")])
    return rows, problems


def _uploaded_text() -> str:
    if request.mimetype != CSV:
        raise NotCsv(f"send the file as the request body with Content-Type: {CSV}")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    data = request.get_data(cache=True)
    try:
        text = data.decode("utf-8-sig" if charset in ("utf-8", "utf8") else charset)
    except LookupError:
        raise NotCsv(f"unknown charset {charset}; send UTF-8") from None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RowsRejected([RowsRejected.problem(
            line, "_file", "not_utf8" if charset.startswith("utf") else "bad_encoding",
            f"line {line} is not {charset}: in Excel, save as \"CSV UTF-8 (逗号分隔)\"")]) from None
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        raise RowsRejected([RowsRejected.problem(
            line, "_file", "not_text", "the file holds binary data, not text: is it a workbook (.xlsx)? "
            "In Excel, save as \"CSV UTF-8 (逗号分隔)\"")])
    return text.removeprefix("\ufeff")


def _header(cells: list[str], columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[str]:
    """The column names in the file's order; a blank name means that column is not used."""
    names = [cell.strip().lower() for cell in cells]
    if not any(names):
        raise RowsRejected([RowsRejected.problem(
            1, "_header", "no_header", f"the first line must name the columns: {', '.join(columns)}")])
    problems = []
    for index, name in enumerate(names):
        if name and name not in columns:
            problems.append(RowsRejected.problem(
                1, name, "unknown_column", f"unknown column {name!r}; the columns are: {', '.join(columns)}"))
        elif name and name in names[:index]:
            problems.append(RowsRejected.problem(1, name, "duplicate_column", f"column {name} appears twice"))
    for column in columns:
        if column not in names and column not in optional:
            problems.append(RowsRejected.problem(1, column, "missing_column", f"the header has no column {column}"))
    if problems:
        raise RowsRejected(problems)
    return names


def _row(schema: ma.Schema, names: list[str], record: list[str], line: int, problems: list[dict]) -> Row | None:
    """The row, loaded, or None when it is blank or bad (its problems are added)."""
    if not any(cell.strip() for cell in record):
        return None  # a blank line, or an empty spreadsheet row
    stray = [cell for index, cell in enumerate(record) if cell.strip() and (index >= len(names) or not names[index])]
    if stray:
        problems.append(RowsRejected.problem(
            line, "_row", "cell_without_column", f"{len(stray)} cell(s) in columns the header does not name"))
    try:
        return Row(line, schema.load({name: cell for name, cell in zip(names, record) if name}))
    except ma.ValidationError as error:
        for field, messages in _messages(error.messages):
            problems.extend(RowsRejected.problem(line, field, "validation_failed", message) for message in messages)
        return None


def _messages(messages) -> Iterator[tuple[str, list[str]]]:
    if not isinstance(messages, dict):
        yield "_row", [str(messages)]
        return
    for field, found in messages.items():
        yield ("_row" if field == "_schema" else str(field)), (found if isinstance(found, list) else [str(found)])


def _every(page_of: Callable[..., Page]) -> Iterator:
    """Every item of a paged query, a page at a time."""
    cursor = None
    while True:
        page = page_of(limit=MAX_LIMIT, cursor=cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _csv_file(filename: str, columns: tuple[str, ...], items: list[dict]) -> Response:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(columns)
    for item in items:
        writer.writerow([_cell(item.get(column)) for column in columns])
    return Response(out.getvalue().encode("utf-8"), mimetype=CSV,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell
