"""`/api/v1/stock` and `/api/v1/ledger`."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session
from shared.http.security import requires_role

from parts.api.roles import READERS
from parts.api.schemas import BalancePage, BalanceQuery, LedgerQuery, MovementPage
from parts.queries import stock as queries

blp = Blueprint("stock", __name__, url_prefix="/api/v1", description="Stock balances (库存) and the ledger (库存流水)")


@blp.route("/stock")
class Stock(MethodView):
    @requires_role(*READERS)
    @blp.arguments(BalanceQuery, location="query")
    @blp.response(200, BalancePage)
    def get(self, query):
        """Stock per part, location and lot: on hand, reserved, quarantined, available

        While a caller counts a part at a location blind, its figures there are null for them and
        `withheld` names the count.
        """
        with read_session() as session:
            return queries.balances(session, viewer=caller(), **query)


@blp.route("/ledger")
class Ledger(MethodView):
    @requires_role(*READERS)
    @blp.arguments(LedgerQuery, location="query")
    @blp.response(200, MovementPage)
    def get(self, query):
        """Every movement, newest first (its quantities withheld from whoever is counting it blind)"""
        with read_session() as session:
            return queries.ledger(session, viewer=caller(), **query)
