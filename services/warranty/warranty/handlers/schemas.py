"""The fields warranty reads from other services' events; everything else is ignored."""

from __future__ import annotations

import marshmallow as ma


class CatalogPartData(ma.Schema):
    part_number = ma.fields.String(required=True)
    name_zh = ma.fields.String(allow_none=True, load_default=None)
    name_en = ma.fields.String(allow_none=True, load_default=None)
    category = ma.fields.String(required=True)
    source = ma.fields.String(required=True, validate=ma.validate.OneOf(["oem", "aftermarket"]))
    safety_critical = ma.fields.Boolean(required=True)


_CODE = ma.validate.Length(1, 40)


class StockIssuedData(ma.Schema):
    """`parts.stock.issued`: parts from a lot went into a VIN on a repair order (领料)."""

    issue = ma.fields.String(required=True, validate=_CODE)
    repair_order = ma.fields.String(required=True, validate=_CODE)
    vin = ma.fields.String(required=True, validate=ma.validate.Length(17, 17))
    part_number = ma.fields.String(required=True, validate=_CODE)
    lot = ma.fields.String(required=True, validate=_CODE)
    supplier = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    location = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    quantity = ma.fields.Decimal(required=True, places=3, validate=ma.validate.Range(min=0, min_inclusive=False))
    source = ma.fields.String(load_default=None, allow_none=True,
                              validate=ma.validate.OneOf(["oem", "aftermarket"]))
    technician = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=200))
    # Not sent by parts today; taken when a publisher includes it.
    odometer = ma.fields.Integer(load_default=None, allow_none=True, validate=ma.validate.Range(0, 9_999_999))


class StockReturnedData(ma.Schema):
    """`parts.stock.returned`: unused parts came back from a repair order (退料)."""

    issue = ma.fields.String(required=True, validate=_CODE)
    repair_order = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    part_number = ma.fields.String(required=True, validate=_CODE)
    lot = ma.fields.String(required=True, validate=_CODE)
    quantity = ma.fields.Decimal(required=True, places=3, validate=ma.validate.Range(min=0, min_inclusive=False))


class LotQuarantinedData(ma.Schema):
    """`parts.lot.quarantined`: a lot's stock may not move (recall, supplier notice, quality
    hold); the VINs it already went into."""

    lot = ma.fields.String(required=True, validate=_CODE)
    part_number = ma.fields.String(required=True, validate=_CODE)
    supplier = ma.fields.String(required=True, validate=_CODE)
    supplier_lot = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000))
    affected_vins = ma.fields.List(ma.fields.String(validate=ma.validate.Length(17, 17)), load_default=list)
    by = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))


class LotReleasedData(ma.Schema):
    """`parts.lot.released`: the hold on a lot was lifted."""

    lot = ma.fields.String(required=True, validate=_CODE)
    part_number = ma.fields.String(required=True, validate=_CODE)
    supplier = ma.fields.String(required=True, validate=_CODE)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000))
    by = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))


class SoldLotData(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # nested: the loader's EXCLUDE covers only the top level

    lot = ma.fields.String(required=True, validate=_CODE)
    supplier = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    quantity = ma.fields.Decimal(required=True, places=3, validate=ma.validate.Range(min=0, min_inclusive=False))


class SoldLineData(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # nested: the loader's EXCLUDE covers only the top level

    part_number = ma.fields.String(required=True, validate=_CODE)
    location = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    unit_price = ma.fields.Decimal(required=True, places=2, validate=ma.validate.Range(min=0))
    lots = ma.fields.List(ma.fields.Nested(SoldLotData), required=True, validate=ma.validate.Length(min=1))


class SaleCompletedData(ma.Schema):
    """`parts.sale.completed`: parts sold over the counter were paid for and handed over
    (配件销售出库); their parts warranty runs from `completed_at`."""

    sale = ma.fields.String(required=True, validate=_CODE)
    customer_id = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    vin = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(17, 17))
    currency = ma.fields.String(load_default="CNY", validate=ma.validate.Length(3, 3))
    completed_at = ma.fields.AwareDateTime(load_default=None)
    lines = ma.fields.List(ma.fields.Nested(SoldLineData), required=True, validate=ma.validate.Length(min=1))


class ReturnedPartData(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # nested: the loader's EXCLUDE covers only the top level

    part_number = ma.fields.String(required=True, validate=_CODE)
    lot = ma.fields.String(required=True, validate=_CODE)
    quantity = ma.fields.Decimal(required=True, places=3, validate=ma.validate.Range(min=0, min_inclusive=False))


class SaleReturnedData(ma.Schema):
    """`parts.sale.returned`: parts of a counter sale came back to the parts counter (销售退货)."""

    sale = ma.fields.String(required=True, validate=_CODE)
    sale_return = ma.fields.String(required=True, validate=_CODE)
    returned_at = ma.fields.AwareDateTime(load_default=None)
    lines = ma.fields.List(ma.fields.Nested(ReturnedPartData), required=True, validate=ma.validate.Length(min=1))


class WarrantyExchangeIssuedData(ma.Schema):
    """`parts.warranty_exchange.issued`: the parts counter issued a case's replacement from stock."""

    case = ma.fields.String(required=True, validate=_CODE)
    issued_at = ma.fields.AwareDateTime(load_default=None)
