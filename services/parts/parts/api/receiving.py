"""`/api/v1/receipts` and `/api/v1/lots`: deliveries, inspection, returns to supplier."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import with_etag
from shared.http.security import requires_role

from parts.api.roles import CLERKS, READERS
from parts.api.schemas import (
    InspectionCreate,
    LotLookupQuery,
    LotReferenceList,
    LotSchema,
    ReceiptCreate,
    ReceiptSchema,
    SupplierReturnCreate,
)
from parts.queries import stock as queries
from parts.service import lots, receipts

blp = Blueprint("receiving", __name__, url_prefix="/api/v1",
                description="Receiving deliveries (入库), incoming inspection (进货检验), returns to supplier")


@blp.route("/receipts")
class Receipts(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ReceiptCreate)
    @blp.response(201, ReceiptSchema)
    def post(self, command):
        """Book a supplier delivery: one lot per line; refused from an unqualified supplier"""
        receipt = receipts.receive(unit_of_work(), caller(), command)
        return receipt, {"Location": url_for("receiving.Receipt", number=receipt.number)}


@blp.route("/receipts/<string:number>")
class Receipt(MethodView):
    @requires_role(*READERS)
    @blp.response(200, ReceiptSchema)
    def get(self, number):
        """One receipt"""
        with read_session() as session:
            return queries.receipt(session, number)


@blp.route("/lots")
class Lots(MethodView):
    @requires_role(*READERS)
    @blp.arguments(LotLookupQuery, location="query")
    @blp.response(200, LotReferenceList)
    def get(self, query):
        """Several lots' part and supplier at once (`?code=A&code=B`); codes not found are left out"""
        with read_session() as session:
            return {"items": queries.lots_by_code(session, query["code"])}


@blp.route("/lots/<string:code>")
class Lot(MethodView):
    @requires_role(*READERS)
    @blp.response(200, LotSchema)
    def get(self, code):
        """One lot: its supplier batch, inspection and hold"""
        with read_session() as session:
            return with_etag(queries.lot(session, code, viewer=caller()))


@blp.route("/lots/<string:code>/inspection")
class LotInspection(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(InspectionCreate)
    @blp.response(200, LotSchema)
    def post(self, body, code):
        """Record a pending lot's inspection: passed releases its stock, failed keeps it blocked"""
        return with_etag(lots.record_inspection(unit_of_work(), caller(), code, body))


@blp.route("/lots/<string:code>/supplier-returns")
class SupplierReturns(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(SupplierReturnCreate)
    @blp.response(200, LotSchema)
    def post(self, body, code):
        """Send stock of the lot back to its supplier (退货)"""
        return lots.return_to_supplier(unit_of_work(), caller(), code, body)
