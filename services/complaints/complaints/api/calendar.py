"""`/api/v1/calendar`: the dealer's business calendar the SLA clocks count in."""

from __future__ import annotations

from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from complaints.api.roles import READERS, SUPERVISORS
from complaints.api.schemas import CalendarDay, CalendarSchema, CalendarUpdate
from complaints.queries import complaints as queries
from complaints.service import calendar

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar",
                description="The dealer's working hours, holidays and make-up working days (营业日历, 调休)")


@blp.route("")
class Calendar(MethodView):
    @requires_role(*READERS)
    @blp.response(200, CalendarSchema)
    def get(self):
        """The calendar SLA clocks count in (the default until the service manager sets one)"""
        with read_session() as session:
            return with_etag(queries.calendar(session, runtime().unit_of_work.rules.timezone))

    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(CalendarUpdate)
    @blp.response(200, CalendarSchema)
    def put(self, body, expected_version):
        """Replace the calendar; send If-Match with its ETag ("0" the first time)"""
        return with_etag(calendar.set_calendar(unit_of_work(), caller(), expected_version, **body))


@blp.route("/holidays/<day>")
class Holiday(MethodView):
    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(CalendarDay, location="path", as_kwargs=True)
    @blp.response(200, CalendarSchema)
    def put(self, day, expected_version):
        """Add one holiday, the rest of the calendar kept (already one: nothing changes)"""
        return with_etag(calendar.set_holiday(unit_of_work(), caller(), expected_version, day, on=True))

    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(CalendarDay, location="path", as_kwargs=True)
    @blp.response(200, CalendarSchema)
    def delete(self, day, expected_version):
        """Remove one holiday, the rest of the calendar kept (not one: nothing changes)"""
        return with_etag(calendar.set_holiday(unit_of_work(), caller(), expected_version, day, on=False))


@blp.route("/make-up-days/<day>")
class MakeUpDay(MethodView):
    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(CalendarDay, location="path", as_kwargs=True)
    @blp.response(200, CalendarSchema)
    def put(self, day, expected_version):
        """Add one make-up working day (调休), the rest of the calendar kept (already one: nothing changes)"""
        return with_etag(calendar.set_make_up_day(unit_of_work(), caller(), expected_version, day, on=True))

    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(CalendarDay, location="path", as_kwargs=True)
    @blp.response(200, CalendarSchema)
    def delete(self, day, expected_version):
        """Remove one make-up working day, the rest of the calendar kept (not one: nothing changes)"""
        return with_etag(calendar.set_make_up_day(unit_of_work(), caller(), expected_version, day, on=False))
