"""The warranty API's wire format."""

from __future__ import annotations

from datetime import date

import marshmallow as ma

from shared.paging import PageQuery, page_of


def _plausible_model_year(year: int) -> None:
    # Checked when a request comes in, not when the module was imported.
    latest = date.today().year + 2
    if not 1950 <= year <= latest:
        raise ma.ValidationError(f"Must be between 1950 and {latest}.")


class VehicleSchema(ma.Schema):
    vin = ma.fields.String()
    make = ma.fields.String()
    model = ma.fields.String()
    model_year = ma.fields.Integer()
    in_service_date = ma.fields.Date()
    owner_count = ma.fields.Integer()
    title_status = ma.fields.String()
    registered_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class VehicleCreate(ma.Schema):
    vin = ma.fields.String(required=True, validate=ma.validate.Length(1, 40),
                           metadata={"example": "LVSHCAMB1CE054249"})
    make = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    model = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    model_year = ma.fields.Integer(required=True, validate=_plausible_model_year)
    in_service_date = ma.fields.Date(required=True, metadata={"description": "purchase invoice date"})
    owner_count = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, 99))


class VehicleQuery(PageQuery):
    make = ma.fields.String(validate=ma.validate.Length(1, 60))


class CatalogPartSchema(ma.Schema):
    part_number = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    category = ma.fields.String()
    source = ma.fields.String()
    safety_critical = ma.fields.Boolean()
    updated_at = ma.fields.AwareDateTime()


VehiclePage = page_of(VehicleSchema)
