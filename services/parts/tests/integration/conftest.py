"""What the parts desk needs in most tests: locations, suppliers, parts, and a clerk's shortcuts."""

from __future__ import annotations

import pytest


@pytest.fixture
def desk(client, token):
    """A dealer with two locations, a qualified and an unqualified supplier, and three parts."""
    manager, clerk = token(["parts_manager"]), token(["parts_clerk"], sub="clerk-li")
    for code, warehouse in (("MAIN", "Main store"), ("BODY", "Body shop store")):
        assert client.post("/api/v1/locations", json={"code": code, "warehouse": warehouse}, headers=manager).status_code == 201
    for code, qualified in (("S1", True), ("S9", False)):
        assert client.post("/api/v1/suppliers", json={"code": code, "name": f"Supplier {code}", "qualified": qualified,
                                                      "lead_time_days": 5}, headers=manager).status_code == 201
    for number, unit, price in (("PADS", "set", "680.00"), ("OIL", "L", "96.00"), ("ECU", "pcs", "8800.00")):
        assert client.post("/api/v1/parts", json={"part_number": number, "name_en": number, "category": "general",
                                                  "unit": unit, "source": "oem", "list_price": price},
                           headers=clerk).status_code == 201

    class Desk:
        line = staticmethod(delivery_line)

        def receive(self, *lines, supplier="S1"):
            return client.post("/api/v1/receipts", json={"supplier": supplier, "lines": list(lines)}, headers=clerk)

        def stock(self, **query):
            items = client.get("/api/v1/stock", query_string=query, headers=clerk).get_json()["items"]
            return items

        def available(self, part, location="MAIN"):
            return sum(float(b["available"]) for b in self.stock(part_number=part, location=location))

        def events(self, type_):
            items = client.get("/api/v1/events?limit=1000", headers=token(["integration"])).get_json()["items"]
            return [i["event"]["data"] for i in items if i["event"]["type"] == type_]

        headers = clerk

    return Desk()


def delivery_line(part="PADS", quantity="4", location="MAIN", inspection="passed", **extra):
    return {"part_number": part, "quantity": quantity, "unit_cost": "410.00", "location": location,
            "supplier_lot": "B-2026-11", "inspection": inspection, **extra}
