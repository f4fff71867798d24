"""`/api/v1/actions`: the rectification list (整改清单) across complaints."""

from __future__ import annotations

from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session
from shared.http.security import requires_role

from complaints.api.complaints import reading
from complaints.api.roles import READERS
from complaints.api.schemas import ActionPage, ActionQuery
from complaints.queries import actions as queries

blp = Blueprint("actions", __name__, url_prefix="/api/v1/actions",
                description="Actions taken on complaints (整改清单): owners, due dates, what is overdue")


@blp.route("")
class Actions(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ActionQuery, location="query")
    @blp.response(200, ActionPage)
    def get(self, query):
        """List actions, earliest due first; `overdue=true` for those not done by their due date"""
        with read_session() as session:
            return queries.actions(session, viewer=caller(), reading=reading(), **query)
