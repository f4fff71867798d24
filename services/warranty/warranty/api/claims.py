"""`/api/v1/claims`: warranty claims to the manufacturer (保修索赔), and `/api/v1/supplier-recoveries`."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from warranty.api.schemas import (
    ETAG,
    ClaimCreate,
    ClaimDecision,
    ClaimPage,
    ClaimPayment,
    ClaimQuery,
    ClaimReason,
    ClaimSchema,
    ClaimUpdate,
    SupplierRecoveryPage,
    SupplierRecoveryQuery,
)
from warranty.queries import claims as queries
from warranty.service import claims

blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims",
                description="Warranty claims: filed and edited as drafts, checked at submission, decided per line")
recoveries_blp = Blueprint("supplier_recoveries", __name__, url_prefix="/api/v1/supplier-recoveries",
                           description="Approved claims charged back to the supplier of the causal part's lot")

READERS = ("warranty_clerk", "warranty_manager", "service_manager", "complaints_agent", "integration")
CLERKS = ("warranty_clerk",)
MANAGERS = ("warranty_manager",)


@blp.route("")
class Claims(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ClaimQuery, location="query")
    @blp.response(200, ClaimPage)
    def get(self, query):
        """List claims, newest first, by status, VIN or repair order"""
        with read_session() as session:
            return queries.claims(session, **query)

    @requires_role(*CLERKS)
    @blp.arguments(ClaimCreate)
    @blp.response(201, ClaimSchema, headers=ETAG)
    def post(self, body):
        """File a claim as a draft"""
        claim = claims.file_claim(unit_of_work(), caller(), **body)
        return with_etag(claim, location=url_for("claims.Claim", claim_number=claim.claim_number))


@blp.route("/<string:claim_number>")
class Claim(MethodView):
    @requires_role(*READERS)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def get(self, claim_number):
        """One claim with its lines, attachments and history"""
        with read_session() as session:
            return with_etag(queries.claim(session, claim_number))

    @requires_role(*CLERKS)
    @requires_if_match
    @blp.arguments(ClaimUpdate)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def patch(self, body, claim_number, expected_version):
        """Change a draft, or a claim asked for information; send If-Match with its ETag"""
        return with_etag(claims.edit_claim(unit_of_work(), caller(), claim_number, expected_version, **body))


@blp.route("/<string:claim_number>/submit")
class Submission(MethodView):
    @requires_role(*CLERKS)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, claim_number):
        """Submit (or resubmit after an information request): the rules are checked now"""
        return with_etag(claims.submit(unit_of_work(), caller(), claim_number))


@blp.route("/<string:claim_number>/request-info")
class InformationRequest(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(ClaimReason)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, body, claim_number):
        """Send a submitted claim back to the clerk, saying what is missing"""
        return with_etag(claims.request_info(unit_of_work(), caller(), claim_number, **body))


@blp.route("/<string:claim_number>/decision")
class Decision(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(ClaimDecision)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, body, claim_number):
        """Decide every line (approved amount, reason code when less): approved, partially approved or rejected"""
        return with_etag(claims.decide(unit_of_work(), caller(), claim_number, **body))


@blp.route("/<string:claim_number>/appeal")
class Appeal(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ClaimReason)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, body, claim_number):
        """Appeal a rejection, once; the claim is decided again"""
        return with_etag(claims.appeal(unit_of_work(), caller(), claim_number, **body))


@blp.route("/<string:claim_number>/cancel")
class Cancellation(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ClaimReason)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, body, claim_number):
        """Withdraw a draft or a submitted claim"""
        return with_etag(claims.cancel(unit_of_work(), caller(), claim_number, **body))


@blp.route("/<string:claim_number>/payment")
class Payment(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(ClaimPayment)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, body, claim_number):
        """Record that the manufacturer paid the approved amount"""
        return with_etag(claims.record_payment(unit_of_work(), caller(), claim_number, **body))


@recoveries_blp.route("")
class SupplierRecoveries(MethodView):
    @requires_role("warranty_clerk", "warranty_manager", "service_manager", "integration")
    @recoveries_blp.arguments(SupplierRecoveryQuery, location="query")
    @recoveries_blp.response(200, SupplierRecoveryPage)
    def get(self, query):
        """List supplier recoveries, newest first, by supplier or claim"""
        with read_session() as session:
            return queries.recoveries(session, **query)
