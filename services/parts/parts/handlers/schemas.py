"""The fields parts reads from other services' events; everything else is ignored."""

from __future__ import annotations

import marshmallow as ma


class ApprovedClaimData(ma.Schema):
    """`warranty.claim.approved`: the causal part (主因件) and, when known, the lot it came from."""

    claim_number = ma.fields.String(required=True)
    causal_part_number = ma.fields.String(load_default=None, allow_none=True)
    causal_lot = ma.fields.String(load_default=None, allow_none=True)


class ClassifiedComplaintData(ma.Schema):
    """`complaints.complaint.classified`: a product-quality complaint may name a part and lot."""

    complaint_number = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    part_number = ma.fields.String(load_default=None, allow_none=True)
    lot = ma.fields.String(load_default=None, allow_none=True)


_CODE = ma.validate.Length(1, 40)


class ReplacementApprovedData(ma.Schema):
    """`warranty.parts_warranty.replacement_approved`: a faulty sold part is to be exchanged for a
    new one of the same number (保修换件)."""

    case = ma.fields.String(required=True, validate=_CODE)
    sale = ma.fields.String(required=True, validate=_CODE)
    part_number = ma.fields.String(required=True, validate=_CODE)
    lot = ma.fields.String(required=True, validate=_CODE)
    location = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
    quantity = ma.fields.Decimal(required=True, places=3,
                                 validate=ma.validate.Range(min=0, min_inclusive=False, max=99_999))
    supplier = ma.fields.String(load_default=None, allow_none=True, validate=_CODE)
