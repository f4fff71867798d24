"""The fields complaints reads from other services' events; everything else is ignored."""

from __future__ import annotations

import marshmallow as ma


class ClaimEventData(ma.Schema):
    claim_number = ma.fields.String(required=True)
