"""What a relay and a consumer report about themselves: counters of what they did, the depth of
each dead-letter queue asked of the broker (RabbitMQ and the embedded one), one log line per
event handled, and probes that tell a stuck loop from one waiting out an outage."""

from __future__ import annotations

import json
import logging

import requests
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from shared.events import consumer
from shared.events.relay import Relay
from shared.logs import configure
from shared.monitoring import DeadLetterQueueCollector, Health, InboxCollector, ProcessMonitor, dead_letter_depths
from shared.testing import in_background, wait_until
from shared.tests.test_event_bus import Bus, tally_handlers
from shared.tests.test_dead_letters import dead_letter_ids


def samples(monitor: ProcessMonitor) -> dict[tuple[str, frozenset], float]:
    """(sample name, labels) -> value, as a scrape of the monitor's registry reads them."""
    found = {}
    for family in text_string_to_metric_families(generate_latest(monitor.registry).decode()):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(monitor: ProcessMonitor, name: str, **labels: str) -> float:
    return samples(monitor)[(name, frozenset(labels.items()))]


def test_relay_and_consumer_count_what_they_did_and_the_broker_says_what_is_dead_lettered(infra, capsys):
    bus = Bus(infra, CONSUMER_MAX_ATTEMPTS="2")
    handlers = tally_handlers(poison={"P"})
    handler = handlers.subscriptions[0].name
    relay_monitor = ProcessMonitor("widgets", "relay")
    consumer_monitor = ProcessMonitor("widgets", "consumer")
    consumer_monitor.watch(InboxCollector("widgets", bus.units.database, [handler]))
    consumer_monitor.watch(DeadLetterQueueCollector(bus.settings, [handler]))
    # Before the consumer ever ran there is no dead-letter queue: looking says 0 and makes none.
    assert dead_letter_depths(bus.settings, [handler]) == {handler: 0}
    bus.make("tally")
    for code in ["A", "P", "B"]:
        bus.make(code)
    previous = logging.getLogger().handlers[:], logging.getLogger().level
    configure("widgets", "INFO", as_json=True)  # JSON lines on stderr, as a deployed consumer writes
    infra.remember(bus.settings, handlers)
    ready = []
    run = in_background(
        lambda stop: consumer.run(bus.settings, bus.units, [handlers], stop, lambda: ready.append(1),
                                  monitor=consumer_monitor),
        "consumer",
    )
    with run:
        wait_until(lambda: ready, what="the consumer to declare its queues")
        with in_background(Relay(bus.settings, bus.units.database, monitor=relay_monitor).run, "relay"):
            wait_until(lambda: bus.tally() == 2 and len(dead_letter_ids(bus, handlers)) == 1,
                       what="A and B applied, P dead-lettered")
            depth = ("aftersales_dead_letter_queue_messages", frozenset({"service": "widgets", "handler": handler}.items()))
            assert samples(consumer_monitor)[depth] == 1
            assert value(relay_monitor, "aftersales_process_ready", service="widgets", process="relay",
                         part="relay") == 1
    logging.getLogger().handlers[:], _ = previous
    logging.getLogger().setLevel(previous[1])

    assert value(relay_monitor, "aftersales_events_published_total", service="widgets",
                 type="widgets.widget.made") == 4
    published = sum(v for (name, _), v in samples(relay_monitor).items() if name == "aftersales_events_published_total")
    assert published > 4  # and what counting painted the tally
    assert value(relay_monitor, "aftersales_event_publish_confirm_seconds_count", service="widgets") == published
    consumed = {outcome: value(consumer_monitor, "aftersales_events_consumed_total", service="widgets",
                               handler=handler, outcome=outcome)
                for outcome in ("applied", "duplicate", "dead_lettered", "requeued")}
    assert consumed == {"applied": 3, "duplicate": 0, "dead_lettered": 1, "requeued": 0}  # tally, A, B; P
    assert value(consumer_monitor, "aftersales_event_retries_total", service="widgets", handler=handler) == 1
    assert value(consumer_monitor, "aftersales_events_dead_lettered_total", service="widgets", handler=handler,
                 reason="failed") == 1
    assert value(consumer_monitor, "aftersales_inbox_events", service="widgets", handler=handler) == 3

    # One INFO line per message, enough to follow an event by its id.
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    handled = [line for line in lines if line["event"] == "consumer.event_handled"]
    assert sorted((line["correlation_id"], line["outcome"]) for line in handled) == [
        ("c-A", "applied"), ("c-B", "applied"), ("c-P", "dead_lettered"), ("c-tally", "applied")]
    for line in handled:
        assert line["level"] == "info" and line["handler"] == handler
        assert line["event_type"] == "widgets.widget.made" and line["event_id"]
        assert isinstance(line["duration_ms"], float)
    [poisoned] = [line for line in handled if line["outcome"] == "dead_lettered"]
    assert (poisoned["reason"], poisoned["attempts"]) == ("failed", 2)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_probes_tell_a_stuck_loop_and_a_lost_connection():
    clock = Clock()
    monitor = ProcessMonitor("widgets", "consumer", Health(stale_after=60, clock=clock))
    monitor.health.expect("widgets.count_made")
    database_up = [True]

    def ping():
        if not database_up[0]:
            raise ConnectionError("database unreachable")

    monitor.health.check("database", ping)
    host, port = monitor.serve("127.0.0.1:0")
    base = f"http://{host}:{port}"
    try:
        def get(path):
            return requests.get(base + path, timeout=5)

        assert get("/health/live").status_code == 200
        assert get("/health/ready").status_code == 503  # not consuming yet
        monitor.health.set_ready("widgets.count_made", True)
        assert get("/health/ready").json() == {"status": "ok", "checks": {"widgets.count_made": True, "database": True}}

        database_up[0] = False
        answer = get("/health/ready")
        assert (answer.status_code, answer.headers["Content-Type"]) == (503, "application/problem+json")
        assert answer.json()["checks"] == {"widgets.count_made": True, "database": False}
        database_up[0] = True

        clock.now += 59
        assert get("/health/live").status_code == 200
        clock.now += 2  # the loop has not come round for 61 s: stuck
        stuck = get("/health/live")
        assert stuck.status_code == 503
        assert stuck.json()["stuck_seconds"] == {"widgets.count_made": 61.0}
        monitor.health.beat("widgets.count_made")
        assert get("/health/live").status_code == 200
        assert "aftersales_process_heartbeat_age_seconds" in get("/metrics").text
        assert get("/nothing").status_code == 404
    finally:
        monitor.close()
