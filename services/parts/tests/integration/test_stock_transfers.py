"""Moving stock between locations (移库) through the API, and two clerks moving it opposite ways at once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS

from parts.domain.stock import LotBalance, Movement

VIN = "LVSHCAMB1CE054249"


def transfer(client, desk, quantity, *, part="PADS", from_location="MAIN", to_location="BODY", **extra):
    return client.post("/api/v1/transfers", json={"part_number": part, "from_location": from_location,
                                                  "to_location": to_location, "quantity": quantity,
                                                  "reason": "body shop job", **extra}, headers=desk.headers)


def test_stock_moves_to_another_location_and_keeps_its_lot(client, desk):
    older = desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"]
    newer = desk.receive(desk.line(quantity="3")).get_json()["lines"][0]["lot"]
    client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "1", "for_kind": "repair_order",
                                              "for_reference": "RO-1"}, headers=desk.headers)  # 1 of the older lot

    moved = transfer(client, desk, "3")
    assert moved.status_code == 201, moved.get_json()
    body = moved.get_json()
    assert (body["part_number"], body["from_location"], body["to_location"], body["quantity"], body["moved_by"]) == (
        "PADS", "MAIN", "BODY", "3.000", "clerk-li")
    assert [(l["lot"], l["quantity"]) for l in body["lots"]] == [(older, "1.000"), (newer, "2.000")]
    stock = {(b["location"], b["lot"]): (b["on_hand"], b["reserved"], b["available"]) for b in desk.stock(part_number="PADS")}
    assert stock == {("MAIN", older): ("1.000", "1.000", "0.000"), ("MAIN", newer): ("1.000", "0.000", "1.000"),
                     ("BODY", older): ("1.000", "0.000", "1.000"), ("BODY", newer): ("2.000", "0.000", "2.000")}

    ledger = client.get(f"/api/v1/ledger?reference={body['number']}", headers=desk.headers).get_json()["items"]
    assert sorted((m["kind"], m["location"], m["lot"], m["on_hand_change"], m["reason"], m["actor"]) for m in ledger) == sorted([
        ("transfer_out", "MAIN", older, "-1.000", "body shop job", "clerk-li"),
        ("transfer_out", "MAIN", newer, "-2.000", "body shop job", "clerk-li"),
        ("transfer_in", "BODY", older, "1.000", "body shop job", "clerk-li"),
        ("transfer_in", "BODY", newer, "2.000", "body shop job", "clerk-li")])
    assert [(e["transfer"], e["lot"], e["from_location"], e["to_location"], e["quantity"], e["by"])
            for e in desk.events("parts.stock.transferred")] == [
        (body["number"], older, "MAIN", "BODY", "1.000", "clerk-li"),
        (body["number"], newer, "MAIN", "BODY", "2.000", "clerk-li")]

    # The moved stock is the same lot at its new place: issued from there and traced.
    issued = client.post("/api/v1/issues", json={"repair_order": "RO-7", "vin": VIN, "technician": "t", "lines": [
        {"part_number": "PADS", "quantity": "1", "location": "BODY"}]}, headers=desk.headers)
    assert [(l["location"], l["lot"]) for l in issued.get_json()["lines"]] == [("BODY", older)]
    remaining = client.get(f"/api/v1/traceability/lots/{newer}", headers=desk.headers).get_json()["remaining"]
    assert sorted((r["location"], r["on_hand"]) for r in remaining) == [("BODY", "2.000"), ("MAIN", "1.000")]


def test_a_named_lot_moves_from_that_lot_only(client, desk):
    older = desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"]
    newer = desk.receive(desk.line(quantity="3")).get_json()["lines"][0]["lot"]
    moved = transfer(client, desk, "3", lot=newer, to_location="BODY")
    assert moved.status_code == 201, moved.get_json()
    assert [(b["location"], b["lot"], b["on_hand"]) for b in desk.stock(part_number="PADS")] == sorted([
        ("MAIN", older, "2.000"), ("BODY", newer, "3.000")])
    back = transfer(client, desk, "1", lot=newer, from_location="BODY", to_location="MAIN")
    assert back.status_code == 201
    assert sorted((b["location"], b["lot"], b["on_hand"]) for b in desk.stock(part_number="PADS")) == sorted([
        ("MAIN", older, "2.000"), ("MAIN", newer, "1.000"), ("BODY", newer, "2.000")])


@pytest.mark.parametrize("change, status, code, field", [
    ({"quantity": "4"}, 409, "insufficient_stock", None),           # 3 available at MAIN
    ({"to_location": "MAIN"}, 422, "same_location", "to_location"),
    ({"from_location": "ATTIC"}, 404, "location_not_found", "from_location"),
    ({"to_location": "ATTIC"}, 404, "location_not_found", "to_location"),
    ({"part_number": "NOPE"}, 404, "part_not_found", "part_number"),
    ({"quantity": "1.5"}, 422, "quantity_too_precise", "quantity"),
    ({"lot": "HELD"}, 409, "lot_quarantined", "lot"),
    ({"lot": "PENDING"}, 409, "lot_quarantined", "lot"),
    ({"lot": "LOT-NOPE"}, 404, "lot_not_found", None),
    ({"from_location": "BODY", "to_location": "MAIN"}, 409, "insufficient_stock", None),
])
def test_a_refused_transfer_moves_nothing(client, desk, token, change, status, code, field):
    desk.receive(desk.line(quantity="3"))
    lots = {"HELD": desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"],
            "PENDING": desk.receive(desk.line(quantity="2", inspection="pending")).get_json()["lines"][0]["lot"]}
    client.post(f"/api/v1/lots/{lots['HELD']}/quarantine", json={"reason": "recall"}, headers=token(["parts_manager"]))
    change = {k: lots.get(v, v) for k, v in change.items()}
    before = desk.stock()

    refused = transfer(client, desk, change.pop("quantity", "1"), **change)
    assert (refused.status_code, refused.get_json()["code"]) == (status, code), refused.get_json()
    assert refused.get_json().get("field") == field
    assert desk.stock() == before
    assert not {"transfer_out", "transfer_in"} & {m["kind"] for m in client.get(
        "/api/v1/ledger?limit=200", headers=desk.headers).get_json()["items"]}
    assert desk.events("parts.stock.transferred") == []


def test_only_parts_staff_move_stock_between_locations(client, desk, token):
    desk.receive(desk.line(quantity="3"))
    refused = client.post("/api/v1/transfers", json={"part_number": "PADS", "from_location": "MAIN",
                                                     "to_location": "BODY", "quantity": "1", "reason": "x"},
                          headers=token(["service_advisor"]))
    assert refused.status_code == 403
    manager = client.post("/api/v1/transfers", json={"part_number": "PADS", "from_location": "MAIN",
                                                     "to_location": "BODY", "quantity": "1", "reason": "x"},
                          headers=token(["parts_manager"]))
    assert manager.status_code == 201


EACH_WAY = 12


def test_clerks_moving_stock_both_ways_at_once_neither_deadlock_nor_lose_a_unit(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    clerk = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk", "D001", ["parts_manager"])}
    setup = app.test_client()
    for code in ("MAIN", "BODY"):
        setup.post("/api/v1/locations", json={"code": code, "warehouse": code}, headers=clerk)
    setup.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=clerk)
    setup.post("/api/v1/parts", json={"part_number": "FILTER", "name_en": "Oil filter", "category": "filters",
                                      "unit": "pcs", "source": "oem", "list_price": "58.00"}, headers=clerk)
    for location in ("MAIN", "BODY"):
        assert setup.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
            {"part_number": "FILTER", "quantity": str(EACH_WAY), "unit_cost": "30.00", "location": location,
             "inspection": "passed"}]}, headers=clerk).status_code == 201

    start = threading.Barrier(2 * EACH_WAY)
    statuses: list[int] = []

    def clerk_moves(from_location: str, to_location: str) -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/transfers", json={
            "part_number": "FILTER", "from_location": from_location, "to_location": to_location,
            "quantity": "1", "reason": "rebalance"}, headers=clerk)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=clerk_moves, args=ways)
               for ways in [("MAIN", "BODY"), ("BODY", "MAIN")] * EACH_WAY]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert statuses == [201] * (2 * EACH_WAY)
    stock = setup.get("/api/v1/stock?part_number=FILTER", headers=clerk).get_json()["items"]
    assert sum(Decimal(b["on_hand"]) for b in stock) == 2 * EACH_WAY
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        on_hand = session.scalar(select(func.sum(LotBalance.on_hand)))
        moved = session.execute(select(Movement.kind, func.sum(Movement.on_hand_change))
                                .where(Movement.kind.in_(("transfer_out", "transfer_in"))).group_by(Movement.kind)).all()
    assert on_hand == Decimal(2 * EACH_WAY)
    assert dict(moved) == {"transfer_out": Decimal(-2 * EACH_WAY), "transfer_in": Decimal(2 * EACH_WAY)}
