"""Suppliers: who added or changed one and why is announced; their part numbers are checked."""

from __future__ import annotations


def events(client, token, type_):
    items = client.get("/api/v1/events?limit=1000", headers=token(["integration"])).get_json()["items"]
    return [i["event"] for i in items if i["event"]["type"] == type_]


def test_adding_and_disqualifying_a_supplier_is_announced_with_who_and_why(client, token):
    manager = token(["parts_manager"], sub="manager-zhao")
    created = client.post("/api/v1/suppliers", json={"code": "S7", "name": "Brakes Co", "qualified": True,
                                                     "lead_time_days": 4, "reason": "passed review"}, headers=manager)
    assert created.status_code == 201, created.get_json()
    [added] = events(client, token, "parts.supplier.created")
    assert added["subject"] == "S7"
    assert added["data"] == {"supplier": "S7", "name": "Brakes Co", "qualified": True, "lead_time_days": 4,
                             "by": "manager-zhao", "reason": "passed review"}

    changed = client.patch("/api/v1/suppliers/S7", json={"qualified": False, "reason": "failed the 2026 audit"},
                           headers={**manager, "If-Match": created.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["qualified"] is False
    [updated] = events(client, token, "parts.supplier.updated")
    assert {k: updated["data"][k] for k in ("supplier", "qualified", "lead_time_days", "changed", "by", "reason")} == {
        "supplier": "S7", "qualified": False, "lead_time_days": 4, "changed": ["qualified"], "by": "manager-zhao",
        "reason": "failed the 2026 audit"}


def test_supplier_part_numbers_name_known_parts_once_each(client, token):
    manager = token(["parts_manager"])
    client.post("/api/v1/parts", json={"part_number": "PADS", "name_en": "pads", "category": "brakes", "unit": "set",
                                       "source": "oem", "list_price": "1.00"}, headers=token(["parts_clerk"]))
    twice = client.post("/api/v1/suppliers", json={"code": "S3", "name": "x", "qualified": True, "part_numbers": [
        {"part_number": "PADS", "supplier_part_number": "A"}, {"part_number": "PADS", "supplier_part_number": "A"}]},
        headers=manager)
    assert twice.status_code == 422, twice.get_json()
    assert twice.get_json()["code"] == "duplicate_supplier_part_number"
    assert list(twice.get_json()["errors"]) == ["part_numbers.1.part_number"]
    unknown = client.post("/api/v1/suppliers", json={"code": "S4", "name": "x", "qualified": True, "part_numbers": [
        {"part_number": "GHOST", "supplier_part_number": "A"}]}, headers=manager)
    assert unknown.status_code == 404
    assert (unknown.get_json()["code"], unknown.get_json()["field"]) == ("part_not_found", "part_numbers.0.part_number")
    assert client.get("/api/v1/suppliers", headers=manager).get_json()["items"] == []

    created = client.post("/api/v1/suppliers", json={"code": "S5", "name": "x", "qualified": True}, headers=manager)
    refused = client.patch("/api/v1/suppliers/S5", json={"part_numbers": [{"part_number": "GHOST",
                                                                           "supplier_part_number": "A"}]},
                           headers={**manager, "If-Match": created.headers["ETag"]})
    assert (refused.status_code, refused.get_json()["field"]) == (404, "part_numbers.0.part_number")
    assert events(client, token, "parts.supplier.updated") == []
