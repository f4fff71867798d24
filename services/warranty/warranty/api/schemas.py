"""The warranty API's wire format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import marshmallow as ma
from flask_smorest.fields import Upload

from shared.fields import DecimalString, StrictBoolean
from shared.http.dumping import CompiledDump, compiled
from shared.paging import PageQuery, page_of

from warranty.domain.attachment import CONTENT_TYPES as ATTACHED_TYPES
from warranty.domain.attachment import KINDS as ATTACHED_KINDS
from warranty.domain.claim import (
    DECISION_REASONS,
    HEADER_NAMES,
    ClaimHeader,
    ClaimStatus,
    ClaimType,
    LineDecision,
    LineKind,
)
from warranty.domain.claim_rules import FLAGS as CLAIM_FLAGS
from warranty.domain.claim_rules import PLAN_NOT_APPLICABLE
from warranty.domain.coverage import EVERY_MAKE, PlanType
from warranty.domain.eligibility import CAMPAIGN, LOT_RECALL, REASONS, WARNINGS
from warranty.domain.lemon_law import THRESHOLDS as LEMON_LAW_THRESHOLDS
from warranty.domain.lot_recall import LOT_RECALL_STATUSES
from warranty.domain.recovery import RECOVERY_STATUSES
from warranty.queries.claims import NEWEST, SORTS
from warranty.domain.vehicle import ODOMETER_SOURCES, TITLE_STATUSES
from warranty.service.claims import (
    DecideClaim,
    EditClaim,
    FileClaim,
    RecordPayment,
    StatedReason,
)
from warranty.service.coverage import AddPlan, ChangePlan
from warranty.service.recoveries import (
    AdjustRecovery,
    StepNote,
)
from warranty.service.vehicles import ChangeVehicle, RecordOdometer, RegisterVehicle

CODE = ma.validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", error="1 to 40 letters, digits, '.', '_' or '-'")
COMPONENT = ma.validate.Regexp(
    r"^[a-z][a-z0-9_]{0,49}$", error="a lower-case code such as engine or brakes (the parts catalog's category)"
)
PLAN_CODE = ma.validate.Regexp(r"^[A-Z0-9][A-Z0-9_-]{0,39}$", error="1 to 40 capital letters, digits, '_' or '-'")
VIN_SHAPE = ma.validate.Regexp(r"^[A-HJ-NPR-Z0-9]{17}$", error="17 digits and capital letters other than I, O, Q")
CURRENCY = ma.validate.Regexp(r"^[A-Z]{3}$", error="an ISO 4217 code such as CNY")
MAX_MONEY = Decimal("9999999999.99")  # what the columns hold
MAX_KM = 9_999_999
ETAG = {"ETag": {"schema": {"type": "string"}}}


def _plausible_model_year(year: int) -> None:
    # Checked when a request comes in, not when the module was imported.
    latest = date.today().year + 2
    if not 1950 <= year <= latest:
        raise ma.ValidationError(f"Must be between 1950 and {latest}.")


def _km(**kwargs) -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(0, MAX_KM), **kwargs)


def _money(**kwargs) -> DecimalString:
    return DecimalString(places=2, minimum=0, maximum=MAX_MONEY, **kwargs)


# ---------------------------------------------------------------- vehicles


class VehicleSchema(ma.Schema):
    vin = ma.fields.String()
    make = ma.fields.String()
    model = ma.fields.String()
    model_year = ma.fields.Integer()
    in_service_date = ma.fields.Date()
    owner_count = ma.fields.Integer()
    title_status = ma.fields.String(metadata={"enum": list(TITLE_STATUSES)})
    odometer_km = ma.fields.Integer(allow_none=True, metadata={"description": "the latest reading"})
    odometer_read_on = ma.fields.Date(allow_none=True)
    rollback_suspected = ma.fields.Boolean(
        metadata={"description": "a reading contradicted an earlier one (里程回调)"}
    )
    registered_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})


class VehicleCreate(ma.Schema):
    vin = ma.fields.String(required=True, validate=ma.validate.Length(1, 40),
                           metadata={"example": "LVSHCAMB1CE054249"})
    make = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    model = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    model_year = ma.fields.Integer(strict=True, required=True, validate=_plausible_model_year)
    in_service_date = ma.fields.Date(required=True, metadata={"description": "purchase invoice date"})
    owner_count = ma.fields.Integer(strict=True, load_default=1, validate=ma.validate.Range(1, 99))
    title_status = ma.fields.String(load_default="clean", validate=ma.validate.OneOf(TITLE_STATUSES))

    @ma.post_load
    def command(self, data, **_) -> RegisterVehicle:
        return RegisterVehicle(**data)


class VehicleUpdate(ma.Schema):
    """A change of hands (过户: the new owner count) or a branded title; say why."""

    owner_count = ma.fields.Integer(strict=True, validate=ma.validate.Range(1, 99))
    title_status = ma.fields.String(validate=ma.validate.OneOf(TITLE_STATUSES))
    reason = ma.fields.String(validate=ma.validate.Length(1, 200))

    @ma.post_load
    def command(self, data, **_) -> ChangeVehicle:
        return ChangeVehicle(**data)


class VehicleQuery(PageQuery):
    make = ma.fields.String(validate=ma.validate.Length(1, 60))


class OdometerReadingCreate(ma.Schema):
    km = _km(required=True)
    read_on = ma.fields.Date(metadata={"description": "today (Beijing) when left out; never in the future"})
    source = ma.fields.String(required=True, validate=ma.validate.OneOf(ODOMETER_SOURCES))
    reference = ma.fields.String(validate=ma.validate.Length(1, 40),
                                 metadata={"description": "the repair order (or inspection) it was read for"})

    @ma.post_load
    def command(self, data, **_) -> RecordOdometer:
        return RecordOdometer(**data)


class OdometerReadingSchema(ma.Schema):
    read_on = ma.fields.Date()
    km = ma.fields.Integer()
    source = ma.fields.String(metadata={"enum": list(ODOMETER_SOURCES)})
    reference = ma.fields.String(allow_none=True)
    rollback_suspected = ma.fields.Boolean(
        metadata={"description": "lower than an earlier reading (or higher than a later one): kept, flagged"}
    )
    recorded_at = ma.fields.AwareDateTime()
    recorded_by = ma.fields.String()


class InstalledPartSchema(ma.Schema):
    issue = ma.fields.String(metadata={"description": "the parts service's issue slip (领料单)"})
    repair_order = ma.fields.String(allow_none=True)
    part_number = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    component_group = ma.fields.String(allow_none=True, metadata={"description": "the catalog's category"})
    safety_critical = ma.fields.Boolean(allow_none=True)
    source = ma.fields.String(allow_none=True, metadata={"description": "oem (正厂件) or aftermarket (副厂件)"})
    lot = ma.fields.String()
    supplier = ma.fields.String(allow_none=True)
    location = ma.fields.String(allow_none=True)
    technician = ma.fields.String(allow_none=True)
    installed_at = ma.fields.AwareDateTime(allow_none=True)
    installed_on = ma.fields.Date(allow_none=True)
    odometer = ma.fields.Integer(allow_none=True)
    quantity = DecimalString(places=3, metadata={"description": "still on the vehicle"})
    issued_quantity = DecimalString(places=3)
    returned_quantity = DecimalString(places=3)
    fitted = ma.fields.Boolean()


class InstalledPartQuery(PageQuery):
    include_returned = ma.fields.Boolean(
        load_default=False, metadata={"description": "also parts brought back in full (退料)"}
    )


class CatalogPartSchema(ma.Schema):
    part_number = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    category = ma.fields.String()
    source = ma.fields.String()
    safety_critical = ma.fields.Boolean()
    updated_at = ma.fields.AwareDateTime()


VehiclePage = page_of(VehicleSchema)
OdometerReadingPage = page_of(OdometerReadingSchema)
InstalledPartPage = page_of(InstalledPartSchema)


# ---------------------------------------------------------------- coverage plans


class CoveragePlanSchema(ma.Schema):
    code = ma.fields.String()
    origin = ma.fields.String(metadata={"enum": ["default", "dealer"]})
    make = ma.fields.String(metadata={"description": f"'{EVERY_MAKE}': every make"})
    name = ma.fields.String()
    type = ma.fields.Enum(PlanType, by_value=True)
    start_basis = ma.fields.String(metadata={"enum": ["in_service_date", "installation"]})
    months = ma.fields.Integer(allow_none=True)
    km = ma.fields.Integer(allow_none=True, metadata={"description": "null: no km limit"})
    components = ma.fields.List(ma.fields.String(), metadata={"description": "empty: every component"})
    exclusions = ma.fields.List(ma.fields.String())
    deductible = DecimalString(places=2)
    currency = ma.fields.String()
    transferable = ma.fields.Boolean(metadata={"description": "false: first owner only"})
    pre_authorisation_above = DecimalString(places=2, allow_none=True)
    models = ma.fields.List(ma.fields.String(), metadata={"description": "empty: every model of the make"})
    vin_from = ma.fields.String(allow_none=True)
    vin_to = ma.fields.String(allow_none=True)
    ends_on = ma.fields.Date(allow_none=True)
    replaces = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean()
    updated_at = ma.fields.AwareDateTime()
    updated_by = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})


class _PlanTerms(ma.Schema):
    make = ma.fields.String(validate=ma.validate.Length(1, 60),
                            metadata={"description": f"a make, or '{EVERY_MAKE}' for every make"})
    name = ma.fields.String(validate=ma.validate.Length(1, 200))
    type = ma.fields.Enum(PlanType, by_value=True)
    months = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(1, 600),
                               metadata={"description": "covered until the day before this anniversary"})
    km = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(1, MAX_KM),
                           metadata={"description": "covered up to and including; null: no limit"})
    components = ma.fields.List(ma.fields.String(validate=COMPONENT), validate=ma.validate.Length(max=50),
                                metadata={"description": "component groups covered; empty: all"})
    exclusions = ma.fields.List(ma.fields.String(validate=COMPONENT), validate=ma.validate.Length(max=50))
    deductible = _money()
    currency = ma.fields.String(validate=CURRENCY)
    transferable = StrictBoolean()
    pre_authorisation_above = _money(allow_none=True, metadata={
        "description": "an estimate above this needs the manufacturer's approval first; 0: always"})
    models = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 60)),
                            validate=ma.validate.Length(max=50))
    vin_from = ma.fields.String(allow_none=True, validate=VIN_SHAPE)
    vin_to = ma.fields.String(allow_none=True, validate=VIN_SHAPE)
    ends_on = ma.fields.Date(allow_none=True, metadata={"description": "last day (a campaign's close)"})
    replaces = ma.fields.String(allow_none=True, validate=PLAN_CODE,
                                metadata={"description": "the plan this make's plan stands in for"})
    active = StrictBoolean()


class CoveragePlanCreate(_PlanTerms):
    code = ma.fields.String(required=True, validate=PLAN_CODE)
    make = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    type = ma.fields.Enum(PlanType, by_value=True, required=True)
    months = ma.fields.Integer(strict=True, allow_none=True, load_default=None, validate=ma.validate.Range(1, 600))
    km = ma.fields.Integer(strict=True, allow_none=True, load_default=None, validate=ma.validate.Range(1, MAX_KM))
    components = ma.fields.List(ma.fields.String(validate=COMPONENT), load_default=list,
                                validate=ma.validate.Length(max=50))
    exclusions = ma.fields.List(ma.fields.String(validate=COMPONENT), load_default=list,
                                validate=ma.validate.Length(max=50))
    deductible = _money(load_default=Decimal("0.00"))
    currency = ma.fields.String(load_default="CNY", validate=CURRENCY)
    transferable = StrictBoolean(load_default=True)
    models = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 60)), load_default=list,
                            validate=ma.validate.Length(max=50))
    active = StrictBoolean(load_default=True)

    @ma.post_load
    def command(self, data, **_) -> AddPlan:
        terms = dict(data)
        return AddPlan(code=terms.pop("code"), terms=terms)


class CoveragePlanUpdate(_PlanTerms):
    """Only the terms that change; the code cannot."""

    @ma.post_load
    def command(self, data, **_) -> ChangePlan:
        return ChangePlan(terms=data)


class CoveragePlanQuery(PageQuery):
    make = ma.fields.String(validate=ma.validate.Length(1, 60),
                            metadata={"description": "this make's plans and those for every make"})
    type = ma.fields.Enum(PlanType, by_value=True)
    active = ma.fields.Boolean()


CoveragePlanPage = page_of(CoveragePlanSchema)


# ---------------------------------------------------------------- eligibility


class EligibilityQuestion(ma.Schema):
    vin = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    date = ma.fields.Date(metadata={"description": "the repair date; today (Beijing) when left out. A future date "
                                                   "(an appointment) up to ELIGIBILITY_DAYS_AHEAD days ahead (90); "
                                                   "further: 422 eligibility_date_in_future"})
    odometer = _km(required=True, metadata={"description": "km on the odometer now"})
    part_number = ma.fields.String(validate=CODE, metadata={"description": "the part concerned"})
    component_group = ma.fields.String(validate=COMPONENT, metadata={
        "description": "the component group concerned; taken from the part's catalog category when left out"})
    estimated_cost = _money(metadata={"description": "the repair estimate: pre_authorisation_required says whether "
                                                     "a claim for this amount needs a pre-authorisation"})

    @ma.validates_schema
    def names_what_failed(self, data, **_):
        if "part_number" not in data and "component_group" not in data:
            raise ma.ValidationError("name the part_number or the component_group concerned", "part_number")


class InstallationSchema(ma.Schema):
    part_number = ma.fields.String()
    repair_order = ma.fields.String(allow_none=True)
    installed_on = ma.fields.Date()
    odometer = ma.fields.Integer(allow_none=True)


class PlanAnswerSchema(ma.Schema):
    plan = ma.fields.String(attribute="plan.code")
    name = ma.fields.String(attribute="plan.name")
    type = ma.fields.Enum(PlanType, by_value=True, attribute="plan.type")
    covered = ma.fields.Boolean()
    reasons = ma.fields.List(ma.fields.String(metadata={"enum": list(REASONS)}),
                             metadata={"description": "why it does not cover; empty when it does"})
    warnings = ma.fields.List(ma.fields.String(metadata={"enum": list(WARNINGS)}))
    starts_on = ma.fields.Date(allow_none=True)
    starting_km = ma.fields.Integer(allow_none=True)
    covered_until = ma.fields.Date(allow_none=True, metadata={"description": "the last covered day"})
    covered_up_to_km = ma.fields.Integer(allow_none=True, metadata={"description": "covered up to and including"})
    months_left = ma.fields.Integer(allow_none=True)
    days_left = ma.fields.Integer(allow_none=True)
    km_left = ma.fields.Integer(allow_none=True)
    deductible = DecimalString(places=2, attribute="plan.deductible")
    currency = ma.fields.String(attribute="plan.currency")
    transferable = ma.fields.Boolean(attribute="plan.transferable")
    pre_authorisation_required = ma.fields.Boolean(metadata={
        "description": "covered, and the estimated_cost is above pre_authorisation_limit (or the limit is 0): a claim "
                       "for it is refused at submission (pre_authorisation_required) without one. No estimate: only "
                       "when the limit is 0"})
    pre_authorisation_above = DecimalString(places=2, allow_none=True, attribute="plan.pre_authorisation_above",
                                            metadata={"description": "the plan's own limit; null: the default applies"})
    pre_authorisation_limit = DecimalString(places=2, metadata={
        "description": "the limit that applies: the plan's own, else CLAIM_PRE_AUTHORISATION_ABOVE (5000.00); 0: always"})
    aftermarket_part_number = ma.fields.String(allow_none=True, attribute="aftermarket_part", metadata={
        "description": "with reason aftermarket_part_on_critical_component: the aftermarket part that voids cover, "
                       "the one asked about or one fitted to the component"})
    installation = ma.fields.Nested(InstallationSchema, allow_none=True,
                                    metadata={"description": "the fitting a replaced-part or workmanship plan runs from"})


class CampaignSchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "the campaign plan's code, or the quarantined lot"})
    name = ma.fields.String()
    components = ma.fields.List(ma.fields.String())
    ends_on = ma.fields.Date(allow_none=True)
    kind = ma.fields.String(metadata={"enum": [CAMPAIGN, LOT_RECALL],
                                      "description": "lot_recall: a quarantined lot fitted to the vehicle (批次召回)"})
    part_number = ma.fields.String(allow_none=True, metadata={"description": "a lot recall's part"})
    supplier = ma.fields.String(allow_none=True, metadata={"description": "a lot recall's supplier"})


class VehicleFactsSchema(ma.Schema):
    """What of the vehicle the answer rests on."""

    make = ma.fields.String()
    model = ma.fields.String()
    model_year = ma.fields.Integer()
    in_service_date = ma.fields.Date()
    owner_count = ma.fields.Integer()
    title_status = ma.fields.String(metadata={"enum": list(TITLE_STATUSES)})


class EligibilitySchema(CompiledDump, ma.Schema):
    vin = ma.fields.String(attribute="vehicle.vin")
    date = ma.fields.Date(attribute="question.on")
    odometer = ma.fields.Integer(attribute="question.odometer")
    component_group = ma.fields.String(attribute="question.concern.component")
    part_number = ma.fields.String(allow_none=True, attribute="question.concern.part_number")
    part_source = ma.fields.String(allow_none=True, attribute="question.concern.source")
    covered = ma.fields.Boolean(metadata={"description": "at least one plan covers"})
    odometer_rollback_suspected = ma.fields.Boolean()
    vehicle = ma.fields.Nested(VehicleFactsSchema)
    plans = ma.fields.List(ma.fields.Nested(PlanAnswerSchema))
    open_campaigns = ma.fields.List(ma.fields.Nested(CampaignSchema))


# ---------------------------------------------------------------- claims

ATTACHMENT_KINDS = ("photo", "video", "document", "diagnostic_report", "invoice", "other")
MAX_LINE_QUANTITY = Decimal("9999.999")
MAX_UNIT_PRICE = Decimal("999999.99")
_TEXT = ma.validate.Length(1, 4000)
LINES_NAMED_FROM_0 = (
    "A refused line is named by its position in this list, from 0, in every 422: the schema's errors "
    "(lines.1.quantity) and claim_line_invalid alike (field lines.1.operation, line 1); its detail says the "
    "line's number, from 1, as the claim shows it")
_REASON = ma.validate.Length(1, 500)


class ClaimLineCreate(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf([kind.value for kind in LineKind]))
    description = ma.fields.String(validate=ma.validate.Length(1, 200))
    operation = ma.fields.String(validate=CODE, metadata={"description": "the labour operation code (工时项目)"})
    part_number = ma.fields.String(validate=CODE)
    quantity = DecimalString(places=3, required=True, minimum=0, exclusive_minimum=True, maximum=MAX_LINE_QUANTITY,
                             metadata={"description": "hours for a labour line"})
    unit_price = DecimalString(places=2, required=True, minimum=0, maximum=MAX_UNIT_PRICE,
                               metadata={"description": "the labour rate for a labour line"})
    causal = StrictBoolean(load_default=False, metadata={"description": "the part that failed (one per claim)"})
    supplied_by = ma.fields.String(load_default="dealer", validate=ma.validate.OneOf(("dealer", "customer")),
                                   metadata={"description": "customer: a part the customer brought (客户自购)"})
    repair_order_line = ma.fields.String(validate=ma.validate.Length(1, 40),
                                         metadata={"description": "the repair order's line this claims"})
    lot = ma.fields.String(allow_none=True, validate=CODE, metadata={
        "description": "part lines only: the lot the part was issued from (the parts service's issue slip)"})


class AttachmentSchema(ma.Schema):
    """A document held elsewhere (photos, diagnostic report), by reference."""

    reference = ma.fields.String(required=True, validate=ma.validate.Length(1, 500))
    kind = ma.fields.String(load_default="other", validate=ma.validate.OneOf(ATTACHMENT_KINDS))
    description = ma.fields.String(validate=ma.validate.Length(1, 200))


class _ClaimHeader(ma.Schema):
    """A claim's header (`ClaimHeader`), lines and attachments, as a request sends them."""

    repair_order = ma.fields.String(validate=ma.validate.Length(1, 40))
    repair_date = ma.fields.Date()
    odometer = _km(metadata={"description": "km at the repair"})
    failure_date = ma.fields.Date()
    complaint = ma.fields.String(validate=_TEXT, metadata={"description": "what the customer said (主诉)"})
    cause = ma.fields.String(validate=_TEXT)
    correction = ma.fields.String(validate=_TEXT)
    claim_type = ma.fields.String(validate=ma.validate.OneOf([kind.value for kind in ClaimType]))
    coverage_plan = ma.fields.String(validate=PLAN_CODE)
    pre_authorisation_number = ma.fields.String(validate=ma.validate.Length(1, 40))
    pre_authorised_on = ma.fields.Date()
    days_out_of_service = ma.fields.Integer(strict=True, allow_none=True, validate=ma.validate.Range(0, 999),
                                            metadata={"description": "days the vehicle was off the road for this "
                                                                     "repair, counted for the lemon law (三包)"})
    component_group = ma.fields.String(allow_none=True, validate=COMPONENT, metadata={
        "description": "the component group repaired, checked against the plan at submission; needed when no causal "
                       "part tells it (a labour-only campaign inspection); must match the causal part's category"})
    campaign = ma.fields.String(allow_none=True, validate=CODE, metadata={
        "description": "campaign claims only: the open campaign the work was for, a campaign plan's code or a "
                       "recalled lot (as eligibility's open_campaigns list them)"})
    lines = ma.fields.List(ma.fields.Nested(ClaimLineCreate), validate=ma.validate.Length(0, 100),
                           metadata={"description": LINES_NAMED_FROM_0})
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema), validate=ma.validate.Length(0, 20))


