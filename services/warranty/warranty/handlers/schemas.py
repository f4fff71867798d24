"""The fields warranty reads from other services' events; everything else is ignored."""

from __future__ import annotations

import marshmallow as ma


class CatalogPartData(ma.Schema):
    part_number = ma.fields.String(required=True)
    name_zh = ma.fields.String(allow_none=True, load_default=None)
    name_en = ma.fields.String(allow_none=True, load_default=None)
    category = ma.fields.String(required=True)
    source = ma.fields.String(required=True, validate=ma.validate.OneOf(["oem", "aftermarket"]))
    safety_critical = ma.fields.Boolean(required=True)
