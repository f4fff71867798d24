"""Batches on RabbitMQ and PostgreSQL: the relay's pipelined confirms and the consumer applying
a backlog of messages in one transaction keep every guarantee: commit order, nothing marked
published that the broker did not confirm, nothing applied twice."""

from __future__ import annotations

import json
import socket

import pytest
from kombu import Queue
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from shared.db import ALL_DEALERS
from shared.events import broker, consumer
from shared.events.consumer import Handlers
from shared.events.relay import Relay
from shared.events.tables import inbox, outbox
from shared.monitoring import ProcessMonitor
from shared.testing import in_background, wait_until
from shared.tests.test_event_bus import Bus, WidgetData, tally_handlers
from shared.tests.test_monitoring import value


def probe(bus: Bus, name: str = "probe") -> Queue:
    """A queue that receives every widget event, to see what the relay published."""
    topology = broker.Topology(bus.settings)
    queue = Queue(f"{bus.settings.queue_prefix}{name}", exchange=topology.events, routing_key="widgets.#")
    with broker.connect(bus.settings) as connection:
        queue(connection.channel()).declare()
    return queue


def drain(bus: Bus, queue: Queue) -> list[str]:
    """The subjects of the messages in `queue`, in the order it holds them; deletes it."""
    subjects = []
    with broker.connect(bus.settings) as connection:
        bound = queue(connection.channel())
        while (message := bound.get()) is not None:
            subjects.append(json.loads(message.body)["subject"])
            message.ack()
        bound.delete()
    return subjects


def marked(bus: Bus) -> list[str]:
    """Subjects of the rows marked published, in commit order."""
    with bus.units.database.reading(ALL_DEALERS) as session:
        rows = session.execute(
            select(outbox.c.envelope).where(outbox.c.published_at.is_not(None)).order_by(outbox.c.position)
        ).scalars()
        return [json.loads(envelope)["subject"] for envelope in rows]


def count_batches(monkeypatch) -> list[int]:
    """The sizes of the batches the consumer committed together (a spy on the real method)."""
    sizes: list[int] = []
    apply_together = consumer.Processor.apply_together

    def counted(self, subscription, bodies):
        together = apply_together(self, subscription, bodies)
        if together is not None:
            sizes.append(len(together.outcomes))
        return together

    monkeypatch.setattr(consumer.Processor, "apply_together", counted)
    return sizes


def publish_all(bus: Bus) -> None:
    with bus.relay():
        wait_until(lambda: bus.unpublished() == 0, what="the relay to publish everything")


def consume_until(bus: Bus, handlers, condition, monitor: ProcessMonitor | None = None, what: str = "") -> None:
    """Run the consumer on what is already in its queue until `condition` holds."""
    bus.infra.remember(bus.settings, handlers)
    ready = []
    with in_background(lambda stop: consumer.run(bus.settings, bus.units, [handlers], stop,
                                                 lambda: ready.append(1), monitor=monitor), "consumer"):
        wait_until(lambda: ready, what="the consumer to declare its queue")
        wait_until(condition, what=what)


def declare_queue(bus: Bus, handlers) -> None:
    """The handler's queue, so what the relay publishes waits there for the consumer."""
    subscription = handlers.subscriptions[0]
    bus.infra.remember(bus.settings, handlers)
    with broker.connect(bus.settings) as connection:
        broker.Topology(bus.settings).declare(connection.channel(), [(subscription.name, subscription.event_types)])


def test_the_relay_publishes_a_large_batch_pipelined_in_commit_order(real_infra):
    bus = Bus(real_infra, RELAY_BATCH_SIZE="50")
    queue = probe(bus)
    codes = [f"W-{number:03d}" for number in range(130)]  # three batches, the last one short
    for code in codes:
        bus.make(code)

    publish_all(bus)

    assert drain(bus, queue) == codes
    assert marked(bus) == codes


def test_a_connection_lost_in_the_middle_of_a_batch_marks_nothing_the_broker_did_not_confirm(real_infra):
    bus = Bus(real_infra, RELAY_BATCH_SIZE="20", PUBLISH_CONFIRM_TIMEOUT="3")
    queue = probe(bus)
    codes = [f"W-{number:02d}" for number in range(20)]
    for code in codes:
        bus.make(code)
    relay = Relay(bus.settings, bus.units.database)

    with broker.connect(bus.settings) as connection:
        publisher = relay._connect(connection)
        publish = publisher.producer.publish
        sent = []

        def publish_then_lose_the_connection(*args, **kwargs):
            publish(*args, **kwargs)
            sent.append(1)
            if len(sent) == 8:  # the socket dies with the rest of the batch unsent and unconfirmed
                connection.connection.sock.shutdown(socket.SHUT_RDWR)

        publisher.producer.publish = publish_then_lose_the_connection
        with pytest.raises(Exception):  # py-amqp's or kombu's error for a dead connection
            relay.publish_pending(publisher)

    marked_then = marked(bus)
    assert marked_then == codes[: len(marked_then)]  # a prefix, in commit order
    assert len(marked_then) <= 8  # nothing that was not even sent
    with bus.relay():  # a relay connecting again sends everything not marked, in order
        wait_until(lambda: bus.unpublished() == 0, what="the rest of the batch")
    received = drain(bus, queue)
    resent = codes[len(marked_then):]
    first_time = received[: len(received) - len(resent)]
    assert received[len(first_time):] == resent
    assert first_time == codes[: len(first_time)] and len(first_time) <= 8
    assert set(marked_then) <= set(first_time)  # every row marked had reached the broker
    assert marked(bus) == codes


