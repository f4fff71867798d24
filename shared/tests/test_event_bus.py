"""Outbox -> relay -> broker -> consumer, on RabbitMQ and on the embedded broker."""

from __future__ import annotations

import json
import threading
import time

import marshmallow as ma
import pytest
from amqp.exceptions import ConnectionForced
from kombu import Producer, Queue
from sqlalchemy import func, select, update

from shared.config import Settings
from shared.db import ALL_DEALERS
from shared.events import broker, consumer
from shared.events.consumer import Handlers
from shared.events.relay import Relay
from shared.events.tables import inbox, outbox
from shared.tests.widgets import WIDGETS, WidgetExists, make_widget
from shared.testing import a_cloudevent, in_background, wait_until


class WidgetData(ma.Schema):
    code = ma.fields.String(required=True)


def tally_handlers(poison: set[str] | None = None, calls: list[str] | None = None) -> Handlers:
    """A consumer that counts widgets made: the 'tally' widget's colour is the count."""
    handlers = Handlers("widgets")

    @handlers.on("widgets.widget.made", schema=WidgetData)
    def count_made(event, data, uow):
        if calls is not None:
            calls.append(data["code"])
        if data["code"] in (poison or set()):
            raise RuntimeError(f"cannot count {data['code']}")
        if data["code"] == "DUPLICATE":
            raise WidgetExists("a rule says no")
        if data["code"] == "tally":
            return
        with uow:
            tally = uow.widgets.get_for_update("tally")
            tally.paint(str(int(tally.colour) + 1))
            uow.commit()

    return handlers


class Bus:
    """One test's widgets service with its relay and consumer."""

    def __init__(self, infra, **environ):
        self.settings = infra.settings(WIDGETS, **environ)
        self.units = WIDGETS.units_of_work(self.settings)
        self.infra = infra

    def make(self, code: str, dealer: str = "D001") -> None:
        make_widget(self.units(dealer=dealer, actor="t", correlation_id=f"c-{code}"), code, "0")

    def tally(self) -> int:
        with self.units.database.reading("D001") as session:
            from shared.tests.widgets import Widget

            return int(session.scalars(select(Widget.colour).where(Widget.code == "tally")).one())

    def count(self, table) -> int:
        with self.units.database.reading(ALL_DEALERS) as session:
            return session.scalar(select(func.count()).select_from(table))

    def unpublished(self) -> int:
        with self.units.database.reading(ALL_DEALERS) as session:
            return session.scalar(select(func.count()).where(outbox.c.published_at.is_(None)))

    def relay(self):
        return in_background(Relay(self.settings, self.units.database).run, "relay")

    def consumer(self, handlers: Handlers):
        self.infra.remember(self.settings, handlers)
        ready = []
        running = in_background(
            lambda stop: consumer.run(self.settings, self.units, [handlers], stop, lambda: ready.append(1)),
            "consumer",
        )
        return _Started(running, ready)

    def dead_letters(self, handlers: Handlers) -> list:
        topology = broker.Topology(self.settings)
        name = handlers.subscriptions[0].name
        found = []
        with broker.connect(self.settings) as connection:
            queue = topology.dead_letter_queue(name)(connection.channel())
            while (message := queue.get()) is not None:
                found.append(message)
                message.ack()
        return found


class _Started:
    def __init__(self, running, ready):
        self._running, self._ready = running, ready

    def __enter__(self):
        stop = self._running.__enter__()
        wait_until(lambda: self._ready, what="the consumer to declare its queues")
        return stop

    def __exit__(self, *exc):
        return self._running.__exit__(*exc)


