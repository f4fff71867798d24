"""The relay: publishes outbox rows to the broker in commit order, with publisher confirms.

A row is marked published only after the broker confirmed it. If the broker is down or a
confirm does not come within the timeout, the relay drops the connection, waits (backing off
up to 10 s), reconnects and starts again from the first unmarked row, so an event may go out
twice but never zero times; consumers de-duplicate by event id.

Several relays of one service may run (for availability): on PostgreSQL each batch is read,
published and marked inside one transaction that holds an advisory lock, so two relays never
publish the same rows or overtake each other. On SQLite (one machine) a file lock next to the
database lets one relay publish while the others wait.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import structlog
from amqp.exceptions import AMQPError
from kombu import Connection, Producer
from kombu.exceptions import KombuError
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from shared.config import Settings
from shared.db import Database
from shared.events import broker
from shared.events.cloudevents import CONTENT_TYPE, amqp_headers, source_of
from shared.events.tables import outbox
from shared.unit_of_work import Clock, utc_now

log = structlog.get_logger(__name__)

_RELAY_LOCK = 0x72656C6179  # "relay"
_MAX_BACKOFF = 10.0


class Relay:
    def __init__(self, settings: Settings, database: Database, clock: Clock = utc_now):
        self._settings = settings
        self._database = database
        self._clock = clock
        self._topology = broker.Topology(settings)
        self._source = source_of(settings.service)

    def run(self, stop: threading.Event) -> None:
        """Publish until `stop` is set, surviving broker and database outages."""
        backoff = 0.5
        while not stop.is_set():
            try:
                with self._exclusive(stop), broker.connect(self._settings, confirms=True) as connection:
                    producer = self._connect(connection)
                    log.info("relay.connected", broker=connection.as_uri())
                    backoff = 0.5
                    while not stop.is_set():
                        if self.publish_pending(producer) < self._settings.relay_batch_size:
                            broker.listen(connection, self._settings.relay_idle_seconds)
            except _Stopped:
                break
            except DBAPIError as exc:
                log.warning("relay.database_unavailable", error=str(exc).splitlines()[0])
            except Exception as exc:  # the broker's errors differ per transport
                log.warning("relay.broker_unavailable", error=repr(exc), exc_info=_unexpected(exc))
            stop.wait(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF)
        log.info("relay.stopped")

    def _connect(self, connection: Connection) -> Producer:
        connection.ensure_connection(max_retries=1)
        channel = connection.channel()
        self._topology.events(channel).declare()
        return Producer(channel, exchange=self._topology.events, auto_declare=False)

    def publish_pending(self, producer: Producer) -> int:
        """Publish one batch; return how many rows it found. Raises if the broker fails,
        after marking the rows it did confirm."""
        if self._database.is_sqlite:
            found, failure = self._publish_batch(
                producer, read=self._database.engine.connect, mark=self._database.writing
            )
        else:
            with self._database.engine.begin() as connection:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _RELAY_LOCK})
                found, failure = self._publish_batch(
                    producer, read=lambda: nullcontext(connection), mark=lambda: nullcontext(connection)
                )
        if failure is not None:
            raise failure
        return found

    def _publish_batch(
        self,
        producer: Producer,
        read: Callable[[], AbstractContextManager],
        mark: Callable[[], AbstractContextManager],
    ) -> tuple[int, Exception | None]:
        with read() as connection:
            rows = connection.execute(
                select(outbox.c.position, outbox.c.type, outbox.c.envelope, outbox.c.event_id)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.position)
                .limit(self._settings.relay_batch_size)
            ).all()
        confirmed: list[int] = []
        failure: Exception | None = None
        try:
            for row in rows:
                producer.publish(
                    row.envelope.encode("utf-8"),
                    routing_key=row.type,
                    content_type=CONTENT_TYPE,
                    content_encoding="utf-8",
                    headers=amqp_headers(row.type, row.event_id, self._source),
                    message_id=row.event_id,
                    delivery_mode=2,
                    retry=False,
                    confirm_timeout=self._settings.publish_confirm_timeout,
                    timeout=self._settings.publish_confirm_timeout,
                )
                confirmed.append(row.position)
        except Exception as exc:
            failure = exc
        if confirmed:
            with mark() as connection:
                connection.execute(
                    update(outbox)
                    .where(outbox.c.position.in_(confirmed))
                    .values(published_at=self._clock())
                )
        return len(rows), failure

    @contextmanager
    def _exclusive(self, stop: threading.Event) -> Iterator[None]:
        """On SQLite, hold the file lock that makes this the one publishing relay."""
        if not self._database.is_sqlite:
            yield  # each batch takes the advisory lock
            return
        path = self._settings.data_dir / f"{self._settings.service}.relay.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    log.info("relay.standby", reason="another relay is publishing")
                    if stop.wait(5):
                        raise _Stopped() from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class _Stopped(Exception):
    pass


def _unexpected(exc: Exception) -> bool:
    """Broker outages are routine and logged in one line; anything else gets its traceback."""
    return not isinstance(exc, (OSError, KombuError, AMQPError))
