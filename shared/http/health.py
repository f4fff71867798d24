"""Health: `/health/live` says the process answers; `/health/ready` says it can take traffic.

Ready checks the database (a query), the broker (a connection, remembered for a few seconds
so probes do not hammer it) and the outbox (the oldest unpublished event is younger than
`outbox_stuck_after_seconds`). Only an unreachable database makes it 503 problem details,
with `Retry-After` as writes have then: with the broker down the service still takes every
write and the outbox keeps the events, which is the point of the outbox, so an orchestrator
must not take it out of rotation. A down broker or a stuck outbox shows as
`"status": "degraded"` and in the metrics, for alerting.
Error details go to the log, not to the (unauthenticated) caller.
"""

from __future__ import annotations

import threading
import time

import structlog
from flask import Blueprint, jsonify

from shared.db import ALL_DEALERS
from shared.events import broker
from shared.events.outbox import backlog
from shared.http.context import runtime
from shared.http.problems import RETRY_AFTER_SECONDS, problem

log = structlog.get_logger(__name__)
_BROKER_CHECK_TTL = 5.0


class BrokerProbe:
    """Connects to the broker at most once per few seconds per process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._result: dict = {}

    def check(self, settings) -> dict:
        with self._lock:
            if time.monotonic() - self._checked_at > _BROKER_CHECK_TTL:
                self._result = _probe_broker(settings)
                self._checked_at = time.monotonic()
            return self._result


def _probe_broker(settings) -> dict:
    try:
        with broker.connect(settings) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as exc:
        log.warning("health.broker_unreachable", error=repr(exc))
        return {"ok": False, "error": "unreachable"}


def blueprint(probe: BrokerProbe) -> Blueprint:
    health = Blueprint("health", __name__, url_prefix="/health")

    @health.get("/live")
    def live():
        return jsonify(status="ok")

    @health.get("/ready")
    def ready():
        rt = runtime()
        database = _check_database(rt)
        checks = {
            "database": database,
            "broker": probe.check(rt.settings),
            "outbox": _check_outbox(rt) if database["ok"] else {"ok": False, "error": "unknown"},
        }
        if not database["ok"]:
            return problem(503, "Service unavailable", "the database is unreachable", "not_ready",
                           headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, extra={"checks": checks})
        status = "ok" if all(check["ok"] for check in checks.values()) else "degraded"
        return jsonify(status=status, checks=checks)

    return health


def _check_database(rt) -> dict:
    try:
        rt.database.ping()
        return {"ok": True}
    except Exception as exc:
        log.warning("health.database_unreachable", error=str(exc).splitlines()[0])
        return {"ok": False, "error": "unreachable"}


def _check_outbox(rt) -> dict:
    with rt.database.reading(ALL_DEALERS) as session:
        pending = backlog(session)
    age = pending.oldest_age_seconds(rt.unit_of_work.clock())
    return {
        "ok": age <= rt.settings.outbox_stuck_after_seconds,
        "unpublished": pending.unpublished,
        "oldest_unpublished_age_seconds": round(age, 1),
    }
