"""The event catalog (docs/asyncapi.yaml) agrees with the code, and with what the services emit.

- The committed document is exactly what `python -m tools.asyncapi` generates.
- Every event class in the three services is in it.
- Real events, written by the services' demo loaders and a round of everyday use through their
  APIs, then carried by the relay over the broker, validate against the schema the document
  gives their type and version: envelope, AMQP headers and `data`, field for field.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import uuid

from kombu import Consumer, Queue
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS, Database
from shared.events import broker
from shared.events.asyncapi import is_event_type
from shared.events.relay import Relay
from shared.events.tables import outbox
from shared.testing import (
    a_cloudevent,
    apply_event,
    committed_catalog,
    committed_catalog_document,
    in_background,
    wait_until,
)

from tools.asyncapi import SERVICES, document

from parts.app import PARTS

DEALER = "D001"
VIN = "LVSHCAMB1CE054249"

# What the scenario below makes the services emit, checked here with their AMQP headers too.
# Every other event is checked (envelope and data) by whichever test makes it: the `infra`
# fixtures validate every outbox row against the catalog when a test ends.
EXERCISED = {
    "parts.part.created", "parts.part.updated", "parts.stock.received", "parts.lot.inspected",
    "parts.supplier.quality_changed", "parts.stock.reserved", "parts.stock.below_safety_level",
    "parts.reservation.released", "parts.stock.replenished", "parts.stock.issued", "parts.stock.returned",
    "parts.stock.adjusted", "parts.lot.quarantined", "parts.lot.released",
    "warranty.vehicle.registered", "warranty.vehicle.odometer_recorded", "warranty.vehicle.updated",
    "warranty.coverage_plan.added", "warranty.coverage_plan.changed",
    "complaints.complaint.received", "complaints.complaint.classified",
}


# ---------------------------------------------------------------- the document and the code


def test_the_committed_catalog_is_what_the_generator_writes():
    assert committed_catalog_document() == json.loads(json.dumps(document())), (
        "regenerate: python -m tools.asyncapi > docs/asyncapi.yaml"
    )


def test_every_event_class_of_every_service_is_in_the_catalog():
    defined = set()
    for service in SERVICES:
        package = importlib.import_module(service.name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{service.name}."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)
        defined |= {
            (cls.type, cls.version) for cls in _all_subclasses()
            if cls.__module__.startswith(f"{service.name}.") and is_event_type(cls)
        }
    messages = committed_catalog_document()["components"]["messages"]
    documented = {(m["name"], int(key.rsplit(".v", 1)[1])) for key, m in messages.items()}
    assert defined, "no event classes found"
    assert defined == documented


def test_every_reference_in_the_catalog_resolves():
    doc = committed_catalog_document()

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    def resolve(pointer: str):
        assert pointer.startswith("#/"), pointer
        node = doc
        for part in pointer[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    found = list(refs(doc))
    assert found
    for pointer in found:
        resolve(pointer)
    # An operation's messages must be messages of its channel (AsyncAPI 3.0, Operation Object).
    for name, operation in doc["operations"].items():
        channel = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(channel + "/messages/"), name


def _all_subclasses():
    from shared.model import Event

    pending = [Event]
    while pending:
        cls = pending.pop()
        yield cls
        pending.extend(cls.__subclasses__())


def test_the_checker_refuses_an_event_that_breaks_its_schema():
    catalog = committed_catalog()
    event = json.loads(a_cloudevent("parts.stock.issued", {
        "issue": "ISS-1", "repair_order": "RO-1", "vin": VIN, "part_number": "P-1", "location": "MAIN",
        "lot": "L-1", "supplier": "S1", "quantity": "2.000", "source": "oem", "technician": "t"},
        source="/aftersales/parts", id=str(uuid.uuid4())))
    assert catalog.problems(event) == []
    assert catalog.problems({**event, "data": {**event["data"], "quantity": 2}})  # a number, not a decimal string
    assert catalog.problems({**event, "data": {**event["data"], "quantity": "1E+3"}})
    assert catalog.problems({**event, "data": {k: v for k, v in event["data"].items() if k != "vin"}})
    assert catalog.problems({**event, "data": {**event["data"], "extra": "x"}})
    assert catalog.problems({**event, "time": "yesterday"})
    assert catalog.problems({**event, "dataschema": event["dataschema"][:-1] + "2"})


# ---------------------------------------------------------------- real events against the document


def test_events_the_services_emit_match_the_catalog(infra):
    catalog = committed_catalog()
    apps = {}
    for service in SERVICES:
        settings = infra.settings(service)
        if service.load_demo is not None:
            service.load_demo(service.units_of_work(settings))
        apps[service.name] = service.create_app(settings)
    admin = {"Authorization": "Bearer " + mint(infra.settings(PARTS).jwt_secret, "catalog-check", DEALER, ["admin"])}
    use_parts(apps["parts"].test_client(), admin, infra)
    use_warranty(apps["warranty"].test_client(), admin)
    use_complaints(apps["complaints"].test_client(), admin)

    # As a subscriber sees them: from the HTTP feed, and from a queue bound to everything.
    received = carried_by_the_broker(infra)
    problems, seen = [], set()
    fed = 0
    for service in SERVICES:
        for item in feed(apps[service.name].test_client(), admin):
            fed += 1
            seen.add(item["event"]["type"])
            problems += catalog.problems(item["event"])
    for envelope, headers in received:
        problems += catalog.problems(envelope, headers)
    assert problems == []
    assert len(received) == fed
    assert EXERCISED <= seen, f"the scenario no longer emits {sorted(EXERCISED - seen)}"


def feed(client, headers) -> list[dict]:
    items, after = [], 0
    while True:
        page = client.get(f"/api/v1/events?after={after}&limit=1000", headers=headers)
        assert page.status_code == 200, page.get_json()
        body = page.get_json()
        if not body["items"]:
            return items
        items += body["items"]
        after = body["next_after"]


def carried_by_the_broker(infra) -> list[tuple[dict, dict]]:
    """Run each service's relay until its outbox is empty; return what a queue bound with `#`
    got (body and AMQP headers)."""
    settings = infra.settings(PARTS)
    topology = broker.Topology(settings)
    queue = Queue(f"{infra.namespace}.catalog-check", exchange=topology.events, routing_key="#",
                  durable=False, auto_delete=False)
    messages: list[tuple[dict, dict]] = []
    with broker.connect(settings) as connection:
        channel = connection.channel()
        topology.events(channel).declare()
        queue(channel).declare()
        try:
            for service in SERVICES:
                service_settings = infra.settings(service)
                database = Database(service_settings.database_url)
                try:
                    relay = Relay(service_settings, database)
                    with in_background(relay.run, f"{service.name}-relay"):
                        wait_until(lambda: _unpublished(database) == 0, what=f"{service.name}'s outbox to empty")
                finally:
                    database.dispose()
            expected = sum(_count(infra.settings(s).database_url) for s in SERVICES)

            def collect(body, message):
                messages.append((json.loads(body if isinstance(body, str) else body.decode("utf-8")),
                                 dict(message.headers)))
                message.ack()

            with Consumer(channel, queues=[queue], callbacks=[collect], accept=None):
                wait_until(lambda: _drain(connection) or len(messages) >= expected,
                           what=f"{expected} events from the broker")
        finally:
            queue(channel).delete()
            if infra.kind == "real":
                topology.events(channel).delete()
    return messages


def _drain(connection) -> bool:
    try:
        connection.drain_events(timeout=0.2)
    except TimeoutError:
        pass
    except OSError:  # socket.timeout on some transports
        pass
    return False


def _unpublished(database: Database) -> int:
    with database.reading(ALL_DEALERS) as session:
        return session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))


def _count(url: str) -> int:
    database = Database(url)
    try:
        with database.reading(ALL_DEALERS) as session:
            return session.scalar(select(func.count()).select_from(outbox))
    finally:
        database.dispose()


# ---------------------------------------------------------------- a day at each desk, after the demo data


def ok(response, status=(200, 201)):
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), response.get_json()
    return response.get_json()


def use_parts(client, admin, infra):
    pads = "04465-33450"
    lots = ok(client.get(f"/api/v1/stock?part_number={pads}&location=MAIN", headers=admin))["items"]
    pending = next(b["lot"] for b in lots if b["inspection"] == "pending")
    ok(client.post(f"/api/v1/lots/{pending}/inspection", json={"result": "failed", "note": "cracked backing plate"},
                   headers=admin))  # parts.lot.inspected, parts.supplier.quality_changed

    part = client.get("/api/v1/parts/90915-YZZE1", headers=admin)
    ok(client.patch("/api/v1/parts/90915-YZZE1", json={"name_en": "Oil filter (new box)"},
                    headers={**admin, "If-Match": part.headers["ETag"]}))  # parts.part.updated

    # 6 available, safety stock 4: reserving 3 falls below it, releasing them climbs back.
    first = ok(client.post("/api/v1/reservations", json={"part_number": pads, "quantity": "3", "for_kind": "repair_order",
                                                         "for_reference": "RO-CAT-1"}, headers=admin))
    ok(client.post(f"/api/v1/reservations/{first['number']}/release", json={"reason": "customer declined"},
                   headers=admin))
    second = ok(client.post("/api/v1/reservations", json={"part_number": pads, "quantity": "2",
                                                          "for_kind": "repair_order", "for_reference": "RO-CAT-2"},
                            headers=admin))
    slip = ok(client.post("/api/v1/issues", json={
        "repair_order": "RO-CAT-2", "vin": VIN, "technician": "tech-wang",
        "lines": [{"part_number": pads, "quantity": "2", "reservation": second["number"]}]}, headers=admin))
    lot = slip["lines"][0]["lot"]
    ok(client.post(f"/api/v1/issues/{slip['number']}/returns",
                   json={"lines": [{"part_number": pads, "lot": lot, "quantity": "1"}]}, headers=admin))

    count = ok(client.post("/api/v1/counts", json={"location": "MAIN", "part_numbers": ["08880-83717"]}, headers=admin))
    ok(client.post(f"/api/v1/counts/{count['number']}/lines", json={"lines": [
        {"part_number": line["part_number"], "lot": line["lot"], "counted": "119.5", "reason": "spilled"}
        for line in count["lines"]]}, headers=admin))
    ok(client.post(f"/api/v1/counts/{count['number']}/submit", headers=admin))
    decided = client.get(f"/api/v1/counts/{count['number']}", headers=admin).get_json()
    if decided["status"] == "awaiting_approval":
        ok(client.post(f"/api/v1/counts/{count['number']}/decision", json={"approve": True}, headers=admin))

    ok(client.post(f"/api/v1/lots/{lot}/quarantine", json={"reason": "supplier recall R-17"}, headers=admin))
    ok(client.post(f"/api/v1/lots/{lot}/release", json={"reason": "supplier cleared the batch"}, headers=admin))

    # A field failure reported by warranty, as parts' consumer applies it.
    claim = a_cloudevent("warranty.claim.approved", {"claim_number": "WC-CAT-1", "causal_part_number": pads,
                                                     "causal_lot": lot, "vin": VIN})
    settings = infra.settings(PARTS)
    [handlers] = [h for h in PARTS.handlers
                  if any("warranty.claim.approved" in s.event_types for s in h.subscriptions)]
    assert apply_event(settings, PARTS.units_of_work(settings), handlers, claim).applied


def use_warranty(client, admin):
    vin = "LFV2A21K3F4100010"
    vehicle = client.get(f"/api/v1/vehicles/{vin}", headers=admin)
    ok(client.patch(f"/api/v1/vehicles/{vin}", json={"owner_count": 2, "reason": "过户"},
                    headers={**admin, "If-Match": vehicle.headers["ETag"]}))
    plan = client.get("/api/v1/coverage-plans/TOYOTA-REPAIR", headers=admin)
    ok(client.patch("/api/v1/coverage-plans/TOYOTA-REPAIR", json={"deductible": "100.00"},
                    headers={**admin, "If-Match": plan.headers["ETag"]}))


def use_complaints(client, admin):
    complaint = ok(client.get("/api/v1/complaints", headers=admin))["items"][0]
    ok(client.post(f"/api/v1/complaints/{complaint['id']}/classification",
                   json={"category": "after_sales_service", "severity": "normal", "reason": "read by a person"},
                   headers=admin))
