"""A deadlock, a serialization failure or a lock not had in time is a conflict to retry (409
`conflicting_write`, `Retry-After: 1`), never a 500, and leaves nothing applied. PostgreSQL
only: SQLite has one writer at a time and none of these errors."""

from __future__ import annotations

import dataclasses
import logging
import threading

import marshmallow as ma
import pytest
from flask import current_app
from flask.views import MethodView
from sqlalchemy import func, select, text

from shared.auth import mint
from shared.db import ALL_DEALERS
from shared.events.tables import idempotency_keys, outbox
from shared.http.blueprint import Blueprint
from shared.http.context import unit_of_work
from shared.http.security import requires_role
from shared.tests.widgets import WIDGETS_WITH_API, Widget, WidgetSchema, WidgetsUnitOfWork
from shared.tests.widgets import blp as widgets_blp

pairs = Blueprint("widget_pairs", __name__, url_prefix="/api/v1/widget-pairs")


class PairPaint(ma.Schema):
    first = ma.fields.String(required=True)
    second = ma.fields.String(required=True)
    colour = ma.fields.String(required=True)


class PairSchema(ma.Schema):
    widgets = ma.fields.List(ma.fields.Nested(WidgetSchema))


def paint_pair(uow: WidgetsUnitOfWork, first: str, second: str, colour: str, between_locks) -> list[Widget]:
    """Lock two widgets in the order asked (deliberately not a stable order) and paint both."""
    with uow:
        one = uow.widgets.get_for_update(first)
        between_locks(uow)
        other = uow.widgets.get_for_update(second)
        one.paint(colour)
        other.paint(colour)
        uow.commit()
    return [one, other]


@pairs.route("")
class Pairs(MethodView):
    @requires_role("parts_clerk")
    @pairs.arguments(PairPaint)
    @pairs.response(200, PairSchema)
    def post(self, body):
        return {"widgets": paint_pair(unit_of_work(), **body, between_locks=current_app.config["BETWEEN_LOCKS"])}


PAIRS = dataclasses.replace(WIDGETS_WITH_API, blueprints=lambda: (widgets_blp, pairs))


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def events(self, level: int) -> list[dict]:
        return [r.msg for r in self.records if r.levelno == level and isinstance(r.msg, dict)]


@pytest.fixture
def pairs_app(real_infra):
    settings = real_infra.settings(PAIRS)
    app = PAIRS.create_app(settings)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["BETWEEN_LOCKS"] = lambda uow: None
    headers = {"Authorization": "Bearer " + mint(settings.jwt_secret, "alice", "D001", ["parts_clerk"])}
    client = app.test_client()
    for code in ("W-1", "W-2"):
        assert client.post("/api/v1/widgets", json={"code": code, "colour": "red"}, headers=headers).status_code == 201
    records = _Records()
    logger = logging.getLogger("shared.http.problems")
    logger.addHandler(records)
    try:
        yield app, headers, records
    finally:
        logger.removeHandler(records)


def _colours(app) -> dict[str, str]:
    with app.extensions["aftersales"].database.reading(ALL_DEALERS) as session:
        return dict(session.execute(select(Widget.code, Widget.colour)).all())


def _count(app, table, *where) -> int:
    with app.extensions["aftersales"].database.reading(ALL_DEALERS) as session:
        return session.scalar(select(func.count()).select_from(table).where(*where))


def _painted(app) -> int:
    return _count(app, outbox, outbox.c.type == "widgets.widget.painted")