def test_relay_publishes_every_event_in_commit_order_with_cloudevents_headers(infra):
    bus = Bus(infra)
    topology = broker.Topology(bus.settings)
    probe = Queue(f"{bus.settings.queue_prefix}probe", exchange=topology.events, routing_key="widgets.#")
    with broker.connect(bus.settings) as connection:
        probe(connection.channel()).declare()
    for code in ["A", "B", "C", "D", "E"]:
        bus.make(code)

    with bus.relay():
        wait_until(lambda: bus.unpublished() == 0, what="the relay to publish")

    received = []
    with broker.connect(bus.settings) as connection:
        queue = probe(connection.channel())
        while (message := queue.get()) is not None:
            received.append(message)
            message.ack()
        queue.delete()
    with bus.units.database.reading(ALL_DEALERS) as session:
        expected = session.scalars(select(outbox.c.event_id).order_by(outbox.c.position)).all()
    assert [json.loads(m.body)["id"] for m in received] == expected
    first = received[0]
    assert first.content_type == "application/cloudevents+json"
    assert first.headers["cloudEvents_type"] == "widgets.widget.made"
    assert first.headers["cloudEvents_id"] == expected[0]
    assert first.headers["cloudEvents_source"] == "/aftersales/widgets"
    assert first.delivery_info["routing_key"] == "widgets.widget.made"


def test_each_event_is_applied_exactly_once_even_when_delivered_twice(infra):
    bus = Bus(infra)
    handlers = tally_handlers()
    bus.make("tally")
    with bus.consumer(handlers), bus.relay():
        for code in ["A", "B", "C"]:
            bus.make(code)
        wait_until(lambda: bus.tally() == 3, what="three widgets counted")
        # Publish everything again, as a relay that crashed before marking its rows would.
        with bus.units.database.writing() as connection:
            connection.execute(update(outbox).values(published_at=None))
        wait_until(lambda: bus.unpublished() == 0, what="the second round to be published")
        bus.make("D")
        wait_until(lambda: bus.tally() == 4, what="the widget made after the replay")

    assert bus.tally() == 4
    assert bus.count(inbox) == 5  # tally itself, A, B, C, D


def test_a_failing_message_is_retried_then_dead_lettered_and_the_rest_still_flow(infra):
    bus = Bus(infra, CONSUMER_MAX_ATTEMPTS="3")
    calls: list[str] = []
    handlers = tally_handlers(poison={"POISON"}, calls=calls)
    bus.make("tally")
    for code in ["A", "POISON", "B", "C"]:
        bus.make(code)

    with bus.consumer(handlers), bus.relay():
        wait_until(lambda: bus.tally() == 3, what="the messages behind the poison one")

    assert calls.count("POISON") == 3
    [dead] = bus.dead_letters(handlers)
    assert json.loads(dead.body)["data"]["code"] == "POISON"
    assert dead.headers["x-aftersales-reason"] == "failed"
    assert dead.headers["x-aftersales-attempts"] == 3
    assert "cannot count POISON" in dead.headers["x-aftersales-error"]
    assert dead.headers["x-aftersales-handler"] == "widgets.count_made"


def test_domain_errors_and_garbage_are_dead_lettered_at_once(infra):
    bus = Bus(infra, CONSUMER_MAX_ATTEMPTS="3")
    calls: list[str] = []
    handlers = tally_handlers(calls=calls)
    bus.make("tally")
    bus.make("DUPLICATE")
    topology = broker.Topology(bus.settings)

    with bus.consumer(handlers), bus.relay():
        with broker.connect(bus.settings, confirms=True) as connection:
            producer = Producer(connection.channel(), exchange=topology.events)
            producer.publish(b"not json at all", routing_key="widgets.widget.made",
                             content_type="application/json")
            newer = {
                "specversion": "1.0", "id": "e-v2", "type": "widgets.widget.made",
                "source": "/elsewhere", "time": "2026-11-25T10:00:00Z", "dealer": "D001",
                "dataschema": "https://x/widgets.widget.made/v2", "data": {"code": "Z"},
            }
            producer.publish(json.dumps(newer).encode(), routing_key="widgets.widget.made",
                             content_type="application/cloudevents+json")
        bus.make("A")
        wait_until(lambda: bus.tally() == 1, what="the good message behind the bad ones")
        wait_until(lambda: len(calls) >= 3, what="the handler to see tally, DUPLICATE and A")
        # The two hand-published messages come over another connection, so they may arrive
        # after "A": wait for all three in the dead-letter queue while the consumer still runs.
        dead: list = []
        wait_until(lambda: dead.extend(bus.dead_letters(handlers)) or len(dead) >= 3,
                   what="three messages dead-lettered")

    reasons = sorted(m.headers["x-aftersales-reason"] for m in dead)
    assert reasons == ["malformed_event", "rejected", "unsupported_version"]
    assert calls.count("DUPLICATE") == 1


