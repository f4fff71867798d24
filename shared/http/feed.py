"""`GET /api/v1/events?after=&limit=`: this service's events in commit order.

A subscriber that was offline, or a new one, reads from the last position it saw. Positions
only grow, and a position is never filled in later behind one already served (see
`shared.events.outbox`), so `after=<last position seen>` misses nothing. Each dealer sees only
its own events.
"""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.events.outbox import read_feed
from shared.http.context import caller, read_session
from shared.http.security import requires_role

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/api/v1/events",
    description="This service's events in commit order, for subscribers catching up.",
)


class FeedQuery(ma.Schema):
    after = ma.fields.Integer(
        load_default=0, validate=ma.validate.Range(min=0, max=2**63 - 1),
        metadata={"description": "the last position you have seen (0 for the beginning)"},
    )
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(1, 1000))


class FeedItemSchema(ma.Schema):
    position = ma.fields.Integer(required=True)
    event = ma.fields.Dict(required=True, metadata={"description": "the CloudEvent as published"})


class FeedPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FeedItemSchema), required=True)
    next_after = ma.fields.Integer(
        required=True, metadata={"description": "pass as `after` to read on (unchanged when empty)"}
    )


@blp.route("")
class Events(MethodView):
    @requires_role("integration", "service_manager")
    @blp.arguments(FeedQuery, location="query")
    @blp.response(200, FeedPageSchema)
    def get(self, query):
        with read_session() as session:
            items = read_feed(session, caller().dealer, query["after"], query["limit"])
        return {"items": items, "next_after": items[-1].position if items else query["after"]}
