"""Document and lot numbers carry the dealer's business date (Beijing's), not UTC's."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

VIN = "LVSHCAMB1CE054249"
# 23:30 in Greenwich is already 07:30 the next morning at a dealer in China (Asia/Shanghai).
LATE_IN_UTC = datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc)
BEIJING_DAY, UTC_DAY = "20261125", "20261124"


@pytest.fixture
def morning(service, settings, token):
    """The parts service as it runs at 07:30 Beijing time, with a location, a supplier and a part."""
    client = service.create_app(settings, clock=lambda: LATE_IN_UTC).test_client()
    manager, clerk = token(["parts_manager"]), token(["parts_clerk"])
    for code in ("MAIN", "BODY"):
        assert client.post("/api/v1/locations", json={"code": code, "warehouse": code}, headers=manager).status_code == 201
    assert client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True},
                       headers=manager).status_code == 201
    assert client.post("/api/v1/parts", json={"part_number": "PADS", "name_en": "Pads", "category": "brakes",
                                              "unit": "set", "source": "oem", "list_price": "680.00"},
                       headers=clerk).status_code == 201
    return client, clerk, manager


def _number(response, *path):
    assert response.status_code in (200, 201), response.get_json()
    found = response.get_json()
    for key in path:
        found = found[key]
    return found


def test_numbers_made_before_dawn_in_utc_carry_the_dealers_date(morning):
    client, clerk, manager = morning
    post = lambda url, body, headers=clerk: client.post(url, json=body, headers=headers)  # noqa: E731

    receipt = post("/api/v1/receipts", {"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "6", "unit_cost": "400.00", "location": "MAIN", "inspection": "passed"}]})
    lot = _number(receipt, "lines", 0, "lot")
    numbers = {
        "RC": _number(receipt, "number"),
        "LOT": lot,
        "RV": _number(post("/api/v1/reservations", {"part_number": "PADS", "quantity": "1", "for_kind": "repair_order",
                                                    "for_reference": "RO-1"}), "number"),
        "RV (quote)": _number(post("/api/v1/reservations/batch", {"for_kind": "repair_order", "for_reference": "RO-2",
                                                                  "lines": [{"part_number": "PADS", "quantity": "1"}]}),
                              "reservations", 0, "number"),
        "IS": _number(post("/api/v1/issues", {"repair_order": "RO-3", "vin": VIN, "technician": "t",
                                              "lines": [{"part_number": "PADS", "quantity": "1"}]}), "number"),
        "TR": _number(post("/api/v1/transfers", {"part_number": "PADS", "from_location": "MAIN", "to_location": "BODY",
                                                 "quantity": "1", "reason": "body shop job"}), "number"),
        "PO": _number(post("/api/v1/purchase-orders", {"supplier": "S1", "lines": [
            {"part_number": "PADS", "quantity": "4"}]}, manager), "number"),
        "CNT": _number(post("/api/v1/counts", {"location": "BODY"}), "number"),
    }
    post(f"/api/v1/lots/{lot}/supplier-returns", {"location": "MAIN", "quantity": "1", "reason": "damaged"})
    ledger = client.get("/api/v1/ledger", query_string={"lot": lot}, headers=manager).get_json()["items"]
    numbers["RTS"] = next(m["reference"] for m in ledger if m["kind"] == "return_to_supplier")
    opening = client.post("/api/v1/stock/import", data=(
        "part_number,location,supplier,supplier_lot,quantity,unit_cost\r\nPADS,MAIN,S1,B-1,2,400.00\r\n"),
        content_type="text/csv", headers=manager)
    numbers["RC (opening stock)"] = _number(opening, "receipts", 0, "number")

    for kind, number in numbers.items():
        prefix = kind.split()[0]
        assert re.fullmatch(rf"{prefix}-{BEIJING_DAY}-[0-9A-F]{{8}}", number), (kind, number)
    opening_lots = client.get("/api/v1/stock", query_string={"location": "MAIN"}, headers=manager).get_json()["items"]
    assert all(f"-{BEIJING_DAY}-" in row["lot"] and f"-{UTC_DAY}-" not in row["lot"] for row in opening_lots)
    # The timestamps themselves stay exact instants, in UTC.
    assert _number(receipt, "received_at") == "2026-11-24T23:30:00+00:00"