def test_a_deadlock_is_a_409_to_retry_with_nothing_applied_and_the_retry_succeeds(pairs_app):
    app, headers, records = pairs_app
    both_hold_one = threading.Barrier(2)
    app.config["BETWEEN_LOCKS"] = lambda uow: both_hold_one.wait(timeout=60)
    asks = {"blue": ("W-1", "W-2"), "green": ("W-2", "W-1")}  # opposite orders: a real deadlock
    answers: dict[str, object] = {}

    def paint(colour: str) -> None:
        first, second = asks[colour]
        answers[colour] = app.test_client().post(
            "/api/v1/widget-pairs", json={"first": first, "second": second, "colour": colour},
            headers={**headers, "Idempotency-Key": f"pair-{colour}"})

    threads = [threading.Thread(target=paint, args=(colour,)) for colour in asks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(a.status_code for a in answers.values()) == [200, 409], {
        c: a.get_data(as_text=True) for c, a in answers.items()}
    [winner] = [c for c, a in answers.items() if a.status_code == 200]
    [loser] = [c for c, a in answers.items() if a.status_code == 409]
    refused = answers[loser]
    body = refused.get_json()
    assert refused.mimetype == "application/problem+json"
    assert (body["status"], body["code"], body["type"]) == (409, "conflicting_write", "/problems/conflicting_write")
    assert refused.headers["Retry-After"] == "1"
    assert body["correlation_id"] == refused.headers["X-Request-ID"]
    assert "Traceback" not in refused.get_data(as_text=True) and "deadlock" not in body["detail"]
    # The loser changed nothing: both widgets have the winner's colour, and only its events exist.
    assert _colours(app) == {"W-1": winner, "W-2": winner}
    assert _painted(app) == 2
    assert _count(app, idempotency_keys, idempotency_keys.c.key == f"pair-{loser}") == 0
    [logged] = records.events(logging.WARNING)
    assert (logged["event"], logged["sqlstate"]) == ("http.transient_conflict", "40P01")
    assert records.events(logging.ERROR) == []

    app.config["BETWEEN_LOCKS"] = lambda uow: None
    first, second = asks[loser]
    retry = {"json": {"first": first, "second": second, "colour": loser},
             "headers": {**headers, "Idempotency-Key": f"pair-{loser}"}}
    again = app.test_client().post("/api/v1/widget-pairs", **retry)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert _colours(app) == {"W-1": loser, "W-2": loser}
    replayed = app.test_client().post("/api/v1/widget-pairs", **retry)
    assert replayed.headers["Idempotent-Replayed"] == "true" and replayed.get_json() == again.get_json()
    assert _painted(app) == 4


@pytest.mark.parametrize(("errcode", "status", "code"), [
    ("serialization_failure", 409, "conflicting_write"),  # 40001
    ("deadlock_detected", 409, "conflicting_write"),  # 40P01
    ("lock_not_available", 409, "conflicting_write"),  # 55P03
    ("raise_exception", 500, "internal_error"),  # P0001: any other database error is still a bug
])
def test_the_database_error_s_sqlstate_decides_whether_to_retry(pairs_app, errcode, status, code):
    app, headers, records = pairs_app

    def fail(uow):  # a real psycopg error, raised by PostgreSQL itself, halfway through the change
        uow.session.execute(text(f"DO $$ BEGIN RAISE EXCEPTION 'as if' USING ERRCODE = '{errcode}'; END $$"))

    app.config["BETWEEN_LOCKS"] = fail
    response = app.test_client().post("/api/v1/widget-pairs", json={"first": "W-1", "second": "W-2", "colour": "blue"},
                                      headers={**headers, "Idempotency-Key": "pair-1"})

    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json()["code"] == code
    assert ("Retry-After" in response.headers) == (status == 409)
    assert _colours(app) == {"W-1": "red", "W-2": "red"} and _painted(app) == 0
    assert _count(app, idempotency_keys) == 0


def test_a_lock_not_had_in_time_is_a_409_to_retry_with_nothing_applied(pairs_app):
    app, headers, records = pairs_app
    database = app.extensions["aftersales"].database
    with database.engine.connect() as holder:  # another transaction holds W-2's row
        holder.execute(text("SELECT 1 FROM widgets WHERE code = 'W-2' FOR UPDATE"))

        def give_up_soon(uow):  # as a deployment's lock_timeout would
            uow.session.execute(text("SET LOCAL lock_timeout = '200ms'"))

        app.config["BETWEEN_LOCKS"] = give_up_soon
        response = app.test_client().post("/api/v1/widget-pairs",
                                          json={"first": "W-1", "second": "W-2", "colour": "blue"},
                                          headers={**headers, "Idempotency-Key": "pair-locked"})
        holder.rollback()

    body = response.get_json()
    assert (response.status_code, body["code"], response.headers["Retry-After"]) == (409, "conflicting_write", "1")
    [logged] = records.events(logging.WARNING)
    assert (logged["event"], logged["sqlstate"], logged["reason"]) == (
        "http.transient_conflict", "55P03", "lock not available")
    assert _colours(app) == {"W-1": "red", "W-2": "red"} and _painted(app) == 0
    assert _count(app, idempotency_keys, idempotency_keys.c.key == "pair-locked") == 0
