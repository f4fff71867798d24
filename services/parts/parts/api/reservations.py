"""`/api/v1/reservations`: holding parts for a repair order or an appointment."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.security import requires_role

from parts.api.roles import CLERKS, READERS
from parts.api.schemas import (
    ReservationBatchCreate,
    ReservationBatchSchema,
    ReservationCreate,
    ReservationPage,
    ReservationQuery,
    ReservationRelease,
    ReservationSchema,
)
from parts.queries import stock as queries
from parts.service import reservations

blp = Blueprint("reservations", __name__, url_prefix="/api/v1/reservations",
                description="Hold parts for a repair order or appointment (预留)")


@blp.route("")
class Reservations(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ReservationQuery, location="query")
    @blp.response(200, ReservationPage)
    def get(self, query):
        """List reservations, newest first"""
        with read_session() as session:
            return queries.reservations(session, **query)

    @requires_role(*CLERKS)
    @blp.arguments(ReservationCreate)
    @blp.response(201, ReservationSchema)
    def post(self, command):
        """Reserve: never more than is available, whatever the concurrency"""
        reservation = reservations.reserve(unit_of_work(), caller(), command)
        return reservation, {"Location": url_for("reservations.Reservation", number=reservation.number)}


@blp.route("/batch")
class ReservationBatch(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ReservationBatchCreate)
    @blp.response(201, ReservationBatchSchema)
    def post(self, command):
        """Reserve a whole quote: every line or none (409 `insufficient_stock` names each short line)"""
        reserved = reservations.reserve_quote(unit_of_work(), caller(), command)
        return {"for_kind": command.for_kind, "for_reference": command.for_reference, "reservations": reserved}


@blp.route("/<string:number>")
class Reservation(MethodView):
    @requires_role(*READERS)
    @blp.response(200, ReservationSchema)
    def get(self, number):
        """One reservation"""
        with read_session() as session:
            return queries.reservation(session, number)


@blp.route("/<string:number>/release")
class ReleaseReservation(MethodView):
    @requires_role(*CLERKS)
    @blp.arguments(ReservationRelease)
    @blp.response(200, ReservationSchema)
    def post(self, command, number):
        """Give the reserved parts back"""
        return reservations.release(unit_of_work(), caller(), number, command)
