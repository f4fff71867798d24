"""`/api/v1/admin/dead-letters`: the `dead-letters` command of every service, over HTTP.

An operator without a shell in the service lists the messages a handler gave up on, reads one,
and once the cause is fixed replays it (or all of one handler's). Each operation calls the same
`shared.events.dead_letters` function as `python -m <service> dead-letters`, so the guarantees
are the command's: listing moves nothing, a replay goes to that handler's own queue only and
leaves the dead-letter queue once the broker confirmed the copy, and the handler's inbox still
keeps it from being applied twice. Dead letters belong to no dealer, so only `admin` may see them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import marshmallow as ma
from amqp.exceptions import ConnectionError as AmqpConnectionError
from flask.views import MethodView
from kombu.exceptions import OperationalError

from shared.errors import NotFound, RuleViolation
from shared.events import dead_letters
from shared.events.consumer import Subscription
from shared.http.blueprint import Blueprint
from shared.http.context import runtime
from shared.http.problems import RETRY_AFTER_SECONDS, problem
from shared.http.security import requires_role

# What kombu and py-amqp raise when the broker cannot be reached or drops the connection.
BROKER_FAILURES = (OSError, AmqpConnectionError, OperationalError)

blp = Blueprint(
    "dead-letters",
    __name__,
    url_prefix="/api/v1/admin/dead-letters",
    description="Messages a handler gave up on: list, read and replay them once the cause is fixed.",
)


class BrokerUnreachable(Exception):
    """The broker holds the dead letters; without it there is nothing to show or replay."""


class UnknownHandler(RuleViolation):
    code = "unknown_handler"

    def __init__(self, handler: str, known: list[str]):
        super().__init__(f"no handler {handler}; this service has: {', '.join(known) or 'none'}",
                         field="handler")


class DeadLetterNotFound(NotFound):
    code = "dead_letter_not_found"

    def __init__(self, event_id: str):
        super().__init__(f"no dead letter with event id {event_id}", event_id=event_id)


class DeadLetterQuery(ma.Schema):
    handler = ma.fields.String(
        validate=ma.validate.Length(1, 200),
        metadata={"description": "only this handler's queue (default: every handler)"})
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(1, 1000),
                              metadata={"description": "at most this many per handler, oldest first"})


class ReplayAll(ma.Schema):
    handler = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    limit = ma.fields.Integer(load_default=100, validate=ma.validate.Range(1, 1000))


class DeadLetterSchema(ma.Schema):
    handler = ma.fields.String(required=True, metadata={"description": "also the queue's name"})
    event_id = ma.fields.String(allow_none=True)
    event_type = ma.fields.String(allow_none=True)
    subject = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True, metadata={
        "description": "failed, rejected, malformed_event, invalid_data, unexpected_type, "
                       "unsupported_version, or the broker's own (delivery_limit)"})
    error = ma.fields.String(allow_none=True)
    attempts = ma.fields.Integer(allow_none=True)
    dead_lettered_at = ma.fields.String(allow_none=True)


class DeadLetterEnvelopeSchema(DeadLetterSchema):
    body = ma.fields.Raw(metadata={"description": "the CloudEvent as JSON, or the raw text if it is not JSON"})


class DeadLetterListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeadLetterSchema), required=True)


class DeadLetterEnvelopesSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DeadLetterEnvelopeSchema), required=True, metadata={
        "description": "one per handler that gave up on the event"})


@blp.route("")
class DeadLetters(MethodView):
    @requires_role("admin")
    @blp.arguments(DeadLetterQuery, location="query")
    @blp.response(200, DeadLetterListSchema)
    @blp.alt_response(503, "SERVICE_UNAVAILABLE")
    def get(self, query):
        with broker_reached():
            found = dead_letters.peek(runtime().settings, _subscriptions(query.get("handler")), query["limit"])
        return {"items": found}


@blp.route("/<string:event_id>")
class OneDeadLetter(MethodView):
    @requires_role("admin")
    @blp.arguments(DeadLetterQuery(only=("handler",)), location="query")
    @blp.response(200, DeadLetterEnvelopesSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(503, "SERVICE_UNAVAILABLE")
    def get(self, query, event_id):
        with broker_reached():
            found = dead_letters.peek(runtime().settings, _subscriptions(query.get("handler")), limit=None)
        return {"items": _only(event_id, [letter for letter in found if letter.event_id == event_id])}


@blp.route("/<string:event_id>/replay")
class ReplayOne(MethodView):
    @requires_role("admin")
    @blp.arguments(DeadLetterQuery(only=("handler",)), location="query")
    @blp.response(200, DeadLetterEnvelopesSchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(503, "SERVICE_UNAVAILABLE")
    def post(self, query, event_id):
        with broker_reached():
            replayed = dead_letters.replay(runtime().settings, _subscriptions(query.get("handler")),
                                           event_ids={event_id})
        return {"items": _only(event_id, replayed)}


@blp.route("/replay")
class ReplayAllOfOneHandler(MethodView):
    @requires_role("admin")
    @blp.arguments(ReplayAll)
    @blp.response(200, DeadLetterEnvelopesSchema)
    @blp.alt_response(503, "SERVICE_UNAVAILABLE")
    def post(self, body):
        with broker_reached():
            replayed = dead_letters.replay(runtime().settings, _subscriptions(body["handler"]), limit=body["limit"])
        return {"items": replayed}


@blp.app_errorhandler(BrokerUnreachable)
def unavailable(_error: BrokerUnreachable):
    return problem(503, "Service unavailable", "the broker is unreachable; retry shortly", "unavailable",
                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@contextmanager
def broker_reached() -> Iterator[None]:
    try:
        yield
    except BROKER_FAILURES as exc:
        raise BrokerUnreachable() from exc


def _subscriptions(handler: str | None) -> list[Subscription]:
    every = runtime().subscriptions
    if handler is None:
        return list(every)
    chosen = [s for s in every if s.name == handler]
    if not chosen:
        raise UnknownHandler(handler, [s.name for s in every])
    return chosen


def _only(event_id: str, letters: list) -> list:
    if not letters:
        raise DeadLetterNotFound(event_id)
    return letters
