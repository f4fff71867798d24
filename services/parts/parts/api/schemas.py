"""The parts API's wire format: what comes in, what goes out."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from shared.fields import PERIOD_DATES, DecimalString, StrictBoolean
from shared.http.dumping import CompiledDump
from shared.paging import PageQuery, page_of

from parts.domain.catalog import UNITS
from parts.domain.part_details import DETAIL_NAMES, PartDetails, Source
from parts.domain.stock import ReservationStatus
from parts.domain.supply import Inspection
from parts.service.catalog import AddPart, ChangePart
from parts.service.counts import CountLineAsked, DecideOnCount, OpenCount, RecordCountLines
from parts.service.issues import IssueLineAsked, IssueParts, ReturnLineAsked, TakeBack
from parts.service.lots import HoldReason, RecordInspection, ReturnToSupplier
from parts.service.purchasing import OrderFromSupplier, OrderFromSuppliers, OrderLineAsked
from parts.service.receipts import ReceiptLineAsked, ReceiveDelivery
from parts.service.reorder import SetReorderRule
from parts.service.reservations import ReleaseReservation, ReservationLineAsked, Reserve, ReserveQuote
from parts.service.stock_transfers import TransferStock
from parts.service.supply import AddLocation, AddSupplier, ChangeSupplier

PART_NUMBER = ma.validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$",
    error="1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit",
)
CATEGORY = ma.validate.Regexp(r"^[a-z][a-z0-9_]{0,49}$", error="a lower-case code such as brakes")
CURRENCY = ma.validate.Regexp(r"^[A-Z]{3}$", error="an ISO 4217 code such as CNY")
SOURCES = [s.value for s in Source]
MAX_PRICE = Decimal("9999999999.99")  # what the column holds


class FitmentSchema(ma.Schema):
    """A vehicle the part fits: confirm make, model, year and displacement (车型/年份/排量)."""

    make = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    model = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    year_from = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1950, 2100))
    year_to = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1950, 2100))
    displacement = DecimalString(places=1, minimum=0, maximum=Decimal("99.9"), load_default=None,
                                 allow_none=True, metadata={"description": "engine displacement in litres"})

    @ma.validates_schema
    def years_in_order(self, data, **_):
        if data["year_to"] < data["year_from"]:
            raise ma.ValidationError("must not be before year_from", "year_to")


class PartSchema(ma.Schema):
    part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True, attribute="details.name_zh")
    name_en = ma.fields.String(allow_none=True, attribute="details.name_en")
    category = ma.fields.String(attribute="details.category")
    unit = ma.fields.String(attribute="details.unit")
    source = ma.fields.Function(lambda part: part.details.source, metadata={"enum": SOURCES})
    safety_critical = ma.fields.Boolean(attribute="details.safety_critical")
    list_price = DecimalString(places=2, attribute="details.list_price")
    currency = ma.fields.String(attribute="details.currency")
    superseded_by = ma.fields.String(allow_none=True, metadata={"description": "the number that replaces it"})
    alternates = ma.fields.List(ma.fields.String(), metadata={"description": "numbers that may be fitted instead"})
    fitments = ma.fields.List(ma.fields.Nested(FitmentSchema))
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class _PartFields(ma.Schema):
    """A part's details (`PartDetails`), as a request sends them."""

    name_zh = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 200))
    name_en = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 200))
    category = ma.fields.String(validate=CATEGORY)
    unit = ma.fields.String(validate=ma.validate.OneOf(sorted(UNITS)))
    source = ma.fields.String(validate=ma.validate.OneOf(SOURCES))
    safety_critical = StrictBoolean()
    list_price = DecimalString(places=2, minimum=0, maximum=MAX_PRICE)
    currency = ma.fields.String(validate=CURRENCY)


def part_reason() -> ma.fields.String:
    return ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 500),
                            metadata={"description": "why (new supplier price, catalog correction ...); "
                                                     "goes into the event and the part's history"})


def part_alternates() -> ma.fields.List:
    return ma.fields.List(ma.fields.String(validate=PART_NUMBER), validate=ma.validate.Length(max=50),
                          metadata={"description": "numbers of the catalog that may be fitted instead"})


def part_fitments() -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(FitmentSchema), validate=ma.validate.Length(max=500))


class PartCreate(_PartFields):
    """A whole part: what it is, and optionally what replaces it, what it fits and what may
    be fitted instead."""

    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    category = ma.fields.String(required=True, validate=CATEGORY)
    unit = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(UNITS)))
    source = ma.fields.String(required=True, validate=ma.validate.OneOf(SOURCES))
    safety_critical = StrictBoolean(load_default=False)
    list_price = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, required=True)
    currency = ma.fields.String(load_default="CNY", validate=CURRENCY)
    superseded_by = ma.fields.String(allow_none=True, validate=PART_NUMBER,
                                     metadata={"description": "a number of the catalog that replaces it"})
    alternates = part_alternates()
    fitments = part_fitments()
    reason = part_reason()

    @ma.post_load
    def command(self, data, **_) -> AddPart:
        # A name left out is none (the part checks that it has one or the other).
        details = {"name_zh": None, "name_en": None, **{name: data[name] for name in DETAIL_NAMES if name in data}}
        return AddPart(
            part_number=data["part_number"],
            details=PartDetails(**details),
            superseded_by=data.get("superseded_by"),
            fitments=_tuple_or_none(data.get("fitments")),
            alternates=_tuple_or_none(data.get("alternates")),
            reason=data.get("reason"),
        )