class ClaimCreate(_ClaimHeader):
    vin = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    repair_order = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    repair_date = ma.fields.Date(required=True)
    odometer = _km(required=True, metadata={"description": "km at the repair"})
    failure_date = ma.fields.Date(required=True)
    claim_type = ma.fields.String(load_default="warranty",
                                  validate=ma.validate.OneOf([kind.value for kind in ClaimType]))
    coverage_plan = ma.fields.String(required=True, validate=PLAN_CODE)
    lines = ma.fields.List(ma.fields.Nested(ClaimLineCreate), load_default=list, validate=ma.validate.Length(0, 100),
                           metadata={"description": LINES_NAMED_FROM_0})
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema), load_default=list,
                                 validate=ma.validate.Length(0, 20))

    @ma.post_load
    def command(self, data, **_) -> FileClaim:
        # A header field left out takes the header's default (none).
        header = ClaimHeader(**{name: data[name] for name in HEADER_NAMES if name in data})
        return FileClaim(vin=data["vin"], header=header, lines=tuple(data["lines"]),
                         attachments=tuple(data["attachments"]))


class ClaimUpdate(_ClaimHeader):
    """Any header field; `lines` and `attachments` replace the whole list. Send If-Match."""

    reason = ma.fields.String(validate=_REASON)

    @ma.post_load
    def command(self, data, **_) -> EditClaim:
        return EditClaim(header={name: data[name] for name in HEADER_NAMES if name in data},
                         lines=_tuple_or_none(data.get("lines")),
                         attachments=_tuple_or_none(data.get("attachments")), reason=data.get("reason"))


