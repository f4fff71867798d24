"""`/api/v1/claims`: warranty claims to the manufacturer (保修索赔)."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from warranty.api.roles import CLERKS, DESK, MANAGERS, READERS
from warranty.api.schemas import (
    ETAG,
    ClaimCheckSchema,
    ClaimCreate,
    ClaimDecision,
    ClaimPage,
    ClaimPayment,
    ClaimQuery,
    ClaimReason,
    ClaimSchema,
    ClaimUpdate,
)
from warranty.queries import claims as queries
from warranty.service import claims

blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims",
                description="Warranty claims: filed and edited as drafts, checked at submission, decided per line")


@blp.route("")
class Claims(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ClaimQuery, location="query")
    @blp.response(200, ClaimPage)
    def get(self, query):
        """List claims, newest first or unchanged longest first, by statuses, type, VIN or repair order"""
        with read_session() as session:
            return queries.claims(session, **query)

    @requires_role(*CLERKS)
    @blp.arguments(ClaimCreate)
    @blp.response(201, ClaimSchema, headers=ETAG)
    def post(self, command):
        """File a claim as a draft"""
        claim = claims.file_claim(unit_of_work(), caller(), command)
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
    def patch(self, command, claim_number, expected_version):
        """Change a draft, or a claim asked for information; send If-Match with its ETag"""
        return with_etag(claims.edit_claim(unit_of_work(), caller(), claim_number, expected_version, command))


@blp.route("/<string:claim_number>/submit")
class Submission(MethodView):
    @requires_role(*CLERKS)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, claim_number):
        """Submit (or resubmit after an information request): the rules are checked now"""
        return with_etag(claims.submit(unit_of_work(), caller(), claim_number))


@blp.route("/<string:claim_number>/check")
class SubmissionCheck(MethodView):
    @requires_role(*CLERKS)
    @blp.response(200, ClaimCheckSchema)
    def post(self, claim_number):
        """Check every submission rule without submitting: all the problems at once (submit answers the first);
        nothing changes and nothing is announced"""
        return claims.review(unit_of_work(), caller(), claim_number)


@blp.route("/<string:claim_number>/request-info")
class InformationRequest(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(ClaimReason)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, command, claim_number):
        """Send a submitted claim back to the clerk, saying what is missing"""
        return with_etag(claims.request_info(unit_of_work(), caller(), claim_number, command))


@blp.route("/<string:claim_number>/decision")
class Decision(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(ClaimDecision)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, command, claim_number):
        """Decide every line (approved amount, reason code when less): approved, partially approved or rejected"""
        return with_etag(claims.decide(unit_of_work(), caller(), claim_number, command))


@blp.route("/<string:claim_number>/appeal")
class Appeal(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ClaimReason)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, command, claim_number):
        """Appeal a rejection or a partial approval's cut lines, once: the claim is submitted again (appealed: true)"""
        return with_etag(claims.appeal(unit_of_work(), caller(), claim_number, command))


@blp.route("/<string:claim_number>/cancel")
class Cancellation(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ClaimReason)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, command, claim_number):
        """Withdraw a draft or a submitted claim"""
        return with_etag(claims.cancel(unit_of_work(), caller(), claim_number, command))


@blp.route("/<string:claim_number>/payment")
class Payment(MethodView):
    # The clerk enters the manufacturer's remittance (索赔结算) as it arrives; the manager may too.
    @requires_role(*DESK)
    @blp.arguments(ClaimPayment)
    @blp.response(200, ClaimSchema, headers=ETAG)
    def post(self, command, claim_number):
        """Record the manufacturer's payment: the approved amount, or less (short) with the reason"""
        return with_etag(claims.record_payment(unit_of_work(), caller(), claim_number, command))

