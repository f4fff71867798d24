"""The relay: publishes outbox rows to the broker in commit order, with publisher confirms.

Rows go out in batches: the relay publishes a whole batch, then waits for the broker's
confirms of all of it at once (pipelined), not one round trip per event. A row is marked
published only after the broker confirmed it, and only with every row before it: after a
refused (nacked) row nothing later is marked. If the broker is down, refuses a row or a
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
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass

import structlog
from amqp.exceptions import AMQPError
from kombu import Connection, Producer
from kombu.exceptions import KombuError
from sqlalchemy import Row, select, text, update
from sqlalchemy.exc import DBAPIError

from shared import tracing
from shared.config import Settings
from shared.db import Database
from shared.events import broker
from shared.events.cloudevents import CONTENT_TYPE, amqp_headers, source_of
from shared.events.tables import outbox
from shared.monitoring import ProcessMonitor
from shared.unit_of_work import Clock, utc_now

log = structlog.get_logger(__name__)

_RELAY_LOCK = 0x72656C6179  # "relay"
_MAX_BACKOFF = 10.0
_FIRST_LOOK = 0.01  # seconds before looking again after a batch that found events


class Relay:
    def __init__(self, settings: Settings, database: Database, clock: Clock = utc_now,
                 monitor: ProcessMonitor | None = None):
        self._settings = settings
        self._database = database
        self._clock = clock
        self._monitor = monitor or ProcessMonitor(settings.service, "relay")
        self._health = self._monitor.health
        self._monitor.expect_relay()
        self._topology = broker.Topology(settings)
        self._source = source_of(settings.service)
        # Built once: an idle relay runs it many times a second, and building it was a third of
        # each look at an empty outbox.
        self._pending = (
            select(outbox.c.position, outbox.c.type, outbox.c.envelope, outbox.c.event_id)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.position)
            .limit(settings.relay_batch_size)
        )

    def run(self, stop: threading.Event) -> None:
        """Publish until `stop` is set, surviving broker and database outages."""
        backoff = 0.5
        while not stop.is_set():
            try:
                with self._exclusive(stop), broker.connect(self._settings) as connection:
                    publisher = self._connect(connection)
                    log.info("relay.connected", broker=connection.as_uri())
                    backoff = 0.5
                    idle = _FIRST_LOOK
                    while not stop.is_set():
                        self._health.beat("relay")
                        found = self.publish_pending(publisher)
                        # Ready once the outbox was read too: the broker alone is half the way.
                        self._health.set_ready("relay", True)
                        if found < self._settings.relay_batch_size:
                            # While events flow, look again soon (an event waits ~ms, not the
                            # idle time); when they stop, back off to the idle time.
                            idle = _FIRST_LOOK if found else min(idle * 2, self._settings.relay_idle_seconds)
                            broker.listen(connection, idle)
            except _Stopped:
                break
            except DBAPIError as exc:
                log.warning("relay.database_unavailable", error=str(exc).splitlines()[0])
            except Exception as exc:  # the broker's errors differ per transport
                log.warning("relay.broker_unavailable", error=repr(exc), exc_info=_unexpected(exc))
            # Waiting out an outage is progress (live), but not ready.
            self._health.set_ready("relay", False)
            self._health.beat("relay")
            stop.wait(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF)
        log.info("relay.stopped")

    def _connect(self, connection: Connection) -> _Publisher:
        connection.ensure_connection(max_retries=1)
        channel = connection.channel()
        self._topology.events(channel).declare()
        return _Publisher(
            Producer(channel, exchange=self._topology.events, auto_declare=False),
            broker.confirms(self._settings, connection, channel),
        )

    def publish_pending(self, publisher: _Publisher) -> int:
        """Publish one batch; return how many rows it found. Raises if the broker fails,
        after marking the rows it did confirm."""
        if self._database.is_sqlite:
            found, failure = self._publish_batch(
                publisher, read=self._database.engine.connect, mark=self._database.writing
            )
        else:
            with self._database.engine.begin() as connection:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _RELAY_LOCK})
                found, failure = self._publish_batch(
                    publisher, read=lambda: nullcontext(connection), mark=lambda: nullcontext(connection)
                )
        if failure is not None:
            raise failure
        return found

    def _publish_batch(
        self,
        publisher: _Publisher,
        read: Callable[[], AbstractContextManager],
        mark: Callable[[], AbstractContextManager],
    ) -> tuple[int, Exception | None]:
        with read() as connection:
            rows = connection.execute(self._pending).all()
        # The whole batch goes out, then its confirms are awaited together (pipelined).
        sent: list[tuple[int, Row, float]] = []
        failure: Exception | None = None
        try:
            for row in rows:
                started = time.perf_counter()
                self._publish(publisher.producer, row)
                sent.append((publisher.confirms.sent(), row, started))
            publisher.confirms.wait([tag for tag, _, _ in sent], self._settings.publish_confirm_timeout)
        except Exception as exc:
            failure = exc
        confirmed = self._confirmed_prefix(publisher.confirms, sent)
        if len(confirmed) < len(sent) and failure is None:
            failure = broker.Refused(f"the broker refused the event at position {sent[len(confirmed)][1].position}")
        if confirmed:
            with mark() as connection:
                connection.execute(
                    update(outbox)
                    .where(outbox.c.position.in_(confirmed))
                    .values(published_at=self._clock())
                )
        return len(rows), failure

    def _publish(self, producer: Producer, row: Row) -> None:
        with tracing.span(f"publish {row.type}", "producer", _traceparent_of(row.envelope),
                          **{"messaging.message.id": row.event_id, "messaging.destination.name": row.type}):
            headers = amqp_headers(row.type, row.event_id, self._source)
            if traceparent := tracing.current_traceparent():
                headers["cloudEvents_traceparent"] = traceparent  # the publish span, for the consumers
            producer.publish(
                row.envelope.encode("utf-8"),
                routing_key=row.type,
                content_type=CONTENT_TYPE,
                content_encoding="utf-8",
                headers=headers,
                message_id=row.event_id,
                delivery_mode=2,
                retry=False,
                timeout=self._settings.publish_confirm_timeout,
            )

    def _confirmed_prefix(self, confirms, sent: list[tuple[int, Row, float]]) -> list[int]:
        """The positions to mark: those acked up to the first that was not. A row after a
        refused one is left unmarked even if acked, so the rows marked published are always
        every row up to some position, and the next batch starts again from the refused one
        (sending the acked ones after it a second time; consumers drop the duplicates)."""
        confirmed: list[int] = []
        now = time.perf_counter()
        answers = [confirms.outcome(tag) for tag, _, _ in sent]  # forget every tag of the batch
        for acked, (_, row, started) in zip(answers, sent):
            if not acked:
                break
            confirmed.append(row.position)
            self._monitor.published_one(row.type, now - started)
        return confirmed

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
                    self._health.beat("relay")
                    if stop.wait(5):
                        raise _Stopped() from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class _Publisher:
    """The relay's producer and the confirms of its channel."""

    producer: Producer
    confirms: broker.Confirms | broker.Confirmed


class _Stopped(Exception):
    pass


def _traceparent_of(envelope: str) -> str | None:
    """The trace context the event was committed in (read only when tracing is on)."""
    if not tracing.enabled():
        return None
    value = json.loads(envelope).get("traceparent")
    return value if isinstance(value, str) else None


def _unexpected(exc: Exception) -> bool:
    """Broker outages are routine and logged in one line; anything else gets its traceback."""
    return not isinstance(exc, (OSError, KombuError, AMQPError, broker.Refused))
