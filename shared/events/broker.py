"""Connections to the broker and the shape of its exchanges and queues.

One durable topic exchange (`aftersales.events`) carries every event with its type as the
routing key. Each consumer handler has its own durable queue, `<service>.<handler>`, bound to
the types it handles, and a dead-letter queue `<queue>.dlq` bound to the direct exchange
`aftersales.dead-letter`.

On RabbitMQ the queues are quorum queues whose dead-letter exchange and delivery limit catch
a message that keeps crashing the consumer process; ordinary failures are retried by the
consumer and then dead-lettered by it, with the reason in the headers. The embedded broker
(files in a folder) has no queue types, delivery limits or publisher confirms: there the
consumer's own bounded retries and dead-lettering are all there is, and a publish is done
when its file is written.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterable, Sequence
from functools import partial

from kombu import Connection, Exchange, Queue, binding

from shared.config import Settings
from shared.events import fsbroker


# A safety net above the consumer's own retries, which happen within one delivery: only a
# message that keeps killing the consumer process (or its connection) is redelivered this
# often. A constant, because RabbitMQ refuses to redeclare a queue with other arguments.
REDELIVERY_LIMIT = 20


def connect(settings: Settings, *, confirms: bool = False) -> Connection:
    if settings.uses_embedded_broker:
        queues = settings.broker_folder / "queues"
        control = settings.broker_folder / "control"
        queues.mkdir(parents=True, exist_ok=True)
        control.mkdir(parents=True, exist_ok=True)
        return Connection(
            transport=fsbroker.Transport,
            transport_options={
                "data_folder_in": str(queues),
                "data_folder_out": str(queues),
                "control_folder": str(control),
                "polling_interval": settings.broker_poll_seconds,
            },
        )
    return Connection(
        settings.broker_url,
        heartbeat=settings.broker_heartbeat,
        connect_timeout=5,
        transport_options={"confirm_publish": confirms},
    )


class Refused(Exception):
    """The broker refused (nacked) a message it was given; it reached no queue for sure."""


class Confirms:
    """The publisher confirms of one channel, waited for together.

    Waiting for each message's confirm before sending the next costs a round trip (and, on a
    quorum queue, a replicated write) per message. Here a batch is sent, then its confirms
    are awaited at once: RabbitMQ numbers the messages of a channel in confirm mode 1, 2, 3...
    and acks or nacks them by that number, `multiple` settling every one up to it.
    """

    def __init__(self, connection: Connection, channel):
        self._connection = connection
        channel.confirm_select()
        channel.events["basic_ack"].add(partial(self._settle, True))
        channel.events["basic_nack"].add(partial(self._settle, False))
        self._next_tag = 1
        self._waiting: set[int] = set()
        self._settled: dict[int, bool] = {}

    def sent(self) -> int:
        """Count one message just published on the channel; returns its number."""
        tag, self._next_tag = self._next_tag, self._next_tag + 1
        self._waiting.add(tag)
        return tag

    def wait(self, tags: Sequence[int], timeout: float) -> None:
        """Read the broker's answers until every one of `tags` is settled; raises
        `socket.timeout` if they do not all come within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while any(tag in self._waiting for tag in tags):
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout(f"no confirm within {timeout} s")
            try:
                self._connection.drain_events(timeout=min(left, 1.0))
            except socket.timeout:
                pass

    def outcome(self, tag: int) -> bool | None:
        """True once acked, False once nacked, None while unanswered; forgets a settled one."""
        return self._settled.pop(tag, None)

    def _settle(self, acked: bool, tag: int, multiple: bool) -> None:
        for settled in [t for t in self._waiting if t <= tag] if multiple else [tag]:
            self._waiting.discard(settled)
            self._settled[settled] = acked


class Confirmed:
    """The embedded broker's stand-in: a publish is done when its file is written."""

    def sent(self) -> int:
        return 0

    def wait(self, tags: Sequence[int], timeout: float) -> None:
        pass

    def outcome(self, tag: int) -> bool | None:
        return True


def confirms(settings: Settings, connection: Connection, channel) -> Confirms | Confirmed:
    return Confirmed() if settings.uses_embedded_broker else Confirms(connection, channel)


def listen(connection: Connection, seconds: float) -> None:
    """Wait up to `seconds` reading what the broker sends, then keep the heartbeats going.

    A connection that only writes never reads the broker's heartbeats, and after two
    intervals py-amqp decides the broker has gone ("Too many heartbeats missed") though it
    is there. On a consumer's connection, inside a message callback, this also delivers the
    messages prefetched after that one: the consumer holds them back until it is settled.
    """
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            # Short reads: py-amqp starts its timeout again after each heartbeat frame, so
            # one long read would go on while the broker's heartbeats kept coming.
            connection.drain_events(timeout=min(left, 0.1))
        except socket.timeout:
            pass
        connection.heartbeat_check()


class Topology:
    def __init__(self, settings: Settings):
        self.events = Exchange(settings.events_exchange, type="topic", durable=True)
        self.dead_letter = Exchange(settings.dead_letter_exchange, type="direct", durable=True)
        self._prefix = settings.queue_prefix
        self._quorum = not settings.uses_embedded_broker


    def queue_name(self, handler: str) -> str:
        return f"{self._prefix}{handler}"

    def queue(self, handler: str, event_types: Iterable[str]) -> Queue:
        name = self.queue_name(handler)
        arguments = None
        if self._quorum:
            arguments = {
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": self.dead_letter.name,
                "x-dead-letter-routing-key": name,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                "x-delivery-limit": REDELIVERY_LIMIT,
            }
        return Queue(
            name,
            bindings=[binding(self.events, routing_key=t) for t in event_types],
            durable=True,
            auto_delete=False,
            queue_arguments=arguments,
        )

    def dead_letter_queue(self, handler: str) -> Queue:
        name = self.queue_name(handler)
        return Queue(
            f"{name}.dlq",
            exchange=self.dead_letter,
            routing_key=name,
            durable=True,
            auto_delete=False,
            queue_arguments={"x-queue-type": "quorum"} if self._quorum else None,
        )

    def declare(self, channel, subscriptions: Iterable[tuple[str, Iterable[str]]]) -> None:
        """Declare exchanges and, for each (handler, event types), its queue and its DLQ."""
        self.events(channel).declare()
        self.dead_letter(channel).declare()
        for handler, event_types in subscriptions:
            self.queue(handler, event_types)(channel).declare()
            self.dead_letter_queue(handler)(channel).declare()


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is exactly one word, `#` zero or more."""
    def match(words: list[str], keys: list[str]) -> bool:
        if not words:
            return not keys
        if words[0] == "#":
            return any(match(words[1:], keys[i:]) for i in range(len(keys) + 1))
        return bool(keys) and words[0] in ("*", keys[0]) and match(words[1:], keys[1:])

    return match(pattern.split("."), routing_key.split("."))