class PartUpdate(_PartFields):
    """Only the fields that change; the part number cannot."""

    superseded_by = ma.fields.String(allow_none=True, validate=PART_NUMBER,
                                     metadata={"description": "null: no longer superseded"})
    alternates = part_alternates()
    fitments = part_fitments()
    reason = part_reason()

    @ma.post_load
    def command(self, data, **_) -> ChangePart:
        return ChangePart(
            details={name: data[name] for name in DETAIL_NAMES if name in data},
            supersession_given="superseded_by" in data,
            superseded_by=data.get("superseded_by"),
            fitments=_tuple_or_none(data.get("fitments")),
            alternates=_tuple_or_none(data.get("alternates")),
            reason=data.get("reason"),
        )


def _tuple_or_none(items: list | None) -> tuple | None:
    return None if items is None else tuple(items)


class PartQuery(PageQuery):
    category = ma.fields.String(validate=CATEGORY)
    source = ma.fields.String(validate=ma.validate.OneOf(SOURCES))
    safety_critical = ma.fields.Boolean()
    q = ma.fields.String(
        validate=ma.validate.Length(1, 100),
        metadata={"description": "part number (hyphens, spaces and case ignored) or name (in simplified or "
                                 "traditional characters) contains this text"},
    )
    make = ma.fields.String(validate=ma.validate.Length(1, 60), metadata={"description": "fits this make"})
    model = ma.fields.String(validate=ma.validate.Length(1, 60))
    year = ma.fields.Integer(validate=ma.validate.Range(1950, 2100))
    displacement = DecimalString(places=1, minimum=0, maximum=Decimal("99.9"))


PartPage = page_of(PartSchema)


class FieldChangeSchema(ma.Schema):
    field = ma.fields.String(metadata={"description": "a field of the part, or fitments, alternates"})
    from_ = ma.fields.Raw(attribute="from", data_key="from", allow_none=True,
                          metadata={"description": "null when the part was created"})
    to = ma.fields.Raw(allow_none=True)


class PartChangeSchema(ma.Schema):
    """One entry of a part's history (变更记录)."""

    kind = ma.fields.String(metadata={"enum": ["created", "updated"]})
    at = ma.fields.AwareDateTime()
    by = ma.fields.String(metadata={"description": "who (the token's sub)"})
    reason = ma.fields.String(allow_none=True)
    changes = ma.fields.List(ma.fields.Nested(FieldChangeSchema),
                             metadata={"description": "each field that changed, from -> to"})


PartChangePage = page_of(PartChangeSchema)


# ---------------------------------------------------------------- shared pieces of the stock API

CODE = ma.validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", error="1 to 40 letters, digits, '.', '_' or '-'")
MAX_QUANTITY = Decimal("99999999999.999")


def quantity(**kwargs) -> DecimalString:
    """A positive quantity in the part's unit; the unit decides how many decimals are allowed."""
    return DecimalString(places=3, minimum=0, exclusive_minimum=True, maximum=MAX_QUANTITY, **kwargs)


def stock_amount(**kwargs) -> DecimalString:
    return DecimalString(places=3, **kwargs)


def book_figure(**kwargs) -> DecimalString:
    """A stock quantity that is null for a caller counting it blind (see `withheld`)."""
    return stock_amount(allow_none=True, **kwargs)


def withheld_field() -> ma.fields.String:
    return ma.fields.String(
        allow_none=True, dump_default=None,
        metadata={"description": "set while you are counting this part here blind (盲盘): the count "
                                 "(\"count CNT-…\") that keeps its quantities from you; they are null"},
    )


# ---------------------------------------------------------------- suppliers and locations


class SupplierPartNumberSchema(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    supplier_part_number = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))


class SupplierSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    qualified = ma.fields.Boolean(metadata={"description": "passed supplier review (合格供应商): may deliver"})
    lead_time_days = ma.fields.Integer()
    part_numbers = ma.fields.List(ma.fields.Nested(SupplierPartNumberSchema))
    version = ma.fields.Integer()


def supplier_reason() -> ma.fields.String:
    return ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 500),
                            metadata={"description": "why (supplier review result, contract ...); goes into the event"})


class SupplierCreate(ma.Schema):
    code = ma.fields.String(required=True, validate=CODE)
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    qualified = StrictBoolean(required=True)
    lead_time_days = ma.fields.Integer(strict=True, load_default=7, validate=ma.validate.Range(0, 365))
    part_numbers = ma.fields.List(ma.fields.Nested(SupplierPartNumberSchema), load_default=list,
                                  validate=ma.validate.Length(max=5000),
                                  metadata={"description": "one supplier number per part of the catalog"})
    reason = supplier_reason()

    @ma.post_load
    def command(self, data, **_) -> AddSupplier:
        return AddSupplier(code=data["code"], name=data["name"], qualified=data["qualified"],
                           lead_time_days=data["lead_time_days"], part_numbers=tuple(data["part_numbers"]),
                           reason=data["reason"])


