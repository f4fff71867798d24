"""`/api/v1/parts-warranty`: the warranty on parts sold over the counter (配件保修): the dealer's
policy, the sold parts the desk looks up, and the cases (report → fault assessment → free repair,
replacement or refusal → follow-up), with their outcome per supplier."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from warranty.api.parts_warranty_schemas import (
    CaseAssessment,
    CaseCompletion,
    CaseCreate,
    CaseDecision,
    CaseFollowUp,
    CasePage,
    CaseQuery,
    CaseSchema,
    PartsWarrantyPolicySchema,
    PartsWarrantyPolicyUpdate,
    SoldPartPage,
    SoldPartQuery,
    SupplierReportQuery,
    SupplierReportSchema,
)
from warranty.api.roles import CASE_OPENERS, DESK, MANAGERS, PARTS_WARRANTY_READERS
from warranty.api.schemas import ETAG
from warranty.queries import parts_warranty as queries
from warranty.service import parts_warranty

blp = Blueprint("parts_warranty", __name__, url_prefix="/api/v1/parts-warranty",
                description="The warranty on parts sold over the counter: policy, sold parts and cases "
                            "(open → assessed → decided → closed, then the follow-up)")


@blp.route("/policy")
class Policy(MethodView):
    @requires_role(*PARTS_WARRANTY_READERS)
    @blp.response(200, PartsWarrantyPolicySchema, headers=ETAG)
    def get(self):
        """The dealer's terms: a default, and rules per part category and/or supplier"""
        with read_session() as session:
            return with_etag(queries.policy(session, caller().dealer))

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(PartsWarrantyPolicyUpdate)
    @blp.response(200, PartsWarrantyPolicySchema, headers=ETAG)
    def put(self, command, expected_version):
        """Replace the terms for parts sold from now on (If-Match; "0" before the first save)"""
        return with_etag(parts_warranty.set_policy(unit_of_work(), caller(), expected_version, command))


@blp.route("/sold-parts")
class SoldParts(MethodView):
    @requires_role(*PARTS_WARRANTY_READERS)
    @blp.arguments(SoldPartQuery, location="query")
    @blp.response(200, SoldPartPage)
    def get(self, query):
        """Parts sold under warranty, latest first, by sale, part, trade account or VIN"""
        with read_session() as session:
            return queries.sold_parts(session, **query)


@blp.route("/cases")
class Cases(MethodView):
    @requires_role(*PARTS_WARRANTY_READERS)
    @blp.arguments(CaseQuery, location="query")
    @blp.response(200, CasePage)
    def get(self, query):
        """Cases, newest first, by status, supplier, sale and the period they were opened in"""
        with read_session() as session:
            return queries.cases(session, **query)

    @requires_role(*CASE_OPENERS)
    @blp.arguments(CaseCreate)
    @blp.response(201, CaseSchema, headers=ETAG)
    def post(self, command):
        """Open a case for a part the customer brought back (报修)"""
        case = parts_warranty.open_case(unit_of_work(), caller(), command)
        return with_etag(case, location=url_for("parts_warranty.Case", number=case.number))


@blp.route("/cases/<string:number>")
class Case(MethodView):
    @requires_role(*PARTS_WARRANTY_READERS)
    @blp.response(200, CaseSchema, headers=ETAG)
    def get(self, number):
        """One case"""
        with read_session() as session:
            return with_etag(queries.case(session, number))


@blp.route("/cases/<string:number>/assess")
class Assess(MethodView):
    @requires_role(*DESK)
    @requires_if_match
    @blp.arguments(CaseAssessment)
    @blp.response(200, CaseSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """The fault assessed (鉴定故障): a defect is covered; misuse, wear, third-party fitting are not"""
        return with_etag(parts_warranty.assess(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/cases/<string:number>/decide")
class Decide(MethodView):
    @requires_role(*DESK)
    @requires_if_match
    @blp.arguments(CaseDecision)
    @blp.response(200, CaseSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """Repair, replace or refuse, as assessed; against the assessment only a warranty manager, with a reason"""
        return with_etag(parts_warranty.decide(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/cases/<string:number>/complete")
class Complete(MethodView):
    @requires_role(*DESK)
    @requires_if_match
    @blp.arguments(CaseCompletion)
    @blp.response(200, CaseSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """The repaired part or the exchange handed over, or the refused part given back: the case closes"""
        return with_etag(parts_warranty.complete(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/cases/<string:number>/follow-up")
class FollowUp(MethodView):
    @requires_role(*DESK)
    @requires_if_match
    @blp.arguments(CaseFollowUp)
    @blp.response(200, CaseSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """The customer's satisfaction (1–5) after the case closed (跟踪服务), once"""
        return with_etag(parts_warranty.follow_up(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/reports/by-supplier")
class BySupplier(MethodView):
    @requires_role(*PARTS_WARRANTY_READERS)
    @blp.arguments(SupplierReportQuery, location="query")
    @blp.response(200, SupplierReportSchema)
    def get(self, query):
        """Cases per supplier and how they went, for the supplier's quality figures"""
        with read_session() as session:
            return {"items": queries.by_supplier(session, **query)}
