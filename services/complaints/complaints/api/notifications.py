"""`/api/v1/notifications`: what the service manager was told at once, for the console's badge and list."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.security import requires_role

from complaints.api.roles import SUPERVISORS
from complaints.api.schemas import NotificationPage, NotificationQuery, NotificationSchema, ReadAllSchema
from complaints.queries import notifications as queries
from complaints.service import notifications

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="Notifications to the service manager (通知): escalations and safety complaints")


@blp.route("")
class Notifications(MethodView):
    @requires_role(*SUPERVISORS)
    @blp.arguments(NotificationQuery, location="query")
    @blp.response(200, NotificationPage)
    def get(self, query):
        """The dealer's notifications, newest first, with how many are unread"""
        with read_session() as session:
            return queries.notifications(session, unread_only=query["unread"], cursor=query["cursor"],
                                         limit=query["limit"])


@blp.route("/<notification_id>/read")
class NotificationRead(MethodView):
    @requires_role(*SUPERVISORS)
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Mark it read (reading it again keeps the first reading)"""
        return notifications.read(unit_of_work(), caller(), notification_id)


@blp.route("/read-all")
class NotificationsReadAll(MethodView):
    @requires_role(*SUPERVISORS)
    @blp.response(200, ReadAllSchema)
    def post(self):
        """Mark every unread notification read"""
        marked = notifications.read_all(unit_of_work(), caller())
        with read_session() as session:
            return {"marked": marked, "unread": queries.unread(session)}