class SupplierUpdate(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(1, 200))
    qualified = StrictBoolean()
    lead_time_days = ma.fields.Integer(strict=True, validate=ma.validate.Range(0, 365))
    part_numbers = ma.fields.List(ma.fields.Nested(SupplierPartNumberSchema), validate=ma.validate.Length(max=5000),
                                  metadata={"description": "one supplier number per part of the catalog"})
    reason = supplier_reason()

    @ma.post_load
    def command(self, data, **_) -> ChangeSupplier:
        changes = {name: value for name, value in data.items() if name != "reason"}
        if "part_numbers" in changes:
            changes["part_numbers"] = tuple(changes["part_numbers"])
        return ChangeSupplier(changes=changes, reason=data["reason"])


class SupplierQuery(PageQuery):
    qualified = ma.fields.Boolean()


class LocationSchema(ma.Schema):
    code = ma.fields.String()
    warehouse = ma.fields.String()
    bin = ma.fields.String(allow_none=True)


class LocationCreate(ma.Schema):
    code = ma.fields.String(required=True, validate=CODE)
    warehouse = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    bin = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 60))

    @ma.post_load
    def command(self, data, **_) -> AddLocation:
        return AddLocation(code=data["code"], warehouse=data["warehouse"], bin=data["bin"])


# ---------------------------------------------------------------- receipts and lots

INSPECTIONS = ["passed", "pending", "failed"]


class StockLineFields(ma.Schema):
    """What a line of stock put on a shelf says, whether delivered (a receipt line) or already
    there when the dealer starts (a row of the CSV opening stock)."""

    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    quantity = quantity(required=True)
    unit_cost = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, required=True)
    location = ma.fields.String(required=True, validate=CODE)
    supplier_lot = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 60))


class ReceiptLineCreate(StockLineFields):
    inspection = ma.fields.String(
        required=True, validate=ma.validate.OneOf(INSPECTIONS),
        metadata={"description": "incoming inspection (进货检验), chosen for every line: pending until "
                                 "inspected (record it later), passed, or failed; only passed stock is available"},
    )

    @ma.post_load
    def line(self, data, **_) -> ReceiptLineAsked:
        return ReceiptLineAsked(part_number=data["part_number"], quantity=data["quantity"],
                                unit_cost=data["unit_cost"], location=data["location"],
                                inspection=data["inspection"], supplier_lot=data["supplier_lot"])


class ReceiptCreate(ma.Schema):
    supplier = ma.fields.String(required=True, validate=CODE)
    delivery_note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 60))
    purchase_order = ma.fields.String(load_default=None, allow_none=True, validate=CODE,
                                      metadata={"description": "the order this delivery fills: no longer on order"})
    lines = ma.fields.List(ma.fields.Nested(ReceiptLineCreate), required=True,
                           validate=ma.validate.Length(1, 500))

    @ma.post_load
    def command(self, data, **_) -> ReceiveDelivery:
        return ReceiveDelivery(supplier=data["supplier"], lines=tuple(data["lines"]),
                               delivery_note=data["delivery_note"], purchase_order=data["purchase_order"])


BOOKED_AS = "as it was when the line was booked"


class ReceiptLineSchema(ma.Schema):
    part_number = ma.fields.String()
    asked_part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True, metadata={"description": f"the part's Chinese name, {BOOKED_AS}"})
    name_en = ma.fields.String(allow_none=True, metadata={"description": f"the part's English name, {BOOKED_AS}"})
    location = ma.fields.String()
    bin = ma.fields.String(allow_none=True, metadata={"description": f"the location's bin (货位), {BOOKED_AS}"})
    lot = ma.fields.String()
    quantity = stock_amount()
    unit_cost = DecimalString(places=2)
    inspection = ma.fields.String()


class ReceiptSchema(ma.Schema):
    number = ma.fields.String()
    supplier = ma.fields.String()
    delivery_note = ma.fields.String(allow_none=True)
    received_at = ma.fields.AwareDateTime()
    received_by = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(ReceiptLineSchema))


class LotSchema(ma.Schema):
    code = ma.fields.String()
    part_number = ma.fields.String()
    supplier = ma.fields.String()
    supplier_lot = ma.fields.String(allow_none=True)
    receipt = ma.fields.String()
    received_at = ma.fields.AwareDateTime()
    quantity = book_figure(metadata={"description": "received"})
    unit_cost = DecimalString(places=2)
    inspection = ma.fields.Function(lambda lot: lot.inspection.value, metadata={"enum": INSPECTIONS})
    inspected_at = ma.fields.AwareDateTime(allow_none=True)
    on_hold = ma.fields.Boolean()
    hold_reason = ma.fields.String(allow_none=True)
    blocked = ma.fields.Boolean(metadata={"description": "its stock may not be reserved or issued"})
    version = ma.fields.Integer()
    withheld = withheld_field()


class InspectionCreate(ma.Schema):
    result = ma.fields.String(required=True, validate=ma.validate.OneOf(["passed", "failed"]))
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 500))

    @ma.post_load
    def command(self, data, **_) -> RecordInspection:
        return RecordInspection(result=Inspection(data["result"]), note=data["note"])


class SupplierReturnCreate(ma.Schema):
    location = ma.fields.String(required=True, validate=CODE)
    quantity = quantity(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 500))

    @ma.post_load
    def command(self, data, **_) -> ReturnToSupplier:
        return ReturnToSupplier(location=data["location"], quantity=data["quantity"], reason=data["reason"])


# ---------------------------------------------------------------- stock and ledger

STOCK_STATES = ["available", "held_back"]


