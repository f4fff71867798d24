"""`/api/v1/transfers`: moving stock from one location to another (移库)."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, unit_of_work
from shared.http.security import requires_role

from parts.api.roles import CLERKS
from parts.api.schemas import TransferCreate, TransferSchema
from parts.service import stock_transfers

blp = Blueprint("stock_transfers", __name__, url_prefix="/api/v1/transfers",
                description="Stock transfers between locations (移库): the stock keeps its lot")


@blp.route("")
class Transfers(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(TransferCreate)
    @blp.response(201, TransferSchema)
    def post(self, command):
        """Move available stock of a part to another location: the named lot, or else the oldest lots"""
        return stock_transfers.transfer(unit_of_work(), caller(), command)
