"""The back office as the cross-service tests drive it: each desk's HTTP calls to the running
stack, and the event books (every service's outbox and inbox, every handler's dead-letter
queue) read to prove that no event was lost or applied twice."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import requests
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS, Database
from shared.events import broker
from shared.events.consumer import Subscription
from shared.events.tables import inbox, outbox
from shared.service import Service
from shared.testing import wait_until
from tests.conftest import ALL
from warranty.domain.vin import check_digit

DEALER = "D001"
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_today() -> str:
    """The dealers' business date (warranty dates repairs and installations in Beijing time)."""
    return datetime.now(BEIJING).date().isoformat()


class BackOffice:
    """The three desks of one dealer, over HTTP, each call with the role a person there has."""

    def __init__(self, stack, infra, dealer: str = DEALER):
        self.stack = stack
        self.infra = infra
        self.dealer = dealer
        self._secret = infra.settings(ALL[0]).jwt_secret

    def headers(self, role: str, **extra: str) -> dict[str, str]:
        token = mint(self._secret, f"e2e-{role.replace('_', '-')}", self.dealer, [role])
        return {"Authorization": f"Bearer {token}", **extra}

    def request(self, method: str, service: str, path: str, role: str, *, json_body=None,
                headers: dict | None = None) -> requests.Response:
        return requests.request(method, f"{self.stack.url(service)}/api/v1{path}", json=json_body,
                                headers=self.headers(role, **(headers or {})), timeout=30)

    def post(self, service: str, path: str, role: str, body: dict | None = None, *, expect: int = 201,
             headers: dict | None = None) -> dict:
        response = self.request("POST", service, path, role, json_body=body or {}, headers=headers)
        assert response.status_code == expect, f"POST {service} {path}: {response.status_code} {response.text}"
        return response.json()

    def get(self, service: str, path: str, role: str) -> dict:
        response = self.request("GET", service, path, role)
        assert response.status_code == 200, f"GET {service} {path}: {response.status_code} {response.text}"
        return response.json()

    def find(self, service: str, path: str, role: str) -> dict | None:
        """The resource, or None while it does not exist (yet): 404."""
        response = self.request("GET", service, path, role)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, f"GET {service} {path}: {response.status_code} {response.text}"
        return response.json()

    def feed(self, service: str) -> list[dict]:
        """Every event the service published, in commit order, from its HTTP feed."""
        events, after = [], 0
        while True:
            page = self.get(service, f"/events?after={after}&limit=500", "integration")
            events.extend(item["event"] for item in page["items"])
            if not page["items"]:
                return events
            after = page["items"][-1]["position"]

    def events_of(self, service: str, type_: str) -> list[dict]:
        return [event for event in self.feed(service) if event["type"] == type_]


# ---------------------------------------------------------------- what the flows start from


def a_vin(serial: str) -> str:
    """A VIN with a correct check digit (ISO 3779), which warranty verifies."""
    raw = f"LVSHCAMB0CE{serial:0>6}"
    return raw[:8] + check_digit(raw) + raw[9:]


CAMRY_VIN = "LVSHCAMB1CE054249"  # a real-world shaped VIN whose check digit is right
COROLLA_VIN = a_vin("101777")
SUPPLIER = "AKEBONO-CN"
PADS = "04465-33471"
MAIN = "MAIN"


def a_stocked_safety_part(office: BackOffice) -> str:
    """Parts: a qualified supplier, a location and a safety-critical OEM brake pad set, with ten
    received from the supplier's batch and passed at incoming inspection. Returns the lot."""
    office.post("parts", "/suppliers", "parts_manager",
                {"code": SUPPLIER, "name": "Akebono Brake (Guangzhou)", "qualified": True, "lead_time_days": 5})
    office.post("parts", "/locations", "parts_manager", {"code": MAIN, "warehouse": "Main store", "bin": "B-07"})
    part = office.post("parts", "/parts", "parts_clerk",
                       {"part_number": PADS, "name_zh": "前刹车片", "name_en": "Front brake pads", "category": "brakes",
                        "unit": "set", "source": "oem", "safety_critical": True, "list_price": "150.00"})
    assert (part["safety_critical"], part["source"]) == (True, "oem")
    receipt = office.post("parts", "/receipts", "parts_clerk",
                          {"supplier": SUPPLIER, "delivery_note": "DN-88120",
                           "lines": [{"part_number": PADS, "quantity": "10", "unit_cost": "92.00", "location": MAIN,
                                      "supplier_lot": "AKB-2611-03", "inspection": "passed"}]})
    [line] = receipt["lines"]
    assert (line["part_number"], Decimal(line["quantity"]), line["inspection"]) == (PADS, 10, "passed")
    return line["lot"]


