"""The wire format of counter sales (配件销售) and customer groups."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from shared.fields import DecimalString
from shared.paging import PageQuery, page_of

from parts.api.schemas import CODE, MAX_PRICE, PART_NUMBER, VIN, quantity, stock_amount
from parts.domain.sales import (
    CONDITIONS,
    CUSTOMER_KINDS,
    PAYMENT_METHODS,
    STATUSES,
    UNUSED,
    Refund,
    ReturnAsked,
    Vehicle,
)
from parts.service.sales import (
    AddCustomerGroup,
    CancelSale,
    ChangeCustomerGroup,
    CompleteSale,
    Customer,
    OpenSale,
    PaySale,
    ReturnParts,
    SaleLineAsked,
)

PHONE = ma.validate.Regexp(r"^\+?[0-9][0-9 -]{2,38}$", error="digits, spaces and dashes, optionally starting with +")
PERSONAL = "personal data: masked (张**, 138****1234) for roles that do not sell"


def percent(**kwargs) -> DecimalString:
    return DecimalString(places=2, minimum=0, maximum=100, **kwargs)


# ---------------------------------------------------------------- customer groups (客户类别)


class CustomerGroupSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    discount_percent = DecimalString(places=2, metadata={"description": "off the list price"})
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})
    created_at = ma.fields.AwareDateTime()
    created_by = ma.fields.String()


class CustomerGroupCreate(ma.Schema):
    code = ma.fields.String(required=True, validate=CODE)
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    discount_percent = percent(load_default=Decimal("0"), metadata={"description": "off the list price, 0 to 100"})

    @ma.post_load
    def command(self, data, **_) -> AddCustomerGroup:
        return AddCustomerGroup(code=data["code"], name=data["name"], discount_percent=data["discount_percent"])


class CustomerGroupUpdate(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(1, 200))
    discount_percent = percent(metadata={"description": "off the list price, 0 to 100"})

    @ma.post_load
    def command(self, data, **_) -> ChangeCustomerGroup:
        return ChangeCustomerGroup(changes=data)


class CustomerGroupList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CustomerGroupSchema), required=True)


# ---------------------------------------------------------------- sales orders


class VehicleSchema(ma.Schema):
    """The vehicle the parts are for (车型/年份/排量): each line's fitment is checked against it."""

    make = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 60))
    model = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 60))
    year = ma.fields.Integer(strict=True, load_default=None, allow_none=True, validate=ma.validate.Range(1950, 2100))
    displacement = DecimalString(places=1, minimum=0, maximum=Decimal("99.9"), load_default=None, allow_none=True,
                                 metadata={"description": "engine displacement in litres"})
    vin = ma.fields.String(load_default=None, allow_none=True, validate=VIN)

    @ma.post_load
    def vehicle(self, data, **_) -> Vehicle:
        return Vehicle(make=data["make"], model=data["model"], year=data["year"], displacement=data["displacement"],
                       vin=data["vin"].upper() if data["vin"] else data["vin"])


class SaleLineCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    quantity = quantity(required=True)
    location = ma.fields.String(load_default=None, allow_none=True, validate=CODE,
                                metadata={"description": "where to take it from; default: wherever it is available"})
    unit_price = ma.fields.Raw(load_only=True, metadata={
        "description": "ignored: the price is the service's (list price, less the customer group's discount)"})
    promotion = ma.fields.String(load_default=None, allow_none=True, validate=CODE, metadata={
        "description": "the promotion the customer expects: 422 promotion_not_applicable unless it applies to the "
                       "part today; the service picks the best price itself either way"})

    @ma.post_load
    def line(self, data, **_) -> SaleLineAsked:
        # A client's unit_price is dropped here: the price is the service's.
        return SaleLineAsked(part_number=data["part_number"], quantity=data["quantity"], location=data["location"],
                             promotion=data["promotion"])


