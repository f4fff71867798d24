"""`/api/v1/vehicles` and what warranty knows of the parts catalog."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import with_etag
from shared.http.security import requires_role

from warranty.api.schemas import CatalogPartSchema, VehicleCreate, VehiclePage, VehicleQuery, VehicleSchema
from warranty.queries import vehicles as queries
from warranty.service import vehicles

blp = Blueprint("vehicles", __name__, url_prefix="/api/v1", description="Vehicles under warranty (车辆档案)")

READERS = (
    "service_advisor", "warranty_clerk", "warranty_manager", "complaints_agent",
    "service_manager", "integration",
)
REGISTRARS = ("service_advisor", "warranty_clerk", "warranty_manager")


@blp.route("/vehicles")
class Vehicles(MethodView):
    @requires_role(*READERS)
    @blp.arguments(VehicleQuery, location="query")
    @blp.response(200, VehiclePage)
    def get(self, query):
        """List vehicles, a page at a time"""
        with read_session() as session:
            return queries.vehicles(session, **query)

    @requires_role(*REGISTRARS)
    @blp.arguments(VehicleCreate)
    @blp.response(201, VehicleSchema)
    def post(self, body):
        """Register a vehicle (the VIN's check digit is verified unless VIN_CHECK_DIGIT=off)"""
        vehicle = vehicles.register_vehicle(unit_of_work(), caller(), **body)
        return with_etag(vehicle, location=url_for("vehicles.Vehicle", vin=vehicle.vin))


@blp.route("/vehicles/<string:vin>")
class Vehicle(MethodView):
    @requires_role(*READERS)
    @blp.response(200, VehicleSchema)
    def get(self, vin):
        """One vehicle"""
        with read_session() as session:
            return with_etag(queries.vehicle(session, vin))


@blp.route("/catalog/<string:part_number>")
class CatalogPart(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CatalogPartSchema)
    def get(self, part_number):
        """What warranty knows of a part (learnt from the parts service's events)"""
        with read_session() as session:
            return queries.catalog_part(session, part_number)
