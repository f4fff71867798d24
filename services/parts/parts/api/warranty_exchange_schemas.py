"""Wire format of the replacements for parts-warranty cases (保修换件)."""

from __future__ import annotations

import marshmallow as ma

from shared.paging import PageQuery, page_of

from parts.api.schemas import PART_NUMBER, stock_amount
from parts.domain.warranty_exchange import STATUSES


class ExchangeLotSchema(ma.Schema):
    lot = ma.fields.String()
    supplier = ma.fields.String()
    quantity = stock_amount()


class WarrantyExchangeSchema(ma.Schema):
    case = ma.fields.String(metadata={"description": "the parts-warranty case number (warranty service)"})
    sale = ma.fields.String(metadata={"description": "the sales order the faulty part was sold on"})
    part_number = ma.fields.String()
    location = ma.fields.String(metadata={"description": "where it is issued from"})
    quantity = stock_amount()
    faulty_lot = ma.fields.String(metadata={"description": "the lot of the faulty part brought back"})
    supplier = ma.fields.String(allow_none=True, metadata={"description": "the faulty lot's supplier"})
    status = ma.fields.String(metadata={"description": "waiting (to issue: stock was short) or issued"})
    approved_at = ma.fields.AwareDateTime()
    lots = ma.fields.List(ma.fields.Nested(ExchangeLotSchema),
                          metadata={"description": "the lots the replacement was issued from, oldest first"})
    issued_at = ma.fields.AwareDateTime(allow_none=True)
    issued_by = ma.fields.String(allow_none=True)
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag; send it back as If-Match"})


WarrantyExchangePage = page_of(WarrantyExchangeSchema)


class WarrantyExchangeQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    part_number = ma.fields.String(validate=PART_NUMBER)
