"""`/api/v1/stock` and `/api/v1/ledger`."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import read_session
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
        """Stock per part, location and lot: on hand, reserved, quarantined, available"""
        with read_session() as session:
            return queries.balances(session, **query)


@blp.route("/ledger")
class Ledger(MethodView):
    @requires_role(*READERS)
    @blp.arguments(LedgerQuery, location="query")
    @blp.response(200, MovementPage)
    def get(self, query):
        """Every movement, newest first"""
        with read_session() as session:
            return queries.ledger(session, **query)
