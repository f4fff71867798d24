"""The complaints API's wire format."""

from __future__ import annotations

import re
from enum import Enum

import marshmallow as ma

from shared.fields import PERIOD_DATES
from shared.paging import PageQuery, page_of

from complaints.domain.calendar import WEEKDAYS
from complaints.domain.classification import Category, Severity
from complaints.domain.clocks import WaitingFor
from complaints.domain.complaint import Channel, Status
from complaints.domain.investigation import ActionKind, EvidenceKind, RootCause
from complaints.domain.notifications import ChannelKind, DeliveryStatus, NotificationKind, WebhookKind
from complaints.domain.privacy import mask_name, mask_personal_data, mask_phone, may_see_personal_data
from complaints.domain.resolution import HIGHEST_SATISFACTION, LOWEST_SATISFACTION
from complaints.domain.sla import ClockStatus, SlaClock
from complaints.domain.timeline import FREE_TEXT_DETAILS

CHANNELS = [c.value for c in Channel]
CATEGORIES = [c.value for c in Category]
SEVERITIES = [s.value for s in Severity]
WAITING_FOR = [w.value for w in WaitingFor]
CLOCKS = [c.value for c in SlaClock]
STATUSES = [s.value for s in Status]
EVIDENCE_KINDS = [k.value for k in EvidenceKind]
ROOT_CAUSES = [c.value for c in RootCause]
ACTION_KINDS = [k.value for k in ActionKind]


class TimelineEntrySchema(ma.Schema):
    at = ma.fields.AwareDateTime()
    kind = ma.fields.String()
    summary = ma.fields.String()
    actor = ma.fields.String(metadata={"description": "who did it; event:<source> for news from another service"})
    details = ma.fields.Dict(keys=ma.fields.String(), allow_none=True, metadata={
        "description": "the values the summary is made of, by kind (codes, numbers, ISO dates, the text typed), "
                       "to say it in the reader's language; null on entries written before 2026-12-07"})


class ClassificationSchema(ma.Schema):
    category = ma.fields.Enum(Category, by_value=True)
    severity = ma.fields.Enum(Severity, by_value=True)
    safety_related = ma.fields.Boolean(metadata={"description": "severity critical: a safety system, fire or fuel"})
    automatic = ma.fields.Boolean(metadata={"description": "read from the text; false when a person set it"})
    confidence = ma.fields.Float(allow_none=True, metadata={
        "description": "the classifier's probability for the category, 0 to 1; null when a person set it"})
    terms = ma.fields.List(ma.fields.String(), metadata={"description": "the words that decided the category"})
    severity_terms = ma.fields.List(ma.fields.String(), metadata={"description": "the words that set the severity"})
    actor = ma.fields.String(metadata={"description": "who classified it: `classifier` or the person"})
    reason = ma.fields.String(allow_none=True, metadata={"description": "why a person changed it"})
    at = ma.fields.AwareDateTime()


class PauseSchema(ma.Schema):
    since = ma.fields.AwareDateTime()
    until = ma.fields.AwareDateTime(allow_none=True, metadata={"description": "null while still paused"})
    waiting_for = ma.fields.Enum(WaitingFor, by_value=True)
    reason = ma.fields.String()
    paused_by = ma.fields.String()
    resume_reason = ma.fields.String(allow_none=True)
    resumed_by = ma.fields.String(allow_none=True)


class EscalationSchema(ma.Schema):
    clock = ma.fields.Enum(SlaClock, by_value=True)
    due_at = ma.fields.AwareDateTime(metadata={"description": "when the clock ran out"})
    at = ma.fields.AwareDateTime(metadata={"description": "when it went to the service manager"})