class BalanceSchema(ma.Schema):
    part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True)
    name_en = ma.fields.String(allow_none=True)
    location = ma.fields.String()
    lot = ma.fields.String()
    supplier = ma.fields.String()
    supplier_lot = ma.fields.String(allow_none=True)
    received_at = ma.fields.AwareDateTime()
    on_hand = book_figure()
    reserved = book_figure()
    quarantined = book_figure()
    available = book_figure()
    inspection = ma.fields.Function(lambda row: row.inspection.value, metadata={"enum": INSPECTIONS})
    on_hold = ma.fields.Boolean()
    withheld = withheld_field()


class BalanceQuery(PageQuery):
    part_number = ma.fields.String(validate=PART_NUMBER)
    location = ma.fields.String(validate=CODE)
    lot = ma.fields.String(validate=CODE)
    state = ma.fields.String(validate=ma.validate.OneOf(STOCK_STATES), metadata={
        "description": "available: only lots with some available; held_back: only lots with some held back "
                       "(quarantined). Where you count blind, a lot's inspection and hold decide instead"})


class MovementSchema(ma.Schema):
    id = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    kind = ma.fields.String()
    part_number = ma.fields.String()
    location = ma.fields.String()
    lot = ma.fields.String()
    on_hand_change = book_figure()
    reserved_change = book_figure()
    quarantined_change = book_figure()
    reference = ma.fields.String(metadata={"description": "the document: receipt, reservation, issue slip, count ..."})
    actor = ma.fields.String()
    reason = ma.fields.String(allow_none=True, metadata={
        "description": "why; a reservation's rows name the repair order or appointment (null only on old rows)"})
    withheld = withheld_field()


class LedgerQuery(PageQuery):
    part_number = ma.fields.String(validate=PART_NUMBER)
    location = ma.fields.String(validate=CODE)
    lot = ma.fields.String(validate=CODE)
    reference = ma.fields.String(validate=ma.validate.Length(1, 60))


# ---------------------------------------------------------------- reservations and issues


class AllocationSchema(ma.Schema):
    lot = ma.fields.String()
    quantity = stock_amount()


# What a reservation holds parts for. A sales order's are made by confirming the sale
# (/sales/{number}/confirm), never asked for directly.
FOR_KINDS = ["repair_order", "appointment", "sales_order"]
RESERVATION_STATUSES = [status.value for status in ReservationStatus]


class ReservationSchema(ma.Schema):
    number = ma.fields.String()
    part_number = ma.fields.String()
    location = ma.fields.String()
    quantity = stock_amount()
    issued = stock_amount()
    for_kind = ma.fields.String(metadata={"enum": FOR_KINDS})
    for_reference = ma.fields.String()
    expires_at = ma.fields.AwareDateTime()
    deposit = DecimalString(places=2, allow_none=True)
    status = ma.fields.String(metadata={"enum": RESERVATION_STATUSES})
    created_at = ma.fields.AwareDateTime()
    created_by = ma.fields.String()
    allocations = ma.fields.List(ma.fields.Nested(AllocationSchema))


class ReservationCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    quantity = quantity(required=True)
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE)
    for_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["repair_order", "appointment"]))
    for_reference = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    expires_at = ma.fields.AwareDateTime(load_default=None, metadata={"description": "default: the configured hold"})
    deposit = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, load_default=None, allow_none=True,
                            metadata={"description": "customer deposit; appointments for high-value parts need half the price"})

    @ma.post_load
    def command(self, data, **_) -> Reserve:
        return Reserve(part_number=data["part_number"], quantity=data["quantity"], for_kind=data["for_kind"],
                       for_reference=data["for_reference"], location=data["location"],
                       expires_at=data["expires_at"], deposit=data["deposit"])


class ReservationLineCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    quantity = quantity(required=True)
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE,
                                metadata={"description": "default: the configured default location"})
    deposit = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, load_default=None, allow_none=True,
                            metadata={"description": "customer deposit for this line; for an appointment a "
                                                     "high-value part needs half its price"})

    @ma.post_load
    def line(self, data, **_) -> ReservationLineAsked:
        return ReservationLineAsked(part_number=data["part_number"], quantity=data["quantity"],
                                    location=data["location"], deposit=data["deposit"])


class ReservationBatchCreate(ma.Schema):
    """A whole quote for one repair order or appointment: every line is reserved, or none."""

    for_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["repair_order", "appointment"]))
    for_reference = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    expires_at = ma.fields.AwareDateTime(load_default=None, metadata={"description": "default: the configured hold"})
    lines = ma.fields.List(ma.fields.Nested(ReservationLineCreate), required=True,
                           validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> ReserveQuote:
        return ReserveQuote(for_kind=data["for_kind"], for_reference=data["for_reference"],
                            lines=tuple(data["lines"]), expires_at=data["expires_at"])


class ReservationBatchSchema(ma.Schema):
    for_kind = ma.fields.String(metadata={"enum": FOR_KINDS})
    for_reference = ma.fields.String()
    reservations = ma.fields.List(ma.fields.Nested(ReservationSchema),
                                  metadata={"description": "one per line, in the order of the lines"})


class ReservationRelease(ma.Schema):
    reason = ma.fields.String(load_default="released", validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> ReleaseReservation:
        return ReleaseReservation(reason=data["reason"])


class ReservationQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(RESERVATION_STATUSES))
    part_number = ma.fields.String(validate=PART_NUMBER)
    for_reference = ma.fields.String(validate=ma.validate.Length(1, 60))


class IssueLineCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    quantity = quantity(required=True)
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE)
    reservation = ma.fields.String(load_default=None, allow_none=True, validate=CODE)

    @ma.post_load
    def line(self, data, **_) -> IssueLineAsked:
        return IssueLineAsked(part_number=data["part_number"], quantity=data["quantity"], location=data["location"],
                              reservation=data["reservation"])