class SaleCreate(ma.Schema):
    customer_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(CUSTOMER_KINDS))
    customer_account = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 60),
                                        metadata={"description": "the trade account; required for trade"})
    customer_name = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 200))
    customer_phone = ma.fields.String(load_default=None, allow_none=True, validate=PHONE)
    customer_group = ma.fields.String(load_default=None, allow_none=True, validate=CODE,
                                      metadata={"description": "its discount applies to every line"})
    vehicle = ma.fields.Nested(VehicleSchema, load_default=None, allow_none=True)
    lines = ma.fields.List(ma.fields.Nested(SaleLineCreate), required=True, validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> OpenSale:
        customer = Customer(kind=data["customer_kind"], account=data["customer_account"], name=data["customer_name"],
                            phone=data["customer_phone"], group=data["customer_group"])
        return OpenSale(customer=customer, lines=tuple(data["lines"]), vehicle=data["vehicle"] or Vehicle())


class SaleLotSchema(ma.Schema):
    lot = ma.fields.String()
    supplier = ma.fields.String()
    quantity = stock_amount()
    returned = stock_amount(metadata={"description": "came back, over all the order's returns"})


class SaleLineSchema(ma.Schema):
    part_number = ma.fields.String()
    name_zh = ma.fields.String(allow_none=True)
    name_en = ma.fields.String(allow_none=True)
    quantity = stock_amount()
    list_price = DecimalString(places=2)
    discount_percent = DecimalString(places=2)
    unit_price = DecimalString(places=2, metadata={"description": "the price that applies"})
    price_source = ma.fields.String(metadata={
        "description": "list_price, customer_group (its discount), group_price (its price list) or promotion:<code>"})
    promotion = ma.fields.String(allow_none=True, metadata={"description": "the promotion the line is priced with"})
    free_quantity = stock_amount(metadata={"description": "units a buy-N promotion gives free: not charged"})
    amount = DecimalString(places=2, metadata={"description": "unit price x (quantity - free quantity), to the fen"})
    fitment = ma.fields.String(metadata={"enum": ["fits", "mismatch", "unknown"],
                                         "description": "mismatch: the catalog says it does not fit the vehicle"})
    location = ma.fields.String(allow_none=True)
    reservation = ma.fields.String(allow_none=True, metadata={"description": "set when the order is confirmed"})
    lots = ma.fields.List(ma.fields.Nested(SaleLotSchema), metadata={"description": "set when completed"})
    returned = stock_amount(metadata={"description": "came back, over all the order's returns"})


class SaleReturnLineSchema(ma.Schema):
    line_number = ma.fields.Integer(metadata={"description": "the order's line, from 1, as on the receipt"})
    part_number = ma.fields.String()
    location = ma.fields.String()
    lot = ma.fields.String(metadata={"description": "the lot it was sold from, and went back into"})
    supplier = ma.fields.String()
    quantity = stock_amount()
    condition = ma.fields.String(metadata={"enum": ["unused", "faulty"],
                                           "description": "faulty parts are blocked in their lot"})
    value = DecimalString(places=2, metadata={"description": "what it was paid, to the fen"})


class SaleReturnSchema(ma.Schema):
    number = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    late = ma.fields.Boolean(metadata={"description": "after the return window: taken back by a parts manager"})
    refund_method = ma.fields.String(metadata={"enum": list(PAYMENT_METHODS)})
    refund_reference = ma.fields.String(allow_none=True)
    refund_amount = DecimalString(places=2)
    exchange_sale = ma.fields.String(allow_none=True, metadata={
        "description": "the sales order of the replacement parts, if an exchange"})
    returned_at = ma.fields.AwareDateTime()
    returned_by = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(SaleReturnLineSchema))


