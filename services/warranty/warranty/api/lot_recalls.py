"""`/api/v1/lot-recalls`: lots the parts service quarantined, with the vehicles they went into (批次召回)."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import read_session
from shared.http.security import requires_role

from warranty.api.roles import READERS
from warranty.api.schemas import LotRecallDetailSchema, LotRecallPage, LotRecallQuery
from warranty.queries import lot_recalls as queries

blp = Blueprint("lot_recalls", __name__, url_prefix="/api/v1/lot-recalls",
                description="Quarantined lots and the vehicles to call in, from the parts service's events")


@blp.route("")
class LotRecalls(MethodView):
    @requires_role(*READERS)
    @blp.arguments(LotRecallQuery, location="query")
    @blp.response(200, LotRecallPage)
    def get(self, query):
        """List quarantined lots by lot code, open or released"""
        with read_session() as session:
            return queries.lot_recalls(session, **query)


@blp.route("/<string:lot>")
class LotRecall(MethodView):
    @requires_role(*READERS)
    @blp.response(200, LotRecallDetailSchema)
    def get(self, lot):
        """One quarantined lot with its vehicles: those parts named and those warranty saw it fitted to"""
        with read_session() as session:
            return queries.lot_recall(session, lot)