VIN = ma.validate.Regexp(r"^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$", error="17 characters, no I, O or Q")


class IssueCreate(ma.Schema):
    repair_order = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    vin = ma.fields.String(required=True, validate=VIN)
    technician = ma.fields.String(required=True, validate=ma.validate.Length(1, 200),
                                  metadata={"description": "who signs the issue slip"})
    lines = ma.fields.List(ma.fields.Nested(IssueLineCreate), required=True, validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> IssueParts:
        return IssueParts(repair_order=data["repair_order"], vin=data["vin"], technician=data["technician"],
                          lines=tuple(data["lines"]))


class IssueLineSchema(ma.Schema):
    part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True, metadata={"description": f"the part's Chinese name, {BOOKED_AS}"})
    name_en = ma.fields.String(allow_none=True, metadata={"description": f"the part's English name, {BOOKED_AS}"})
    location = ma.fields.String()
    bin = ma.fields.String(allow_none=True, metadata={
        "description": f"the location's bin (货位) it was taken from, {BOOKED_AS}: sort a pick list by it"})
    lot = ma.fields.String()
    supplier = ma.fields.String()
    quantity = stock_amount()
    returned = stock_amount()
    reservation = ma.fields.String(allow_none=True)


class IssueSchema(ma.Schema):
    number = ma.fields.String()
    repair_order = ma.fields.String()
    vin = ma.fields.String()
    technician = ma.fields.String()
    issued_at = ma.fields.AwareDateTime()
    issued_by = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(IssueLineSchema))


class IssueQuery(PageQuery):
    repair_order = ma.fields.String(validate=ma.validate.Length(1, 40))
    vin = ma.fields.String(validate=VIN, metadata={"description": "in any case"})


IssuePage = page_of(IssueSchema)


class ReturnLineCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    lot = ma.fields.String(required=True, validate=CODE)
    quantity = quantity(required=True)
    reason = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 200))

    @ma.post_load
    def line(self, data, **_) -> ReturnLineAsked:
        return ReturnLineAsked(part_number=data["part_number"], lot=data["lot"], quantity=data["quantity"],
                               reason=data["reason"])


class ReturnCreate(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(ReturnLineCreate), required=True, validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> TakeBack:
        return TakeBack(lines=tuple(data["lines"]))


class TransferCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    from_location = ma.fields.String(required=True, validate=CODE)
    to_location = ma.fields.String(required=True, validate=CODE)
    quantity = quantity(required=True)
    lot = ma.fields.String(load_default=None, allow_none=True, validate=CODE,
                           metadata={"description": "default: the oldest available lots"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 500))

    @ma.post_load
    def command(self, data, **_) -> TransferStock:
        return TransferStock(part_number=data["part_number"], from_location=data["from_location"],
                             to_location=data["to_location"], quantity=data["quantity"], reason=data["reason"],
                             lot=data["lot"])


class TransferSchema(ma.Schema):
    number = ma.fields.String(metadata={"description": "the reference of its ledger rows"})
    part_number = ma.fields.String()
    from_location = ma.fields.String()
    to_location = ma.fields.String()
    quantity = stock_amount()
    reason = ma.fields.String()
    moved_at = ma.fields.AwareDateTime()
    moved_by = ma.fields.String()
    lots = ma.fields.List(ma.fields.Nested(AllocationSchema), attribute="picks",
                          metadata={"description": "how much of each lot moved; each keeps its lot"})


SupplierPage = page_of(SupplierSchema)
LocationPage = page_of(LocationSchema)
BalancePage = page_of(BalanceSchema)
MovementPage = page_of(MovementSchema)
ReservationPage = page_of(ReservationSchema)


# ---------------------------------------------------------------- availability and reorder rules


class QuoteLineCreate(ma.Schema):
    part_number = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,59}$",
                                    error="1 to 60 letters, digits, spaces, '.', '_' or '-'"),
        metadata={"description": "as typed or scanned: hyphens, spaces and case do not matter"},
    )
    quantity = quantity(required=True)


class QuoteCreate(ma.Schema):
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE,
                                metadata={"description": "default: every location"})
    lines = ma.fields.List(ma.fields.Nested(QuoteLineCreate), required=True, validate=ma.validate.Length(1, 200))


QUARANTINED = "on hand but not usable: inspection pending or failed, or the lot on hold"
NAME = "the Chinese name, else the English one (name_zh, name_en: each as the catalog has it)"


class OfferSchema(ma.Schema):
    part_number = ma.fields.String()
    name = ma.fields.String(allow_none=True, metadata={"description": NAME})
    name_zh = ma.fields.String(allow_none=True)
    name_en = ma.fields.String(allow_none=True)
    source = ma.fields.String()
    unit_price = DecimalString(places=2)
    currency = ma.fields.String()
    on_hand = book_figure()
    reserved = book_figure()
    quarantined = book_figure(metadata={"description": QUARANTINED})
    available = book_figure()
    can_fulfil = ma.fields.Boolean()
    withheld = withheld_field()


