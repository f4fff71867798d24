"""The fields complaints reads from other services' events; everything else is ignored."""

from __future__ import annotations

import marshmallow as ma


class ClaimEventData(ma.Schema):
    claim_number = ma.fields.String(required=True)
    # What information was asked for (info_requested), or why it was decided, appealed or cancelled.
    reason = ma.fields.String(load_default=None, allow_none=True)


class LotQuarantinedData(ma.Schema):
    lot = ma.fields.String(required=True)
    part_number = ma.fields.String(required=True)
    supplier = ma.fields.String(load_default=None, allow_none=True)
    reason = ma.fields.String(load_default="", allow_none=True)
    affected_vins = ma.fields.List(ma.fields.String(), load_default=list)


class LotReleasedData(ma.Schema):
    lot = ma.fields.String(required=True)
    part_number = ma.fields.String(required=True)
    reason = ma.fields.String(load_default="", allow_none=True)


class ComplaintEscalatedData(ma.Schema):
    complaint_id = ma.fields.String(required=True)
    clock = ma.fields.String(required=True)
    clocks = ma.fields.List(ma.fields.String(), load_default=list)


class ComplaintClassifiedData(ma.Schema):
    complaint_number = ma.fields.String(required=True)  # the complaint's id
    severity = ma.fields.String(required=True)
