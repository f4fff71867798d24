"""The example subscriber (tools/subscriber.py) against the real RabbitMQ and a service's feed:
it keeps each event once, across restarts, redeliveries and the feed/queue overlap."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Producer, Queue
from werkzeug.serving import make_server

from shared.auth import mint
from shared.db import Database
from shared.events import broker
from shared.events.relay import Relay
from shared.testing import a_cloudevent, in_background, wait_until

from tools import subscriber

from parts.app import PARTS

ROOT = Path(__file__).resolve().parent.parent
EVENTS = Exchange("aftersales.events", type="topic", durable=True)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def publish(url: str, exchange: Exchange, *bodies: bytes) -> None:
    # Confirmed: an unconfirmed message on a connection closed at once may never reach a quorum queue.
    with Connection(url, transport_options={"confirm_publish": True}) as connection:
        producer = Producer(connection.channel(), exchange=exchange)
        for body in bodies:
            event = json.loads(body)
            producer.publish(body, routing_key=event["type"], content_type="application/cloudevents+json",
                             content_encoding="utf-8", delivery_mode=2, retry=True,
                             headers={"cloudEvents_type": event["type"], "cloudEvents_id": event["id"],
                                      "cloudEvents_source": event["source"]})


@pytest.fixture
def queue_name(rabbitmq_server):
    """A queue of our own, deleted afterwards; the exchange is the real one, left as it was."""
    name = f"test-subscriber.{uuid.uuid4().hex[:10]}"
    with Connection(rabbitmq_server.url) as connection:
        EVENTS(connection.channel()).declare()  # as deploy/rabbitmq/definitions.json declares it
    yield name
    with Connection(rabbitmq_server.url) as connection:
        Queue(name)(connection.channel()).delete()


def test_it_binds_its_own_queue_and_keeps_each_event_once_across_runs(rabbitmq_server, queue_name, tmp_path):
    # Types no service publishes, so no one else's queue gets these and we get no one else's.
    topic = f"t{uuid.uuid4().hex[:10]}"
    out = tmp_path / "events.jsonl"
    run = ["--broker", rabbitmq_server.url, "--queue", queue_name, "--bind", f"{topic}.stock.*",
           "--bind", f"{topic}.claim.#", "--out", str(out), "--dealer", "D001", "--max-version", "1",
           "--idle-exit", "0.5"]

    # First run: the queue is declared and bound; nothing has happened yet.
    assert subscriber.main(run) == 0
    assert lines(out) == []

    issued = a_cloudevent(f"{topic}.stock.issued", {"quantity": "2.000"}, id=str(uuid.uuid4()))
    approved = a_cloudevent(f"{topic}.claim.approved", {"claim_number": "WC-1"}, id=str(uuid.uuid4()))
    publish(rabbitmq_server.url, EVENTS,
            issued, approved, issued,  # a redelivery of the same event
            a_cloudevent(f"{topic}.stock.reserved.late", {}, id=str(uuid.uuid4())),  # `*` is one word
            a_cloudevent(f"{topic}.part.created", {}, id=str(uuid.uuid4())),  # not bound
            a_cloudevent(f"{topic}.stock.adjusted", {}, id=str(uuid.uuid4()), dealer="D002"),  # another dealer
            a_cloudevent(f"{topic}.stock.returned", {}, id=str(uuid.uuid4()),
                         dataschema=f"https://aftersales.example/schemas/events/{topic}.stock.returned/v2"))

    # Second run, while it was down the broker kept them: as the CLI a developer runs.
    cli = subprocess.run([sys.executable, str(ROOT / "tools" / "subscriber.py"), *run],
                         capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    kept = lines(out)
    assert [(e["type"], e["id"]) for e in kept] == [
        (f"{topic}.stock.issued", json.loads(issued)["id"]), (f"{topic}.claim.approved", json.loads(approved)["id"])]
    assert kept[0] == json.loads(issued)  # the CloudEvent as it came
    [parked] = lines(tmp_path / "events.parked.jsonl")
    assert parked["type"] == f"{topic}.stock.returned"

    # Third run: the same events again (a publisher retry), and one new one.
    later = a_cloudevent(f"{topic}.claim.paid.in_full", {}, id=str(uuid.uuid4()))
    publish(rabbitmq_server.url, EVENTS, approved, issued, later)
    assert subscriber.main(run) == 0
    assert [e["id"] for e in lines(out)] == [e["id"] for e in kept] + [json.loads(later)["id"]]
    assert len(lines(tmp_path / "events.parked.jsonl")) == 1


def test_it_catches_up_from_the_feed_then_takes_the_rest_from_its_queue(real_infra, tmp_path):
    """The parts service on PostgreSQL, its relay publishing to this test's own exchange."""
    settings = real_infra.settings(PARTS)
    PARTS.load_demo(PARTS.units_of_work(settings))  # events in the outbox, none published yet
    app = PARTS.create_app(settings)
    token = mint(settings.jwt_secret, "dms-sync", "D001", ["integration"])
    clerk = {"Authorization": "Bearer " + mint(settings.jwt_secret, "li", "D001", ["parts_clerk"])}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    exchange = broker.Topology(settings).events
    with broker.connect(settings) as connection:
        exchange(connection.channel()).declare()
    out, state = tmp_path / "parts.jsonl", tmp_path / "state.json"
    queue_name = f"{real_infra.namespace}.dms"
    run = ["--broker", real_infra.broker_url, "--exchange", exchange.name, "--queue", queue_name,
           "--bind", "parts.#", "--out", str(out), "--state", str(state), "--catch-up", url, "--token", token,
           "--idle-exit", "0.5"]
    try:
        # Down since before the demo data: everything comes from the feed, in commit order.
        assert subscriber.main(run) == 0
        feed = app.test_client().get("/api/v1/events?limit=1000", headers={"Authorization": f"Bearer {token}"})
        items = feed.get_json()["items"]
        assert len(items) > 10
        assert [e["id"] for e in lines(out)] == [i["event"]["id"] for i in items]
        assert json.loads(state.read_text())["feeds"] == {url: items[-1]["position"]}

        # A new part while it is down; the relay then publishes the whole outbox, old and new,
        # to the queue it bound on its first run.
        created = app.test_client().post("/api/v1/parts", headers=clerk, json={
            "part_number": "CAT-NEW-1", "name_en": "New part", "category": "general", "unit": "pcs",
            "source": "oem", "list_price": "10.00"})
        assert created.status_code == 201, created.get_json()
        database = Database(settings.database_url)
        try:
            with in_background(Relay(settings, database).run, "parts-relay"):
                wait_until(lambda: _queued(real_infra.broker_url, queue_name) == len(items) + 1,
                           what="the relay to publish to the subscriber's queue")
        finally:
            database.dispose()

        # Back up: the feed gives the one new event from the stored position, the queue gives
        # every event again, and each is kept once.
        assert subscriber.main(run) == 0
        kept = lines(out)
        assert len(kept) == len(items) + 1 and kept[-1]["subject"] == "CAT-NEW-1"
        assert len({e["id"] for e in kept}) == len(kept)
        assert json.loads(state.read_text())["feeds"][url] > items[-1]["position"]
        assert _queued(real_infra.broker_url, queue_name) == 0
    finally:
        server.shutdown()
        with broker.connect(settings) as connection:
            channel = connection.channel()
            Queue(queue_name)(channel).delete()
            exchange(channel).delete()


def _queued(url: str, name: str) -> int:
    with Connection(url) as connection:
        return Queue(name, durable=True, queue_arguments={"x-queue-type": "quorum"})(
            connection.channel()).queue_declare(passive=True).message_count
