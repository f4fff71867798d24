"""One event's whole path: HTTP -> parts' unit of work -> outbox -> relay -> broker ->
warranty's consumer -> warranty's API, with every process real."""

from __future__ import annotations

import requests
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS, Database
from shared.events.tables import inbox, outbox
from shared.testing import wait_until

from parts.app import PARTS
from warranty.app import WARRANTY


def headers(infra, roles, dealer="D001"):
    secret = infra.settings(PARTS).jwt_secret
    return {"Authorization": "Bearer " + mint(secret, "e2e", dealer, roles)}


def a_part(number, **overrides):
    return {"part_number": number, "name_en": f"Part {number}", "category": "brakes", "unit": "pcs",
            "source": "oem", "safety_critical": True, "list_price": "100.00", **overrides}


def known_to_warranty(stack, infra, number):
    response = requests.get(f"{stack.url('warranty')}/api/v1/catalog/{number}",
                            headers=headers(infra, ["warranty_clerk"]), timeout=5)
    return response.json() if response.status_code == 200 else None


def count(infra, service, table, **where):
    database = Database(infra.database_url(service))
    try:
        with database.reading(ALL_DEALERS) as session:
            statement = select(func.count()).select_from(table)
            for column, value in where.items():
                statement = statement.where(table.c[column] == value)
            return session.scalar(statement)
    finally:
        database.dispose()


def test_a_part_added_in_parts_is_known_to_warranty_exactly_once(stack, infra):
    clerk = headers(infra, ["parts_clerk"])
    parts_api = f"{stack.url('parts')}/api/v1/parts"
    for number in ("E2E-1", "E2E-2", "E2E-3"):
        assert requests.post(parts_api, json=a_part(number), headers=clerk, timeout=5).status_code == 201
    changed = requests.patch(f"{parts_api}/E2E-2", json={"source": "aftermarket"},
                             headers={**clerk, "If-Match": '"1"'}, timeout=5)
    assert changed.status_code == 200

    wait_until(lambda: (known_to_warranty(stack, infra, "E2E-2") or {}).get("source") == "aftermarket",
               what="warranty to learn of the change")
    for number in ("E2E-1", "E2E-3"):
        assert wait_until(lambda: known_to_warranty(stack, infra, number), what=f"{number} in warranty")["source"] == "oem"
    assert count(infra, WARRANTY, inbox, handler="warranty.learn_catalog_part") == 4
    wait_until(lambda: count(infra, PARTS, outbox, published_at=None) == 0, what="every parts event published")
    assert count(infra, PARTS, outbox) == 4

    feed = requests.get(f"{stack.url('parts')}/api/v1/events?after=0",
                        headers=headers(infra, ["integration"]), timeout=5).json()["items"]
    assert [(i["event"]["type"], i["event"]["subject"]) for i in feed] == [
        ("parts.part.created", "E2E-1"), ("parts.part.created", "E2E-2"),
        ("parts.part.created", "E2E-3"), ("parts.part.updated", "E2E-2"),
    ]
    assert [i["position"] for i in feed] == sorted(i["position"] for i in feed)


def test_a_killed_consumer_loses_nothing_and_applies_nothing_twice(stack, infra):
    clerk = headers(infra, ["parts_clerk"])
    parts_api = f"{stack.url('parts')}/api/v1/parts"
    requests.post(parts_api, json=a_part("K-0"), headers=clerk, timeout=5)
    wait_until(lambda: known_to_warranty(stack, infra, "K-0"), what="the first part in warranty")

    stack.kill("warranty-consumer")
    for number in range(1, 11):
        assert requests.post(parts_api, json=a_part(f"K-{number}"), headers=clerk, timeout=5).status_code == 201
    stack.restart("warranty-consumer")

    for number in range(11):
        wait_until(lambda: known_to_warranty(stack, infra, f"K-{number}"), timeout=60, what=f"K-{number} in warranty")
    assert count(infra, WARRANTY, inbox, handler="warranty.learn_catalog_part") == 11
