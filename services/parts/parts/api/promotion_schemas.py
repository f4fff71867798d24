"""The wire format of promotions (促销活动), customer groups' price lists and the sales reports."""

from __future__ import annotations

import marshmallow as ma

from shared.fields import PERIOD_DATES, DecimalString

from parts.api.schemas import CODE, MAX_PRICE, PART_NUMBER, stock_amount
from parts.domain.pricing import RULES, STATUSES
from parts.queries.sales_reports import GROUPINGS
from parts.service.promotions import AddPromotion, ChangePromotion
from parts.service.sales import SetGroupPrice

RULE = ("percent_off: that percentage off (more than 0, less than 100); fixed_price: that unit price (more "
        "than 0); buy_n: buy N pay N-1, one unit of every N on a line free")
CATEGORY = ma.validate.Length(1, 50)


# ---------------------------------------------------------------- customer groups' own prices


class GroupPriceSchema(ma.Schema):
    part_number = ma.fields.String()
    price = DecimalString(places=2, metadata={"description": "the group's price: wins over its discount"})
    set_at = ma.fields.AwareDateTime()
    set_by = ma.fields.String()


class GroupPriceSet(ma.Schema):
    price = DecimalString(places=2, minimum=0, maximum=MAX_PRICE, required=True)

    @ma.post_load
    def command(self, data, **_) -> SetGroupPrice:
        return SetGroupPrice(price=data["price"])


class GroupPriceList(ma.Schema):
    customer_group = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "the group's, also sent as the ETag: If-Match for changes"})
    items = ma.fields.List(ma.fields.Nested(GroupPriceSchema), required=True)


# ---------------------------------------------------------------- promotions


class PromotionTerms(ma.Schema):
    """What a promotion is: checked as a whole (422 naming the field) when written or changed."""

    name = ma.fields.String(validate=ma.validate.Length(1, 200))
    starts_on = ma.fields.Date(metadata={"description": "first day, the dealer's date"})
    ends_on = ma.fields.Date(metadata={"description": "last day, included"})
    part_numbers = ma.fields.List(ma.fields.String(validate=PART_NUMBER), validate=ma.validate.Length(0, 500))
    categories = ma.fields.List(ma.fields.String(validate=CATEGORY), validate=ma.validate.Length(0, 50))
    rule = ma.fields.String(validate=ma.validate.OneOf(RULES), metadata={"description": RULE})
    percent_off = DecimalString(places=2, allow_none=True, metadata={"description": "for percent_off"})
    fixed_price = DecimalString(places=2, maximum=MAX_PRICE, allow_none=True, metadata={
        "description": "for fixed_price"})
    buy_quantity = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(max=9999), metadata={
        "description": "for buy_n: N, at least 2"})
    stacks_with_group = ma.fields.Boolean(metadata={
        "description": "applies on top of the customer group's price instead of the list price"})

    @ma.post_load
    def command(self, data, **_) -> ChangePromotion:
        return ChangePromotion(changes=data)


class PromotionCreate(PromotionTerms):
    code = ma.fields.String(required=True, validate=CODE)
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    starts_on = ma.fields.Date(required=True, metadata={"description": "first day, the dealer's date"})
    ends_on = ma.fields.Date(required=True, metadata={"description": "last day, included"})
    part_numbers = ma.fields.List(ma.fields.String(validate=PART_NUMBER), load_default=list,
                                  validate=ma.validate.Length(0, 500))
    categories = ma.fields.List(ma.fields.String(validate=CATEGORY), load_default=list,
                                validate=ma.validate.Length(0, 50))
    rule = ma.fields.String(required=True, validate=ma.validate.OneOf(RULES), metadata={"description": RULE})
    stacks_with_group = ma.fields.Boolean(load_default=False, metadata={
        "description": "applies on top of the customer group's price instead of the list price"})

    @ma.post_load
    def command(self, data, **_) -> AddPromotion:
        # Only the rule's own figure is asked for; the others are none.
        return AddPromotion(code=data["code"], name=data["name"], starts_on=data["starts_on"],
                            ends_on=data["ends_on"], rule=data["rule"], part_numbers=tuple(data["part_numbers"]),
                            categories=tuple(data["categories"]), percent_off=data.get("percent_off"),
                            fixed_price=data.get("fixed_price"), buy_quantity=data.get("buy_quantity"),
                            stacks_with_group=data["stacks_with_group"])


class PromotionSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    last_day = ma.fields.Date(metadata={"description": "its end date, or the day it was ended if earlier"})
    part_numbers = ma.fields.List(ma.fields.String())
    categories = ma.fields.List(ma.fields.String())
    rule = ma.fields.String(metadata={"enum": list(RULES), "description": RULE})
    percent_off = DecimalString(places=2, allow_none=True)
    fixed_price = DecimalString(places=2, allow_none=True)
    buy_quantity = ma.fields.Integer(allow_none=True)
    stacks_with_group = ma.fields.Boolean()
    status = ma.fields.String(metadata={"enum": list(STATUSES),
                                        "description": "ended: by a manager; past its period it no longer applies"})
    ended_at = ma.fields.AwareDateTime(allow_none=True)
    ended_by = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    created_by = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag; send it back as If-Match"})


class PromotionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PromotionSchema), required=True)


class PromotionQuery(ma.Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))


# ---------------------------------------------------------------- reports


class ReportPeriod(ma.Schema):
    start = ma.fields.Date(data_key="from", required=True, validate=PERIOD_DATES, metadata={"description": "first day (dealer's date)"})
    end = ma.fields.Date(data_key="to", required=True, validate=PERIOD_DATES, metadata={"description": "last day, included"})

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if data["start"] > data["end"]:
            raise ma.ValidationError("the period ends before it starts", field_name="to")


class SalesReportQuery(ReportPeriod):
    group_by = ma.fields.String(load_default="day", validate=ma.validate.OneOf(GROUPINGS))


class SalesFigures(ma.Schema):
    orders = ma.fields.Integer()
    lines = ma.fields.Integer()
    quantity = stock_amount()
    revenue = DecimalString(places=2, metadata={"description": "what the lines charged"})
    cost = DecimalString(places=2, metadata={"description": "at the cost of the lots handed over"})
    margin = DecimalString(places=2)
    margin_percent = DecimalString(places=1, allow_none=True, metadata={"description": "of revenue"})


class SalesReportLine(SalesFigures):
    key = ma.fields.String(allow_none=True, metadata={
        "description": "the day (YYYY-MM-DD), category or customer group; null: no group"})


class SalesReport(ma.Schema):
    start = ma.fields.Date(data_key="from")
    end = ma.fields.Date(data_key="to")
    group_by = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(SalesReportLine))
    total = ma.fields.Nested(SalesFigures)


class ReturnsByReason(ma.Schema):
    reason = ma.fields.String(allow_none=True)
    count = ma.fields.Integer()
    quantity = stock_amount()
    refunded = DecimalString(places=2)


class ReturnsByCondition(ma.Schema):
    condition = ma.fields.String()
    quantity = stock_amount()
    value = DecimalString(places=2, metadata={"description": "what the parts coming back were paid"})


class ReturnsReport(ma.Schema):
    start = ma.fields.Date(data_key="from")
    end = ma.fields.Date(data_key="to")
    count = ma.fields.Integer(metadata={"description": "returns taken in the period"})
    quantity = stock_amount()
    value = DecimalString(places=2)
    refunded = DecimalString(places=2)
    by_reason = ma.fields.List(ma.fields.Nested(ReturnsByReason))
    by_condition = ma.fields.List(ma.fields.Nested(ReturnsByCondition))


class EffectPeriod(SalesFigures):
    start = ma.fields.Date(data_key="from")
    end = ma.fields.Date(data_key="to")


class EffectDuring(EffectPeriod):
    at_promotion_price = stock_amount(metadata={"description": "of the quantity, sold at this promotion's price"})


class EffectChange(ma.Schema):
    quantity = DecimalString(places=1, allow_none=True)
    revenue = DecimalString(places=1, allow_none=True)
    margin = DecimalString(places=1, allow_none=True)


class PromotionEffect(ma.Schema):
    promotion = ma.fields.String()
    days = ma.fields.Integer(metadata={"description": "how long it ran; the period before is as long"})
    during = ma.fields.Nested(EffectDuring)
    before = ma.fields.Nested(EffectPeriod)
    change_percent = ma.fields.Nested(EffectChange, metadata={
        "description": "during against before, in percent; null when there was nothing before"})
