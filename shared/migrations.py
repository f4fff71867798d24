"""Schema steps for the shared plumbing tables, called from each service's own migrations.

Each function is a frozen step: once a service migration calls it, it never changes. A later
change to these tables is a new function that services call from a new migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_plumbing_tables_v1() -> None:
    position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "outbox",
        sa.Column("position", position, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(120), nullable=False),
        sa.Column("dealer", sa.String(32), nullable=False),
        sa.Column("stream", sa.String(240), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("position", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["position"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )
    op.create_index("ix_outbox_dealer_position", "outbox", ["dealer", "position"])
    op.create_index(
        "ix_outbox_stream_sequence", "outbox", ["dealer", "stream", "sequence"], unique=True
    )
    op.create_table(
        "inbox",
        sa.Column("handler", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(120), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("handler", "event_id", name="pk_inbox"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("dealer", sa.String(32), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_headers", sa.Text(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("dealer", "key", name="pk_idempotency_keys"),
    )


def drop_plumbing_tables_v1() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("inbox")
    op.drop_index("ix_outbox_stream_sequence", table_name="outbox")
    op.drop_index("ix_outbox_dealer_position", table_name="outbox")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")


def run_environment(context, metadata, service: str) -> None:
    """The body of every service's `migrations/env.py`.

    The URL comes from the caller (`Service.migrate` puts it in the config's attributes) or
    else from the service's environment variable, never from alembic.ini.
    """
    from shared.config import Settings
    from shared.db import Database
    from shared.events.tables import plumbing

    url = context.config.attributes.get("database_url") or Settings.from_env(service).database_url
    targets = [metadata, plumbing]
    sqlite = url.startswith("sqlite")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=targets, literal_binds=True, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
        return
    database = Database(url, pool_size=1, max_overflow=0)
    try:
        with database.engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=targets,
                render_as_batch=sqlite,
                compare_type=True,
                render_item=_render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        database.dispose()


def _render_item(type_, item, autogen_context):
    """Autogenerate writes our UtcDateTime as the plain column type it stores."""
    from shared.db import UtcDateTime

    if type_ == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False