def _tuple_or_none(items: list | None) -> tuple | None:
    return None if items is None else tuple(items)


class ClaimLineSchema(ma.Schema):
    number = ma.fields.Integer(metadata={"description": "from 1, in the order filed; a decision names lines by it"})
    kind = ma.fields.Function(lambda line: line.kind.value, metadata={"enum": [kind.value for kind in LineKind]})
    description = ma.fields.String(allow_none=True)
    operation = ma.fields.String(allow_none=True)
    part_number = ma.fields.String(allow_none=True)
    quantity = DecimalString(places=3)
    unit_price = DecimalString(places=2)
    amount = DecimalString(places=2)
    causal = ma.fields.Boolean()
    supplied_by = ma.fields.String()
    repair_order_line = ma.fields.String(allow_none=True)
    lot = ma.fields.String(allow_none=True, metadata={"description": "the lot the part was issued from"})
    approved_amount = DecimalString(places=2, allow_none=True)
    reason_code = ma.fields.String(allow_none=True, metadata={"enum": list(DECISION_REASONS)})


class ClaimHistorySchema(ma.Schema):
    action = ma.fields.String()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    at = ma.fields.AwareDateTime()
    by = ma.fields.String()
    reason = ma.fields.String(allow_none=True)


class ClaimSchema(CompiledDump, ma.Schema):
    # The header's fields are read flat, as columns: a claim as mapped has each of them as an
    # attribute beside its `header`, and the claims list reads them as rows (`ClaimView`).
    claim_number = ma.fields.String()
    dealer = ma.fields.String()
    vin = ma.fields.String()
    status = ma.fields.Function(lambda claim: claim.status.value, metadata={
        "enum": [status.value for status in ClaimStatus],
        "description": "an appealed claim is submitted again (with appealed: true), in the manager's queue"})
    claim_type = ma.fields.Function(lambda claim: claim.claim_type.value,
                                    metadata={"enum": [kind.value for kind in ClaimType]})
    coverage_plan = ma.fields.String()
    repair_order = ma.fields.String()
    repair_date = ma.fields.Date()
    odometer = ma.fields.Integer()
    failure_date = ma.fields.Date()
    complaint = ma.fields.String(allow_none=True)
    cause = ma.fields.String(allow_none=True)
    correction = ma.fields.String(allow_none=True)
    pre_authorisation_number = ma.fields.String(allow_none=True)
    pre_authorised_on = ma.fields.Date(allow_none=True)
    days_out_of_service = ma.fields.Integer(allow_none=True)
    component_group = ma.fields.String(allow_none=True)
    campaign = ma.fields.String(allow_none=True)
    currency = ma.fields.String()
    claimed_amount = DecimalString(places=2)
    approved_amount = DecimalString(places=2, allow_none=True)
    paid_amount = DecimalString(places=2, allow_none=True)
    short_paid_amount = DecimalString(places=2, allow_none=True,
                                      metadata={"description": "approved less paid; null until paid"})
    short_payment_reason = ma.fields.String(allow_none=True)
    paid_on = ma.fields.Date(allow_none=True)
    payment_reference = ma.fields.String(allow_none=True)
    causal_part_number = ma.fields.String(allow_none=True)
    causal_lot = ma.fields.String(allow_none=True, metadata={"description": "traced when the claim was approved"})
    causal_supplier = ma.fields.String(allow_none=True)
    flags = ma.fields.List(ma.fields.String(metadata={"enum": list(CLAIM_FLAGS)}),
                           metadata={"description": "raised at submission for the manager's attention"})
    appealed = ma.fields.Boolean(metadata={"description": "the one appeal has been used (of a rejection or of a "
                                                         "partial approval's cut lines)"})
    lines = ma.fields.List(ma.fields.Nested(ClaimLineSchema))
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))
    history = ma.fields.List(ma.fields.Nested(ClaimHistorySchema), metadata={"description": "who, when, why"})
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    created_by = ma.fields.String()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})


