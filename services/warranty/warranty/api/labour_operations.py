"""`/api/v1/labour-operations`: the labour operations (工时项目) a claim's labour lines name, with
their standard hours (工时定额)."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import runtime
from shared.http.security import requires_role

from warranty.api.roles import BACK_OFFICE
from warranty.api.schemas import LabourOperationList

blp = Blueprint("labour_operations", __name__, url_prefix="/api/v1/labour-operations",
                description="Labour operations and their standard hours, as claims are checked against them")


@blp.route("")
class LabourOperations(MethodView):
    @requires_role(*BACK_OFFICE)
    @blp.response(200, LabourOperationList)
    def get(self):
        """Every operation with a standard time (CLAIM_STANDARD_HOURS, else the seeded table), by code"""
        return {"items": runtime().unit_of_work.rules.claims.labour_operations()}