@pytest.mark.broker_outage
def test_writes_succeed_while_rabbitmq_is_down_and_every_event_arrives_once_it_is_back(real_infra):
    bus = Bus(real_infra)
    handlers = tally_handlers()
    bus.make("tally")
    with bus.consumer(handlers), bus.relay():
        for code in ["A", "B"]:
            bus.make(code)
        wait_until(lambda: bus.tally() == 2, what="events before the outage")

        real_infra.broker_link.cut()
        try:
            for code in [f"DOWN-{i}" for i in range(10)]:
                bus.make(code)  # every write succeeds with the broker down
            time.sleep(1)  # the relay, idle for 0.05 s at a time, would have published them by now
            # (the two before may be published and not yet marked so: sent again, applied once)
            assert bus.unpublished() >= 10
            assert bus.tally() == 2
        finally:
            real_infra.broker_link.restore()

        for code in ["AFTER-1", "AFTER-2"]:
            bus.make(code)
        wait_until(lambda: bus.tally() == 14, timeout=90, what="every event after the outage")
        wait_until(lambda: bus.unpublished() == 0, what="every outbox row marked published")

    assert bus.tally() == 14
    assert bus.count(inbox) == 15


def test_a_connection_that_listens_outlives_two_silent_heartbeat_intervals(real_infra):
    # The relay when idle, and a consumer waiting out a database outage, only send for a
    # while; if they did not read as well they would drop a healthy connection.
    settings = real_infra.settings(WIDGETS, BROKER_HEARTBEAT="1")
    with broker.connect(settings) as listening, broker.connect(settings) as deaf:
        listening.ensure_connection(max_retries=1)
        deaf.ensure_connection(max_retries=1)
        missed = None
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            broker.listen(listening, 0.2)
            try:
                deaf.heartbeat_check()  # only sending, as the relay used to between batches
            except ConnectionForced as exc:
                missed = exc
        listening.heartbeat_check()
    assert missed is not None, "the control: a connection that never reads gives up on the broker"


def test_a_consumer_waits_out_a_database_outage_of_several_heartbeats_and_applies_the_event(
        real_infra, postgres_databases):
    bus = Bus(real_infra, BROKER_HEARTBEAT="2")
    handlers = tally_handlers()
    bus.make("tally")
    topology = broker.Topology(bus.settings)
    with bus.consumer(handlers), bus.relay():
        wait_until(lambda: bus.count(inbox) == 1, what="the tally widget's own event")
        with postgres_databases.down(bus.settings.database_url):
            with broker.connect(bus.settings, confirms=True) as connection:
                Producer(connection.channel(), exchange=topology.events).publish(
                    a_cloudevent("widgets.widget.made", {"code": "WHILE-DOWN"}),
                    routing_key="widgets.widget.made", content_type="application/cloudevents+json")
            time.sleep(7)  # the consumer holds the message, waiting for the database
        wait_until(lambda: bus.tally() == 1, timeout=60, what="the event held through the outage")
        assert bus.dead_letters(handlers) == []


def test_two_relays_at_once_publish_every_event_once_and_in_commit_order(infra):
    bus = Bus(infra, RELAY_BATCH_SIZE="3")
    topology = broker.Topology(bus.settings)
    probe = Queue(f"{bus.settings.queue_prefix}probe", exchange=topology.events, routing_key="widgets.#")
    with broker.connect(bus.settings) as connection:
        probe(connection.channel()).declare()

    with bus.relay(), bus.relay():
        for number in range(30):
            bus.make(f"W-{number:02d}")
        wait_until(lambda: bus.unpublished() == 0, what="both relays to drain the outbox")

    received = []
    with broker.connect(bus.settings) as connection:
        queue = probe(connection.channel())
        while (message := queue.get()) is not None:
            received.append(json.loads(message.body)["subject"])
            message.ack()
        queue.delete()
    assert received == [f"W-{number:02d}" for number in range(30)]