ClaimPage = compiled(page_of(ClaimSchema))


class ClaimQuery(PageQuery):
    status = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf([status.value for status in ClaimStatus])),
        validate=ma.validate.Length(1, len(ClaimStatus)), metadata={
            "description": "one or more, the parameter repeated (status=approved&status=partially_approved): claims "
                           "in any of them. submitted: the manager's queue, appealed claims included (an appeal "
                           "submits a claim again)"})
    sort = ma.fields.String(load_default=NEWEST, validate=ma.validate.OneOf(SORTS), metadata={
        "description": "newest (default): the latest filed first, or the latest repaired when repaired_from/to is "
                       "given; updated_at: the claims unchanged longest first (a step or an edit is a change)"})
    appealed = ma.fields.Boolean(metadata={"description": "true: only claims whose appeal was used; false: the others"})
    claim_type = ma.fields.String(validate=ma.validate.OneOf([kind.value for kind in ClaimType]), metadata={
        "description": "only claims of this type, e.g. pre_authorisation: the requests to repair (预授权)"})
    vin = ma.fields.String(validate=ma.validate.Length(1, 40))
    repair_order = ma.fields.String(validate=ma.validate.Length(1, 40))
    repaired_from = ma.fields.Date(metadata={"description": "repair date on or after"})
    repaired_to = ma.fields.Date(metadata={"description": "repair date on or before"})