def test_a_backlog_is_applied_in_batches_in_order_with_a_failing_message_in_the_middle(real_infra, monkeypatch):
    bus = Bus(real_infra, CONSUMER_MAX_ATTEMPTS="3", CONSUMER_RETRY_BACKOFF="0.05")
    batches = count_batches(monkeypatch)
    calls: list[str] = []
    handlers = tally_handlers(poison={"W-25"}, calls=calls)
    declare_queue(bus, handlers)
    bus.make("tally")
    codes = [f"W-{number:02d}" for number in range(60)]
    for code in codes:
        bus.make(code)
    publish_all(bus)  # all of it waits in the queue: the consumer finds a backlog

    consume_until(bus, handlers, lambda: bus.count(inbox) == 60, what="every message but the poison one")

    assert bus.tally() == 59
    assert calls.count("W-25") == 3  # its attempts, the one made in a batch included
    first_seen = list(dict.fromkeys(calls))
    assert first_seen == ["tally", *codes]  # handled in commit order, through batches and retries
    assert max(batches) > 1 and sum(batches) >= 30  # most of it applied together
    [dead] = bus.dead_letters(handlers)
    assert json.loads(dead.body)["subject"] == "W-25"
    assert dead.headers["x-aftersales-attempts"] == 3


def test_duplicates_in_one_batch_are_applied_once(real_infra, monkeypatch):
    bus = Bus(real_infra)
    batches = count_batches(monkeypatch)
    handlers = tally_handlers()
    declare_queue(bus, handlers)
    bus.make("tally")
    codes = [f"W-{number}" for number in range(8)]
    for code in codes:
        bus.make(code)
    publish_all(bus)
    # Everything again, as a relay that crashed before marking its rows would send it: each
    # event is twice in the queue, nine messages apart, so within one batch.
    with bus.units.database.writing() as connection:
        connection.execute(update(outbox).values(published_at=None))
    publish_all(bus)
    monitor = ProcessMonitor("widgets", "consumer")
    handler = handlers.subscriptions[0].name

    def taken(outcome: str) -> float:
        return value(monitor, "aftersales_events_consumed_total", service="widgets", handler=handler,
                     outcome=outcome)

    consume_until(bus, handlers, lambda: taken("applied") + taken("duplicate") == 18, monitor=monitor,
                  what="all 18 messages taken")

    assert bus.tally() == 8
    assert bus.count(inbox) == 9
    assert (taken("applied"), taken("duplicate")) == (9, 9)
    assert max(batches) > 1  # some of them went together


def test_a_handler_that_changes_nothing_keeps_the_batch_one_that_fails_or_hides_a_database_error_does_not(
        real_infra, monkeypatch):
    """Handlers join the batch's transaction without savepoints: one that leaves without
    committing and wrote nothing (a stale event) must not undo the others; one that fails after
    writing takes the whole transaction with it, and the batch is applied again without it; one
    that caught a database error must not let the batch commit a failed transaction (PostgreSQL
    would roll it back at COMMIT without a word, and the acked events would be lost)."""
    bus = Bus(real_infra, CONSUMER_RETRY_BACKOFF="0.05")
    batches = count_batches(monkeypatch)
    handlers = Handlers("widgets")
    calls: list[str] = []

    @handlers.on("widgets.widget.made", schema=WidgetData)
    def count_made(event, data, uow):
        code = data["code"]
        calls.append(code)
        if code == "tally":
            return
        with uow:
            tally = uow.widgets.get_for_update("tally")
            if code.startswith("STALE"):
                return  # nothing to change
            if code.startswith("HIDDEN"):
                try:
                    uow.session.execute(text("SELECT 1 / 0"))
                except DBAPIError:
                    return
            tally.paint(str(int(tally.colour) + 1))
            if code.startswith("SPILL") and calls.count(code) == 1:
                uow.session.flush()  # written, then failing: the batch's transaction must go with it
                raise RuntimeError("failed after writing")
            uow.commit()

    declare_queue(bus, handlers)
    bus.make("tally")
    codes = [f"W-{number:02d}" for number in range(40)]
    codes[3], codes[8], codes[14], codes[33] = "HIDDEN-1", "SPILL-1", "STALE-1", "STALE-2"
    for code in codes:
        bus.make(code)
    publish_all(bus)

    consume_until(bus, handlers, lambda: bus.count(inbox) == 41, what="every message taken")

    assert bus.tally() == 37  # each counted once: nothing lost, nothing twice
    assert calls.count("SPILL-1") == 2  # failed once after writing, then counted
    assert list(dict.fromkeys(calls)) == ["tally", *codes]
    assert max(batches) > 1 and sum(batches) >= 20
    # The stale ones went through in batches: no batch was given up for them.
    assert calls.count("STALE-1") == 1 and calls.count("STALE-2") == 1
