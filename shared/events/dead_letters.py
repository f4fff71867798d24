"""Looking at and replaying dead-lettered messages (`python -m <service> dead-letters`).

A message a handler could not apply waits in that handler's `<queue>.dlq` with the reason in
its `x-aftersales-*` headers. Once the cause is fixed (a bug, a missing reference, a newer
schema the handler now understands), `replay` moves it back to the handler's own queue, and
only that queue: other subscribers of the event already have it. The handler's inbox still
guards against applying it twice.

`peek` takes every message of the queue without acknowledging it, then hands them all back in
the order it took them: a quorum queue puts a returned message at its back, so returning all of
them leaves the order as it was. Looking changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from amqp.exceptions import NotFound
from kombu import Exchange, Producer

from shared.config import Settings
from shared.events import broker
from shared.events.consumer import DEAD_LETTER_HEADER, Subscription, raw_body

# What the broker adds on its way (deliveries, its own dead-lettering): not carried into a replay.
BROKER_HEADERS = ("x-delivery-count", "x-death", "x-first-death-", "x-last-death-")


@dataclass(frozen=True)
class DeadLetter:
    handler: str
    event_id: str | None
    event_type: str | None
    subject: str | None
    reason: str | None
    error: str | None
    attempts: int | None
    dead_lettered_at: str | None
    body: object  # the CloudEvent as JSON when it parses, else the raw text


def peek(settings: Settings, subscriptions: Iterable[Subscription], limit: int | None = 100) -> list[DeadLetter]:
    """Up to `limit` dead letters per handler (`None`: all), oldest first; the queues are left
    as they were."""
    topology = broker.Topology(settings)
    found: list[DeadLetter] = []
    with broker.connect(settings) as connection:
        for subscription in subscriptions:
            channel = connection.channel()
            try:
                taken = _take(topology, channel, subscription, None)
                found.extend(_read(subscription, message) for message in taken[:limit])
                for message in taken:
                    message.requeue()
            finally:
                channel.close()
    return found


def replay(
    settings: Settings,
    subscriptions: Iterable[Subscription],
    event_ids: Collection[str] = (),
    limit: int = 100,
) -> list[DeadLetter]:
    """Move dead letters back to their handler's queue: those with `event_ids`, or all (up to
    `limit` per handler). Each is removed from the dead-letter queue only once the broker has
    confirmed the copy, so a failure in between leaves it in both places, never in neither."""
    topology = broker.Topology(settings)
    replayed: list[DeadLetter] = []
    with broker.connect(settings, confirms=True) as connection:
        for subscription in subscriptions:
            channel = connection.channel()
            try:
                taken = _take(topology, channel, subscription, limit if not event_ids else None)
                if taken:
                    topology.queue(subscription.name, subscription.event_types)(channel).declare()
                # The default exchange routes by queue name: to this handler's queue alone.
                producer = Producer(channel, exchange=Exchange(""), auto_declare=False)
                for message in taken:
                    letter = _read(subscription, message)
                    if event_ids and letter.event_id not in event_ids:
                        message.requeue()  # all of them are taken, so the order stays
                        continue
                    producer.publish(
                        raw_body(message),
                        routing_key=topology.queue_name(subscription.name),
                        content_type=message.content_type,
                        content_encoding=message.content_encoding,
                        headers=_fresh_headers(message.headers or {}),
                        delivery_mode=2,
                        retry=False,
                        confirm_timeout=settings.publish_confirm_timeout,
                    )
                    message.ack()
                    replayed.append(letter)
            finally:
                channel.close()
    return replayed


def _take(topology: broker.Topology, channel, subscription: Subscription, limit: int | None) -> list:
    queue = topology.dead_letter_queue(subscription.name)(channel)
    try:
        # Passive: a handler whose consumer never ran has no dead-letter queue, and looking (or
        # replaying nothing) must not create one, nor its exchange.
        queue.queue_declare(passive=True)
    except NotFound:
        return []
    taken = []
    while limit is None or len(taken) < limit:
        message = queue.get(no_ack=False)
        if message is None:
            break
        taken.append(message)
    return taken


def _fresh_headers(headers: dict) -> dict:
    return {name: value for name, value in headers.items()
            if not name.startswith(DEAD_LETTER_HEADER) and not name.startswith(BROKER_HEADERS)}


def _read(subscription: Subscription, message) -> DeadLetter:
    headers = message.headers or {}
    raw = raw_body(message).decode("utf-8", "replace")
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw
    envelope = body if isinstance(body, dict) else {}
    return DeadLetter(
        handler=subscription.name,
        event_id=envelope.get("id") or headers.get("cloudEvents_id"),
        event_type=envelope.get("type") or headers.get("cloudEvents_type"),
        subject=envelope.get("subject"),
        # Dead-lettered by the broker itself (the delivery limit): its own header says why.
        reason=headers.get(f"{DEAD_LETTER_HEADER}reason") or headers.get("x-first-death-reason"),
        error=headers.get(f"{DEAD_LETTER_HEADER}error"),
        attempts=headers.get(f"{DEAD_LETTER_HEADER}attempts"),
        dead_lettered_at=headers.get(f"{DEAD_LETTER_HEADER}dead-lettered-at"),
        body=body,
    )