class LocationLevelSchema(ma.Schema):
    location = ma.fields.String()
    bin = ma.fields.String(allow_none=True)
    on_hand = book_figure()
    reserved = book_figure()
    quarantined = book_figure(metadata={"description": QUARANTINED})
    available = book_figure()
    withheld = withheld_field()


class QuoteLineSchema(ma.Schema):
    part_number = ma.fields.String(metadata={"description": "as the catalog writes it, when found"})
    asked_part_number = ma.fields.String(metadata={"description": "as the line gave it"})
    quantity = stock_amount()
    found = ma.fields.Boolean()
    name = ma.fields.String(allow_none=True, metadata={"description": NAME})
    name_zh = ma.fields.String(allow_none=True)
    name_en = ma.fields.String(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    unit_price = DecimalString(places=2, allow_none=True)
    currency = ma.fields.String(allow_none=True)
    line_total = DecimalString(places=2, allow_none=True, metadata={"description": "unit price x quantity"})
    on_hand = book_figure(metadata={"description": "over the locations asked about"})
    reserved = book_figure()
    quarantined = book_figure(metadata={"description": QUARANTINED})
    available = book_figure()
    can_fulfil = ma.fields.Boolean()
    below_safety_level = ma.fields.Boolean()
    lead_time_days = ma.fields.Integer(allow_none=True, metadata={
        "description": "when short: days to get more (the reorder rule's, else the quickest qualified "
                       "supplier's, else DEFAULT_LEAD_TIME_DAYS); null when not short"})
    locations = ma.fields.List(ma.fields.Nested(LocationLevelSchema),
                               metadata={"description": "where it is on the shelf: each location holding some"})
    withheld = withheld_field()
    superseded_by = ma.fields.Nested(OfferSchema, allow_none=True,
                                     metadata={"description": "the current number, when the asked one is superseded"})
    alternates = ma.fields.List(ma.fields.Nested(OfferSchema), metadata={"description": "alternates in stock"})
    problem = ma.fields.Dict(allow_none=True, metadata={"description": "why the line could not be answered"})


# Dumped through a plan (shared/http/dumping.py): ten lines with their locations, successor and
# alternates are a few hundred fields, and a quote is the desk's most frequent call.
class QuoteSchema(CompiledDump, ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(QuoteLineSchema))
    total = DecimalString(places=2, allow_none=True, metadata={
        "description": "sum of the found lines' totals; null if they are priced in different currencies"})
    currency = ma.fields.String(allow_none=True)


class ReorderRuleCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE)
    safety_stock = stock_amount(required=True, minimum=0, maximum=MAX_QUANTITY)
    reorder_point = stock_amount(required=True, minimum=0, maximum=MAX_QUANTITY)
    max_stock = stock_amount(required=True, minimum=0, maximum=MAX_QUANTITY)
    pack_multiple = quantity(load_default=Decimal("1"))
    lead_time_days = ma.fields.Integer(strict=True, load_default=None, allow_none=True, validate=ma.validate.Range(0, 365))
    mode = ma.fields.String(load_default="fixed", validate=ma.validate.OneOf(["fixed", "demand"]))
    service_level = DecimalString(places=4, minimum=Decimal("0.5"), maximum=Decimal("0.9999"),
                                  load_default=Decimal("0.95"))

    @ma.post_load
    def command(self, data, **_) -> SetReorderRule:
        return SetReorderRule(part_number=data["part_number"], safety_stock=data["safety_stock"],
                              reorder_point=data["reorder_point"], max_stock=data["max_stock"],
                              pack_multiple=data["pack_multiple"], location=data["location"],
                              lead_time_days=data["lead_time_days"], mode=data["mode"],
                              service_level=data["service_level"])


class ReorderRuleSchema(ma.Schema):
    part_number = ma.fields.String()
    location = ma.fields.String()
    safety_stock = ma.fields.Function(lambda s: str(s.rule.safety_stock))
    reorder_point = ma.fields.Function(lambda s: str(s.rule.reorder_point))
    max_stock = ma.fields.Function(lambda s: str(s.rule.max_stock))
    pack_multiple = ma.fields.Function(lambda s: str(s.rule.pack_multiple))
    lead_time_days = ma.fields.Function(lambda s: s.rule.lead_time_days)
    mode = ma.fields.Function(lambda s: s.rule.mode)
    below_safety = ma.fields.Boolean()


# ---------------------------------------------------------------- quarantine and traceability


class HoldCreate(ma.Schema):
    """Why a lot is put on hold, or why its hold is lifted: one document for both."""

    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 500),
                              metadata={"description": "recall, supplier notice, quality hold ..."})

    @ma.post_load
    def command(self, data, **_) -> HoldReason:
        return HoldReason(**data)


class FittedSchema(ma.Schema):
    issue = ma.fields.String()
    issued_at = ma.fields.AwareDateTime()
    repair_order = ma.fields.String()
    vin = ma.fields.String()
    technician = ma.fields.String()
    part_number = ma.fields.String()
    quantity = stock_amount()
    returned = stock_amount()
    lot = ma.fields.String()
    supplier = ma.fields.String()
    supplier_lot = ma.fields.String(allow_none=True)
    receipt = ma.fields.String()
    received_at = ma.fields.AwareDateTime()


