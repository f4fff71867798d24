"""`/api/v1/counts`: stock counts (盘点), counted blind, approved by a manager when the variance is large."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.security import requires_role

from parts.api.roles import CLERKS, MANAGERS, READERS
from parts.api.schemas import CountCreate, CountDecision, CountPage, CountQuery, CountRecord, CountSchema
from parts.queries import counts as queries
from parts.service import counts

blp = Blueprint("counts", __name__, url_prefix="/api/v1/counts",
                description="Stock counts (盘点): blind counting, variances, approval, posted adjustments")


@blp.route("")
class Counts(MethodView):
    @requires_role(*READERS)
    @blp.arguments(CountQuery, location="query")
    @blp.response(200, CountPage)
    def get(self, query):
        """List counts, newest first"""
        with read_session() as session:
            return queries.counts(session, viewer=caller(), **query)

    @requires_role(*CLERKS)
    @blp.arguments(CountCreate)
    @blp.response(201, CountSchema)
    def post(self, body):
        """Open a count of every lot at a location, or of some parts there"""
        count = counts.open_count(unit_of_work(), caller(), body)
        return queries.seen_by(count, caller()), {"Location": url_for("counts.Count", number=count.number)}


@blp.route("/<string:number>")
class Count(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CountSchema)
    def get(self, number):
        """One count: book quantities, differences and their value are null while it is counted (a
        recount too), and while it waits for approval for everyone but parts managers"""
        with read_session() as session:
            return queries.count(session, number, viewer=caller())


@blp.route("/<string:number>/lines")
class CountLines(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(CountRecord)
    @blp.response(200, CountSchema)
    def post(self, body, number):
        """Record what is on the shelf; a line counted again takes the new figure"""
        return queries.seen_by(counts.record(unit_of_work(), caller(), number, body), caller())


@blp.route("/<string:number>/submit")
class SubmitCount(MethodView):
    @requires_role(*CLERKS)
    @blp.response(200, CountSchema)
    def post(self, number):
        """Close counting: posts the adjustments at once, or waits for a manager if a variance is large"""
        return queries.seen_by(counts.submit(unit_of_work(), caller(), number), caller())


@blp.route("/<string:number>/decision")
class DecideCount(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(CountDecision)
    @blp.response(200, CountSchema)
    def post(self, body, number):
        """A parts manager approves the variances (they post) or sends the large ones back to be recounted"""
        return queries.seen_by(counts.decide(unit_of_work(), caller(), number, body), caller())