class SaleSchema(ma.Schema):
    number = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    customer_kind = ma.fields.String(metadata={"enum": list(CUSTOMER_KINDS)})
    customer_account = ma.fields.String(allow_none=True)
    customer_name = ma.fields.String(allow_none=True, metadata={"description": PERSONAL})
    customer_phone = ma.fields.String(allow_none=True, metadata={"description": PERSONAL})
    customer_group = ma.fields.String(allow_none=True)
    vehicle = ma.fields.Nested(VehicleSchema)
    currency = ma.fields.String()
    total = DecimalString(places=2)
    fitment_warnings = ma.fields.List(ma.fields.String(), metadata={
        "description": "part numbers the catalog says do not fit the vehicle"})
    lines = ma.fields.List(ma.fields.Nested(SaleLineSchema))
    payment_method = ma.fields.String(allow_none=True, metadata={"enum": list(PAYMENT_METHODS)})
    payment_reference = ma.fields.String(allow_none=True)
    paid_amount = DecimalString(places=2, allow_none=True)
    paid_at = ma.fields.AwareDateTime(allow_none=True)
    invoice_number = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    created_by = ma.fields.String()
    confirmed_at = ma.fields.AwareDateTime(allow_none=True)
    completed_at = ma.fields.AwareDateTime(allow_none=True)
    cancelled_at = ma.fields.AwareDateTime(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    refunded_amount = DecimalString(places=2, metadata={"description": "over all the order's returns"})
    returns = ma.fields.List(ma.fields.Nested(SaleReturnSchema), metadata={"description": "oldest first"})
    exchange_of = ma.fields.String(allow_none=True, metadata={
        "description": "the sale whose returned parts this order replaces (an exchange)"})
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag; send it back as If-Match"})


SalePage = page_of(SaleSchema)


class SaleQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    customer_account = ma.fields.String(validate=ma.validate.Length(1, 60))


class SalePayment(ma.Schema):
    method = ma.fields.String(required=True, validate=ma.validate.OneOf(PAYMENT_METHODS))
    reference = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 100),
                                 metadata={"description": "transaction or slip number; required except for cash"})
    amount = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, required=True,
                           metadata={"description": "must be the order's total"})

    @ma.post_load
    def command(self, data, **_) -> PaySale:
        return PaySale(method=data["method"], reference=data["reference"], amount=data["amount"])


class SaleCompletion(ma.Schema):
    invoice_number = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))

    @ma.post_load
    def command(self, data, **_) -> CompleteSale:
        return CompleteSale(invoice_number=data["invoice_number"])


class SaleCancellation(ma.Schema):
    reason = ma.fields.String(load_default="cancelled at the counter", validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> CancelSale:
        return CancelSale(reason=data["reason"])


class SaleReturnLineCreate(ma.Schema):
    part_number = ma.fields.String(required=True, validate=PART_NUMBER)
    quantity = quantity(required=True)
    condition = ma.fields.String(load_default=UNUSED, validate=ma.validate.OneOf(CONDITIONS), metadata={
        "description": "unused: back on the shelf; faulty: back into its lot, blocked; used: refused "
                       "(a parts-warranty case)"})
    lot = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 40), metadata={
        "description": "the lot on the part's label; default: the line's most recently received lots first"})


class SaleRefundCreate(ma.Schema):
    method = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(PAYMENT_METHODS),
                              metadata={"description": "default: the way the order was paid"})
    reference = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 100),
                                 metadata={"description": "refund transaction or slip number; required except "
                                                          "for cash"})
    amount = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, load_default=None, allow_none=True, metadata={
        "description": "default: what the parts coming back were paid; never more"})

    @ma.post_load
    def refund(self, data, **_) -> Refund:
        return Refund(method=data["method"], reference=data["reference"], amount=data["amount"])


class SaleReturnCreate(ma.Schema):
    """Parts of a completed sale coming back, within the dealer's return window (after it: a
    parts manager, giving the reason)."""

    lines = ma.fields.List(ma.fields.Nested(SaleReturnLineCreate), required=True, validate=ma.validate.Length(1, 200))
    reason = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 500),
                              metadata={"description": "why; required after the return window"})
    refund = ma.fields.Nested(SaleRefundCreate, load_default=None, allow_none=True)
    exchange = ma.fields.List(ma.fields.Nested(SaleLineCreate), load_default=None, allow_none=True,
                              validate=ma.validate.Length(1, 200), metadata={
                                  "description": "replacement parts: a new sales order for the same customer, "
                                                 "its stock reserved; pay and complete it as any sale"})

    @ma.post_load
    def command(self, data, **_) -> ReturnParts:
        # Each line knows its place in the request (lines.2), for the problems that name its fields.
        lines = tuple(ReturnAsked(part_number=line["part_number"], quantity=line["quantity"],
                                  condition=line["condition"], lot=line["lot"], field=f"lines.{index}")
                      for index, line in enumerate(data["lines"]))
        exchange = None if data["exchange"] is None else tuple(data["exchange"])
        return ReturnParts(lines=lines, reason=data["reason"], refund=data["refund"] or Refund(), exchange=exchange)