class BackwardQuery(ma.Schema):
    vin = ma.fields.String(validate=VIN)
    repair_order = ma.fields.String(validate=ma.validate.Length(1, 40))

    @ma.validates_schema
    def one_of_them(self, data, **_):
        if not data:
            raise ma.ValidationError("give a vin or a repair_order", "vin")


class BackwardSchema(ma.Schema):
    fitted = ma.fields.List(ma.fields.Nested(FittedSchema))


class RemainingSchema(ma.Schema):
    location = ma.fields.String()
    on_hand = book_figure()
    reserved = book_figure()
    quarantined = book_figure()
    withheld = withheld_field()


class ForwardSchema(ma.Schema):
    lot = ma.fields.Nested(LotSchema)
    fitted = ma.fields.List(ma.fields.Nested(FittedSchema))
    remaining = ma.fields.List(ma.fields.Nested(RemainingSchema))


# ---------------------------------------------------------------- stock counts


class CountCreate(ma.Schema):
    location = ma.fields.String(required=True, validate=CODE)
    part_numbers = ma.fields.List(ma.fields.String(validate=PART_NUMBER), load_default=None,
                                  validate=ma.validate.Length(1, 500),
                                  metadata={"description": "count only these parts (default: all at the location)"})

    @ma.post_load
    def command(self, data, **_) -> OpenCount:
        return OpenCount(location=data["location"], part_numbers=_tuple_or_none(data["part_numbers"]))


class CountedLine(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    lot = ma.fields.String(required=True, validate=CODE)
    counted = stock_amount(required=True, minimum=0, maximum=MAX_QUANTITY)
    reason = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 500),
                              metadata={"description": "why it differs (damaged, misplaced ...); goes into the ledger"})

    @ma.post_load
    def line(self, data, **_) -> CountLineAsked:
        return CountLineAsked(part_number=data["part_number"], lot=data["lot"], counted=data["counted"],
                              reason=data["reason"])


class CountRecord(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(CountedLine), required=True, validate=ma.validate.Length(1, 1000))

    @ma.post_load
    def command(self, data, **_) -> RecordCountLines:
        return RecordCountLines(lines=tuple(data["lines"]))


class CountDecision(ma.Schema):
    approve = ma.fields.Boolean(required=True, metadata={"description": "true posts; false sends the large variances back to be recounted"})
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 500))

    @ma.post_load
    def command(self, data, **_) -> DecideOnCount:
        return DecideOnCount(approve=data["approve"], note=data["note"])


BOOK_HIDDEN = "null while counting, and while it waits for approval unless you are a parts manager"
AS_OPENED = "as it was when the count opened"


class CountLineSchema(ma.Schema):
    part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True, metadata={"description": f"the part's Chinese name, {AS_OPENED}"})
    name_en = ma.fields.String(allow_none=True, metadata={"description": f"the part's English name, {AS_OPENED}"})
    unit = ma.fields.String(allow_none=True, metadata={"description": f"the part's unit, {AS_OPENED}"})
    bin = ma.fields.String(allow_none=True, metadata={"description": f"the location's bin (货位), {AS_OPENED}"})
    lot = ma.fields.String()
    counted = stock_amount(allow_none=True)
    book = stock_amount(allow_none=True, metadata={"description": BOOK_HIDDEN})
    variance = stock_amount(allow_none=True, metadata={"description": f"counted - book; {BOOK_HIDDEN}"})
    unit_price = DecimalString(places=2, allow_none=True, metadata={
        "description": "the list price taken on submit (null before): what the difference is valued at"})
    value = DecimalString(places=2, allow_none=True, metadata={
        "description": f"variance x unit_price, what the approval threshold (COUNT_APPROVAL_VALUE) measures; "
                       f"{BOOK_HIDDEN}"})
    counted_by = ma.fields.String(allow_none=True)
    counted_at = ma.fields.AwareDateTime(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    needs_approval = ma.fields.Boolean()


class CountSchema(ma.Schema):
    number = ma.fields.String()
    location = ma.fields.String()
    status = ma.fields.Function(lambda count: count.status.value,
                                metadata={"enum": ["counting", "awaiting_approval", "posted"]})
    opened_at = ma.fields.AwareDateTime()
    opened_by = ma.fields.String()
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    decided_by = ma.fields.String(allow_none=True)
    decision_note = ma.fields.String(allow_none=True)
    posted_at = ma.fields.AwareDateTime(allow_none=True)
    book_shown = ma.fields.Boolean(metadata={
        "description": "whether the lines' book, variance and value are shown to you (else they are null)"})
    lines = ma.fields.List(ma.fields.Nested(CountLineSchema))


class CountQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(["counting", "awaiting_approval", "posted"]))
    location = ma.fields.String(validate=CODE)


CountPage = page_of(CountSchema)


# ---------------------------------------------------------------- reorder, purchase orders, supplier quality


class SuggestionSchema(ma.Schema):
    part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True)
    name_en = ma.fields.String(allow_none=True)
    location = ma.fields.String()
    available = book_figure()
    on_order = stock_amount()
    safety_stock = stock_amount()
    reorder_point = stock_amount()
    max_stock = stock_amount()
    pack_multiple = stock_amount()
    mode = ma.fields.String(metadata={"enum": ["fixed", "demand"]})
    quantity = book_figure(metadata={"description": "order this much: up to max, in whole packs"})
    supplier = ma.fields.String(allow_none=True, metadata={"description": "the qualified supplier it last came from"})
    lead_time_days = ma.fields.Integer(allow_none=True)
    withheld = withheld_field()


