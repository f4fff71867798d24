"""Idempotency-Key for POST: a retry with the same key replays the first response.

The key is recorded in the same transaction as the change it protects (a claim of the
request's unit of work, written first), so either both exist or neither does. Two concurrent
requests with one key cannot both apply: the second one's insert waits on the first one's row
and, once that commits, gives up with 409 `idempotency_key_in_use` before changing anything. After the commit the
response is stored on the key's row; later retries get it back with `Idempotent-Replayed:
true`. A key reused with a different body or path is refused with 422. Requests that commit
nothing (a validation error, a read such as an availability check) leave no record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

import structlog
from flask import Response, g, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared.db import insert_unless_present
from shared.errors import Conflict, RuleViolation
from shared.events.tables import idempotency_keys
from shared.http.context import caller, claim_first, runtime

HEADER = "Idempotency-Key"
_REPLAYED_HEADERS = ("Content-Type", "ETag", "Location")
# A first request that committed but whose response was never stored (its worker died) is
# older than any request can run; after this it is reported as such, not as "in use".
_RESPONSE_LOST_AFTER = timedelta(minutes=2)

log = structlog.get_logger(__name__)


class KeyInUse(Conflict):
    code = "idempotency_key_in_use"


class KeyReused(RuleViolation):
    code = "idempotency_key_reused"


class ResponseLost(Conflict):
    code = "idempotency_key_response_lost"


@dataclass
class _Claim:
    dealer: str
    key: str
    request_hash: str
    recorded: bool = False

    def record(self, session: Session) -> None:
        """Written first in the request's unit of work: a concurrent duplicate waits on this row."""
        inserted = insert_unless_present(
            session,
            idempotency_keys,
            {
                "dealer": self.dealer,
                "key": self.key,
                "request_hash": self.request_hash,
                "created_at": runtime().unit_of_work.clock(),
            },
        )
        if not inserted:
            raise KeyInUse("another request with this Idempotency-Key got there first; retry to see its result")
        self.recorded = True


def replay_or_claim() -> Response | None:
    """Before the view: replay a finished request, or note the key for the unit of work."""
    if request.method != "POST" or HEADER not in request.headers or "caller" not in g:
        return None
    key = request.headers[HEADER].strip()
    if not 1 <= len(key) <= 200:
        raise RuleViolation("Idempotency-Key must be 1 to 200 characters", field=HEADER)
    claim = _Claim(dealer=caller().dealer, key=key, request_hash=_request_hash())
    with runtime().database.engine.connect() as connection:
        row = connection.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.dealer == claim.dealer, idempotency_keys.c.key == key
            )
        ).first()
    if row is None:
        g.idempotency = claim
        claim_first(claim.record)
        return None
    if row.request_hash != claim.request_hash:
        raise KeyReused(
            "this Idempotency-Key was used for a different request; use a new key",
            field=HEADER,
        )
    if row.status_code is None:
        if runtime().unit_of_work.clock() - row.created_at > _RESPONSE_LOST_AFTER:
            raise ResponseLost(
                "the first request with this Idempotency-Key was applied, but its response was "
                "not kept; read the resource to see the result instead of retrying"
            )
        raise KeyInUse("a request with this Idempotency-Key is still being processed; retry shortly")
    response = Response(row.response_body, status=row.status_code)
    response.headers.update(json.loads(row.response_headers))
    response.headers["Idempotent-Replayed"] = "true"
    return response


def store_response(response: Response) -> Response:
    """After the view: keep the response of a request whose change was committed."""
    claim: _Claim | None = g.get("idempotency")
    if claim is None or not claim.recorded or response.status_code >= 500:
        return response
    headers = {h: response.headers[h] for h in _REPLAYED_HEADERS if h in response.headers}
    try:
        with runtime().database.writing() as connection:
            connection.execute(
                update(idempotency_keys)
                .where(idempotency_keys.c.dealer == claim.dealer, idempotency_keys.c.key == claim.key)
                .values(
                    status_code=response.status_code,
                    response_headers=json.dumps(headers),
                    response_body=response.get_data(),
                )
            )
    except Exception:  # the change is committed: the caller must still hear that it worked
        log.error("idempotency.response_not_stored", key=claim.key, exc_info=True)
    return response


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.full_path.encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()
