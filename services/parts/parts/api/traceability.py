"""`/api/v1/traceability` and the lot hold: trace a problem to its supplier batch and every vehicle."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import with_etag
from shared.http.security import requires_role

from parts.api.roles import MANAGERS, READERS
from parts.api.schemas import BackwardQuery, BackwardSchema, ForwardSchema, HoldCreate, LotSchema
from parts.queries import traceability
from parts.service import lots

blp = Blueprint("traceability", __name__, url_prefix="/api/v1",
                description="Traceability (质量追溯) and lot quarantine (质量冻结)")


@blp.route("/traceability/fitted")
class Backward(MethodView):
    @requires_role(*READERS)
    @blp.arguments(BackwardQuery, location="query")
    @blp.response(200, BackwardSchema)
    def get(self, query):
        """Backward: the parts, lots, suppliers and receipts behind a VIN or a repair order"""
        with read_session() as session:
            return {"fitted": traceability.backward(session, **query)}


@blp.route("/traceability/lots/<string:code>")
class Forward(MethodView):
    @requires_role(*READERS)
    @blp.response(200, ForwardSchema)
    def get(self, code):
        """Forward: every repair order and VIN a lot went to, and what is left of it where"""
        with read_session() as session:
            return traceability.forward(session, code, viewer=caller())


@blp.route("/lots/<string:code>/quarantine")
class Quarantine(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(HoldCreate)
    @blp.response(200, LotSchema)
    def post(self, body, code):
        """Put a lot on hold: its stock stops moving; the event lists the vehicles it is fitted to"""
        return with_etag(lots.quarantine(unit_of_work(), caller(), code, body))


@blp.route("/lots/<string:code>/release")
class Release(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(HoldCreate)
    @blp.response(200, LotSchema)
    def post(self, body, code):
        """Lift the hold"""
        return with_etag(lots.release(unit_of_work(), caller(), code, body))
