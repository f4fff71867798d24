"""`/api/v1/availability` (one call per repair quote) and `/api/v1/reorder-rules`."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.security import requires_role

from parts.api.roles import MANAGERS, READERS
from parts.api.schemas import QuoteCreate, QuoteSchema, ReorderRuleCreate, ReorderRuleSchema
from parts.queries import availability
from parts.service import reorder

blp = Blueprint("availability", __name__, url_prefix="/api/v1",
                description="Stock and price for a whole repair quote; safety stock and reorder settings")


@blp.route("/availability")
class Availability(MethodView):
    @requires_role(*READERS)
    @blp.arguments(QuoteCreate)
    @blp.response(200, QuoteSchema)
    def post(self, body):
        """Every line of a quote at once: stock per location, price and totals, supersession, alternates

        Unknown numbers are answered on their line; a number is found whatever its hyphens, spaces
        and case. While you count a part somewhere blind, its figures there are withheld from you.
        """
        rules = runtime().unit_of_work.rules
        with read_session() as session:
            return availability.quote(session, body["lines"], body["location"], viewer=caller(),
                                      default_lead_time_days=rules.default_lead_time_days)


@blp.route("/reorder-rules")
class ReorderRules(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(ReorderRuleCreate)
    @blp.response(200, ReorderRuleSchema)
    def post(self, body):
        """Set a part's safety stock, reorder point, maximum and pack at a location"""
        return reorder.set_rule(unit_of_work(), caller(), body)
