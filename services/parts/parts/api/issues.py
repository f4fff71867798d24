"""`/api/v1/issues`: parts handed to technicians (领料) and brought back (退料)."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.security import requires_role

from parts.api.roles import CLERKS, READERS
from parts.api.schemas import IssueCreate, IssuePage, IssueQuery, IssueSchema, ReturnCreate
from parts.queries import stock as queries
from parts.service import issues

blp = Blueprint("issues", __name__, url_prefix="/api/v1/issues",
                description="Issue slips (领料单): parts to a repair order and a VIN, and returns")


@blp.route("")
class Issues(MethodView):
    @requires_role(*READERS)
    @blp.arguments(IssueQuery, location="query")
    @blp.response(200, IssuePage)
    def get(self, query):
        """List issue slips, newest first: a repair order's (`repair_order`), a vehicle's (`vin`), or all"""
        with read_session() as session:
            return queries.issue_slips(session, **query)

    @requires_role(*CLERKS)
    @blp.arguments(IssueCreate)
    @blp.response(201, IssueSchema)
    def post(self, command):
        """Issue parts: a line's reservation, or else the oldest available lots"""
        slip = issues.issue(unit_of_work(), caller(), command)
        return slip, {"Location": url_for("issues.Issue", number=slip.number)}


@blp.route("/<string:number>")
class Issue(MethodView):
    @requires_role(*READERS)
    @blp.response(200, IssueSchema)
    def get(self, number):
        """One issue slip: which lot went to which VIN"""
        with read_session() as session:
            return queries.issue_slip(session, number)


@blp.route("/<string:number>/returns")
class Returns(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ReturnCreate)
    @blp.response(200, IssueSchema)
    def post(self, command, number):
        """Take unused parts back into the lot they came from"""
        return issues.take_back(unit_of_work(), caller(), number, command)
