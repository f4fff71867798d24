"""`/api/v1/notification-channels`: where the dealer's notifications go besides the console."""

from __future__ import annotations

from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import requires_if_match, with_etag
from shared.http.security import requires_role

from complaints.api.roles import SUPERVISORS
from complaints.api.schemas import NotificationChannelsSchema, NotificationChannelsUpdate
from complaints.queries import notifications as queries
from complaints.service import notifications

blp = Blueprint("notification_channels", __name__, url_prefix="/api/v1/notification-channels",
                description="E-mail recipients and a WeCom / DingTalk group bot for notifications")


def _shown():
    with read_session() as session:
        return with_etag(queries.channels(session))


@blp.route("")
class NotificationChannels(MethodView):
    @requires_role(*SUPERVISORS)
    @blp.response(200, NotificationChannelsSchema)
    def get(self):
        """The e-mail recipients and group bot (none until the service manager sets them)"""
        return _shown()

    @requires_role(*SUPERVISORS)
    @requires_if_match
    @blp.arguments(NotificationChannelsUpdate)
    @blp.response(200, NotificationChannelsSchema)
    def put(self, body, expected_version):
        """Replace the channels; notifications already raised keep theirs. If-Match with its ETag ("0" the first
        time)"""
        notifications.set_channels(unit_of_work(), caller(), expected_version, **body)
        return _shown()