class ClockSchema(ma.Schema):
    clock = ma.fields.Enum(SlaClock, by_value=ma.fields.String)
    status = ma.fields.Enum(ClockStatus, by_value=ma.fields.String)
    started_at = ma.fields.AwareDateTime()
    due_at = ma.fields.AwareDateTime(allow_none=True, metadata={
        "description": "when it runs out in business time; null while paused or (resolution) no date promised"})
    stopped_at = ma.fields.AwareDateTime(allow_none=True)
    target_minutes = ma.fields.Integer(allow_none=True, metadata={"description": "business minutes allowed"})
    used_minutes = ma.fields.Integer(metadata={"description": "business minutes counted, paused time excluded"})
    escalated_at = ma.fields.AwareDateTime(allow_none=True)


class EvidenceSchema(ma.Schema):
    kind = ma.fields.Enum(EvidenceKind, by_value=True)
    reference = ma.fields.String(metadata={"description": "where it is: a file name, URL, repair order or call id"})
    note = ma.fields.String(allow_none=True, metadata={"description": "what it shows"})
    added_by = ma.fields.String()
    added_at = ma.fields.AwareDateTime()


class ActionSchema(ma.Schema):
    id = ma.fields.String()
    complaint_id = ma.fields.String()
    number = ma.fields.Integer(metadata={"description": "its place on the complaint's list: 1, 2, …"})
    kind = ma.fields.String(metadata={"enum": ACTION_KINDS})
    description = ma.fields.String()
    owner = ma.fields.String(metadata={"description": "who must do it"})
    due_on = ma.fields.Date()
    planned_by = ma.fields.String()
    planned_at = ma.fields.AwareDateTime()
    done_on = ma.fields.Date(allow_none=True, metadata={"description": "null until it is done"})
    done_by = ma.fields.String(allow_none=True)
    done_note = ma.fields.String(allow_none=True)
    overdue = ma.fields.Boolean(metadata={"description": "not done and due before today (dealer's calendar)"})


class RatedSchema(ma.Schema):
    """What a customer said, rated, and who wrote it down when."""

    satisfaction = ma.fields.Integer(allow_none=True, metadata={"description": "1 (very dissatisfied) to 5"})
    recorded_by = ma.fields.String()
    recorded_at = ma.fields.AwareDateTime()


class FeedbackSchema(RatedSchema):
    told = ma.fields.String(metadata={"description": "the result as told to the customer"})
    accepted = ma.fields.Boolean()
    comment = ma.fields.String(allow_none=True, metadata={"description": "the customer's words"})


class FollowUpSchema(RatedSchema):
    visited_on = ma.fields.Date()
    visited_by = ma.fields.String()
    note = ma.fields.String()


# The text people type into a complaint, by where it sits in the answer ("" for the complaint
# itself): masked for readers who may not see personal data.
TYPED_TEXT = {
    "": ("text", "desired_remedy", "findings", "resolution"),
    "pauses": ("reason", "resume_reason"),
    "evidence": ("note",),
    "actions": ("description", "done_note"),
    "feedback": ("told", "comment"),
    "follow_ups": ("note",),
}


