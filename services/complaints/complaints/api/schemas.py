"""The complaints API's wire format."""

from __future__ import annotations

import marshmallow as ma

from shared.paging import PageQuery, page_of

from complaints.domain.classification import Category, Severity
from complaints.domain.complaint import Channel

CHANNELS = [c.value for c in Channel]
CATEGORIES = [c.value for c in Category]
SEVERITIES = [s.value for s in Severity]


class TimelineEntrySchema(ma.Schema):
    at = ma.fields.AwareDateTime()
    kind = ma.fields.String()
    summary = ma.fields.String()
    actor = ma.fields.String(metadata={"description": "who did it; event:<source> for news from another service"})


class ClassificationSchema(ma.Schema):
    category = ma.fields.Enum(Category, by_value=True)
    severity = ma.fields.Enum(Severity, by_value=True)
    safety_related = ma.fields.Boolean(metadata={"description": "severity critical: a safety system, fire or fuel"})
    automatic = ma.fields.Boolean(metadata={"description": "read from the text; false when a person set it"})
    confidence = ma.fields.Float(allow_none=True, metadata={
        "description": "0 (nothing recognised: a person should look) to 1; null when a person set it"})
    terms = ma.fields.List(ma.fields.String(), metadata={"description": "the words that decided the category"})
    severity_terms = ma.fields.List(ma.fields.String(), metadata={"description": "the words that set the severity"})
    actor = ma.fields.String(metadata={"description": "who classified it: `classifier` or the person"})
    reason = ma.fields.String(allow_none=True, metadata={"description": "why a person changed it"})
    at = ma.fields.AwareDateTime()


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
    category = ma.fields.String(allow_none=True, metadata={"enum": CATEGORIES})
    severity = ma.fields.String(allow_none=True, metadata={"enum": SEVERITIES})
    classification = ma.fields.Nested(ClassificationSchema, allow_none=True,
                                      metadata={"description": "the latest classification"})
    classifications = ma.fields.List(ma.fields.Nested(ClassificationSchema),
                                     metadata={"description": "every classification, oldest first"})
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
    category = ma.fields.String(validate=ma.validate.OneOf(CATEGORIES))
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))


class Reclassification(ma.Schema):
    category = ma.fields.String(validate=ma.validate.OneOf(CATEGORIES), metadata={"description": "kept if left out"})
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES), metadata={"description": "kept if left out"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 400),
                              metadata={"description": "why: kept with who changed it"})


ComplaintPage = page_of(ComplaintSchema)