class SuggestionQuery(ma.Schema):
    location = ma.fields.String(validate=CODE)


class SuggestionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestionSchema))


class OrderLineCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE)
    quantity = quantity(required=True)

    @ma.post_load
    def line(self, data, **_) -> OrderLineAsked:
        return OrderLineAsked(part_number=data["part_number"], quantity=data["quantity"], location=data["location"])


class PurchaseOrderCreate(ma.Schema):
    supplier = ma.fields.String(required=True, validate=CODE)
    lines = ma.fields.List(ma.fields.Nested(OrderLineCreate), required=True, validate=ma.validate.Length(1, 500))

    @ma.post_load
    def command(self, data, **_) -> OrderFromSupplier:
        return OrderFromSupplier(supplier=data["supplier"], lines=tuple(data["lines"]))


class PurchaseOrderBatchCreate(ma.Schema):
    """Several orders, one per supplier as a rule: all are placed, or none."""

    orders = ma.fields.List(ma.fields.Nested(PurchaseOrderCreate), required=True, validate=ma.validate.Length(1, 50))

    @ma.post_load
    def command(self, data, **_) -> OrderFromSuppliers:
        return OrderFromSuppliers(orders=tuple(data["orders"]))


class OrderLineSchema(ma.Schema):
    part_number = ma.fields.String()
    location = ma.fields.String()
    quantity = stock_amount()
    received = stock_amount()
    cancelled = stock_amount(metadata={"description": "what had not come when the order was cancelled"})
    outstanding = stock_amount(metadata={"description": "still to come: 0 once the order is received or cancelled"})


class PurchaseOrderSchema(ma.Schema):
    number = ma.fields.String()
    supplier = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["open", "received", "cancelled"]})
    ordered_at = ma.fields.AwareDateTime()
    ordered_by = ma.fields.String()
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    lines = ma.fields.List(ma.fields.Nested(OrderLineSchema))


class PurchaseOrderQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "received", "cancelled"]))
    supplier = ma.fields.String(validate=CODE)


class PurchaseOrderBatchSchema(ma.Schema):
    orders = ma.fields.List(ma.fields.Nested(PurchaseOrderSchema), metadata={"description": "in the order asked"})


PurchaseOrderPage = page_of(PurchaseOrderSchema)


class IncidentSchema(ma.Schema):
    kind = ma.fields.String(metadata={"enum": ["field_failure", "complaint"]})
    reference = ma.fields.String(metadata={"description": "the warranty claim or complaint"})
    part_number = ma.fields.String()
    lot = ma.fields.String()
    at = ma.fields.AwareDateTime()


class SupplierQualitySchema(ma.Schema):
    supplier = ma.fields.String()
    units_issued = stock_amount()
    field_failures = ma.fields.Integer()
    failures_per_thousand = DecimalString(places=2, metadata={"description": "field failures per 1,000 units issued"})
    incidents = ma.fields.Integer(metadata={"description": "product-quality complaints"})
    lots_inspected = ma.fields.Integer()
    lots_rejected = ma.fields.Integer()
    rejection_rate = DecimalString(places=4, metadata={"description": "share of inspected lots that failed"})
    recent = ma.fields.List(ma.fields.Nested(IncidentSchema), metadata={"description": "the last 50 incidents"})


class SupplierQualityReportQuery(ma.Schema):
    start = ma.fields.Date(data_key="from", load_default=None, validate=PERIOD_DATES,
                           metadata={"description": "first day (dealer's date)"})
    end = ma.fields.Date(data_key="to", load_default=None, validate=PERIOD_DATES,
                         metadata={"description": "last day, included"})

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ma.ValidationError("the period ends before it starts", field_name="to")


class SupplierQualityLine(ma.Schema):
    supplier = ma.fields.String()
    name = ma.fields.String()
    units_issued = stock_amount(metadata={"description": "issued up to the period's end, returns deducted"})
    field_failures = ma.fields.Integer(metadata={"description": "approved warranty claims on its lots in the period"})
    failures_per_thousand = DecimalString(places=2, metadata={"description": "field failures per 1,000 units issued"})
    incidents = ma.fields.Integer(metadata={"description": "product-quality complaints on its lots in the period"})
    lots_inspected = ma.fields.Integer(metadata={"description": "lots inspected in the period"})
    lots_rejected = ma.fields.Integer(metadata={"description": "of those, failed incoming inspection"})
    rejection_rate = DecimalString(places=4, metadata={"description": "share of inspected lots that failed"})


class SupplierQualityReport(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SupplierQualityLine), metadata={"description": "every supplier, by code"})


class LotLookupQuery(ma.Schema):
    code = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 60)), required=True,
                          validate=ma.validate.Length(1, 100),
                          metadata={"description": "lot codes, the parameter repeated (up to 100)"})


class LotReference(ma.Schema):
    code = ma.fields.String()
    part_number = ma.fields.String()
    supplier = ma.fields.String()
    supplier_lot = ma.fields.String(allow_none=True)


class LotReferenceList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LotReference), metadata={"description": "the lots found, by code"})