class ComplaintSchema(ma.Schema):
    """Dumps a `ComplaintRead`: the aggregate's own fields, its clocks and overdue actions as read
    then, and the customer's personal data masked for a reader whose role does not need it."""

    id = ma.fields.String()
    number = ma.fields.String(metadata={
        "description": "what the desk reads out to the customer: TS-<day received, dealer's calendar>-<nth that "
                       "day>, unique per dealer; GET /complaints/{number} finds it like the id"})
    channel = ma.fields.String(metadata={"enum": CHANNELS})
    status = ma.fields.String(metadata={"enum": STATUSES, "description": (
        "open → in_progress → resolved → closed; a rejected resolution goes back to in_progress; closed → "
        "reopened within the reopening window; merged: a duplicate (see merged_into)")})
    owner = ma.fields.String(metadata={"description": "who received it and owns it until closed (首问责任制)"})
    text = ma.fields.String()
    received_at = ma.fields.AwareDateTime()
    recorded_at = ma.fields.AwareDateTime()
    customer_name = ma.fields.String(allow_none=True, metadata={"description": "masked for roles that do not need it"})
    customer_phone = ma.fields.String(allow_none=True, metadata={"description": "masked for roles that do not need it"})
    vin = ma.fields.String(allow_none=True)
    plate = ma.fields.String(allow_none=True, metadata={"description": "licence plate (车牌)"})
    repair_order = ma.fields.String(allow_none=True)
    claim_number = ma.fields.String(allow_none=True)
    part_number = ma.fields.String(allow_none=True)
    lot = ma.fields.String(allow_none=True)
    desired_remedy = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True, metadata={"enum": CATEGORIES})
    severity = ma.fields.String(allow_none=True, metadata={"enum": SEVERITIES})
    needs_review = ma.fields.Boolean(metadata={
        "description": "the classifier was unsure of the category (confidence below COMPLAINTS_REVIEW_BELOW): the "
                       "desk should check it; a person's classification clears it"})
    classification = ma.fields.Nested(ClassificationSchema, allow_none=True,
                                      metadata={"description": "the latest classification"})
    classifications = ma.fields.List(ma.fields.Nested(ClassificationSchema),
                                     metadata={"description": "every classification, oldest first"})
    version = ma.fields.Integer()
    timeline = ma.fields.List(ma.fields.Nested(TimelineEntrySchema))
    department = ma.fields.String(allow_none=True, metadata={"description": "handling department (the owner stays)"})
    handler = ma.fields.String(allow_none=True)
    acknowledged_at = ma.fields.AwareDateTime(allow_none=True)
    first_response_at = ma.fields.AwareDateTime(allow_none=True)
    promised_resolution_on = ma.fields.Date(allow_none=True, metadata={"description": "the date promised to the customer"})
    paused = ma.fields.Boolean(metadata={"description": "clocks stand still: waiting for the customer or a supplier"})
    pauses = ma.fields.List(ma.fields.Nested(PauseSchema))
    escalations = ma.fields.List(ma.fields.Nested(EscalationSchema))
    clocks = ma.fields.List(ma.fields.Nested(ClockSchema), metadata={
        "description": "acknowledge, first_response, escalation, resolution: each in business time"})
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema))
    findings = ma.fields.String(allow_none=True)
    root_cause = ma.fields.String(allow_none=True, metadata={"enum": ROOT_CAUSES})
    actions = ma.fields.List(ma.fields.Nested(ActionSchema), metadata={"description": "the rectification list (整改清单)"})
    resolution = ma.fields.String(allow_none=True, metadata={"description": "how it was resolved; null until then"})
    resolved_at = ma.fields.AwareDateTime(allow_none=True)
    resolved_by = ma.fields.String(allow_none=True)
    accepted_at = ma.fields.AwareDateTime(allow_none=True, metadata={
        "description": "when the customer accepted the resolution: it may be closed"})
    satisfaction = ma.fields.Integer(allow_none=True, metadata={"description": "the customer's latest rating, 1 to 5"})
    feedback = ma.fields.List(ma.fields.Nested(FeedbackSchema), metadata={"description": "oldest first"})
    follow_ups = ma.fields.List(ma.fields.Nested(FollowUpSchema), metadata={"description": "follow-up visits (回访)"})
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    closed_by = ma.fields.String(allow_none=True)
    merged_into = ma.fields.String(allow_none=True, metadata={"description": "the complaint this duplicate went into"})

    def get_attribute(self, read, attr, default):
        """The clocks and the actions come as read; every other field is the aggregate's own, a
        code (channel, status, category…) by its value."""
        value = super().get_attribute(read if attr in ("clocks", "actions") else read.complaint, attr, default)
        return value.value if isinstance(value, Enum) else value

    @ma.post_dump(pass_original=True)
    def _masked(self, complaint: dict, read, **_kwargs) -> dict:
        """The customer's name and phone masked, and in every text people typed the phone and ID
        numbers and the customer's name (the stored text stays whole)."""
        if may_see_personal_data(read.viewer.roles):
            return complaint
        name = complaint["customer_name"]

        def text(value: str | None) -> str | None:
            return mask_personal_data(value, [name])

        complaint["customer_name"] = mask_name(name)
        complaint["customer_phone"] = mask_phone(complaint["customer_phone"])
        for where, fields in TYPED_TEXT.items():
            for item in complaint[where] if where else [complaint]:
                item.update({field: text(item[field]) for field in fields})
        for entry in complaint["timeline"]:
            entry["summary"] = text(entry["summary"])
            if entry["details"] is not None:  # codes, numbers and dates as they are
                entry["details"] = {key: text(value) if key in FREE_TEXT_DETAILS and isinstance(value, str) else value
                                    for key, value in entry["details"].items()}
        return complaint


