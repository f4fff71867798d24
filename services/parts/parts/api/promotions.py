"""`/api/v1/promotions` and `/api/v1/reports/sales|sale-returns`: the price strategy and
promotions of the parts counter (配件价格策略与促销活动) and the reports that evaluate them.

Parts managers write promotions; the sales service prices each line with the one best for the
customer (`parts.domain.pricing`). A change or an end sends If-Match with the ETag last read.
"""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from parts.api.promotion_schemas import (
    PromotionCreate,
    PromotionEffect,
    PromotionList,
    PromotionQuery,
    PromotionSchema,
    PromotionTerms,
    ReportPeriod,
    ReturnsReport,
    SalesReport,
    SalesReportQuery,
)
from parts.api.roles import MANAGERS, READERS
from parts.queries import promotions as queries
from parts.queries import sales_reports as reports
from parts.queries.quality import Period
from parts.service import promotions

blp = Blueprint("promotions", __name__, url_prefix="/api/v1",
                description="Promotions on parts and categories, and the sales reports that evaluate them (促销)")

ETAG = {"ETag": {"schema": {"type": "string"}}}


@blp.route("/promotions")
class Promotions(MethodView):
    @requires_role(*READERS)
    @blp.arguments(PromotionQuery, location="query")
    @blp.response(200, PromotionList)
    def get(self, query):
        """Every promotion, the latest period first"""
        with read_session() as session:
            return {"items": queries.promotions(session, **query)}

    @requires_role(*MANAGERS)
    @blp.arguments(PromotionCreate)
    @blp.response(201, PromotionSchema, headers=ETAG)
    def post(self, body):
        """Write a promotion: period, parts and/or categories, and its rule (422 naming the field otherwise)"""
        promotion = promotions.add_promotion(unit_of_work(), caller(), body)
        return with_etag(promotion, location=url_for("promotions.Promotion", code=promotion.code))


@blp.route("/promotions/<string:code>")
class Promotion(MethodView):
    @requires_role(*READERS)
    @blp.response(200, PromotionSchema, headers=ETAG)
    def get(self, code):
        """One promotion"""
        with read_session() as session:
            return with_etag(queries.promotion(session, code))

    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.arguments(PromotionTerms)
    @blp.response(200, PromotionSchema, headers=ETAG)
    def patch(self, body, code, expected_version):
        """Change a promotion that has not ended; orders already written keep their prices"""
        return with_etag(promotions.change_promotion(unit_of_work(), caller(), code, expected_version, body))


@blp.route("/promotions/<string:code>/end")
class EndPromotion(MethodView):
    @requires_role(*MANAGERS)
    @requires_if_match
    @blp.response(200, PromotionSchema, headers=ETAG)
    def post(self, code, expected_version):
        """End a promotion now: from this moment it prices nothing"""
        return with_etag(promotions.end_promotion(unit_of_work(), caller(), code, expected_version))


@blp.route("/promotions/<string:code>/effect")
class PromotionEffectView(MethodView):
    @requires_role(*READERS)
    @blp.response(200, PromotionEffect)
    def get(self, code):
        """Sales of the promotion's parts while it ran against the same number of days right before it

        Quantity, revenue, margin at lot cost, and the change in percent (促销效果评估).
        """
        with read_session() as session:
            return reports.promotion_effect(session, queries.promotion(session, code), _zone())


@blp.route("/reports/sales")
class SalesReportView(MethodView):
    @requires_role(*READERS)
    @blp.arguments(SalesReportQuery, location="query")
    @blp.response(200, SalesReport)
    def get(self, query):
        """Counter sales per day, category or customer group: quantity, revenue, cost at lot cost, margin

        A sale counts on the day it was completed (the dealer's date); returns are not deducted
        (see /reports/sale-returns).
        """
        with read_session() as session:
            return reports.sales_report(session, Period(query["start"], query["end"], _zone()), query["group_by"])


@blp.route("/reports/sale-returns")
class ReturnsReportView(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ReportPeriod, location="query")
    @blp.response(200, ReturnsReport)
    def get(self, query):
        """Returns of counter sales taken in the period: count, quantity, refunded, per reason and condition"""
        with read_session() as session:
            return reports.returns_report(session, Period(query["start"], query["end"], _zone()))


def _zone():
    return runtime().unit_of_work.local_zone
