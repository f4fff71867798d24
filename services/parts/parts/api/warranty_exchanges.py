"""`/api/v1/warranty-exchanges`: replacements for parts-warranty cases (保修换件). The warranty
desk's approval creates them (by event); they are issued at once when stock allows, and a clerk
issues the ones waiting for stock."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from parts.api.roles import CLERKS, READERS
from parts.api.warranty_exchange_schemas import WarrantyExchangePage, WarrantyExchangeQuery, WarrantyExchangeSchema
from parts.queries import warranty_exchanges as queries
from parts.service import warranty_exchanges

blp = Blueprint("warranty_exchanges", __name__, url_prefix="/api/v1/warranty-exchanges",
                description="Replacement parts for parts-warranty cases, issued from stock (保修换件)")

ETAG = {"ETag": {"schema": {"type": "string"}}}


@blp.route("")
class WarrantyExchanges(MethodView):
    @requires_role(*READERS)
    @blp.arguments(WarrantyExchangeQuery, location="query")
    @blp.response(200, WarrantyExchangePage)
    def get(self, query):
        """Replacements, the longest waiting first; `status=waiting` is the counter's list to issue"""
        with read_session() as session:
            return queries.warranty_exchanges(session, **query)


@blp.route("/<string:case>")
class WarrantyExchange(MethodView):
    @requires_role(*READERS)
    @blp.response(200, WarrantyExchangeSchema, headers=ETAG)
    def get(self, case):
        """The replacement for one parts-warranty case"""
        with read_session() as session:
            return with_etag(queries.warranty_exchange(session, case))


@blp.route("/<string:case>/issue")
class IssueWarrantyExchange(MethodView):
    @requires_role(*CLERKS)
    @requires_if_match
    @blp.response(200, WarrantyExchangeSchema, headers=ETAG)
    def post(self, case, expected_version):
        """Issue a waiting replacement from the oldest available lots (409 if stock is still short)"""
        return with_etag(warranty_exchanges.issue(unit_of_work(), caller(), case, expected_version))