def _optional(length: int) -> ma.fields.String:
    return ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, length))


class ReceivedAt(ma.fields.Field):
    """A moment with its UTC offset or, for a letter whose hour nobody knows, a plain date."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and PLAIN_DATE.fullmatch(value):
            return ma.fields.Date()._deserialize(value, attr, data, **kwargs)
        return ma.fields.AwareDateTime()._deserialize(value, attr, data, **kwargs)


PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ComplaintCreate(ma.Schema):
    channel = ma.fields.String(required=True, validate=ma.validate.OneOf(CHANNELS))
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 5000))
    received_at = ReceivedAt(
        load_default=None,
        metadata={"type": "string", "description": (
            "when the customer complained; default now. A date-time with its offset, or a plain date "
            "(YYYY-MM-DD, a letter's date) read as 00:00 that day in the dealer's calendar. Never in the future.")},
    )
    customer_name = _optional(200)
    customer_phone = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Regexp(r"^\+?[0-9][0-9 -]{4,30}$")
    )
    vin = _optional(17)
    plate = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 16),
                             metadata={"description": "licence plate (车牌), e.g. 沪A12345"})
    repair_order = _optional(40)
    claim_number = _optional(40)
    part_number = _optional(40)
    lot = _optional(60)
    desired_remedy = _optional(500)


class ComplaintQuery(PageQuery):
    number = ma.fields.String(validate=ma.validate.Length(1, 24), metadata={
        "description": "the complaint's number as read out, e.g. TS-20261206-0001 (any letter case)"})
    customer_phone = ma.fields.String(validate=ma.validate.Length(3, 40), metadata={
        "description": "any part of the phone number, e.g. its last four digits (complaints desk, service manager)"})
    customer_name = ma.fields.String(validate=ma.validate.Length(1, 200), metadata={
        "description": "any part of the customer's name (complaints desk, service manager)"})
    vin = ma.fields.String(validate=ma.validate.Length(3, 17), metadata={"description": "any part of the VIN"})
    plate = ma.fields.String(validate=ma.validate.Length(2, 16), metadata={"description": "any part of the plate"})
    owner = ma.fields.String(validate=ma.validate.Length(1, 200))
    handler = ma.fields.String(validate=ma.validate.Length(1, 200))
    received_from = ma.fields.Date(metadata={"description": "received on or after this day (dealer's calendar)"})
    received_to = ma.fields.Date(metadata={"description": "received on or before this day (dealer's calendar)"})
    q = ma.fields.String(validate=ma.validate.Length(1, 200), metadata={
        "description": "words in the complaint's text, Chinese or English (any letter case)"})
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    channel = ma.fields.String(validate=ma.validate.OneOf(CHANNELS))
    claim_number = ma.fields.String(validate=ma.validate.Length(1, 40))
    part_number = ma.fields.String(validate=ma.validate.Length(1, 40))
    lot = ma.fields.String(validate=ma.validate.Length(1, 60))
    category = ma.fields.String(validate=ma.validate.OneOf(CATEGORIES))
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES))
    escalated = ma.fields.Boolean(truthy={"true"}, falsy={"false"},
                                  metadata={"description": "true: only complaints escalated to the service manager"})
    needs_review = ma.fields.Boolean(truthy={"true"}, falsy={"false"}, metadata={
        "description": "true: only complaints whose classification the desk should review"})


class Reclassification(ma.Schema):
    category = ma.fields.String(validate=ma.validate.OneOf(CATEGORIES), metadata={"description": "kept if left out"})
    severity = ma.fields.String(validate=ma.validate.OneOf(SEVERITIES), metadata={"description": "kept if left out"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 400),
                              metadata={"description": "why: kept with who changed it"})



def _required(length: int) -> ma.fields.String:
    return ma.fields.String(required=True, validate=ma.validate.Length(1, length))


class Assignment(ma.Schema):
    department = _required(200)
    handler = _optional(200)
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 400))


class OwnerChange(ma.Schema):
    owner = ma.fields.String(required=True, validate=ma.validate.Length(1, 200),
                             metadata={"description": "who owns it from now on"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 400),
                              metadata={"description": "why the owner changes (首问责任制: only with a reason)"})


class Acknowledgement(ma.Schema):
    note = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 400))


class ResponseCreate(ma.Schema):
    summary = ma.fields.String(required=True, validate=ma.validate.Length(1, 500),
                               metadata={"description": "what the customer was told"})


class Promise(ma.Schema):
    promised_resolution_on = ma.fields.Date(required=True)
    reason = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 400),
                              metadata={"description": "required when moving a date already promised"})


class PauseCreate(ma.Schema):
    waiting_for = ma.fields.String(required=True, validate=ma.validate.OneOf(WAITING_FOR))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 400))


class Resumption(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 400))


def _satisfaction() -> ma.fields.Integer:
    return ma.fields.Integer(load_default=None, allow_none=True,
                             validate=ma.validate.Range(LOWEST_SATISFACTION, HIGHEST_SATISFACTION),
                             metadata={"description": "1 (very dissatisfied) to 5 (very satisfied)"})


class EvidenceCreate(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(EVIDENCE_KINDS))
    reference = _required(500)
    note = _optional(1000)


class Investigation(ma.Schema):
    findings = ma.fields.String(validate=ma.validate.Length(1, 4000), metadata={"description": "kept if left out"})
    root_cause = ma.fields.String(validate=ma.validate.OneOf(ROOT_CAUSES), metadata={"description": "kept if left out"})


class ActionCreate(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTION_KINDS))
    description = _required(1000)
    owner = ma.fields.String(required=True, validate=ma.validate.Length(1, 200),
                             metadata={"description": "who must do it"})
    due_on = ma.fields.Date(required=True)


class ActionDone(ma.Schema):
    done_on = ma.fields.Date(load_default=None, metadata={"description": "default today; not in the future"})
    note = _optional(1000)


class ResolutionCreate(ma.Schema):
    resolution = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000),
                                  metadata={"description": "how it was resolved"})


class FeedbackCreate(ma.Schema):
    told = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000),
                            metadata={"description": "the result as told to the customer"})
    accepted = ma.fields.Boolean(required=True, metadata={
        "description": "the customer accepts the resolution; false puts the complaint back in progress"})
    satisfaction = _satisfaction()
    comment = _optional(1000)


class Closure(ma.Schema):
    note = _optional(400)
    reason = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 400), metadata={
        "description": "why it closes with actions (整改) not done yet: service manager only; without it such a "
                       "close is refused (409 open_actions)"})


class Reopening(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 400))


class FollowUpCreate(ma.Schema):
    visited_on = ma.fields.Date(required=True, metadata={"description": "not in the future"})
    visited_by = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    note = _required(1000)
    satisfaction = _satisfaction()


class DuplicateMerge(ma.Schema):
    duplicate_id = ma.fields.String(required=True, validate=ma.validate.Length(1, 36),
                                    metadata={"description": "the complaint that repeats this one: it ends, merged"})
    reason = _optional(400)


class ActionQuery(PageQuery):
    overdue = ma.fields.Boolean(truthy={"true"}, falsy={"false"},
                                metadata={"description": "true: only actions not done and due before today"})
    done = ma.fields.Boolean(truthy={"true"}, falsy={"false"})
    owner = ma.fields.String(validate=ma.validate.Length(1, 200))
    kind = ma.fields.String(validate=ma.validate.OneOf(ACTION_KINDS))
    complaint_id = ma.fields.String(validate=ma.validate.Length(1, 36))


class ReportQuery(ma.Schema):
    received_from = ma.fields.Date(load_default=None, validate=PERIOD_DATES,
                                   metadata={"description": "first day, in the dealer's calendar"})
    received_to = ma.fields.Date(load_default=None, validate=PERIOD_DATES, metadata={"description": "last day, included"})

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            raise ma.ValidationError("the period ends before it starts", field_name="received_to")


class RankingQuery(ReportQuery):
    limit = ma.fields.Integer(load_default=10, validate=ma.validate.Range(1, 100),
                              metadata={"description": "how many to list"})


def _counts(values: list[str]) -> ma.fields.Dict:
    return ma.fields.Dict(keys=ma.fields.String(metadata={"enum": values}), values=ma.fields.Integer())


class CountsReport(ma.Schema):
    total = ma.fields.Integer()
    by_category = _counts([*CATEGORIES, "unclassified"])
    by_severity = _counts([*SEVERITIES, "unclassified"])
    by_status = _counts(STATUSES)


class ClockCompliance(ma.Schema):
    clock = ma.fields.String(metadata={"enum": CLOCKS})
    met = ma.fields.Integer()
    missed = ma.fields.Integer()
    running = ma.fields.Integer(metadata={"description": "still running or paused"})
    not_set = ma.fields.Integer(metadata={"description": "resolution: no date promised yet"})
    met_rate = ma.fields.Float(allow_none=True, metadata={"description": "met / (met + missed); null if neither"})


class SlaReport(ma.Schema):
    clocks = ma.fields.List(ma.fields.Nested(ClockCompliance))


class Spread(ma.Schema):
    median = ma.fields.Float(allow_none=True)
    p90 = ma.fields.Float(allow_none=True)


class ResolutionTimeReport(ma.Schema):
    resolved = ma.fields.Integer(metadata={"description": "complaints resolved, the ones measured"})
    wall_hours = ma.fields.Nested(Spread, metadata={"description": "received to resolved, clock hours"})
    business_hours = ma.fields.Nested(Spread, metadata={
        "description": "received to resolved, working hours of the dealer's calendar less time paused"})


class SatisfactionReport(ma.Schema):
    rated = ma.fields.Integer(metadata={"description": "complaints whose customer gave a rating"})
    mean = ma.fields.Float(allow_none=True)
    distribution = ma.fields.Dict(keys=ma.fields.String(metadata={"enum": ["1", "2", "3", "4", "5"]}),
                                  values=ma.fields.Integer())


class RootCauseCount(ma.Schema):
    root_cause = ma.fields.String(metadata={"enum": ROOT_CAUSES})
    complaints = ma.fields.Integer()


class RootCauseReport(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RootCauseCount))


class PartCount(ma.Schema):
    part_number = ma.fields.String()
    complaints = ma.fields.Integer()


class LotCount(ma.Schema):
    lot = ma.fields.String()
    part_number = ma.fields.String(allow_none=True)
    complaints = ma.fields.Integer()


class PartsReport(ma.Schema):
    by_part = ma.fields.List(ma.fields.Nested(PartCount))
    by_lot = ma.fields.List(ma.fields.Nested(LotCount))


class PeriodSchema(ma.Schema):
    """One stretch of working hours, e.g. 09:00–12:00."""

    start = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$"),
                             metadata={"example": "09:00"})
    end = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"),
                           metadata={"example": "12:00", "description": "24:00: to the end of the day"})

    @ma.pre_dump
    def _from_pair(self, pair, **kwargs):
        return {"start": pair[0], "end": pair[1]}

    @ma.post_load
    def _to_pair(self, data, **kwargs):
        return [data["start"], data["end"]]


def _periods() -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(PeriodSchema), validate=ma.validate.Length(max=8))


HoursSchema = ma.Schema.from_dict({day: _periods() for day in WEEKDAYS}, name="HoursSchema")


class CalendarSchema(ma.Schema):
    timezone = ma.fields.String(metadata={"example": "Asia/Shanghai"})
    hours = ma.fields.Nested(HoursSchema, metadata={"description": "working hours per weekday; a day left out is closed"})
    holidays = ma.fields.List(ma.fields.String(metadata={"format": "date"}))
    make_up_days = ma.fields.List(ma.fields.String(metadata={"format": "date"}),
                                  metadata={"description": "weekend days worked instead (调休)"})
    make_up_hours = ma.fields.List(ma.fields.Nested(PeriodSchema), metadata={
        "description": "hours on a make-up day; empty: the first open weekday's"})
    updated_by = ma.fields.String()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer(metadata={"description": "0 until the service manager sets the calendar"})


class CalendarUpdate(ma.Schema):
    timezone = ma.fields.String(load_default=None, validate=ma.validate.Length(1, 64),
                                metadata={"description": "IANA time zone; kept if left out", "example": "Asia/Shanghai"})
    hours = ma.fields.Nested(HoursSchema, required=True)
    holidays = ma.fields.List(ma.fields.Date(), load_default=list, validate=ma.validate.Length(max=400))
    make_up_days = ma.fields.List(ma.fields.Date(), load_default=list, validate=ma.validate.Length(max=100))
    make_up_hours = ma.fields.List(ma.fields.Nested(PeriodSchema), load_default=list,
                                   validate=ma.validate.Length(max=8))


class CalendarDay(ma.Schema):
    """One holiday or make-up working day, named in the path."""

    day = ma.fields.Date(required=True, metadata={"example": "2026-10-01"})


ComplaintPage = page_of(ComplaintSchema)
ActionPage = page_of(ActionSchema)


def _minutes() -> ma.fields.Integer:
    return ma.fields.Integer(required=True, validate=ma.validate.Range(1, 366 * 24 * 60),
                             metadata={"description": "business minutes (in the dealer's calendar)"})


class SeverityTargetCreate(ma.Schema):
    severity = ma.fields.String(required=True, validate=ma.validate.OneOf(SEVERITIES))
    acknowledge_minutes = _minutes()
    first_response_minutes = _minutes()
    escalation_minutes = _minutes()


class SeverityTargetSchema(ma.Schema):
    severity = ma.fields.String(metadata={"enum": SEVERITIES})
    acknowledge_minutes = ma.fields.Integer()
    first_response_minutes = ma.fields.Integer()
    escalation_minutes = ma.fields.Integer()
    configured = ma.fields.Boolean(metadata={"description": "false: the service's default targets (SLA_*_HOURS)"})


class SlaTargetsSchema(ma.Schema):
    targets = ma.fields.List(ma.fields.Nested(SeverityTargetSchema), metadata={"description": "one per severity"})
    updated_by = ma.fields.String(allow_none=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True)
    version = ma.fields.Integer(metadata={"description": "0 until the service manager sets targets"})


class SlaTargetsUpdate(ma.Schema):
    targets = ma.fields.List(ma.fields.Nested(SeverityTargetCreate), required=True,
                             validate=ma.validate.Length(max=len(SEVERITIES)), metadata={
                                 "description": "a severity left out gets the service's default targets"})


class ClassificationText(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 5000),
                            metadata={"description": "the complaint's text as typed so far (as ComplaintCreate.text)"})


class ClassificationPreview(ma.Schema):
    """What intake would read from the text now; nothing is recorded."""

    category = ma.fields.Enum(Category, by_value=True)
    severity = ma.fields.Enum(Severity, by_value=True)
    safety_related = ma.fields.Boolean(metadata={"description": "severity critical: a safety system, fire or fuel"})
    confidence = ma.fields.Float(metadata={"description": "the classifier's probability for the category, 0 to 1"})
    terms = ma.fields.List(ma.fields.String(), metadata={"description": "the words that decided the category"})
    severity_terms = ma.fields.List(ma.fields.String(), metadata={"description": "the words that set the severity"})
    needs_review = ma.fields.Boolean(metadata={
        "description": "the desk would be asked to check the category (confidence below COMPLAINTS_REVIEW_BELOW)"})


# ------------------------------------------------------------------ notifications (通知)

WEBHOOK_KINDS = [k.value for k in WebhookKind]


class DeliverySchema(ma.Schema):
    channel = ma.fields.Enum(ChannelKind, by_value=True)
    status = ma.fields.Enum(DeliveryStatus, by_value=True, metadata={
        "description": "failed: gave up after the last attempt (see last_error)"})
    attempts = ma.fields.Integer()
    next_attempt_at = ma.fields.AwareDateTime(metadata={"description": "when it is tried (again) if not settled"})
    last_error = ma.fields.String(allow_none=True)
    sent_at = ma.fields.AwareDateTime(allow_none=True)


class NotificationSchema(ma.Schema):
    id = ma.fields.String()
    kind = ma.fields.Enum(NotificationKind, by_value=True, metadata={
        "description": "escalated (SLA clocks ran out) or critical (a safety complaint)"})
    complaint_id = ma.fields.String()
    complaint_number = ma.fields.String(allow_none=True)
    severity = ma.fields.String(allow_none=True)
    clocks = ma.fields.List(ma.fields.String(), metadata={"description": "the clocks that ran out (escalated)"})
    summary = ma.fields.String(metadata={"description": "the complaint's first words, personal numbers masked"})
    created_at = ma.fields.AwareDateTime()
    read_at = ma.fields.AwareDateTime(allow_none=True)
    read_by = ma.fields.String(allow_none=True)
    deliveries = ma.fields.List(ma.fields.Nested(DeliverySchema), metadata={
        "description": "one per channel configured when it was raised"})


class NotificationQuery(PageQuery):
    unread = ma.fields.Boolean(truthy={"true"}, falsy={"false"}, load_default=False,
                               metadata={"description": "true: only those not read yet"})


class NotificationPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema), required=True)
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "null on the last page"})
    unread = ma.fields.Integer(metadata={"description": "how many of the dealer's notifications are unread"})


class ReadAllSchema(ma.Schema):
    marked = ma.fields.Integer(metadata={"description": "how many were marked read"})
    unread = ma.fields.Integer()


class NotificationChannelsSchema(ma.Schema):
    email_recipients = ma.fields.List(ma.fields.String())
    webhook_url = ma.fields.String(allow_none=True)
    webhook_kind = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(WEBHOOK_KINDS))
    updated_by = ma.fields.String(allow_none=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True)
    version = ma.fields.Integer(metadata={"description": "0 until the service manager sets channels"})


class NotificationChannelsUpdate(ma.Schema):
    email_recipients = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 254)), load_default=list,
                                      validate=ma.validate.Length(max=20),
                                      metadata={"description": "who gets an e-mail; empty: no e-mail"})
    webhook_url = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(1, 1000),
                                   metadata={"description": "the group bot's webhook address; null: no bot"})
    webhook_kind = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(WEBHOOK_KINDS),
                                    metadata={"description": "wecom (企业微信) or dingtalk (钉钉); needed with a URL"})

    @ma.validates_schema
    def _kind_with_url(self, data, **_kwargs):
        if data.get("webhook_url") and not data.get("webhook_kind"):
            raise ma.ValidationError("say which bot the webhook is: wecom or dingtalk", "webhook_kind")
