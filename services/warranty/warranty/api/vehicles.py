"""`/api/v1/vehicles`: vehicles, their odometer history and fitted parts; what warranty knows
of the parts catalog."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role
from shared.paging import PageQuery

from warranty.api.roles import READERS, REGISTRARS
from warranty.api.schemas import (
    ETAG,
    CatalogPartSchema,
    InstalledPartPage,
    InstalledPartQuery,
    LemonLawSchema,
    OdometerReadingCreate,
    OdometerReadingPage,
    OdometerReadingSchema,
    VehicleCreate,
    VehiclePage,
    VehicleQuery,
    VehicleSchema,
    VehicleUpdate,
)
from warranty.queries import lemon_law as lemon_law_queries
from warranty.queries import vehicles as queries
from warranty.service import vehicles

blp = Blueprint("vehicles", __name__, url_prefix="/api/v1", description="Vehicles under warranty (车辆档案)")


def _verify_check_digit() -> bool:
    """VIN_CHECK_DIGIT: a VIN read is checked as one registered is."""
    return runtime().unit_of_work.rules.verify_vin_check_digit


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
    @blp.response(201, VehicleSchema, headers=ETAG)
    def post(self, command):
        """Register a vehicle (the VIN's check digit is verified unless VIN_CHECK_DIGIT=off)"""
        vehicle = vehicles.register_vehicle(unit_of_work(), caller(), command)
        return with_etag(vehicle, location=url_for("vehicles.Vehicle", vin=vehicle.vin))


@blp.route("/vehicles/<string:vin>")
class Vehicle(MethodView):
    @requires_role(*READERS)
    @blp.response(200, VehicleSchema, headers=ETAG)
    def get(self, vin):
        """One vehicle; a VIN that cannot be one (length, letters, check digit) is 422 invalid_vin"""
        with read_session() as session:
            return with_etag(queries.vehicle(session, vin, verify_check_digit=_verify_check_digit()))

    @requires_role(*REGISTRARS)
    @requires_if_match
    @blp.arguments(VehicleUpdate)
    @blp.response(200, VehicleSchema, headers=ETAG)
    def patch(self, command, vin, expected_version):
        """Record a change of hands (owner count) or of title status; send If-Match with its ETag"""
        return with_etag(vehicles.change_vehicle(unit_of_work(), caller(), vin, expected_version, command))


@blp.route("/vehicles/<string:vin>/odometer-readings")
class OdometerReadings(MethodView):
    @requires_role(*READERS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, OdometerReadingPage)
    def get(self, query, vin):
        """The odometer history, newest first"""
        with read_session() as session:
            return queries.odometer_readings(session, vin, verify_check_digit=_verify_check_digit(), **query)

    @requires_role(*REGISTRARS)
    @blp.arguments(OdometerReadingCreate)
    @blp.response(201, OdometerReadingSchema)
    def post(self, command, vin):
        """Record what the odometer showed; one lower than an earlier reading is kept and flagged"""
        return vehicles.record_odometer(unit_of_work(), caller(), vin, command)


@blp.route("/vehicles/<string:vin>/installed-parts")
class InstalledParts(MethodView):
    @requires_role(*READERS)
    @blp.arguments(InstalledPartQuery, location="query")
    @blp.response(200, InstalledPartPage)
    def get(self, query, vin):
        """Parts fitted to the vehicle (from the parts service's issues and returns), newest first"""
        with read_session() as session:
            return queries.installed_parts(session, vin, **query)


@blp.route("/vehicles/<string:vin>/lemon-law")
class LemonLaw(MethodView):
    @requires_role(*READERS)
    @blp.response(200, LemonLawSchema)
    def get(self, vin):
        """Lemon-law (三包) exposure: the repairs counted in the three-guarantees period, per threshold"""
        units = runtime().unit_of_work
        with read_session() as session:
            return lemon_law_queries.lemon_law(session, vin, verify_check_digit=units.rules.verify_vin_check_digit,
                                               rules=units.rules.lemon_law,
                                               today=units.clock().astimezone(units.local_zone).date())


@blp.route("/catalog/<string:part_number>")
class CatalogPart(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CatalogPartSchema)
    def get(self, part_number):
        """What warranty knows of a part (learnt from the parts service's events)"""
        with read_session() as session:
            return queries.catalog_part(session, part_number)
