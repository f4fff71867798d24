"""Bad input and faults across the services (issue 6): garbage and newer event versions on the
real exchange, and a service whose database goes away. What shared/tests already prove for
the plumbing alone (a widget consumer dead-letters non-JSON, a v2 event and a domain error; a
poison message is retried then parked) is here proven for the real consumer processes of every
service, on PostgreSQL + RabbitMQ and on the embedded default."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import pytest
from kombu import Producer
from sqlalchemy.engine import make_url

from shared.auth import mint
from shared.events import broker, consumer
from shared.events.consumer import Processor
from shared.testing import a_cloudevent, in_background, wait_until
from tests.backoffice import (
    CAMRY_VIN,
    MAIN,
    PADS,
    SUPPLIER,
    BackOffice,
    a_stocked_safety_part,
    assert_every_event_applied_once,
    assert_every_process_runs,
    dead_letters,
    issue,
    register,
    subscriptions,
)

from complaints.app import COMPLAINTS
from parts.app import PARTS
from parts.handlers import quality_events
from warranty.app import WARRANTY
from warranty.handlers import parts_events

SCHEMAS = "https://aftersales.example/schemas/events"


def v2(type_: str) -> str:
    return f"{SCHEMAS}/{type_}/v2"


def put_on_exchange(infra, messages: list[tuple[str, bytes]]) -> None:
    """Publish as a careless subscriber would: straight to the events exchange, in this order,
    each with a routing key some consumer is bound to."""
    settings = infra.settings(PARTS)
    topology = broker.Topology(settings)
    # With publisher confirms: RabbitMQ promises nothing for an unconfirmed message whose
    # connection closes at once, and a quorum queue did drop one now and then.
    with broker.connect(settings, confirms=True) as connection:
        # Declared as it is (a durable topic exchange): the embedded broker routes by the type
        # this process declared, and without it would treat the exchange as a direct one.
        producer = Producer(connection.channel(), exchange=topology.events)
        for routing_key, body in messages:
            producer.publish(body, routing_key=routing_key, content_type="application/cloudevents+json",
                             content_encoding="binary", delivery_mode=2, retry=True)


def test_garbage_and_newer_versions_on_the_exchange_are_parked_and_every_consumer_carries_on(stack, infra):
    office = BackOffice(stack, infra)
    lot = a_stocked_safety_part(office)
    register(office, CAMRY_VIN, "Camry")
    watching = office.post("complaints", "/complaints", "complaints_agent",
                           {"channel": "web", "text": "When will my warranty claim be paid?", "claim_number": "WC-HAND-1"})

    issued = {"issue": "ISS-FORGED", "repair_order": "RO-X", "vin": CAMRY_VIN, "part_number": PADS,
              "location": MAIN, "lot": lot, "supplier": SUPPLIER, "quantity": "1.000", "source": "oem"}
    approved = {"claim_number": "WC-HAND-1", "vin": CAMRY_VIN, "causal_part_number": PADS, "causal_lot": lot}
    classified = {"complaint_number": "C-HAND-1", "category": "product_quality", "part_number": PADS, "lot": lot}
    newer_issue = a_cloudevent("parts.stock.issued", issued, dataschema=v2("parts.stock.issued"))
    newer_approval = a_cloudevent("warranty.claim.approved", approved, dataschema=v2("warranty.claim.approved"))
    newer_complaint = a_cloudevent("complaints.complaint.classified", classified,
                                   dataschema=v2("complaints.complaint.classified"))
    good_approval = a_cloudevent("warranty.claim.approved", approved)
    put_on_exchange(infra, [
        # Not JSON at all (nor UTF-8), a JSON array, data of the wrong types, a newer version.
        ("parts.stock.issued", b"\xff\xfe not json at all"),
        ("parts.stock.issued", b'["a", "json", "array"]'),
        ("parts.stock.issued", a_cloudevent("parts.stock.issued", {**issued, "repair_order": 7, "quantity": "lots"})),
        ("parts.stock.issued", newer_issue),
        # JSON but no CloudEvent; a CloudEvent whose attributes have the wrong types; a newer version.
        ("warranty.claim.approved", json.dumps({"claim_number": "WC-HAND-1", "status": "approved"}).encode()),
        ("warranty.claim.approved", a_cloudevent("warranty.claim.approved", approved, sequence="seven", time=12345)),
        ("warranty.claim.approved", newer_approval),
        ("complaints.complaint.classified", b"   "),
        ("complaints.complaint.classified", newer_complaint),
        ("parts.part.created", b"{not json"),
        # And behind them, on the same connection, a good one.
        ("warranty.claim.approved", good_approval),
    ])
    # More good events, from the services themselves, after the garbage.
    slip = issue(office, CAMRY_VIN, "RO-2026-1210", "1")
    office.post("parts", "/parts", "parts_clerk", {"part_number": "04465-AFTER", "name_en": "Pads, later",
                                                   "category": "brakes", "unit": "set", "source": "oem",
                                                   "list_price": "99.00"})
    complaint = office.post("complaints", "/complaints", "complaints_agent",
                            {"channel": "phone", "text": "The brake pads are defective and squeal, poor quality part.",
                             "part_number": PADS, "lot": lot})
    assert complaint["category"] == "product_quality"

    # Every good event is applied ...
    wait_until(lambda: [p["issue"] for p in office.get("warranty", f"/vehicles/{CAMRY_VIN}/installed-parts",
                                                        "warranty_clerk")["items"]] == [slip["number"]],
               timeout=90, what="warranty to record the real issue")
    wait_until(lambda: office.find("warranty", "/catalog/04465-AFTER", "warranty_clerk"), timeout=90,
               what="warranty to learn the part created after the garbage")
    wait_until(lambda: (lambda q: (q["field_failures"], q["incidents"]) == (1, 1))(
        office.get("parts", f"/suppliers/{SUPPLIER}/quality", "parts_manager")), timeout=90,
        what="parts to count the good approval and the real complaint")
    wait_until(lambda: [e["kind"] for e in office.get("complaints", f"/complaints/{watching['id']}",
                                                      "complaints_agent")["timeline"] if e["kind"].startswith("claim_")],
               timeout=90, what="the complaint naming the claim to show its approval")

    # ... and every bad one is parked in its handler's dead-letter queue, with the reason.
    parked: dict[str, list[dict]] = defaultdict(list)
    expected = {
        "warranty.record_installed_part": ["invalid_data", "malformed_event", "malformed_event", "unsupported_version"],
        "warranty.learn_catalog_part": ["malformed_event"],
        "parts.count_field_failure": ["malformed_event", "malformed_event", "unsupported_version"],
        "complaints.show_claim_news": ["malformed_event", "malformed_event", "unsupported_version"],
        "parts.count_quality_complaint": ["malformed_event", "unsupported_version"],
        # The complaints service hears its own classifications, to tell the manager of a safety one.
        "complaints.notify_critical": ["malformed_event", "unsupported_version"],
    }

    def all_parked() -> bool:
        for _service, subscription in subscriptions():
            parked[subscription.name].extend(dead_letters(infra, subscription.name))
        return all(len(parked[name]) >= len(reasons) for name, reasons in expected.items())

    wait_until(all_parked, timeout=90, what="the bad messages in the dead-letter queues")
    reasons = {name: sorted(m["headers"].get("x-aftersales-reason", "?") for m in messages)
               for name, messages in parked.items() if messages}
    assert reasons == expected, {name: [(m["body"][:80], m["headers"]) for m in messages]
                                 for name, messages in parked.items() if messages}
    for name, messages in parked.items():
        for message in messages:
            assert message["headers"]["x-aftersales-handler"] == name
            assert message["headers"]["x-aftersales-error"]
    # A newer version is parked as it came, to be replayed once the handler knows v2.
    assert [json.loads(m["body"]) for m in parked["warranty.record_installed_part"]
            if m["headers"]["x-aftersales-reason"] == "unsupported_version"] == [json.loads(newer_issue)]
    assert "v2" in next(m["headers"]["x-aftersales-error"] for m in parked["parts.count_field_failure"]
                        if m["headers"]["x-aftersales-reason"] == "unsupported_version")

    # No consumer died, each good event was applied once and nothing bad was applied at all.
    assert_every_process_runs(stack)
    good = json.loads(good_approval)["id"]
    assert_every_event_applied_once(infra, also={"parts.count_field_failure": {good}, "complaints.show_claim_news": {good}})
    [fitted] = office.get("warranty", f"/vehicles/{CAMRY_VIN}/installed-parts?include_returned=true",
                          "warranty_clerk")["items"]
    assert fitted["issue"] == slip["number"]
    figures = office.get("parts", f"/suppliers/{SUPPLIER}/quality", "parts_manager")
    assert (figures["field_failures"], figures["incidents"]) == (1, 1)
    assert sorted((i["kind"], i["reference"]) for i in figures["recent"]) == [
        ("complaint", complaint["id"]), ("field_failure", "WC-HAND-1")]
    timeline = office.get("complaints", f"/complaints/{watching['id']}", "complaints_agent")["timeline"]
    assert [e["kind"] for e in timeline if e["kind"].startswith("claim_")] == ["claim_approved"]


def test_an_event_whose_type_the_handler_does_not_subscribe_to_is_parked_not_applied(embedded_infra):
    # As the queue hands it over: routing key parts.stock.issued, but the envelope says a
    # reservation, whose data happens to fit. Applying it would fit parts that never left the shelf.
    settings = embedded_infra.settings(WARRANTY)
    units = WARRANTY.units_of_work(settings)
    [subscription] = [s for s in parts_events.handlers.subscriptions if s.name == "warranty.record_installed_part"]
    body = a_cloudevent("parts.stock.reserved", {
        "issue": "RES-000001", "repair_order": "RO-1", "vin": CAMRY_VIN, "part_number": PADS, "lot": "L-1",
        "quantity": "1.000"})
    outcome = Processor(settings, units, threading.Event()).process(subscription, body)
    assert outcome.applied is False and outcome.dead_letter_reason is not None


def test_an_empty_message_is_dead_lettered_by_the_consumer_with_its_reason(real_infra):
    settings = real_infra.settings(PARTS)
    units = PARTS.units_of_work(settings)
    real_infra.remember(settings, quality_events.handlers)
    ready = []
    try:
        with in_background(lambda stop: consumer.run(settings, units, [quality_events.handlers], stop,
                                                     lambda: ready.append(True)), "parts-consumer"):
            wait_until(lambda: ready, what="the parts consumer to bind its queues")
            put_on_exchange(real_infra, [("complaints.complaint.classified", b"")])
            [parked] = wait_until(lambda: dead_letters(real_infra, "parts.count_quality_complaint"), timeout=60,
                                  what="the empty message in the dead-letter queue")
    finally:
        units.database.dispose()
    assert parked["headers"].get("x-aftersales-reason") == "malformed_event", parked["headers"]


# ---------------------------------------------------------------- a database that goes away

WRITES = {
    # service, a POST that writes, the role that may, the list that shows what was written
    "parts": (PARTS, "/api/v1/parts", "parts_clerk", "/api/v1/parts",
              {"part_number": "DOWN-1", "name_en": "Written after the outage", "category": "brakes", "unit": "pcs",
               "source": "oem", "list_price": "10.00"}),
    "warranty": (WARRANTY, "/api/v1/vehicles", "service_advisor", "/api/v1/vehicles",
                 {"vin": CAMRY_VIN, "make": "Toyota", "model": "Camry", "model_year": 2025,
                  "in_service_date": "2025-06-18"}),
    "complaints": (COMPLAINTS, "/api/v1/complaints", "complaints_agent", "/api/v1/complaints",
                   {"channel": "phone", "text": "Nobody called me back about my car."}),
}


@contextmanager
def database_down(request, infra, url: str):
    """PostgreSQL: the service's database refuses connections and its sessions are ended (the
    server itself keeps running for everyone else). Embedded: the SQLite file's folder is gone."""
    if infra.kind == "real":
        with request.getfixturevalue("postgres_databases").down(url):
            yield
    else:
        folder = Path(make_url(url).database).parent
        away = folder.with_name(folder.name + ".away")
        folder.rename(away)
        try:
            yield
        finally:
            away.rename(folder)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_service_whose_database_is_down_answers_503_and_recovers_by_itself(request, infra, tmp_path, name):
    service, post_path, role, list_path, body = WRITES[name]
    if infra.kind == "real":
        url = infra.database_url(service)
    else:  # in a folder of its own, so the folder can go away
        url = f"sqlite:///{tmp_path / 'db' / (service.name + '.db')}"
        (tmp_path / "db").mkdir()
        service.migrate(url)
    settings = infra.settings(service, **{f"{service.name.upper()}_DATABASE_URL": url})
    app = service.create_app(settings)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    headers = {"Authorization": "Bearer " + mint(settings.jwt_secret, "e2e", "D001", [role])}
    if infra.kind == "real":
        # Up and in use first: the pool holds connections the outage will break.
        assert client.get("/health/ready").status_code == 200
        assert client.get(list_path, headers=headers).get_json()["items"] == []

    with database_down(request, infra, url):
        ready = client.get("/health/ready")
        assert (ready.status_code, ready.mimetype) == (503, "application/problem+json")
        assert (ready.get_json()["code"], ready.get_json()["checks"]["database"]["ok"]) == ("not_ready", False)
        for attempt in (client.post(post_path, json=body, headers=headers),
                        client.post(post_path, json=body, headers={**headers, "Idempotency-Key": f"{name}-1"})):
            assert (attempt.status_code, attempt.mimetype) == (503, "application/problem+json"), attempt.get_data(as_text=True)
            assert attempt.get_json()["code"] == "unavailable"
            assert attempt.headers["Retry-After"] == "5"
        assert client.get("/health/live").status_code == 200

    # Back by itself: same process, nothing restarted; the writes refused meanwhile left nothing.
    wait_until(lambda: client.get("/health/ready").status_code == 200, timeout=30, what="ready again")
    retried = client.post(post_path, json=body, headers={**headers, "Idempotency-Key": f"{name}-1"})
    assert retried.status_code == 201, retried.get_data(as_text=True)
    assert len(client.get(list_path, headers=headers).get_json()["items"]) == 1
