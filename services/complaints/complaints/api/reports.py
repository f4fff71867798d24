"""`/api/v1/reports`: complaints statistics for the service manager and the complaints desk."""

from __future__ import annotations

from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import read_session
from shared.http.security import requires_role

from complaints.api.complaints import reading
from complaints.api.roles import DESK
from complaints.api.schemas import (
    CountsReport,
    PartsReport,
    RankingQuery,
    ReportQuery,
    ResolutionTimeReport,
    RootCauseReport,
    SatisfactionReport,
    SlaReport,
)
from complaints.queries import reports

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Complaints received in a period: what about, how fast, how well, why (投诉统计)")


def _period(query: dict) -> reports.Period:
    return reports.Period(query.pop("received_from"), query.pop("received_to"))


@blp.route("/counts")
class Counts(MethodView):
    @requires_role(*DESK)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, CountsReport)
    def get(self, query):
        """How many complaints, by category, severity and status"""
        with read_session() as session:
            return reports.counts(session, _period(query), reading())


@blp.route("/sla")
class Sla(MethodView):
    @requires_role(*DESK)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, SlaReport)
    def get(self, query):
        """SLA compliance per clock: met, missed, still running (merged duplicates left out)"""
        with read_session() as session:
            return {"clocks": reports.sla_compliance(session, _period(query), reading())}


@blp.route("/resolution-times")
class ResolutionTimes(MethodView):
    @requires_role(*DESK)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, ResolutionTimeReport)
    def get(self, query):
        """Time from receipt to resolution: median and 90th percentile, in wall-clock and business hours"""
        with read_session() as session:
            return reports.resolution_times(session, _period(query), reading())


@blp.route("/satisfaction")
class Satisfaction(MethodView):
    @requires_role(*DESK)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, SatisfactionReport)
    def get(self, query):
        """The customers' satisfaction with the resolution: mean and how many gave each score"""
        with read_session() as session:
            return reports.satisfaction(session, _period(query), reading())


@blp.route("/root-causes")
class RootCauses(MethodView):
    @requires_role(*DESK)
    @blp.arguments(RankingQuery, location="query")
    @blp.response(200, RootCauseReport)
    def get(self, query):
        """The most frequent root causes, most first"""
        with read_session() as session:
            return {"items": reports.root_causes(session, _period(query), reading(), **query)}


@blp.route("/parts")
class Parts(MethodView):
    @requires_role(*DESK)
    @blp.arguments(RankingQuery, location="query")
    @blp.response(200, PartsReport)
    def get(self, query):
        """The part numbers and lots complaints name most (supplier quality is kept by parts)"""
        with read_session() as session:
            return reports.parts(session, _period(query), reading(), **query)
