"""`/api/v1/coverage-plans`: the warranty terms per make (保修政策)."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from warranty.api.roles import MANAGERS, READERS
from warranty.api.schemas import (
    ETAG,
    CoveragePlanCreate,
    CoveragePlanPage,
    CoveragePlanQuery,
    CoveragePlanSchema,
    CoveragePlanUpdate,
)
from warranty.queries import coverage as queries
from warranty.service import coverage

blp = Blueprint("coverage", __name__, url_prefix="/api/v1/coverage-plans",
                description="Coverage plans per make; China's family-car defaults load with the first vehicle")


@blp.route("")
class CoveragePlans(MethodView):
    @requires_role(*READERS)
    @blp.arguments(CoveragePlanQuery, location="query")
    @blp.response(200, CoveragePlanPage)
    def get(self, query):
        """List coverage plans, by code, a page at a time"""
        with read_session() as session:
            return queries.plans(session, **query)

    @requires_role(*MANAGERS)
    @blp.arguments(CoveragePlanCreate)
    @blp.response(201, CoveragePlanSchema, headers=ETAG)
    def post(self, command):
        """Add a plan (a make's own terms, a campaign, goodwill)"""
        plan = coverage.add_plan(unit_of_work(), caller(), command)
        return with_etag(plan, location=url_for("coverage.CoveragePlan", code=plan.code))


@blp.route("/<string:code>")
class CoveragePlan(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CoveragePlanSchema, headers=ETAG)
    def get(self, code):
        """One plan"""
        with read_session() as session:
            return with_etag(queries.plan(session, code))

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(CoveragePlanUpdate)
    @blp.response(200, CoveragePlanSchema, headers=ETAG)
    def patch(self, command, code, expected_version):
        """Change a plan's terms, or retire it (active: false); send If-Match with its ETag"""
        return with_etag(coverage.change_plan(unit_of_work(), caller(), code, expected_version, command))
