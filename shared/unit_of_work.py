"""One business transaction: the change, its events and its bookkeeping commit together.

A use case opens `with uow:`, loads through the repositories, calls the domain and then
`uow.commit()`. Leaving the block without committing rolls everything back. On commit the
unit of work takes the events of every aggregate the session touched and writes them to the
outbox in the same database transaction.

The caller may attach `claims`: rows written first thing in the transaction (the HTTP layer's
Idempotency-Key, a consumer's inbox row). A concurrent duplicate then waits on that row and
backs off when the first one commits, before it has changed anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from shared.db import Database, DealerScope
from shared.events import outbox as outbox_rows
from shared.events.outbox import Outbox

Clock = Callable[[], datetime]
Claim = Callable[[Session], None]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UnitOfWork:
    session: Session

    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        *,
        dealer: DealerScope,
        actor: str | None,
        correlation_id: str,
        clock: Clock = utc_now,
        local_zone: tzinfo = timezone.utc,
        rules: Any = None,
        claims: Sequence[Claim] = (),
    ):
        self._database = database
        self._outbox = outbox
        self._local_zone = local_zone
        # The service's configured business rules (thresholds, deadlines), built once at start.
        self.rules = rules
        self.dealer = dealer
        self.actor = actor
        self.correlation_id = correlation_id
        self._clock = clock
        self._claims = list(claims)
        self.committed = False

    def __enter__(self):
        self.session = self._database.session(self.dealer, write=True)
        if self.committed:
            return self  # the claims are already committed; a second block needs none
        try:
            for claim in self._claims:
                claim(self.session)
        except BaseException:
            self.session.rollback()
            self.session.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self.session.in_transaction():
                self.session.rollback()
        finally:
            self.session.close()

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        """The date at the dealers' location (Beijing's midnight, not UTC's)."""
        return self.now().astimezone(self._local_zone).date()

    def commit(self) -> None:
        raised = outbox_rows.collect(self.session)
        self.session.flush()  # new aggregates get their ids before events name them
        self._outbox.add(
            self.session,
            raised,
            at=self.now(),
            correlation_id=self.correlation_id,
            actor=self.actor,
        )
        self.session.commit()
        self.committed = True


class UnitOfWorkFactory:
    """Builds units of work of one service's class; the HTTP layer and consumers call it."""

    def __init__(
        self,
        cls: type[UnitOfWork],
        database: Database,
        outbox: Outbox,
        clock: Clock,
        local_zone: tzinfo = timezone.utc,
        rules: Any = None,
    ):
        self._cls = cls
        self.database = database
        self.outbox = outbox
        self.clock = clock
        self.local_zone = local_zone
        self.rules = rules

    def __call__(
        self,
        *,
        dealer: DealerScope,
        actor: str | None,
        correlation_id: str,
        claims: Sequence[Claim] = (),
    ) -> UnitOfWork:
        return self._cls(
            self.database,
            self.outbox,
            dealer=dealer,
            actor=actor,
            correlation_id=correlation_id,
            clock=self.clock,
            local_zone=self.local_zone,
            rules=self.rules,
            claims=claims,
        )