class ClaimReason(ma.Schema):
    """Why: the whole body of an information request, an appeal and a cancellation."""

    reason = ma.fields.String(required=True, validate=_REASON)

    @ma.post_load
    def command(self, data, **_) -> StatedReason:
        return StatedReason(**data)


class LineDecisionSchema(ma.Schema):
    number = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(1, 100))
    approved_amount = DecimalString(places=2, required=True, minimum=0, maximum=MAX_MONEY,
                                    metadata={"description": "0.00 rejects the line"})
    reason_code = ma.fields.String(validate=ma.validate.OneOf(DECISION_REASONS),
                                   metadata={"description": "required when less than claimed"})


class ClaimDecision(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(LineDecisionSchema), required=True,
                           validate=ma.validate.Length(1, 100))
    reason = ma.fields.String(validate=_REASON)

    @ma.post_load
    def command(self, data, **_) -> DecideClaim:
        return DecideClaim(lines=tuple(LineDecision(**line) for line in data["lines"]), reason=data.get("reason"))


class ClaimPayment(ma.Schema):
    payment_reference = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    paid_on = ma.fields.Date(metadata={"description": "today (Beijing) when left out"})
    paid_amount = _money(metadata={"description": "the approved amount when left out; less: a short payment, "
                                                  "which needs short_payment_reason; more: 422 payment_above_approved"})
    short_payment_reason = ma.fields.String(validate=_REASON, metadata={
        "description": "why the manufacturer paid less than approved; only with a short payment"})

    @ma.post_load
    def command(self, data, **_) -> RecordPayment:
        return RecordPayment(**data)


