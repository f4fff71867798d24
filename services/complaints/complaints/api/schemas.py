"""The complaints API's wire format."""

from __future__ import annotations

import marshmallow as ma

from shared.paging import PageQuery, page_of

from complaints.domain.complaint import Channel

CHANNELS = [c.value for c in Channel]


class TimelineEntrySchema(ma.Schema):
    at = ma.fields.AwareDateTime()
    kind = ma.fields.String()
    summary = ma.fields.String()
    actor = ma.fields.String(metadata={"description": "who did it; event:<source> for news from another service"})


class ComplaintSchema(ma.Schema):
    id = ma.fields.String()
    channel = ma.fields.String(metadata={"enum": CHANNELS})
    status = ma.fields.String()
    owner = ma.fields.String(metadata={"description": "who received it and owns it until closed (首问责任制)"})
    text = ma.fields.String()
    received_at = ma.fields.AwareDateTime()
    recorded_at = ma.fields.AwareDateTime()
    customer_name = ma.fields.String(allow_none=True, metadata={"description": "masked for roles that do not need it"})
    customer_phone = ma.fields.String(allow_none=True, metadata={"description": "masked for roles that do not need it"})
    vin = ma.fields.String(allow_none=True)
    repair_order = ma.fields.String(allow_none=True)
    claim_number = ma.fields.String(allow_none=True)
    part_number = ma.fields.String(allow_none=True)
    lot = ma.fields.String(allow_none=True)
    desired_remedy = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    timeline = ma.fields.List(ma.fields.Nested(TimelineEntrySchema))


def _optional(length: int) -> ma.fields.String:
    return ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, length))


class ComplaintCreate(ma.Schema):
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(CHANNELS))
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 5000))
    received_at = ma.fields.AwareDateTime(
        load_default=None,
        metadata={"description": "when the customer complained (a letter's date); default now"},
    )
    customer_name = _optional(200)
    customer_phone = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Regexp(r"^\+?[0-9][0-9 -]{4,30}$")
    )
    vin = _optional(17)
    repair_order = _optional(40)
    claim_number = _optional(40)
    part_number = _optional(40)
    lot = _optional(60)
    desired_remedy = _optional(500)


class ComplaintQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.Length(1, 20))
    channel = ma.fields.String(validate=ma.validate.OneOf(CHANNELS))
    claim_number = ma.fields.String(validate=ma.validate.Length(1, 40))


ComplaintPage = page_of(ComplaintSchema)
