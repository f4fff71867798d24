"""What a view needs from the running service, reached through Flask's app and request context.

`build_app` stores one `Runtime` per app; a view asks for `caller()`, a `unit_of_work()` for
that caller, or a `read_session()` for a query. Nothing here is global: it all hangs off the
app object created by `create_app()`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy.orm import Session

from shared.auth import Caller, TokenVerifier
from shared.config import Settings
from shared.db import Database
from shared.events.consumer import Subscription
from shared.unit_of_work import Claim, UnitOfWork, UnitOfWorkFactory

EXTENSION = "aftersales"


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    database: Database
    unit_of_work: UnitOfWorkFactory
    verifier: TokenVerifier
    subscriptions: Sequence[Subscription] = ()  # this service's handlers, for their dead letters


def runtime() -> Runtime:
    return current_app.extensions[EXTENSION]


def caller() -> Caller:
    return g.caller


def correlation_id() -> str:
    return g.correlation_id


def claim_first(claim: Claim) -> None:
    """Have this request's unit of work write `claim` first in its transaction. Request hooks
    (the Idempotency-Key's) add theirs here, so this module needs to know none of them."""
    g.setdefault("claims", []).append(claim)


def unit_of_work() -> UnitOfWork:
    """A unit of work for the authenticated caller's dealer, carrying this request's
    correlation id and its claims (for a POST with an Idempotency-Key, the key's record)."""
    who = caller()
    return runtime().unit_of_work(
        dealer=who.dealer,
        actor=who.sub,
        correlation_id=correlation_id(),
        claims=g.get("claims", []),
    )


@contextmanager
def read_session() -> Iterator[Session]:
    with runtime().database.reading(caller().dealer) as session:
        yield session
