"""`/api/v1/suppliers` and `/api/v1/locations`."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role
from shared.paging import PageQuery

from parts.api.roles import MANAGERS, READERS
from parts.api.schemas import (
    LocationCreate,
    LocationPage,
    LocationSchema,
    SupplierCreate,
    SupplierPage,
    SupplierQuery,
    SupplierSchema,
    SupplierUpdate,
)
from parts.queries import stock as queries
from parts.service import supply

blp = Blueprint("supply", __name__, url_prefix="/api/v1", description="Suppliers (供应商) and locations (库位)")


@blp.route("/suppliers")
class Suppliers(MethodView):
    @requires_role(*READERS)
    @blp.arguments(SupplierQuery, location="query")
    @blp.response(200, SupplierPage)
    def get(self, query):
        """List suppliers"""
        with read_session() as session:
            return queries.suppliers(session, **query)

    @requires_role(*MANAGERS)
    @blp.arguments(SupplierCreate)
    @blp.response(201, SupplierSchema)
    def post(self, body):
        """Add a supplier; `qualified` records that it passed supplier review"""
        found = supply.add_supplier(unit_of_work(), caller(), body)
        return with_etag(found, location=url_for("supply.Supplier", code=found.code))


@blp.route("/suppliers/<string:code>")
class Supplier(MethodView):
    @requires_role(*READERS)
    @blp.response(200, SupplierSchema)
    def get(self, code):
        """One supplier"""
        with read_session() as session:
            return with_etag(queries.supplier(session, code))

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(SupplierUpdate)
    @blp.response(200, SupplierSchema)
    def patch(self, body, code, expected_version):
        """Change a supplier; send If-Match with its ETag"""
        return with_etag(supply.change_supplier(unit_of_work(), caller(), code, expected_version, body))


@blp.route("/locations")
class Locations(MethodView):
    @requires_role(*READERS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, LocationPage)
    def get(self, query):
        """List locations"""
        with read_session() as session:
            return queries.locations(session, **query)

    @requires_role(*MANAGERS)
    @blp.arguments(LocationCreate)
    @blp.response(201, LocationSchema)
    def post(self, body):
        """Add a location (warehouse and bin)"""
        return supply.add_location(unit_of_work(), caller(), body)
