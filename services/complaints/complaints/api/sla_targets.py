"""`/api/v1/sla-targets`: how fast the dealer acknowledges and answers complaints of each severity."""

from __future__ import annotations

from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from complaints.api.roles import READERS, SUPERVISORS
from complaints.api.schemas import SlaTargetsSchema, SlaTargetsUpdate
from complaints.queries import complaints as queries
from complaints.service import sla

blp = Blueprint("sla_targets", __name__, url_prefix="/api/v1/sla-targets",
                description="SLA targets per severity (分级时效): acknowledge, first response, escalation")


def _shown():
    with read_session() as session:
        return with_etag(queries.sla_targets(session, runtime().unit_of_work.rules.sla))


@blp.route("")
class SlaTargets(MethodView):
    @requires_role(*READERS)
    @blp.response(200, SlaTargetsSchema)
    def get(self):
        """The targets for every severity (the service's defaults where the dealer set none)"""
        return _shown()

    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(SlaTargetsUpdate)
    @blp.response(200, SlaTargetsSchema)
    def put(self, body, expected_version):
        """Replace the targets per severity; open complaints' deadlines follow. If-Match with its ETag ("0" the
        first time)"""
        sla.set_targets(unit_of_work(), caller(), expected_version, **body)
        return _shown()
