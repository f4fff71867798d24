"""Consumers: one queue and one function per handler, idempotent, with bounded retries.

A service declares what it reacts to in handler modules:

    handlers = Handlers("warranty")

    @handlers.on("parts.part.created", "parts.part.updated", schema=CatalogPartData)
    def record_catalog_part(event, data, uow): ...

For each message the runner parses the CloudEvent and loads `data` with the handler's schema
(unknown fields ignored), skips an event id the handler already processed (the inbox), and
calls the handler with a unit of work that writes the inbox row in the same transaction as
the effect (first, so a concurrent duplicate delivery waits and then backs off). It acks only
after that commit. Messages are prefetched and applied in the order they come; when several
are already waiting they are applied in one transaction (see `Processor.apply_together`),
each inbox row still with its effect. A `DomainError`, a malformed envelope, invalid data, a type the handler does
not subscribe to or a newer schema version than it knows goes to the dead-letter queue at once; any other
failure is retried with exponential backoff, up to `consumer_max_attempts`, then dead-lettered
with the error in its headers. A failure while the handler's own database is unreachable is an
outage, not the message's fault: the runner waits for the database and does not count it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property, partial
from itertools import islice, takewhile

import structlog
from kombu import Connection, Producer
from kombu.mixins import ConsumerMixin
from marshmallow import EXCLUDE, Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from shared import tracing
from shared.auth import Caller
from shared.config import Settings
from shared.db import Database, insert_unless_present
from shared.errors import DomainError
from shared.events import broker
from shared.events.cloudevents import CloudEvent, MalformedEvent
from shared.events.tables import inbox
from shared.logs import bind_correlation_id, clear_context
from shared.monitoring import ProcessMonitor
from shared.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)

Handler = Callable[[CloudEvent, dict, UnitOfWork], None]


@dataclass(frozen=True)
class Subscription:
    name: str  # <service>.<function>, also the queue name
    event_types: tuple[str, ...]
    schema: type[Schema]
    handle: Handler
    version: int  # the newest dataschema version the handler understands

    def load(self, event: CloudEvent) -> dict:
        return self._loader.load(event.data, unknown=EXCLUDE)

    @cached_property
    def _loader(self) -> Schema:  # one per subscription: building a schema costs more than a load
        return self.schema()

    def wants(self, event_type: str) -> bool:
        return any(broker.topic_matches(pattern, event_type) for pattern in self.event_types)


# The prefix of the headers a dead letter carries: which handler, why, after how many attempts.
DEAD_LETTER_HEADER = "x-aftersales-"


def raw_body(message) -> bytes:
    """A received message's body as bytes: py-amqp hands an empty body over as ''."""
    return message.body.encode("utf-8") if isinstance(message.body, str) else message.body


@dataclass
class Handlers:
    service: str
    subscriptions: list[Subscription] = field(default_factory=list)

    def on(self, *event_types: str, schema: type[Schema], version: int = 1):
        def register(handle: Handler) -> Handler:
            self.subscriptions.append(
                Subscription(
                    name=f"{self.service}.{handle.__name__}",
                    event_types=event_types,
                    schema=schema,
                    handle=handle,
                    version=version,
                )
            )
            return handle

        return register


class AlreadyProcessed(Exception):
    """Another delivery of this event committed first; this one changes nothing."""


@dataclass(frozen=True)
class Outcome:
    applied: bool = False
    dead_letter_reason: str | None = None
    error: str | None = None
    attempts: int = 0
    # What the message was, as far as it could be read (for the log line of each event).
    event_id: str | None = None
    event_type: str | None = None
    correlation_id: str | None = None


@dataclass(frozen=True)
class Together:
    """What `apply_together` committed: the outcomes of the first messages, in order, and
    the failure of the handler of the message after them, if it failed."""

    outcomes: list[Outcome]
    failure: Exception | None


class Abandoned(Exception):
    """The process is stopping in the middle of retries; the message goes back to the queue."""