# ---------------------------------------------------------------- a claim checked before submitting


def _context(name: str, description: str) -> ma.fields.Function:
    return ma.fields.Function(lambda problem: problem.context.get(name), allow_none=True,
                              metadata={"description": description})


def _messages_per_field(review) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = {}
    for problem in review.problems:
        messages.setdefault(str(problem.context.get("field", "_body")), []).append(problem.detail)
    return messages


class ClaimProblemSchema(ma.Schema):
    """One rule the claim breaks, as submitting would answer it (its 422's members)."""

    code = ma.fields.String(metadata={"description": "as the submission's 422 would say it, e.g. claim_not_eligible"})
    detail = ma.fields.String()
    field = _context("field", "the field to correct; a line's own field as lines.<i>.<field>, i from 0")
    line = _context("line", "the line concerned: its position in `lines`, from 0 (as the `errors` of every 422 "
                            "count); null when the problem is the claim's")
    part_number = _context("part_number", "aftermarket_part_on_critical_component: the part")
    duplicate_of = _context("duplicate_of", "duplicate_claim: the claim filed already")
    reasons = _context("reasons", f"claim_not_eligible: why the plan does not cover (eligibility's reason codes, "
                                  f"or {PLAN_NOT_APPLICABLE}: not one of the vehicle's plans)")
    deadline = _context("deadline", "submission_deadline_passed: the last day")
    threshold = _context("threshold", "pre_authorisation_required: the limit")
    campaign = _context("campaign", "campaign_not_open: the campaign named")


class ClaimCheckSchema(ma.Schema):
    claim_number = ma.fields.String()
    submittable = ma.fields.Boolean(metadata={"description": "no rule is broken: submitting now would succeed"})
    problems = ma.fields.List(ma.fields.Nested(ClaimProblemSchema), metadata={
        "description": "every rule broken, in the order submission checks them (it answers the first)"})
    errors = ma.fields.Function(_messages_per_field, metadata={
        "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "description": "the problems' messages per field, as a 422's errors"})
    flags = ma.fields.List(ma.fields.String(metadata={"enum": list(CLAIM_FLAGS)}),
                           metadata={"description": "what submitting would flag for the manager"})


# ---------------------------------------------------------------- labour operations


class LabourOperationSchema(ma.Schema):
    operation = ma.fields.String(metadata={"description": "the code a labour line names (工时项目)"})
    name_zh = ma.fields.String(allow_none=True)
    name_en = ma.fields.String(allow_none=True)
    standard_hours = DecimalString(places=3, metadata={
        "description": "the standard time (工时定额); a labour line above it is flagged labour_over_standard_time"})


class LabourOperationList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LabourOperationSchema), metadata={"description": "by code"})


# ---------------------------------------------------------------- supplier recoveries


class SupplierRecoverySchema(ma.Schema):
    claim_number = ma.fields.String(metadata={"description": "the approved claim charged back; names the recovery"})
    vin = ma.fields.String()
    supplier = ma.fields.String()
    part_number = ma.fields.String()
    lot = ma.fields.String()
    amount = DecimalString(places=2, metadata={"description": "parts + labour + handling"})
    parts = DecimalString(places=2, attribute="parts_amount")
    labour = DecimalString(places=2, attribute="labour_amount", metadata={"description": "labour and sublet"})
    handling = DecimalString(places=2, attribute="handling_amount", metadata={"description": "handling charge (管理费)"})
    currency = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(RECOVERY_STATUSES)})
    opened_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer(metadata={"description": "also sent as the ETag"})


class RecoveryHistorySchema(ma.Schema):
    action = ma.fields.String(metadata={"enum": ["opened", "adjusted", "charged", "disputed", "recovered",
                                                 "written_off"]})
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    amount = DecimalString(places=2, metadata={"description": "after this step"})
    parts = DecimalString(places=2, attribute="parts_amount")
    labour = DecimalString(places=2, attribute="labour_amount")
    handling = DecimalString(places=2, attribute="handling_amount")
    reference = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    at = ma.fields.AwareDateTime()
    by = ma.fields.String()


