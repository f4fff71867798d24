"""`/api/v1/supplier-recoveries`: approved claims charged back to the supplier of the causal
part's lot (供应商索赔), named by their claim number. The warranty manager takes each step with
If-Match and a reason; the history keeps them all."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from warranty.api.roles import BACK_OFFICE, MANAGERS
from warranty.api.schemas import (
    ETAG,
    RecoveryAdjustment,
    RecoveryStep,
    SupplierRecoveryDetailSchema,
    SupplierRecoveryPage,
    SupplierRecoveryQuery,
)
from warranty.queries import recoveries as queries
from warranty.service import recoveries

blp = Blueprint("supplier_recoveries", __name__, url_prefix="/api/v1/supplier-recoveries",
                description="Approved claims charged back to the supplier of the causal part's lot: open → charged → "
                            "recovered, disputed or written off (disputed → recovered, written off or charged again)")


@blp.route("")
class SupplierRecoveries(MethodView):
    @requires_role(*BACK_OFFICE)
    @blp.arguments(SupplierRecoveryQuery, location="query")
    @blp.response(200, SupplierRecoveryPage)
    def get(self, query):
        """List supplier recoveries, newest first, by supplier, claim or status"""
        with read_session() as session:
            return queries.recoveries(session, **query)


@blp.route("/<string:claim_number>")
class SupplierRecovery(MethodView):
    @requires_role(*BACK_OFFICE)
    @blp.response(200, SupplierRecoveryDetailSchema, headers=ETAG)
    def get(self, claim_number):
        """One recovery with its history of steps and adjustments"""
        with read_session() as session:
            return with_etag(queries.recovery(session, claim_number))

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(RecoveryAdjustment)
    @blp.response(200, SupplierRecoveryDetailSchema, headers=ETAG)
    def patch(self, command, claim_number, expected_version):
        """Adjust the amount (parts, labour, handling) until it is recovered or written off; say why"""
        return with_etag(recoveries.adjust(unit_of_work(), caller(), claim_number, expected_version, command))


@blp.route("/<string:claim_number>/charge")
class Charge(MethodView):
    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(RecoveryStep)
    @blp.response(200, SupplierRecoveryDetailSchema, headers=ETAG)
    def post(self, command, claim_number, expected_version):
        """Charge the supplier (send the debit note): from open, or again after a dispute"""
        return with_etag(recoveries.charge(unit_of_work(), caller(), claim_number, expected_version, command))


@blp.route("/<string:claim_number>/dispute")
class Dispute(MethodView):
    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(RecoveryStep)
    @blp.response(200, SupplierRecoveryDetailSchema, headers=ETAG)
    def post(self, command, claim_number, expected_version):
        """Record that the supplier disputes a charge"""
        return with_etag(recoveries.dispute(unit_of_work(), caller(), claim_number, expected_version, command))


@blp.route("/<string:claim_number>/recover")
class Recovery(MethodView):
    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(RecoveryStep)
    @blp.response(200, SupplierRecoveryDetailSchema, headers=ETAG)
    def post(self, command, claim_number, expected_version):
        """Record that the supplier paid or credited the amount (charged or disputed)"""
        return with_etag(recoveries.recover(unit_of_work(), caller(), claim_number, expected_version, command))


@blp.route("/<string:claim_number>/write-off")
class WriteOff(MethodView):
    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(RecoveryStep)
    @blp.response(200, SupplierRecoveryDetailSchema, headers=ETAG)
    def post(self, command, claim_number, expected_version):
        """Write the amount off (charged or disputed): the cost stays with the dealer"""
        return with_etag(recoveries.write_off(unit_of_work(), caller(), claim_number, expected_version, command))