def register(office: BackOffice, vin: str, model: str) -> None:
    vehicle = office.post("warranty", "/vehicles", "service_advisor",
                          {"vin": vin, "make": "Toyota", "model": model, "model_year": 2025,
                           "in_service_date": "2025-06-18"})
    assert vehicle["vin"] == vin


def issue(office: BackOffice, vin: str, repair_order: str, quantity: str, reservation: str | None = None) -> dict:
    slip = office.post("parts", "/issues", "parts_clerk",
                       {"repair_order": repair_order, "vin": vin, "technician": "Zhang Wei",
                        "lines": [{"part_number": PADS, "quantity": quantity, "location": MAIN,
                                   "reservation": reservation}]})
    assert (slip["repair_order"], slip["vin"]) == (repair_order, vin)
    return slip


# ---------------------------------------------------------------- the event books


def _read(infra, service: Service, statement):
    database = Database(infra.database_url(service))
    try:
        with database.reading(ALL_DEALERS) as session:
            return session.execute(statement).all()
    finally:
        database.dispose()


def unpublished(infra, service: Service) -> int:
    [(count,)] = _read(infra, service, select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))
    return count


def outbox_events(infra, service: Service) -> list[tuple[str, str]]:
    """(event id, type) of every event the service wrote, in commit order."""
    return [tuple(row) for row in _read(infra, service, select(outbox.c.event_id, outbox.c.type).order_by(outbox.c.position))]


def inboxes(infra, service: Service) -> dict[str, list[str]]:
    """The event ids each of the service's handlers holds in its inbox: each one it applied (or
    found nothing to do for)."""
    held: dict[str, list[str]] = defaultdict(list)
    for handler, event_id in _read(infra, service, select(inbox.c.handler, inbox.c.event_id)):
        held[handler].append(event_id)
    return held


def subscriptions() -> list[tuple[Service, Subscription]]:
    return [(service, subscription) for service in ALL for handlers in service.handlers
            for subscription in handlers.subscriptions]


def dead_letters(infra, handler: str) -> list[dict]:
    """Take every message out of the handler's dead-letter queue: its body and headers."""
    settings = infra.settings(ALL[0])
    topology = broker.Topology(settings)
    taken = []
    with broker.connect(settings) as connection:
        queue = topology.dead_letter_queue(handler)(connection.channel())
        while (message := queue.get()) is not None:
            taken.append({"body": message.body, "headers": dict(message.headers or {})})
            message.ack()
    return taken


def assert_every_event_applied_once(infra, *, also: dict[str, set[str]] | None = None,
                                    timeout: float = 120) -> dict[str, int]:
    """Every service's outbox is published, and every handler has applied exactly the events of
    the types it subscribes to that any service wrote (plus `also`: events a test put on the
    exchange by hand), each once: none missing, none extra. Returns how many each handler
    applied. (The inbox's key is handler + event id, so "once" is also what the effects show:
    the tests check those too.)"""
    for service in ALL:
        wait_until(lambda: unpublished(infra, service) == 0, timeout=timeout,
                   what=f"every {service.name} outbox row to be published")

    def compare() -> dict[str, tuple[set[str], list[str]]]:
        written = [event for service in ALL for event in outbox_events(infra, service)]
        assert len({event_id for event_id, _ in written}) == len(written), "an event id was written twice"
        held = {service.name: inboxes(infra, service) for service in ALL}
        books = {}
        for service, subscription in subscriptions():
            expected = {event_id for event_id, type_ in written if subscription.wants(type_)}
            books[subscription.name] = (expected | (also or {}).get(subscription.name, set()),
                                        held[service.name][subscription.name])
        return books

    deadline = time.monotonic() + timeout
    while True:
        books = compare()
        if all(Counter(ids) == Counter(expected) for expected, ids in books.values()):
            return {handler: len(ids) for handler, (_, ids) in books.items()}
        if time.monotonic() > deadline:
            wrong = {handler: {"missing": sorted(expected - set(ids)), "unexpected": sorted(set(ids) - expected),
                               "twice": sorted(i for i, n in Counter(ids).items() if n > 1)}
                     for handler, (expected, ids) in books.items() if Counter(ids) != Counter(expected)}
            raise AssertionError(f"after {timeout}s the handlers' inboxes do not match what was published: {wrong}")
        time.sleep(0.2)


def assert_no_dead_letters(infra) -> None:
    for _service, subscription in subscriptions():
        parked = dead_letters(infra, subscription.name)
        assert parked == [], f"{subscription.name} dead-lettered {[(m['headers'].get('x-aftersales-reason'), m['headers'].get('x-aftersales-error')) for m in parked]}"


def assert_every_process_runs(stack) -> None:
    stopped = [(name, process.returncode) for name, process in stack.processes if process.poll() is not None]
    assert stopped == [], f"processes exited: {stopped}; logs in {stack.logs}"


def published_types(infra, service: Service) -> Counter:
    return Counter(type_ for _, type_ in outbox_events(infra, service))