class SupplierRecoveryDetailSchema(SupplierRecoverySchema):
    history = ma.fields.List(ma.fields.Nested(RecoveryHistorySchema),
                             metadata={"description": "every step and adjustment: who, when, why"})


SupplierRecoveryPage = page_of(SupplierRecoverySchema)


class SupplierRecoveryQuery(PageQuery):
    supplier = ma.fields.String(validate=ma.validate.Length(1, 40))
    claim_number = ma.fields.String(validate=ma.validate.Length(1, 40))
    status = ma.fields.String(validate=ma.validate.OneOf(RECOVERY_STATUSES))


class RecoveryStep(ma.Schema):
    """A step's reason and reference: the whole body of a charge, a dispute, a recovery and a
    write-off."""

    reason = ma.fields.String(required=True, validate=_REASON)
    reference = ma.fields.String(validate=ma.validate.Length(1, 60), metadata={
        "description": "the debit note's number, the supplier's letter, payment or credit note"})

    @ma.post_load
    def command(self, data, **_) -> StepNote:
        return StepNote(**data)


class RecoveryAdjustment(ma.Schema):
    """The parts of the amount that change; the others stay. Send If-Match."""

    parts = _money()
    labour = _money(metadata={"description": "labour and sublet"})
    handling = _money(metadata={"description": "handling charge (管理费)"})
    reason = ma.fields.String(required=True, validate=_REASON)

    @ma.post_load
    def command(self, data, **_) -> AdjustRecovery:
        return AdjustRecovery(**data)


# ---------------------------------------------------------------- claim attachments (files)


class ClaimAttachmentSchema(ma.Schema):
    attachment_id = ma.fields.String()
    claim_number = ma.fields.String()
    kind = ma.fields.String(metadata={"enum": list(ATTACHED_KINDS)})
    file_name = ma.fields.String()
    content_type = ma.fields.String(metadata={"enum": list(ATTACHED_TYPES),
                                              "description": "as the file's content shows it"})
    size_bytes = ma.fields.Integer()
    sha256 = ma.fields.String(metadata={"description": "hex digest of the bytes"})
    description = ma.fields.String(allow_none=True)
    uploaded_at = ma.fields.AwareDateTime()
    uploaded_by = ma.fields.String()


ClaimAttachmentPage = page_of(ClaimAttachmentSchema)


class ClaimAttachmentUpload(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ATTACHED_KINDS), metadata={
        "description": "photo (of the failed part), repair_order (the scan), pre_authorisation (the letter), other"})
    description = ma.fields.String(validate=ma.validate.Length(1, 200))


class ClaimAttachmentFile(ma.Schema):
    file = Upload(required=True, metadata={"description": "JPEG, PNG, WebP or PDF, judged by its content"})


# ---------------------------------------------------------------- lot recalls


class LotRecallQuery(PageQuery):
    status = ma.fields.String(validate=ma.validate.OneOf(LOT_RECALL_STATUSES),
                              metadata={"description": "open: still quarantined; released: the hold was lifted"})


class LotRecallSchema(ma.Schema):
    lot = ma.fields.String()
    part_number = ma.fields.String()
    supplier = ma.fields.String()
    supplier_lot = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(LOT_RECALL_STATUSES)})
    reason = ma.fields.String(allow_none=True)
    quarantined_at = ma.fields.AwareDateTime(allow_none=True)
    quarantined_by = ma.fields.String(allow_none=True)
    release_reason = ma.fields.String(allow_none=True)
    released_at = ma.fields.AwareDateTime(allow_none=True)
    released_by = ma.fields.String(allow_none=True)
    vehicle_count = ma.fields.Integer(metadata={"description": "vehicles named by parts or fitted from the lot"})


LotRecallPage = page_of(LotRecallSchema)


class LotFittingSchema(ma.Schema):
    issue = ma.fields.String()
    repair_order = ma.fields.String(allow_none=True)
    installed_on = ma.fields.Date(allow_none=True)
    quantity = DecimalString(places=3, metadata={"description": "still on the vehicle"})


class AffectedVehicleSchema(ma.Schema):
    vin = ma.fields.String()
    named_by_parts = ma.fields.Boolean(metadata={"description": "listed by the parts service at the quarantine"})
    make = ma.fields.String(allow_none=True, metadata={"description": "null: a vehicle warranty has not registered"})
    model = ma.fields.String(allow_none=True)
    model_year = ma.fields.Integer(allow_none=True)
    fittings = ma.fields.List(ma.fields.Nested(LotFittingSchema),
                              metadata={"description": "the lot's parts warranty saw fitted to it"})


class LotRecallDetailSchema(LotRecallSchema):
    vehicles = ma.fields.List(ma.fields.Nested(AffectedVehicleSchema))


# ---------------------------------------------------------------- lemon law (三包)


class LemonLawCountSchema(ma.Schema):
    threshold = ma.fields.String(metadata={"enum": list(LEMON_LAW_THRESHOLDS)})
    count = ma.fields.Integer(metadata={"description": "repairs, replacements or days so far"})
    limit = ma.fields.Integer(metadata={"description": "reached at this count (configurable)"})
    reached = ma.fields.Boolean()
    part_number = ma.fields.String(allow_none=True, metadata={"description": "the part counted most, for per-part thresholds"})
    claim_numbers = ma.fields.List(ma.fields.String())


class LemonLawRepairSchema(ma.Schema):
    claim_number = ma.fields.String()
    failure_date = ma.fields.Date()
    odometer = ma.fields.Integer()
    part_number = ma.fields.String(allow_none=True)
    component_group = ma.fields.String(allow_none=True, attribute="component")
    safety_critical = ma.fields.Boolean()
    days_out_of_service = ma.fields.Integer()


