"""`/api/v1/sales` and `/api/v1/customer-groups`: parts sold over the counter (配件销售).

A sale goes draft -> confirmed (stock reserved) -> paid -> completed (invoiced, handed over),
or is cancelled before payment. Each step on an existing order sends If-Match with the ETag
last read, so nobody pays for an order that changed under them; an Idempotency-Key makes a
retried step safe.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import etag, requires_if_match, with_etag
from shared.http.security import requires_role

from parts.api.promotion_schemas import GroupPriceList, GroupPriceSchema, GroupPriceSet
from parts.api.roles import CLERKS, MANAGERS, READERS
from parts.api.sale_schemas import (
    CustomerGroupCreate,
    CustomerGroupList,
    CustomerGroupSchema,
    CustomerGroupUpdate,
    SaleCancellation,
    SaleCompletion,
    SaleCreate,
    SalePage,
    SalePayment,
    SaleQuery,
    SaleReturnCreate,
    SaleSchema,
)
from parts.queries import sales as queries
from parts.service import sales

blp = Blueprint("sales", __name__, url_prefix="/api/v1",
                description="Sell parts over the counter to walk-in and trade customers (配件销售)")

ETAG = {"ETag": {"schema": {"type": "string"}}}


@blp.route("/sales")
class Sales(MethodView):
    @requires_role(*READERS)
    @blp.arguments(SaleQuery, location="query")
    @blp.response(200, SalePage)
    def get(self, query):
        """List sales orders, newest first; customer personal data masked unless you sell"""
        with read_session() as session:
            return queries.sales(session, viewer=caller(), **query)

    @requires_role(*CLERKS)
    @blp.arguments(SaleCreate)
    @blp.response(201, SaleSchema, headers=ETAG)
    def post(self, command):
        """Write a sales order (draft) at the price that applies; a client's price is ignored"""
        order = sales.open_sale(unit_of_work(), caller(), command)
        return with_etag(order, location=url_for("sales.Sale", number=order.number))


@blp.route("/sales/<string:number>")
class Sale(MethodView):
    @requires_role(*READERS)
    @blp.response(200, SaleSchema, headers=ETAG)
    def get(self, number):
        """One sales order"""
        with read_session() as session:
            return with_etag(queries.sale(session, number, viewer=caller()))


@blp.route("/sales/<string:number>/confirm")
class ConfirmSale(MethodView):
    @requires_role(*CLERKS)
    @requires_if_match
    @blp.response(200, SaleSchema, headers=ETAG)
    def post(self, number, expected_version):
        """Confirm: reserve every line from available stock, all or none (409 names each short line)"""
        return with_etag(sales.confirm(unit_of_work(), caller(), number, expected_version))


@blp.route("/sales/<string:number>/payment")
class PaySale(MethodView):
    @requires_role(*CLERKS)
    @requires_if_match
    @blp.arguments(SalePayment)
    @blp.response(200, SaleSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """Record the payment: method, reference, and exactly the order's total (422 otherwise)"""
        return with_etag(sales.pay(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/sales/<string:number>/complete")
class CompleteSale(MethodView):
    @requires_role(*CLERKS)
    @requires_if_match
    @blp.arguments(SaleCompletion)
    @blp.response(200, SaleSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """Record the invoice number and hand the parts over from the reserved lots"""
        return with_etag(sales.complete(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/sales/<string:number>/cancel")
class CancelSale(MethodView):
    @requires_role(*CLERKS)
    @requires_if_match
    @blp.arguments(SaleCancellation)
    @blp.response(200, SaleSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """Cancel before payment: reserved stock goes back"""
        return with_etag(sales.cancel(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/sales/<string:number>/returns")
class ReturnSale(MethodView):
    @requires_role(*CLERKS)
    @requires_if_match
    @blp.arguments(SaleReturnCreate)
    @blp.response(200, SaleSchema, headers=ETAG)
    def post(self, command, number, expected_version):
        """Take parts of a completed sale back into the lots they were sold from and record the refund;
        with `exchange`, open the replacement order"""
        return with_etag(sales.return_parts(unit_of_work(), caller(), number, expected_version, command))


@blp.route("/customer-groups")
class CustomerGroups(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CustomerGroupList)
    def get(self):
        """Every customer group, by code"""
        with read_session() as session:
            return {"items": queries.customer_groups(session)}

    @requires_role(*MANAGERS)
    @blp.arguments(CustomerGroupCreate)
    @blp.response(201, CustomerGroupSchema, headers=ETAG)
    def post(self, command):
        """Add a customer group with its discount off list price"""
        group = sales.add_customer_group(unit_of_work(), caller(), command)
        return with_etag(group, location=url_for("sales.CustomerGroup", code=group.code))


@blp.route("/customer-groups/<string:code>")
class CustomerGroup(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CustomerGroupSchema, headers=ETAG)
    def get(self, code):
        """One customer group"""
        with read_session() as session:
            return with_etag(queries.customer_group(session, code))

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(CustomerGroupUpdate)
    @blp.response(200, CustomerGroupSchema, headers=ETAG)
    def patch(self, command, code, expected_version):
        """Change a group's name or discount; orders already written keep their prices"""
        return with_etag(sales.change_customer_group(unit_of_work(), caller(), code, expected_version, command))


@blp.route("/customer-groups/<string:code>/prices")
class GroupPrices(MethodView):
    @requires_role(*READERS)
    @blp.response(200, GroupPriceList, headers=ETAG)
    def get(self, code):
        """The group's own prices (its price list), by part number; the ETag is the group's"""
        with read_session() as session:
            group = queries.customer_group(session, code)
            return with_etag(_price_list(group))


@blp.route("/customer-groups/<string:code>/prices/<string:part_number>")
class GroupPrice(MethodView):
    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(GroupPriceSet)
    @blp.response(200, GroupPriceSchema, headers=ETAG)
    def put(self, command, code, part_number, expected_version):
        """Set the group's own price for a part (it wins over the group's discount); If-Match: the group's ETag"""
        group, entry = sales.set_group_price(unit_of_work(), caller(), code, part_number, expected_version, command)
        return entry, {"ETag": etag(group.version)}

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.response(200, GroupPriceList, headers=ETAG)
    def delete(self, code, part_number, expected_version):
        """Take the part off the group's price list: the group's discount applies to it again"""
        return with_etag(_price_list(sales.remove_group_price(unit_of_work(), caller(), code, part_number,
                                                              expected_version)))


def _price_list(group) -> SimpleNamespace:
    return SimpleNamespace(customer_group=group.code, version=group.version, items=group.prices)
