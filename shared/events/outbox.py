"""The transactional outbox: events are rows written in the same commit as the change.

Positions are handed out in commit order. On PostgreSQL every transaction that writes events
takes one advisory lock just before it inserts them and holds it until it commits, so a
transaction with a higher position always commits after one with a lower position: a reader
of the feed that has seen position N will never later find a row below N. (SQLite allows one
writer at a time, which gives the same guarantee.) The lock is held only from the insert to
the commit, not while the use case runs.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.orm import Session

from shared import tracing
from shared.events import cloudevents
from shared.events.tables import outbox
from shared.model import Aggregate, Event

# Any constant works: each service has its own database.
_OUTBOX_LOCK = 0x6F7574626F78  # "outbox"


@dataclass(frozen=True)
class Raised:
    """An event and the aggregate that raised it, waiting for the commit."""

    event: Event
    aggregate: Aggregate

    @property
    def subject(self) -> str:
        return str(getattr(self.event, "subject", None) or self.aggregate.subject)

    @property
    def stream(self) -> str:
        # parts.stock.issued -> stock:<subject>; the sequence counts per stream.
        entity = self.event.type.split(".")[1] if self.event.type.count(".") >= 2 else self.event.type
        return f"{entity}:{self.subject}"


def collect(session: Session) -> list[Raised]:
    """Take the events of every aggregate this session has loaded or added."""
    raised: list[Raised] = []
    for record in [*session.new, *session.identity_map.values(), *session.deleted]:
        if isinstance(record, Aggregate) and record.events:
            raised.extend(Raised(event, record) for event in record.events)
            record.events.clear()
    return raised


class Outbox:
    def __init__(self, service: str, schema_base: str):
        self.source = cloudevents.source_of(service)
        self._schema_base = schema_base

    def add(
        self,
        session: Session,
        raised: Sequence[Raised],
        *,
        at: datetime,
        correlation_id: str,
        actor: str | None,
    ) -> list[dict]:
        if not raised:
            return []
        # Everything but the sequences is made before the lock: every writer of the service waits
        # for it, from here to its commit.
        envelopes = [self._envelope(item, at, correlation_id) for item in raised]
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(_LOCK, {"key": _OUTBOX_LOCK})
        last: dict[tuple[str, str], int] = {}
        rows = []
        for item, envelope in zip(raised, envelopes):
            key = (envelope["dealer"], item.stream)
            if key not in last:
                last[key] = connection.execute(_LAST_SEQUENCE, {"dealer": key[0], "stream": key[1]}).scalar() or 0
            last[key] += 1
            envelope["sequence"] = last[key]
            rows.append(
                {
                    "event_id": envelope["id"],
                    "type": envelope["type"],
                    "dealer": envelope["dealer"],
                    "stream": item.stream,
                    "sequence": envelope["sequence"],
                    "envelope": json.dumps(envelope, ensure_ascii=False, separators=(",", ":")),
                    "actor": actor,
                    "created_at": at,
                }
            )
        session.execute(insert(outbox), rows)
        return rows

    def _envelope(self, item: Raised, at: datetime, correlation_id: str) -> dict:
        envelope = cloudevents.envelope(
            item.event,
            event_id=str(uuid.uuid4()),
            source=self.source,
            subject=item.subject,
            dealer=item.aggregate.dealer,
            sequence=0,  # set under the lock
            time=at,
            correlation_id=correlation_id,
            schema_base=self._schema_base,
        )
        if traceparent := tracing.current_traceparent():  # only with tracing on
            envelope["traceparent"] = traceparent
        return envelope


# Built once, and run on the connection: through the session, the dealer-scoping hook would
# rebuild and re-key it on every commit, inside the lock.
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
_LAST_SEQUENCE = select(func.max(outbox.c.sequence)).where(
    outbox.c.dealer == bindparam("dealer"), outbox.c.stream == bindparam("stream")
)


@dataclass(frozen=True)
class FeedItem:
    position: int
    event: dict


def read_feed(session: Session, dealer: str, after: int, limit: int) -> list[FeedItem]:
    """One dealer's events in commit order, after a position the reader has already seen."""
    rows = session.execute(
        select(outbox.c.position, outbox.c.envelope)
        .where(outbox.c.dealer == dealer, outbox.c.position > after)
        .order_by(outbox.c.position)
        .limit(limit)
    )
    return [FeedItem(position, json.loads(envelope)) for position, envelope in rows]


@dataclass(frozen=True)
class Backlog:
    unpublished: int
    oldest_created_at: datetime | None

    def oldest_age_seconds(self, now: datetime) -> float:
        if self.oldest_created_at is None:
            return 0.0
        return max(0.0, (now - self.oldest_created_at).total_seconds())


def backlog(session: Session) -> Backlog:
    count, oldest = session.execute(
        select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
    ).one()
    return Backlog(unpublished=count, oldest_created_at=oldest)
