"""Every error leaves as RFC 9457 problem details (`application/problem+json`).

Domain errors carry their own status and code. Werkzeug's HTTP errors (404, 405, 413, a body
that is not JSON) and webargs' validation errors (422 with `errors` per field) are mapped
here. A database that cannot be reached (down, refusing connections, the connection dropped)
is an outage, not a bug: 503 `unavailable` with `Retry-After`, so clients and load balancers
retry, and the service answers again by itself once the database is back. A transaction the
database gave up so that another could go on (a deadlock, a serialization failure), or one
that could not get a row's lock in time, is a transient conflict: 409 `conflicting_write`
with `Retry-After`. Anything else unexpected becomes a 500 that names the correlation id and
hides the trace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import marshmallow as ma
import structlog
from flask import Response, g
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from shared.errors import DomainError

log = structlog.get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
# What the drivers raise when the database cannot be reached, among other things.
DATABASE_FAILURES = (OperationalError, DisconnectionError, InterfaceError)
RETRY_AFTER_SECONDS = 5
# SQLSTATEs of a transaction the database rolled back so that a concurrent one could go on,
# or that gave up waiting for a lock a concurrent one held (lock_timeout, NOWAIT).
TRANSIENT_SQLSTATES = {
    "40P01": "deadlock detected",
    "40001": "serialization failure",
    "55P03": "lock not available",
}
TRANSIENT_RETRY_AFTER_SECONDS = 1

_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "stale_version",
    413: "payload_too_large",
    415: "unsupported_media_type",
    417: "expectation_failed",
    422: "validation_failed",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
}


class ProblemSchema(ma.Schema):
    """Documents the error body; responses are built by `problem()`. Like RFC 9457, it allows
    extension members (the context of a domain error, such as `part_number`)."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(metadata={"description": "URI reference naming the problem type"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    code = ma.fields.String(metadata={"description": "stable machine-readable code"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "422 only: messages per field (dotted path for nested fields)"},
    )
    correlation_id = ma.fields.String()


def code_for(status: int) -> str:
    """The code of a problem that has no more specific one."""
    return _CODES.get(status, "error")


def problem(status: int, title: str, detail: str | None = None, code: str | None = None,
            headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None) -> Response:
    code = code or code_for(status)
    body = {"type": f"/problems/{code}", "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in (extra or {}).items() if v is not None and k not in body})
    correlation_id = getattr(g, "correlation_id", None)
    if correlation_id:
        body["correlation_id"] = correlation_id
    response = Response(
        json.dumps(body, ensure_ascii=False, default=str), status=status, mimetype=PROBLEM_JSON
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_domain_error(error: DomainError) -> Response:
    extra = dict(error.context)
    if error.status == 422 and "field" in extra:
        extra["errors"] = {str(extra["field"]): [error.detail]}
    return problem(error.status, error.title, error.detail, error.code, extra=extra)


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    data = getattr(error, "data", None) or {}
    headers.update(data.get("headers") or {})
    messages = data.get("messages")
    if status == 422 and messages:
        errors = _flatten(messages)
        return problem(422, "Validation failed", _summary(errors), "validation_failed",
                       headers=headers, extra={"errors": errors})
    if status == 400 and messages:
        # webargs reports a body that is not JSON as 400 {"json": ["Invalid JSON body."]}
        return problem(400, "Malformed request body", "the body is not valid JSON",
                       "malformed_json", headers=headers)
    detail = data.get("message") or error.description
    return problem(status, error.name, detail, headers=headers)


def from_database_refusal(error: Exception) -> Response:
    """A value the database would not store. Validation should have caught it: log it as ours,
    but answer as bad input, never as a 500, and with nothing applied (the unit of work rolled
    back)."""
    log.warning("http.database_refused_value", error=str(error).splitlines()[0])
    if isinstance(error, (IntegrityError, StaleDataError)):
        return problem(409, "Conflict", "the change conflicts with data stored meanwhile; reload and retry",
                       "conflicting_write")
    return problem(422, "Value out of range", "a value is too long or too large to be stored",
                   "value_out_of_range")


def from_database_failure(ping: Callable[[], None]) -> Callable[[Exception], Response]:
    """The drivers raise one class for a database that is gone and for a deadlock, a timeout or
    a missing table. A deadlock, a serialization failure or a lock timeout says so by its
    SQLSTATE (409, see `from_transient_conflict`); otherwise only a failed ping after the error
    makes it an outage (503). A connection that broke during COMMIT may have applied the
    change; a retry with the same Idempotency-Key is safe either way."""

    def handle(error: Exception) -> Response:
        if _sqlstate(error) in TRANSIENT_SQLSTATES:
            return from_transient_conflict(error)
        try:
            ping()
        except Exception:
            log.warning("http.database_unavailable", error=str(error).splitlines()[0])
            return problem(503, "Service unavailable", "the database is unreachable; retry shortly",
                           "unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return from_unexpected(error)

    return handle


def from_transient_conflict(error: Exception) -> Response:
    """A deadlock, a serialization failure or a lock not had in time: the database gave up on
    this request so that a concurrent one could finish (and the unit of work rolled back).
    Nothing was applied, and the same request is likely to succeed when made again: 409 with
    `Retry-After`, not a 500. A retry with the same Idempotency-Key is safe (the key was not
    kept either)."""
    sqlstate = _sqlstate(error)
    log.warning("http.transient_conflict", sqlstate=sqlstate, reason=TRANSIENT_SQLSTATES[sqlstate],
                error=str(error).splitlines()[0])
    return problem(409, "Conflict",
                   "another request was changing the same records at the same moment; nothing was applied, "
                   "retry shortly", "conflicting_write",
                   headers={"Retry-After": str(TRANSIENT_RETRY_AFTER_SECONDS)})


def _sqlstate(error: Exception) -> str | None:
    """The SQLSTATE the database answered with, when the driver says (psycopg does)."""
    return getattr(getattr(error, "orig", None), "sqlstate", None)


def from_unexpected(error: Exception) -> Response:
    log.error("http.unhandled_exception", error=repr(error), exc_info=error)
    return problem(500, "Internal server error",
                   "something went wrong on our side; quote the correlation_id when reporting it")


def _flatten(messages: dict) -> dict[str, list[str]]:
    """{"json": {"lines": {0: {"qty": [...]}}}} -> {"lines.0.qty": [...]}; location dropped."""
    flat: dict[str, list[str]] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list) and all(isinstance(m, str) for m in node):
            flat.setdefault(path or "_body", []).extend(node)
        else:
            flat.setdefault(path or "_body", []).append(str(node))

    for location_messages in messages.values():
        walk(location_messages, "")
    return flat


def _summary(errors: dict[str, list[str]]) -> str:
    fields = ", ".join(sorted(errors))
    return f"invalid fields: {fields}"
