"""`/api/v1/reports`: the warranty desk's figures over a period of repair dates (索赔统计)."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import read_session, runtime
from shared.http.security import requires_role

from warranty.api.roles import REPORT_READERS, STATUS_COUNT_READERS
from warranty.api.schemas import (
    ClaimsByStatusReport,
    CoverageCostReport,
    CycleTimeReport,
    FirstPassApprovalReport,
    RejectionReasonReport,
    ReportQuery,
    SupplierFailureReport,
    SupplierRecoveryReport,
)
from warranty.queries import reports as queries

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports",
                description="Claims by status and age, cycle times, first-pass approval, rejection reasons, "
                            "cost per coverage type, supplier failure rates and recoveries; `from`/`to` on the "
                            "repair date")


@blp.route("/claims-by-status")
class ClaimsByStatus(MethodView):
    @requires_role(*STATUS_COUNT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, ClaimsByStatusReport)
    def get(self, query):
        """Claims per status, with how many days ago they were filed"""
        with read_session() as session:
            return {**query, "items": queries.claims_by_status(session, **query, now=runtime().unit_of_work.clock())}


@blp.route("/cycle-times")
class CycleTimes(MethodView):
    @requires_role(*REPORT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, CycleTimeReport)
    def get(self, query):
        """Median and 90th percentile hours per stage: draft to submitted, submitted to decided, decided to paid"""
        with read_session() as session:
            return {**query, "items": queries.cycle_times(session, **query)}


@blp.route("/first-pass-approval")
class FirstPassApproval(MethodView):
    @requires_role(*REPORT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, FirstPassApprovalReport)
    def get(self, query):
        """Share of decided claims approved without an information request or an appeal"""
        with read_session() as session:
            return {**query, **queries.first_pass_approval(session, **query)}


@blp.route("/rejection-reasons")
class RejectionReasons(MethodView):
    @requires_role(*REPORT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, RejectionReasonReport)
    def get(self, query):
        """Lines cut or rejected, per reason code, with the amount refused"""
        with read_session() as session:
            return {**query, "items": queries.rejection_reasons(session, **query)}


@blp.route("/cost-by-coverage-type")
class CostByCoverageType(MethodView):
    @requires_role(*REPORT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, CoverageCostReport)
    def get(self, query):
        """Claimed, approved and paid amounts per coverage plan type"""
        with read_session() as session:
            return {**query, "items": queries.cost_by_coverage_type(session, **query)}


@blp.route("/supplier-failure-rates")
class SupplierFailureRates(MethodView):
    @requires_role(*REPORT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, SupplierFailureReport)
    def get(self, query):
        """Approved claims per supplier of the causal part, and per thousand of its parts fitted"""
        with read_session() as session:
            return {**query, "items": queries.supplier_failure_rates(session, **query)}


@blp.route("/supplier-recoveries")
class SupplierRecoveries(MethodView):
    @requires_role(*REPORT_READERS)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, SupplierRecoveryReport)
    def get(self, query):
        """Per supplier and currency: the amount opened for recovery, and how much of it is still open, charged,
        disputed, recovered or written off"""
        with read_session() as session:
            return {**query, "items": queries.supplier_recoveries(session, **query)}