class Processor:
    """Applies one message to one handler. Knows nothing about the broker.

    It waits (between retries, while the database is down) through `pause`, which returns
    True when the process is stopping; the consumer's pause also keeps its broker
    connection's heartbeats going.
    """

    def __init__(
        self,
        settings: Settings,
        uow_factory: UnitOfWorkFactory,
        stop: threading.Event,
        pause: Callable[[float], bool] | None = None,
        monitor: ProcessMonitor | None = None,
    ):
        self._settings = settings
        self._uow_factory = uow_factory
        self._database: Database = uow_factory.database
        self._stop = stop
        self._pause = pause or stop.wait
        self._monitor = monitor

    def process(self, subscription: Subscription, body: bytes, failed: Exception | None = None) -> Outcome:
        """Apply one message; `failed` is how its first attempt failed if it was already
        made (in `apply_together`)."""
        try:
            event = CloudEvent.parse(body)
        except MalformedEvent as exc:
            return Outcome(dead_letter_reason="malformed_event", error=str(exc))
        outcome = self._process(subscription, event, failed)
        return replace(outcome, event_id=event.id, event_type=event.type,
                       correlation_id=event.correlationid or event.id)

    def _process(self, subscription: Subscription, event: CloudEvent, failed: Exception | None = None) -> Outcome:
        if not subscription.wants(event.type):
            # The routing key is the type (SPEC §4): a body of another type under a bound key is
            # somebody's mistake, and applying it as the bound type would be a worse one.
            return Outcome(
                dead_letter_reason="unexpected_type",
                error=f"{event.type} is not one of {', '.join(subscription.event_types)}",
            )
        if event.version > subscription.version:
            # Its data need not fit the schema this handler knows: park it before reading it.
            return Outcome(
                dead_letter_reason="unsupported_version",
                error=f"{event.dataschema} is newer than v{subscription.version}, "
                "which this handler understands; parked until it is upgraded",
            )
        try:
            data = subscription.load(event)
        except ValidationError as exc:
            return Outcome(dead_letter_reason="invalid_data", error=json.dumps(exc.messages))
        bind_correlation_id(event.correlationid or event.id)
        try:
            return self._apply_with_retries(subscription, event, data, failed)
        finally:
            clear_context()

    def _apply_with_retries(self, subscription: Subscription, event: CloudEvent, data: dict,
                            failed: Exception | None = None) -> Outcome:
        attempt = 0
        while True:
            attempt += 1
            try:
                if failed is not None:  # the first attempt was made already
                    failed, first = None, failed
                    raise first
                return Outcome(applied=self._apply(subscription, event, data), attempts=attempt)
            except DomainError as exc:
                return Outcome(
                    dead_letter_reason="rejected",
                    error=f"{exc.code}: {exc.detail}",
                    attempts=attempt,
                )
            except Exception as exc:
                if self._database_was_down():
                    attempt -= 1
                    continue
                log.warning(
                    "consumer.handler_failed",
                    handler=subscription.name,
                    event_id=event.id,
                    attempt=attempt,
                    error=repr(exc),
                    exc_info=True,
                )
                if attempt >= self._settings.consumer_max_attempts:
                    return Outcome(dead_letter_reason="failed", error=repr(exc), attempts=attempt)
                if self._monitor is not None:
                    self._monitor.retried(subscription.name)
                if self._pause(self._settings.consumer_retry_backoff * 2 ** (attempt - 1)):
                    raise Abandoned() from exc

    def _apply(self, subscription: Subscription, event: CloudEvent, data: dict) -> bool:
        if self._already_processed(subscription, event):
            return False
        uow = self._unit_of_work(self._uow_factory, subscription, event)
        try:
            subscription.handle(event, data, uow)
            if not uow.committed:
                # The handler had nothing to change; the event is still done.
                with uow:
                    uow.commit()
        except AlreadyProcessed:
            return False
        return True

    def apply_together(self, subscription: Subscription, bodies: list[bytes]) -> Together | None:
        """Apply several waiting messages in one transaction (PostgreSQL): one statement writes
        all their inbox rows, each handler's unit of work joins the transaction without a
        savepoint of its own, and one commit ends it.

        Handlers rarely fail, so the batch is optimistic: when one fails the whole transaction
        rolls back, the messages before it are applied together again, and the failed one
        continues in `process` with that failure as its first attempt (one that ended the
        transaction without raising goes alone, as a first attempt). What is committed is
        exactly what one-by-one processing would have committed by then. Only the leading
        messages that `process` would hand to the handler go in; the caller takes the rest one
        at a time. Returns None (nothing applied) if fewer than two qualify or the transaction
        fails otherwise.
        """
        if self._database.is_sqlite:
            return None  # one writer at a time: a long transaction would hold up the API's writes
        events = list(takewhile(lambda found: found is not None, (_readable(subscription, b) for b in bodies)))
        if len(events) < 2:
            return None
        try:
            return Together(self._commit_together(subscription, events), None)
        except _Stopped as stopped:
            before, failure = events[:stopped.index], stopped.error
        except Exception as exc:
            log.warning("consumer.batch_failed", handler=subscription.name, size=len(events), error=repr(exc))
            return None
        if not before:
            return Together([], failure) if failure is not None else None
        try:
            return Together(self._commit_together(subscription, before), failure)
        except Exception as exc:
            log.warning("consumer.batch_failed", handler=subscription.name, size=len(before), error=repr(exc))
            return None

    def _commit_together(self, subscription: Subscription, events: list[tuple[CloudEvent, dict]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        with self._database.writing() as connection:
            transaction = connection.get_transaction()
            fresh = _claim_in_inbox(connection, subscription, [event for event, _ in events],
                                    self._uow_factory.clock())
            units = copy(self._uow_factory)
            units.database = _Joined(self._database, connection)
            for index, (event, data) in enumerate(events):
                applied = event.id in fresh
                fresh.discard(event.id)  # the same event twice in the batch: the second is a duplicate
                if applied:
                    try:
                        self._apply_within(units, subscription, event, data)
                    except Exception as exc:
                        raise _Stopped(index, exc) from exc
                    # A handler that rolled back and carried on would leave the events before it
                    # undone: start again without it, and let it go alone.
                    if not _still_open(connection, transaction):
                        log.warning("consumer.batch_ended_by_handler", handler=subscription.name, event_id=event.id)
                        raise _Stopped(index, None)
                outcomes.append(Outcome(applied=applied, attempts=1, event_id=event.id, event_type=event.type,
                                        correlation_id=event.correlationid or event.id))
        return outcomes

    def _apply_within(self, units: UnitOfWorkFactory, subscription: Subscription, event: CloudEvent,
                      data: dict) -> None:
        # The inbox row is already written (`_claim_in_inbox`), so the unit of work claims nothing.
        uow = units(
            dealer=event.dealer,
            actor=Caller.for_event(event.source, event.dealer).sub,
            correlation_id=event.correlationid or event.id,
        )
        bind_correlation_id(event.correlationid or event.id)
        try:
            subscription.handle(event, data, uow)
        finally:
            clear_context()

    def _unit_of_work(self, units: UnitOfWorkFactory, subscription: Subscription, event: CloudEvent) -> UnitOfWork:
        return units(
            dealer=event.dealer,
            actor=Caller.for_event(event.source, event.dealer).sub,
            correlation_id=event.correlationid or event.id,
            claims=[partial(_record_in_inbox, subscription, event, self._uow_factory.clock())],
        )

    def _already_processed(self, subscription: Subscription, event: CloudEvent) -> bool:
        with self._database.engine.connect() as connection:
            found = connection.execute(
                select(inbox.c.event_id).where(
                    inbox.c.handler == subscription.name, inbox.c.event_id == event.id
                )
            ).first()
        return found is not None

    def _database_was_down(self) -> bool:
        """After a failure: wait while the database is unreachable; say whether it was."""
        was_down = False
        while not self._stop.is_set():
            try:
                self._database.ping()
                return was_down
            except Exception as exc:
                if not was_down:
                    log.warning("consumer.database_unavailable", error=str(exc).splitlines()[0])
                was_down = True
                if self._pause(2):
                    break
        raise Abandoned()


def _readable(subscription: Subscription, body: bytes) -> tuple[CloudEvent, dict] | None:
    """The event and its data, if `process` would hand it to the handler as it is."""
    try:
        event = CloudEvent.parse(body)
        if not subscription.wants(event.type) or event.version > subscription.version:
            return None
        return event, subscription.load(event)
    except (MalformedEvent, ValidationError):
        return None


def _still_open(connection, transaction) -> bool:
    """The caller's transaction is the connection's, active, and not failed in PostgreSQL (a
    handler that swallowed a database error: COMMIT would then roll back without a word)."""
    from psycopg.pq import TransactionStatus  # here: a consumer on SQLite never loads libpq

    return (connection.get_transaction() is transaction and transaction.is_active
            and connection.connection.dbapi_connection.info.transaction_status != TransactionStatus.INERROR)


class _Stopped(Exception):
    """The handler of the batch's message at `index` failed (`error`) or ended the transaction."""

    def __init__(self, index: int, error: Exception | None):
        super().__init__(index, error)
        self.index = index
        self.error = error


class _Joined:
    """The service's database as its units of work see it, but every session they open
    joins one transaction held by the caller."""

    def __init__(self, database: Database, connection):
        self._database = database
        self._connection = connection

    def session(self, dealer, *, write: bool) -> Session:
        # Reads join too: a handler must see what the events before it in the batch did.
        return self._database.session_within(self._connection, dealer)

    def __getattr__(self, name: str):
        return getattr(self._database, name)


def _claim_in_inbox(connection, subscription: Subscription, events: list[CloudEvent], at: datetime) -> set[str]:
    """Write the inbox rows of several events in one statement; the ids of those it wrote
    (an event already processed, or written by a concurrent delivery, is not among them)."""
    rows = [{"handler": subscription.name, "event_id": event.id, "event_type": event.type, "processed_at": at}
            for event in events]
    return set(connection.scalars(insert(inbox).values(rows).on_conflict_do_nothing().returning(inbox.c.event_id)))


def _record_in_inbox(subscription: Subscription, event: CloudEvent, at: datetime, session: Session) -> None:
    inserted = insert_unless_present(
        session,
        inbox,
        {"handler": subscription.name, "event_id": event.id, "event_type": event.type, "processed_at": at},
    )
    if not inserted:
        raise AlreadyProcessed(event.id)


class DeadLetters:
    """Publishes a message that will not succeed to its handler's dead-letter queue.

    Dead letters are rare, so each gets its own short connection: a long-idle one would have
    been dropped for missed heartbeats just when it is needed.
    """

    def __init__(self, settings: Settings, topology: broker.Topology):
        self._settings = settings
        self._topology = topology

    def publish(self, subscription: Subscription, message, outcome: Outcome, at: datetime) -> None:
        headers = dict(message.headers or {})
        headers.update(
            {
                f"{DEAD_LETTER_HEADER}handler": subscription.name,
                f"{DEAD_LETTER_HEADER}reason": outcome.dead_letter_reason,
                f"{DEAD_LETTER_HEADER}error": (outcome.error or "")[:2000],
                f"{DEAD_LETTER_HEADER}attempts": outcome.attempts,
                f"{DEAD_LETTER_HEADER}dead-lettered-at": at.isoformat(),
            }
        )
        with broker.connect(self._settings, confirms=True) as connection:
            channel = connection.channel()
            self._topology.dead_letter(channel).declare()
            Producer(channel, exchange=self._topology.dead_letter, auto_declare=False).publish(
                raw_body(message),
                routing_key=self._topology.queue_name(subscription.name),
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                headers=headers,
                delivery_mode=2,
                retry=False,
                confirm_timeout=self._settings.publish_confirm_timeout,
            )


# Messages the broker may send a consumer before it acks: enough that the next ones are already
# here while one is applied, so the consumer never idles for a round trip. They are still
# applied in the order they came, and each is acked only once its effect is committed.
PREFETCH = 100
# At most this many of those are applied in one transaction when they are already waiting.
BATCH = 50


class EventConsumer(ConsumerMixin):
    """Consumes one handler's queue on its own connection, in order: one message at a time,
    or a backlog of them in one transaction."""

    def __init__(
        self,
        settings: Settings,
        uow_factory: UnitOfWorkFactory,
        subscription: Subscription,
        stop: threading.Event,
        on_ready: Callable[[], None] | None = None,
        monitor: ProcessMonitor | None = None,
    ):
        self.connection = broker.connect(settings)
        self._settings = settings
        self._topology = broker.Topology(settings)
        self._subscription = subscription
        self._monitor = monitor or ProcessMonitor(settings.service, "consumer")
        self._health = self._monitor.health
        self._monitor.expect_handler(subscription.name)
        self._processor = Processor(settings, uow_factory, stop, pause=self._pause, monitor=self._monitor)
        self._dead_letters = DeadLetters(settings, self._topology)
        self._clock = uow_factory.clock
        self._stop = stop
        self._on_ready = on_ready
        self._active: Connection | None = None
        self._held: deque = deque()  # delivered, not yet settled; the first one is in hand

    @property
    def should_stop(self) -> bool:  # ConsumerMixin polls this between messages
        return self._stop.is_set()

    @should_stop.setter
    def should_stop(self, value: bool) -> None:
        if value:
            self._stop.set()

    @contextmanager
    def establish_connection(self):
        # As ConsumerMixin's, but retrying at most every 5 s so a restarted broker is noticed soon.
        with self.create_connection() as connection:
            connection.ensure_connection(
                self.on_connection_error, self.connect_max_retries,
                interval_start=0.5, interval_step=1, interval_max=5,
            )
            yield connection

    def get_consumers(self, Consumer, channel):
        subscription = self._subscription
        self._topology.declare(channel, [(subscription.name, subscription.event_types)])
        return [
            Consumer(
                queues=[self._topology.queue(subscription.name, subscription.event_types)],
                on_message=self._on_message,
                prefetch_count=PREFETCH,
            )
        ]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self._active = connection
        self._health.set_ready(self._subscription.name, True)
        log.info("consumer.ready", handler=self._subscription.name)
        if self._on_ready is not None:
            self._on_ready()

    def on_iteration(self) -> None:  # ConsumerMixin calls it about once a second
        self._health.beat(self._subscription.name)

    def on_connection_error(self, exc, interval):
        # Waiting for the broker is progress (live), but not ready.
        self._health.set_ready(self._subscription.name, False)
        self._health.beat(self._subscription.name)
        log.warning("consumer.broker_unavailable", handler=self._subscription.name, error=repr(exc),
                    retry_in=interval)
        if self._stop.is_set():
            raise Abandoned() from exc

    def _pause(self, seconds: float) -> bool:
        """Wait in short steps, answering the broker's heartbeats; True if stopping."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0 and not self._stop.is_set():
            self._health.beat(self._subscription.name)
            if self._active is None:
                self._stop.wait(min(left, 1.0))
            else:
                broker.listen(self._active, min(left, 1.0))
        return self._stop.is_set()

    def _on_message(self, message) -> None:
        """Handle messages one at a time, in the order the queue delivers them.

        While a message waits (retries, a database outage), the pause keeps reading the
        connection for heartbeats, and with a prefetch above 1 that also delivers the next
        messages, calling back in here: those wait in `_held` until the one before is settled.
        """
        self._held.append(message)
        if len(self._held) > 1:
            return  # an earlier message of this queue is still being handled below
        try:
            while self._held:
                if self._stop.is_set() and self._held[0] is not message:
                    self._held.popleft().requeue()  # stopping: what was only prefetched goes back
                    continue
                self._take_arrived()
                if len(self._held) > 1 and (settled := self._handle_together(list(islice(self._held, BATCH)))):
                    for _ in range(settled):
                        self._held.popleft()
                    continue
                self._handle(self._held[0])
                self._held.popleft()
        finally:
            # After a broken connection the broker redelivers whatever was not acked.
            self._held.clear()

    def _take_arrived(self) -> None:
        """Take in the messages the broker has already sent (up to a batch), without waiting."""
        while self._active is not None and len(self._held) < BATCH:
            try:
                self._active.drain_events(timeout=0)  # each delivery lands in `_held`
            except socket.timeout:
                return

    def _handle_together(self, batch: list) -> int:
        """Apply the first messages waiting in one transaction, ack them, and settle the one
        whose handler failed there; returns how many were settled (0: take them one by one)."""
        started = time.perf_counter()
        together = self._processor.apply_together(self._subscription, [message.body for message in batch])
        if together is None:
            return 0
        seconds = (time.perf_counter() - started) / (len(together.outcomes) or 1)
        if together.outcomes:
            # Every message delivered before these is settled already: one ack settles them all.
            batch[len(together.outcomes) - 1].ack(multiple=True)
        for message, outcome in zip(batch, together.outcomes):
            result = "applied" if outcome.applied else "duplicate"
            with tracing.span(f"handle {self._subscription.name}", "consumer", _traceparent_of(message)) as span:
                if span is not None:
                    span.set_attribute("messaging.message.id", outcome.event_id or "")
                    span.set_attribute("aftersales.outcome", result)
            self._handled(message, outcome, result, seconds)
        settled = len(together.outcomes)
        if together.failure is not None:
            self._handle(batch[settled], together.failure)
            settled += 1
        return settled

    def _handle(self, message, failed: Exception | None = None) -> None:
        started = time.perf_counter()
        with tracing.span(f"handle {self._subscription.name}", "consumer", _traceparent_of(message)) as span:
            outcome, result = self._settle(message, failed)
            if span is not None:
                span.set_attribute("messaging.message.id", outcome.event_id or "")
                span.set_attribute("aftersales.outcome", result)
        self._handled(message, outcome, result, time.perf_counter() - started)

    def _settle(self, message, failed: Exception | None = None) -> tuple[Outcome, str]:
        """Apply, dead-letter or requeue the message; say what became of it."""
        subscription = self._subscription
        try:
            outcome = self._processor.process(subscription, message.body, failed)
        except Abandoned:
            message.requeue()
            return Outcome(), "requeued"
        except Exception as exc:  # a bug of ours must not stop the queue behind this message
            log.error("consumer.unexpected_error", handler=subscription.name, error=repr(exc), exc_info=True)
            outcome = Outcome(dead_letter_reason="unexpected", error=repr(exc))
        if outcome.dead_letter_reason:
            try:
                self._dead_letters.publish(subscription, message, outcome, self._clock())
            except Exception as exc:
                log.error("consumer.dead_letter_failed", handler=subscription.name, error=repr(exc))
                message.requeue()
                self._pause(self._settings.consumer_retry_backoff)
                return outcome, "requeued"
            log.warning(
                "consumer.dead_lettered",
                handler=subscription.name,
                reason=outcome.dead_letter_reason,
                error=outcome.error,
                attempts=outcome.attempts,
            )
            message.ack()
            return outcome, "dead_lettered"
        message.ack()
        return outcome, "applied" if outcome.applied else "duplicate"

    def _handled(self, message, outcome: Outcome, result: str, seconds: float) -> None:
        """One INFO line per message, so an operator can follow an event by its id, and its metrics."""
        headers = message.headers or {}
        self._monitor.handled(self._subscription.name, result, seconds, outcome.dead_letter_reason)
        log.info(
            "consumer.event_handled",
            event_type=outcome.event_type or headers.get("cloudEvents_type"),
            event_id=outcome.event_id or headers.get("cloudEvents_id") or message.properties.get("message_id"),
            correlation_id=outcome.correlation_id,
            handler=self._subscription.name,
            outcome=result,
            reason=outcome.dead_letter_reason,
            attempts=outcome.attempts,
            duration_ms=round(seconds * 1000, 2),
        )

    def close(self) -> None:
        self.connection.release()


def run(
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
    handler_sets: Iterable[Handlers],
    stop: threading.Event,
    on_ready: Callable[[], None] | None = None,
    monitor: ProcessMonitor | None = None,
) -> None:
    """Consume every handler's queue, each in its own thread, until `stop` is set.

    `on_ready` is called once every queue is declared and consumed from.
    """
    subscriptions = [s for handlers in handler_sets for s in handlers.subscriptions]
    if not subscriptions:
        log.info("consumer.nothing_to_consume")
        stop.wait()
        return
    ready = _Countdown(len(subscriptions), on_ready)
    crashed: list[str] = []
    threads = [
        threading.Thread(
            target=_consume, args=(settings, uow_factory, subscription, stop, ready.tick, crashed, monitor),
            name=subscription.name, daemon=True,
        )
        for subscription in subscriptions
    ]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join(timeout=30)
    log.info("consumer.stopped")
    if crashed:
        raise RuntimeError(f"handlers crashed: {', '.join(crashed)}")


def _consume(settings, uow_factory, subscription, stop, on_ready, crashed: list[str], monitor=None) -> None:
    consumer = EventConsumer(settings, uow_factory, subscription, stop, on_ready, monitor)
    try:
        consumer.run()
    except Abandoned:
        pass
    except Exception:
        log.critical("consumer.crashed", handler=subscription.name, exc_info=True)
        crashed.append(subscription.name)
        stop.set()  # a process with a dead handler must not look healthy: exit, to be restarted
    finally:
        consumer.close()


def _traceparent_of(message) -> str | None:
    """The publish span's context (the relay's header), else the one the event was made in."""
    if not tracing.enabled():
        return None
    header = (message.headers or {}).get("cloudEvents_traceparent")
    if isinstance(header, str):
        return header
    try:
        found = json.loads(raw_body(message)).get("traceparent")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


class _Countdown:
    """Calls `done` once, after `count` ticks (the first time each consumer is ready)."""

    def __init__(self, count: int, done: Callable[[], None] | None):
        self._left = count
        self._done = done
        self._lock = threading.Lock()

    def tick(self) -> None:
        with self._lock:
            self._left -= 1
            if self._left == 0:
                log.info("consumer.all_ready")
                if self._done is not None:
                    self._done()
