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
