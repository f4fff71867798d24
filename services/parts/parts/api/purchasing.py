"""`/api/v1/reorder-suggestions`, `/api/v1/purchase-orders` and a supplier's quality record:
the parts manager's replenishment and supplier desk."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.security import requires_role

from parts.api.roles import CLERKS, MANAGERS, READERS
from parts.api.schemas import (
    PurchaseOrderBatchCreate,
    PurchaseOrderBatchSchema,
    PurchaseOrderCreate,
    PurchaseOrderPage,
    PurchaseOrderQuery,
    PurchaseOrderSchema,
    SuggestionList,
    SuggestionQuery,
    SupplierQualityReport,
    SupplierQualityReportQuery,
    SupplierQualitySchema,
)
from parts.queries import purchasing as queries
from parts.queries import quality, reorder
from parts.service import purchasing

blp = Blueprint("purchasing", __name__, url_prefix="/api/v1",
                description="Reorder suggestions (补货建议), purchase orders and supplier quality")


@blp.route("/reorder-suggestions")
class Suggestions(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(SuggestionQuery, location="query")
    @blp.response(200, SuggestionList)
    def get(self, query):
        """What to order now: projected stock (available + on order) at or below the reorder point

        While you count a part at a location blind, its available stock there and the quantity to
        order are null for you and `withheld` names the count.
        """
        with read_session() as session:
            return {"items": reorder.suggestions(session, viewer=caller(), **query)}


@blp.route("/purchase-orders")
class PurchaseOrders(MethodView):
    @requires_role(*READERS)
    @blp.arguments(PurchaseOrderQuery, location="query")
    @blp.response(200, PurchaseOrderPage)
    def get(self, query):
        """List purchase orders, newest first"""
        with read_session() as session:
            return queries.orders(session, **query)

    @requires_role(*MANAGERS)
    @blp.arguments(PurchaseOrderCreate)
    @blp.response(201, PurchaseOrderSchema)
    def post(self, body):
        """Order from a qualified supplier; counted as on order until a receipt names it"""
        order = purchasing.place(unit_of_work(), caller(), body)
        return order, {"Location": url_for("purchasing.PurchaseOrder", number=order.number)}


@blp.route("/purchase-orders/batch")
class PurchaseOrderBatch(MethodView):
    @requires_role(*MANAGERS)
    @blp.arguments(PurchaseOrderBatchCreate)
    @blp.response(201, PurchaseOrderBatchSchema)
    def post(self, body):
        """Place several orders at once (one per supplier): all of them, or none

        One transaction: a refused supplier or line places nothing, and the problem names its
        field (`orders.1.supplier`, `orders.0.lines.2.quantity`). Send an Idempotency-Key: a retry
        replays the first answer instead of ordering twice.
        """
        return {"orders": purchasing.place_all(unit_of_work(), caller(), body)}


@blp.route("/purchase-orders/<string:number>")
class PurchaseOrder(MethodView):
    @requires_role(*READERS)
    @blp.response(200, PurchaseOrderSchema)
    def get(self, number):
        """One purchase order with what has come in"""
        with read_session() as session:
            return queries.order(session, number)


@blp.route("/purchase-orders/<string:number>/cancel")
class CancelPurchaseOrder(MethodView):
    @requires_role(*MANAGERS)
    @blp.response(200, PurchaseOrderSchema)
    def post(self, number):
        """What has not come yet is no longer on order"""
        return purchasing.cancel(unit_of_work(), caller(), number)


@blp.route("/suppliers/<string:code>/quality")
class SupplierQuality(MethodView):
    @requires_role(*READERS)
    @blp.response(200, SupplierQualitySchema)
    def get(self, code):
        """Field failures per thousand issued, complaints, and incoming-inspection rejections"""
        with read_session() as session:
            return quality.supplier_quality(session, code)


@blp.route("/reports/supplier-quality")
class SupplierQualityReportView(MethodView):
    @requires_role(*READERS)
    @blp.arguments(SupplierQualityReportQuery, location="query")
    @blp.response(200, SupplierQualityReport)
    def get(self, query):
        """Every supplier's quality over a period: field failures per thousand issued, complaints, rejected lots

        Field failures and complaints traced to its lots in the period; units issued up to the
        period's end; lots inspected in the period. Dates are the dealer's; either end may be open.
        """
        period = quality.Period(query["start"], query["end"], runtime().unit_of_work.local_zone)
        with read_session() as session:
            return {"items": quality.supplier_quality_report(session, period)}