class LemonLawSchema(ma.Schema):
    vin = ma.fields.String()
    in_service_date = ma.fields.Date()
    period_ends_on = ma.fields.Date(metadata={"description": "the last day of the three-guarantees period"})
    period_km = ma.fields.Integer(metadata={"description": "covered up to and including"})
    early_ends_on = ma.fields.Date(metadata={"description": "the last day of the early window (60 days)"})
    early_km = ma.fields.Integer()
    period_open = ma.fields.Boolean(metadata={"description": "today and the latest odometer are within the period"})
    reached = ma.fields.List(ma.fields.String(metadata={"enum": list(LEMON_LAW_THRESHOLDS)}))
    reported = ma.fields.List(ma.fields.String(metadata={"enum": list(LEMON_LAW_THRESHOLDS)}),
                              metadata={"description": "announced as warranty.vehicle.lemon_law_threshold (once each)"})
    thresholds = ma.fields.List(ma.fields.Nested(LemonLawCountSchema))
    repairs = ma.fields.List(ma.fields.Nested(LemonLawRepairSchema),
                             metadata={"description": "the repairs counted: within the period, not rejected"})


# ---------------------------------------------------------------- reports


class ReportQuery(ma.Schema):
    start = ma.fields.Date(data_key="from", load_default=None, metadata={"description": "repair date on or after"})
    end = ma.fields.Date(data_key="to", load_default=None, metadata={"description": "repair date on or before"})


class AgeBucketsSchema(ma.Schema):
    """Claims by days since they were filed."""

    days_0_7 = ma.fields.Integer(attribute="0_7", data_key="0_7")
    days_8_30 = ma.fields.Integer(attribute="8_30", data_key="8_30")
    days_31_60 = ma.fields.Integer(attribute="31_60", data_key="31_60")
    days_61_90 = ma.fields.Integer(attribute="61_90", data_key="61_90")
    over_90 = ma.fields.Integer()


class StatusCountSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": [status.value for status in ClaimStatus]})
    count = ma.fields.Integer()
    age_days = ma.fields.Nested(AgeBucketsSchema)


class StageTimeSchema(ma.Schema):
    stage = ma.fields.String(metadata={"enum": ["draft_to_submitted", "submitted_to_decided", "decided_to_paid"]})
    claims = ma.fields.Integer()
    median_hours = ma.fields.Float(allow_none=True)
    p90_hours = ma.fields.Float(allow_none=True)


class FirstPassApprovalSchema(ma.Schema):
    decided = ma.fields.Integer()
    first_pass_approved = ma.fields.Integer(metadata={"description": "approved without an information request or appeal"})
    info_requested = ma.fields.Integer()
    appealed = ma.fields.Integer()
    rate = DecimalString(places=4, allow_none=True, metadata={"description": "0 to 1; null when nothing was decided"})


class RejectionReasonSchema(ma.Schema):
    reason_code = ma.fields.String(metadata={"enum": list(DECISION_REASONS)})
    lines = ma.fields.Integer()
    claims = ma.fields.Integer()
    amount_refused = DecimalString(places=2)


class CoverageCostSchema(ma.Schema):
    coverage_type = ma.fields.String(metadata={"enum": [kind.value for kind in PlanType]})
    currency = ma.fields.String()
    claims = ma.fields.Integer()
    claimed = DecimalString(places=2)
    approved = DecimalString(places=2, metadata={"description": "= awaiting_payment + paid + short_paid"})
    paid = DecimalString(places=2)
    awaiting_payment = DecimalString(places=2, metadata={"description": "approved, not paid yet"})
    short_paid = DecimalString(places=2, metadata={"description": "approved less paid, over the claims paid"})
    short_paid_claims = ma.fields.Integer(metadata={"description": "claims paid less than approved"})


class SupplierFailureSchema(ma.Schema):
    supplier = ma.fields.String()
    failures = ma.fields.Integer(metadata={"description": "approved claims with the supplier's causal part"})
    units_installed = DecimalString(places=3, allow_none=True, metadata={"description": "null: none known"})
    per_thousand_installed = DecimalString(places=2, allow_none=True)


class SupplierRecoveryTotalsSchema(ma.Schema):
    """Where one supplier's recoveries stand, in one currency: opened = open + charged +
    disputed + recovered + written_off."""

    supplier = ma.fields.String()
    currency = ma.fields.String()
    recoveries = ma.fields.Integer()
    opened = DecimalString(places=2, metadata={"description": "every recovery opened, as adjusted since"})
    open = DecimalString(places=2, metadata={"description": "not charged yet"})
    charged = DecimalString(places=2, metadata={"description": "charged, awaiting the supplier"})
    disputed = DecimalString(places=2)
    recovered = DecimalString(places=2)
    written_off = DecimalString(places=2)


def _report_of(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    return ma.Schema.from_dict(
        {"from": ma.fields.Date(allow_none=True, attribute="start"), "to": ma.fields.Date(allow_none=True, attribute="end"),
         "items": ma.fields.List(ma.fields.Nested(item_schema))},
        name=name,
    )


ClaimsByStatusReport = _report_of(StatusCountSchema, "ClaimsByStatusReport")
CycleTimeReport = _report_of(StageTimeSchema, "CycleTimeReport")
RejectionReasonReport = _report_of(RejectionReasonSchema, "RejectionReasonReport")
CoverageCostReport = _report_of(CoverageCostSchema, "CoverageCostReport")
SupplierFailureReport = _report_of(SupplierFailureSchema, "SupplierFailureReport")
SupplierRecoveryReport = _report_of(SupplierRecoveryTotalsSchema, "SupplierRecoveryReport")


class FirstPassApprovalReport(FirstPassApprovalSchema):
    start = ma.fields.Date(allow_none=True, data_key="from")
    end = ma.fields.Date(allow_none=True, data_key="to")
