"""The wire format of the parts warranty (配件保修) on parts sold over the counter."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from shared.fields import PERIOD_DATES, DecimalString, StrictBoolean
from shared.paging import PageQuery, page_of

from warranty.api.schemas import CODE, COMPONENT, MAX_MONEY
from warranty.domain.parts_warranty import CASE_STATUSES, FAULTS, MAX_MONTHS, OUTCOMES, PolicyRule
from warranty.service.parts_warranty import (
    AssessFault,
    CompleteCase,
    DecideCase,
    OpenCase,
    RecordFollowUp,
    SetPolicy,
)

_MONTHS = ma.validate.Range(1, MAX_MONTHS)
_TEXT = ma.validate.Length(1, 2000)
_REASON = ma.validate.Length(1, 500)
MAX_QUANTITY = Decimal("999999999.999")


# ---------------------------------------------------------------- the policy


class PolicyRuleSchema(ma.Schema):
    months = ma.fields.Integer(strict=True, required=True, validate=_MONTHS)
    category = ma.fields.String(load_default=None, allow_none=True, validate=COMPONENT,
                                metadata={"description": "the parts catalog's category, e.g. brakes"})
    supplier = ma.fields.String(load_default=None, allow_none=True, validate=CODE)


class PartsWarrantyPolicySchema(ma.Schema):
    default_months = ma.fields.Integer(metadata={"description": "for parts no rule names"})
    rules = ma.fields.List(ma.fields.Nested(PolicyRuleSchema), metadata={
        "description": "category and supplier together beat supplier alone, which beats category alone"})
    updated_at = ma.fields.AwareDateTime(allow_none=True)
    updated_by = ma.fields.String(allow_none=True)
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag; 0 until first saved"})


class PartsWarrantyPolicyUpdate(ma.Schema):
    """The whole policy; parts already sold keep the term they were sold with. Send If-Match."""

    default_months = ma.fields.Integer(strict=True, required=True, validate=_MONTHS)
    rules = ma.fields.List(ma.fields.Nested(PolicyRuleSchema), load_default=list, validate=ma.validate.Length(max=500))

    @ma.post_load
    def command(self, data, **_) -> SetPolicy:
        return SetPolicy(default_months=data["default_months"],
                         rules=tuple(PolicyRule(**rule) for rule in data["rules"]))


# ---------------------------------------------------------------- sold parts


class SoldPartQuery(PageQuery):
    sale = ma.fields.String(validate=CODE)
    part_number = ma.fields.String(validate=CODE)
    customer_id = ma.fields.String(validate=CODE, metadata={"description": "the trade account"})
    vin = ma.fields.String(validate=ma.validate.Length(17, 17))


class SoldPartSchema(ma.Schema):
    sale = ma.fields.String()
    part_number = ma.fields.String()
    lot = ma.fields.String()
    supplier = ma.fields.String(allow_none=True)
    location = ma.fields.String(allow_none=True)
    quantity = DecimalString(places=3, metadata={"description": "under warranty: sold less returned"})
    in_cases = DecimalString(places=3, metadata={"description": "already brought back in cases not refused"})
    returned = DecimalString(places=3, metadata={"description": "taken back at the parts counter (销售退货)"})
    unit_price = DecimalString(places=2)
    currency = ma.fields.String()
    customer_id = ma.fields.String(allow_none=True)
    vin = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True)
    months = ma.fields.Integer(metadata={"description": "the term the policy gave it on the day of sale"})
    purchased_on = ma.fields.Date()
    expires_on = ma.fields.Date(metadata={"description": "the last day under warranty"})
    sold_at = ma.fields.AwareDateTime()


SoldPartPage = page_of(SoldPartSchema)


# ---------------------------------------------------------------- cases


class CaseCreate(ma.Schema):
    sale = ma.fields.String(required=True, validate=CODE)
    part_number = ma.fields.String(required=True, validate=CODE)
    lot = ma.fields.String(required=True, validate=CODE)
    quantity = DecimalString(places=3, required=True, minimum=0, exclusive_minimum=True, maximum=MAX_QUANTITY)
    report = ma.fields.String(required=True, validate=_TEXT, metadata={"description": "the customer's report (报修)"})
    override_reason = ma.fields.String(validate=_REASON, metadata={
        "description": "a warranty manager accepting a part out of warranty says why"})

    @ma.post_load
    def command(self, data, **_) -> OpenCase:
        return OpenCase(**data)


class CaseAssessment(ma.Schema):
    fault = ma.fields.String(required=True, validate=ma.validate.OneOf(FAULTS), metadata={
        "description": "defect: covered; misuse, wear, third_party_fitting: not covered"})
    findings = ma.fields.String(required=True, validate=_TEXT)
    supplier_at_fault = StrictBoolean(load_default=None, allow_none=True, metadata={
        "description": "for a defect: the lot's supplier answers for it (default), or not (e.g. damaged in store)"})

    @ma.post_load
    def command(self, data, **_) -> AssessFault:
        return AssessFault(**data)


class CaseDecision(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(OUTCOMES), metadata={
        "description": "repair or replace a covered fault, refuse one not covered; otherwise a warranty "
                       "manager's override with a reason"})
    reason = ma.fields.String(validate=_REASON, metadata={"description": "required to refuse or to override"})
    repair_cost = DecimalString(places=2, minimum=0, maximum=MAX_MONEY, metadata={
        "description": "for a repair: its cost, charged to the supplier for a supplier defect"})

    @ma.post_load
    def command(self, data, **_) -> DecideCase:
        return DecideCase(**data)


class CaseCompletion(ma.Schema):
    note = ma.fields.String(validate=_TEXT)

    @ma.post_load
    def command(self, data, **_) -> CompleteCase:
        return CompleteCase(**data)


class CaseFollowUp(ma.Schema):
    satisfaction = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1, 5))
    note = ma.fields.String(validate=_TEXT)

    @ma.post_load
    def command(self, data, **_) -> RecordFollowUp:
        return RecordFollowUp(**data)


class CaseSchema(ma.Schema):
    number = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(CASE_STATUSES)})
    sale = ma.fields.String()
    part_number = ma.fields.String()
    lot = ma.fields.String()
    supplier = ma.fields.String(allow_none=True)
    location = ma.fields.String(allow_none=True)
    vin = ma.fields.String(allow_none=True)
    customer_id = ma.fields.String(allow_none=True)
    quantity = DecimalString(places=3)
    purchased_on = ma.fields.Date()
    expires_on = ma.fields.Date()
    report = ma.fields.String()
    accepted_late = ma.fields.Boolean()
    late_reason = ma.fields.String(allow_none=True)
    opened_on = ma.fields.Date()
    opened_at = ma.fields.AwareDateTime()
    opened_by = ma.fields.String()
    fault = ma.fields.String(allow_none=True, metadata={"enum": list(FAULTS)})
    covered = ma.fields.Boolean(allow_none=True)
    supplier_at_fault = ma.fields.Boolean(allow_none=True)
    findings = ma.fields.String(allow_none=True)
    assessed_at = ma.fields.AwareDateTime(allow_none=True)
    assessed_by = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(allow_none=True, metadata={"enum": list(OUTCOMES)})
    decision_reason = ma.fields.String(allow_none=True)
    overridden = ma.fields.Boolean()
    repair_cost = DecimalString(places=2, allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)
    decided_by = ma.fields.String(allow_none=True)
    replacement_issued_at = ma.fields.AwareDateTime(allow_none=True, metadata={
        "description": "when the parts counter issued the replacement from stock: ready to hand over"})
    resolution_note = ma.fields.String(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    closed_by = ma.fields.String(allow_none=True)
    satisfaction = ma.fields.Integer(allow_none=True)
    follow_up_note = ma.fields.String(allow_none=True)
    followed_up_at = ma.fields.AwareDateTime(allow_none=True)
    followed_up_by = ma.fields.String(allow_none=True)
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})


class CaseQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(CASE_STATUSES))
    supplier = ma.fields.String(validate=CODE)
    sale = ma.fields.String(validate=CODE)
    start = ma.fields.Date(data_key="from", validate=PERIOD_DATES, metadata={"description": "opened on or after"})
    end = ma.fields.Date(data_key="to", validate=PERIOD_DATES, metadata={"description": "opened on or before"})


CasePage = page_of(CaseSchema)


class SupplierReportQuery(ma.Schema):
    start = ma.fields.Date(data_key="from", load_default=None, validate=PERIOD_DATES, metadata={"description": "opened on or after"})
    end = ma.fields.Date(data_key="to", load_default=None, validate=PERIOD_DATES, metadata={"description": "opened on or before"})


class SupplierOutcomeSchema(ma.Schema):
    supplier = ma.fields.String(allow_none=True, metadata={"description": "null: parts from no known supplier"})
    cases = ma.fields.Integer()
    covered = ma.fields.Integer(metadata={"description": "assessed as a defect"})
    repaired = ma.fields.Integer()
    replaced = ma.fields.Integer()
    refused = ma.fields.Integer()
    open = ma.fields.Integer(metadata={"description": "not closed yet"})
    satisfaction = ma.fields.Float(allow_none=True, metadata={"description": "mean of the follow-ups, 1 to 5"})


class SupplierReportSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SupplierOutcomeSchema))
