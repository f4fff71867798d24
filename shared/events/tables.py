"""Tables every service database has for the event bus and HTTP plumbing.

They live in their own MetaData because they are the same in every service; each service's
Alembic environment includes it, and each service's first migration creates them through
`shared.migrations`.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from shared.db import UtcDateTime, service_metadata

plumbing = service_metadata()

# BIGINT on PostgreSQL; SQLite only auto-increments a column declared INTEGER.
Position = BigInteger().with_variant(Integer(), "sqlite")

outbox = Table(
    "outbox",
    plumbing,
    Column("position", Position, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("type", String(120), nullable=False),
    Column("dealer", String(32), nullable=False),
    Column("stream", String(240), nullable=False),
    Column("sequence", BigInteger, nullable=False),
    # The CloudEvent exactly as it is published and served by the feed.
    Column("envelope", Text, nullable=False),
    Column("actor", String(200), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("published_at", UtcDateTime(), nullable=True),
    sqlite_autoincrement=True,
)
Index(
    "ix_outbox_unpublished",
    outbox.c.position,
    postgresql_where=outbox.c.published_at.is_(None),
    sqlite_where=outbox.c.published_at.is_(None),
)
Index("ix_outbox_dealer_position", outbox.c.dealer, outbox.c.position)
# Also proves the per-entity sequence is never handed out twice.
Index("ix_outbox_stream_sequence", outbox.c.dealer, outbox.c.stream, outbox.c.sequence, unique=True)

inbox = Table(
    "inbox",
    plumbing,
    Column("handler", String(200), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("event_type", String(120), nullable=False),
    Column("processed_at", UtcDateTime(), nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    plumbing,
    Column("dealer", String(32), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response_headers", Text, nullable=True),
    Column("response_body", LargeBinary, nullable=True),
)
