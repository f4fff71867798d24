"""Reorder rules, suggestions that count what is on order, purchase orders filled by receipts,
and the demand-driven rule from the issue history."""

from __future__ import annotations

from parts.service.reorder import recompute_demand

VIN = "LVSHCAMB1CE054249"


def _rule(client, manager, **rule):
    body = {"part_number": "PADS", "safety_stock": "2", "reorder_point": "5", "max_stock": "20",
            "pack_multiple": "4", **rule}
    response = client.post("/api/v1/reorder-rules", json=body, headers=manager)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _issue(client, desk, quantity, part="PADS"):
    response = client.post("/api/v1/issues", json={"repair_order": "RO-7", "vin": VIN, "technician": "tech-wang",
                                                   "lines": [{"part_number": part, "quantity": quantity}]},
                           headers=desk.headers)
    assert response.status_code == 201, response.get_json()


def _suggestions(client, desk):
    response = client.get("/api/v1/reorder-suggestions", headers=desk.headers)
    assert response.status_code == 200, response.get_json()
    return {(s["part_number"], s["location"]): s for s in response.get_json()["items"]}


def test_a_suggestion_orders_up_to_max_in_packs_and_an_order_on_its_way_counts(client, desk, token):
    manager = token(["parts_manager"])
    desk.receive(desk.line(quantity="9"))
    _rule(client, manager)
    assert _suggestions(client, desk) == {}
    _issue(client, desk, "5")  # 4 left, below the reorder point of 5
    suggestion = _suggestions(client, desk)[("PADS", "MAIN")]
    assert (suggestion["available"], suggestion["on_order"], suggestion["quantity"], suggestion["supplier"]) == (
        "4.000", "0.000", "16.000", "S1")

    order = client.post("/api/v1/purchase-orders", json={"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "8"}]}, headers=manager)
    assert order.status_code == 201, order.get_json()
    number = order.get_json()["number"]
    assert _suggestions(client, desk) == {}  # 4 + 8 on order is above the reorder point

    client.post(f"/api/v1/purchase-orders/{number}/cancel", headers=manager)
    assert _suggestions(client, desk)[("PADS", "MAIN")]["quantity"] == "16.000"


def test_a_receipt_that_names_the_order_takes_it_off_order(client, desk, token):
    manager = token(["parts_manager"])
    number = client.post("/api/v1/purchase-orders", json={"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "8"}, {"part_number": "OIL", "quantity": "20"}]},
        headers=manager).get_json()["number"]
    first = client.post("/api/v1/receipts", json={"supplier": "S1", "purchase_order": number,
                                                  "lines": [desk.line(quantity="8")]}, headers=desk.headers)
    assert first.status_code == 201, first.get_json()
    order = client.get(f"/api/v1/purchase-orders/{number}", headers=desk.headers).get_json()
    assert order["status"] == "open"
    assert [(x["part_number"], x["received"], x["outstanding"]) for x in order["lines"]] == [
        ("PADS", "8.000", "0.000"), ("OIL", "0.000", "20.000")]
    client.post("/api/v1/receipts", json={"supplier": "S1", "purchase_order": number,
                                          "lines": [desk.line("OIL", "20")]}, headers=desk.headers)
    assert client.get(f"/api/v1/purchase-orders/{number}", headers=desk.headers).get_json()["status"] == "received"

    late = client.post("/api/v1/receipts", json={"supplier": "S1", "purchase_order": number,
                                                 "lines": [desk.line(quantity="1")]}, headers=desk.headers)
    assert late.status_code == 409 and late.get_json()["code"] == "purchase_order_closed"
    assert desk.available("PADS") == 8  # the refused delivery booked nothing


def test_orders_refuse_what_cannot_be_ordered(client, desk, token):
    manager = token(["parts_manager"])
    refused = client.post("/api/v1/purchase-orders", json={"supplier": "S9", "lines": [
        {"part_number": "PADS", "quantity": "8"}]}, headers=manager)
    assert refused.get_json()["code"] == "supplier_not_qualified"
    too_precise = client.post("/api/v1/purchase-orders", json={"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "1.5"}]}, headers=manager)
    assert too_precise.get_json()["code"] == "quantity_too_precise"
    by_clerk = client.post("/api/v1/purchase-orders", json={"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "8"}]}, headers=desk.headers)
    assert by_clerk.status_code == 403
    number = client.post("/api/v1/purchase-orders", json={"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "8"}]}, headers=manager).get_json()["number"]
    wrong = client.post("/api/v1/receipts", json={"supplier": "S2", "purchase_order": number,
                                                  "lines": [desk.line()]}, headers=desk.headers)
    assert wrong.status_code == 404  # no supplier S2
    assert client.get("/api/v1/purchase-orders?status=open", headers=desk.headers).get_json()["items"][0]["number"] == number


def test_a_demand_driven_rule_comes_from_the_issue_history(client, desk, token):
    manager = token(["parts_manager"])
    desk.receive(desk.line(quantity="100"))
    _issue(client, desk, "90")
    rule = _rule(client, manager, mode="demand", safety_stock="0", reorder_point="0", max_stock="10",
                 lead_time_days=4, service_level="0.95")
    # 90 units over 90 days: 1 a day with σ = √89; safety = 1.645 × 9.43 × √4 → 32; reorder point = 4 + 32.
    assert (rule["safety_stock"], rule["reorder_point"], rule["max_stock"], rule["mode"]) == (
        "32.000", "36.000", "40.000", "demand")
    suggestion = _suggestions(client, desk)[("PADS", "MAIN")]
    assert (suggestion["available"], suggestion["quantity"]) == ("10.000", "32.000")  # 30 short, 8 packs of 4
    assert [e["available"] for e in desk.events("parts.stock.below_safety_level")] == ["10.000"]


def test_the_nightly_round_brings_demand_rules_up_to_date(client, desk, token, units):
    manager = token(["parts_manager"])
    desk.receive(desk.line(quantity="100"))
    _issue(client, desk, "90")
    _rule(client, manager, mode="demand", safety_stock="0", reorder_point="0", max_stock="10", lead_time_days=4)
    assert recompute_demand(units) == 0  # nothing new since the rule was set
    _issue(client, desk, "5")
    assert recompute_demand(units) == 1
    # 95 units in 90 days: mean 1.056 (× 4 days → 5), σ 9.958; safety = 1.645 × 9.958 × 2 → 33.
    suggestion = _suggestions(client, desk)[("PADS", "MAIN")]
    assert (suggestion["safety_stock"], suggestion["reorder_point"], suggestion["max_stock"]) == (
        "33.000", "38.000", "43.000")


def test_suggestions_name_their_parts_and_a_cancelled_order_has_nothing_outstanding(client, desk, token):
    manager = token(["parts_manager"])
    desk.receive(desk.line(quantity="3"))
    _rule(client, manager)
    suggestion = _suggestions(client, desk)[("PADS", "MAIN")]
    assert (suggestion["name_zh"], suggestion["name_en"], suggestion["withheld"]) == (None, "PADS", None)

    order = client.post("/api/v1/purchase-orders", json={"supplier": "S1", "lines": [
        {"part_number": "PADS", "quantity": "8"}, {"part_number": "OIL", "quantity": "20"}]}, headers=manager).get_json()
    client.post("/api/v1/receipts", json={"supplier": "S1", "purchase_order": order["number"],
                                          "lines": [desk.line(quantity="3")]}, headers=desk.headers)
    cancelled = client.post(f"/api/v1/purchase-orders/{order['number']}/cancel", headers=manager)
    assert cancelled.status_code == 200, cancelled.get_json()
    for answer in (cancelled.get_json(), client.get(f"/api/v1/purchase-orders/{order['number']}", headers=desk.headers).get_json()):
        assert answer["status"] == "cancelled"
        assert [(x["part_number"], x["received"], x["cancelled"], x["outstanding"]) for x in answer["lines"]] == [
            ("PADS", "3.000", "5.000", "0.000"), ("OIL", "0.000", "20.000", "0.000")]


def _batch(client, headers, *orders, key=None):
    return client.post("/api/v1/purchase-orders/batch", json={"orders": list(orders)},
                       headers={**headers, **({"Idempotency-Key": key} if key else {})})


def test_orders_for_several_suppliers_are_placed_together(client, desk, token):
    manager = token(["parts_manager"], sub="manager-zhao")
    assert client.post("/api/v1/suppliers", json={"code": "S2", "name": "Supplier S2", "qualified": True},
                       headers=manager).status_code == 201
    first = {"supplier": "S1", "lines": [{"part_number": "PADS", "quantity": "8"}, {"part_number": "OIL", "quantity": "20",
                                                                                      "location": "BODY"}]}
    second = {"supplier": "S2", "lines": [{"part_number": "ECU", "quantity": "1"}]}
    placed = _batch(client, manager, first, second, key="reorder-1")
    assert placed.status_code == 201, placed.get_json()
    orders = placed.get_json()["orders"]
    assert [(o["supplier"], o["status"], o["ordered_by"], [(x["part_number"], x["location"], x["outstanding"]) for x in o["lines"]])
            for o in orders] == [("S1", "open", "manager-zhao", [("PADS", "MAIN", "8.000"), ("OIL", "BODY", "20.000")]),
                                 ("S2", "open", "manager-zhao", [("ECU", "MAIN", "1.000")])]
    assert len({o["number"] for o in orders}) == 2

    # Sent again with its key (a double click, a retry): the same answer, nothing ordered twice.
    again = _batch(client, manager, first, second, key="reorder-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == placed.get_json()
    listed = client.get("/api/v1/purchase-orders?status=open", headers=manager).get_json()["items"]
    assert sorted(o["number"] for o in listed) == sorted(o["number"] for o in orders)


def test_a_refused_order_places_none_of_the_batch(client, desk, token):
    manager = token(["parts_manager"])
    good = {"supplier": "S1", "lines": [{"part_number": "PADS", "quantity": "8"}]}
    unqualified = _batch(client, manager, good, {"supplier": "S9", "lines": [{"part_number": "OIL", "quantity": "5"}]})
    assert unqualified.status_code == 409
    assert (unqualified.get_json()["code"], unqualified.get_json()["field"]) == ("supplier_not_qualified", "orders.1.supplier")
    unknown = _batch(client, manager, good, {"supplier": "NOPE", "lines": [{"part_number": "OIL", "quantity": "5"}]})
    assert unknown.status_code == 404 and unknown.get_json()["field"] == "orders.1.supplier"
    too_precise = _batch(client, manager, good, {"supplier": "S1", "lines": [
        {"part_number": "OIL", "quantity": "5"}, {"part_number": "PADS", "quantity": "1.5"}]})
    assert too_precise.status_code == 422 and set(too_precise.get_json()["errors"]) == {"orders.1.lines.1.quantity"}
    nowhere = _batch(client, manager, {"supplier": "S1", "lines": [{"part_number": "PADS", "quantity": "1", "location": "ATTIC"}]})
    assert nowhere.status_code == 404 and nowhere.get_json()["field"] == "orders.0.lines.0.location"
    malformed = _batch(client, manager, good, {"supplier": "S1", "lines": []})
    assert malformed.status_code == 422 and set(malformed.get_json()["errors"]) == {"orders.1.lines"}
    assert _batch(client, manager).status_code == 422  # no orders at all
    assert _batch(client, desk.headers, good).status_code == 403  # a clerk does not order
    assert client.get("/api/v1/purchase-orders", headers=manager).get_json()["items"] == []
