"""`/api/v1/eligibility`: "is this repair covered?", asked at write-up (保修判定)."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import read_session, runtime
from shared.http.security import requires_role

from warranty.api.roles import ELIGIBILITY_ASKERS
from warranty.api.schemas import EligibilityQuestion, EligibilitySchema
from warranty.queries import eligibility as queries

blp = Blueprint("eligibility", __name__, url_prefix="/api/v1/eligibility",
                description="Coverage of a repair per plan, with reasons, what is left and open campaigns")


@blp.route("")
class Eligibility(MethodView):
    @requires_role(*ELIGIBILITY_ASKERS)
    @blp.arguments(EligibilityQuestion)
    @blp.response(200, EligibilitySchema)
    def post(self, body):
        """Ask whether a repair is covered: per plan covered or not, why, what is left and whether it needs pre-authorisation"""
        units = runtime().unit_of_work
        now = units.clock()
        with read_session() as session:
            return queries.eligibility(session, **body, now=now, today=now.astimezone(units.local_zone).date(),
                                       days_ahead=units.rules.eligibility_days_ahead,
                                       default_pre_authorisation_above=units.rules.claims.pre_authorisation_above,
                                       verify_check_digit=units.rules.verify_vin_check_digit)