def test_a_row_is_marked_published_only_once_the_broker_confirmed_it(real_infra):
    """A queue that is full and refuses new messages makes RabbitMQ nack the publish: the
    relay must keep those rows unpublished and deliver them once there is room."""
    bus = Bus(real_infra)
    topology = broker.Topology(bus.settings)
    tight = Queue(f"{bus.settings.queue_prefix}tight", exchange=topology.events, routing_key="widgets.#",
                  queue_arguments={"x-max-length": 1, "x-overflow": "reject-publish"})
    with broker.connect(bus.settings) as connection:
        tight(connection.channel()).declare()
    for code in ["A", "B", "C"]:
        bus.make(code)

    received = []
    with bus.relay():
        wait_until(lambda: bus.unpublished() == 2, what="the first event confirmed, the others refused")
        with broker.connect(bus.settings) as connection:
            queue = tight(connection.channel())

            def take_one():  # making room, one message at a time, as the relay retries
                message = queue.get()
                if message is not None:
                    received.append(json.loads(message.body)["subject"])
                    message.ack()
                return len(received) == 3

            wait_until(take_one, what="the refused events, published again")
            queue.delete()
        wait_until(lambda: bus.unpublished() == 0, what="every row marked once confirmed")
    assert received == ["A", "B", "C"]


def test_many_consumers_binding_at_once_on_the_embedded_broker_all_get_their_queue(infra):
    # Each handler binds on its own connection and thread, and each service in its own process:
    # the embedded broker's exchange table must take them all, whatever the interleaving.
    settings = infra.settings(WIDGETS)
    topology = broker.Topology(settings)
    handlers = [f"widgets.race_{n}" for n in range(12)]
    start = threading.Barrier(len(handlers))

    def bind(handler):
        with broker.connect(settings) as connection:
            start.wait()
            topology.declare(connection.default_channel, [(handler, [f"widgets.{handler}.happened"])])

    threads = [threading.Thread(target=bind, args=(h,)) for h in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    queues = {topology.queue_name(h) for h in handlers}
    with broker.connect(settings) as connection:
        channel = connection.default_channel
        if settings.uses_embedded_broker:
            assert queues <= {b.queue for b in channel.get_table(settings.events_exchange)}
        else:
            for queue in queues:
                channel.queue_declare(queue=queue, passive=True)  # raises if it was not declared


def test_channels_opening_at_once_return_a_dead_consumers_messages_exactly_once(tmp_path):
    # A consumer killed mid-delivery leaves its messages in unacked/<pid>/; every channel of the
    # next consumer (one per handler, opening together) sweeps them back without tripping up.
    from kombu import Connection

    from shared.events import fsbroker

    queues, control = tmp_path / "queues", tmp_path / "control"
    queues.mkdir()
    control.mkdir()
    dead = tmp_path / "unacked" / "999999999"  # no such process
    dead.mkdir(parents=True)
    for n in range(200):
        (dead / f"{n:05d}.msg").write_text("{}")
    options = {"data_folder_in": str(queues), "data_folder_out": str(queues), "control_folder": str(control)}
    start, failures = threading.Barrier(8), []

    def open_channel():
        start.wait()
        try:
            with Connection(transport=fsbroker.Transport, transport_options=options) as connection:
                connection.default_channel
        except Exception as exc:  # noqa: BLE001  (the test reports what went wrong)
            failures.append(exc)

    threads = [threading.Thread(target=open_channel) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert sorted(p.name for p in queues.iterdir()) == [f"{n:05d}.msg" for n in range(200)]
    assert not dead.exists()


def test_consumers_of_the_embedded_broker_look_for_messages_as_often_as_set(tmp_path):
    for environ, every in (({}, 0.2), ({"BROKER_POLL_SECONDS": "0.05"}, 0.05)):
        settings = Settings.from_env("widgets", {"AFTERSALES_DATA_DIR": str(tmp_path), **environ})
        with broker.connect(settings) as connection:
            assert connection.transport.polling_interval == every
