"""`/api/v1/parts`: the catalog."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role
from shared.paging import PageQuery

from parts.api.roles import CLERKS, READERS
from parts.api.schemas import PartChangePage, PartCreate, PartPage, PartQuery, PartSchema, PartUpdate
from parts.queries import catalog as catalog_queries
from parts.service import catalog

blp = Blueprint("parts", __name__, url_prefix="/api/v1/parts", description="The parts catalog (配件目录)")


@blp.route("")
class Parts(MethodView):
    @requires_role(*READERS)
    @blp.arguments(PartQuery, location="query")
    @blp.response(200, PartPage)
    def get(self, query):
        """List the catalog, filtered, a page at a time"""
        with read_session() as session:
            return catalog_queries.parts(session, **query)

    @requires_role(*CLERKS)
    @blp.arguments(PartCreate)
    @blp.response(201, PartSchema, headers={"ETag": {"schema": {"type": "string"}}})
    def post(self, command):
        """Add a part to the catalog, whole: also what replaces it, what it fits, its alternates"""
        part = catalog.add_part(unit_of_work(), caller(), command)
        return with_etag(part, location=url_for("parts.Part", part_number=part.part_number))


@blp.route("/<string:part_number>")
class Part(MethodView):
    @requires_role(*READERS)
    @blp.response(200, PartSchema)
    def get(self, part_number):
        """One part"""
        with read_session() as session:
            return with_etag(catalog_queries.part(session, part_number))

    @requires_role(*CLERKS)
    @requires_if_match
    @blp.arguments(PartUpdate)
    @blp.response(200, PartSchema)
    def patch(self, command, part_number, expected_version):
        """Change a part, saying why (`reason`); send If-Match with its ETag"""
        part = catalog.change_part(unit_of_work(), caller(), part_number, expected_version, command)
        return with_etag(part)


@blp.route("/<string:part_number>/history")
class PartHistory(MethodView):
    @requires_role(*READERS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, PartChangePage)
    def get(self, query, part_number):
        """Who created and changed the part, when, why, and each field from -> to; newest first"""
        with read_session() as session:
            return catalog_queries.history(session, part_number, **query)
