"""Finding stock and movements: only available or only held-back lots, movements at one
location, in cursor pages; stock rows carry the part's names. A clerk counting a location blind
cannot learn its figures by filtering either."""

from __future__ import annotations

import pytest


@pytest.fixture
def shelves(client, desk, token):
    """At MAIN: PADS 4 (passed), PADS 2 (pending inspection), OIL 20 (passed, on hold), ECU 1
    (passed, all reserved); at BODY: PADS 3 (passed). Returns each lot by name."""
    manager = token(["parts_manager"])
    lots = {}
    for name, line in (("pads", desk.line(quantity="4")), ("pending", desk.line(quantity="2", inspection="pending")),
                       ("oil", desk.line("OIL", "20")), ("ecu", desk.line("ECU", "1")),
                       ("body", desk.line(quantity="3", location="BODY"))):
        response = desk.receive(line)
        assert response.status_code == 201, response.get_json()
        lots[name] = response.get_json()["lines"][0]["lot"]
    held = client.post(f"/api/v1/lots/{lots['oil']}/quarantine", json={"reason": "supplier notice N-2"},
                       headers=manager)
    assert held.status_code == 200, held.get_json()
    reserved = client.post("/api/v1/reservations", json={"part_number": "ECU", "quantity": "1", "location": "MAIN",
                                                         "for_kind": "repair_order", "for_reference": "RO-9"},
                           headers=desk.headers)
    assert reserved.status_code == 201, reserved.get_json()
    return lots


def _every_page(client, url, headers, **query):
    """All items, one per page, following next_cursor: the paging must stay intact."""
    items, cursor = [], None
    while True:
        response = client.get(url, query_string={**query, "limit": 1, **({"cursor": cursor} if cursor else {})},
                              headers=headers)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        assert len(page["items"]) <= 1
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_only_available_or_only_held_back_stock_page_by_page(client, desk, shelves):
    lots = shelves
    available = _every_page(client, "/api/v1/stock", desk.headers, state="available")
    assert [(row["lot"], row["available"]) for row in available] == [
        (lots["body"], "3.000"), (lots["pads"], "4.000")]  # by part, location, lot: PADS at BODY, then at MAIN
    held_back = _every_page(client, "/api/v1/stock", desk.headers, state="held_back")
    assert {row["lot"]: (row["quarantined"], row["available"]) for row in held_back} == {
        lots["oil"]: ("20.000", "0.000"), lots["pending"]: ("2.000", "0.000")}
    everything = _every_page(client, "/api/v1/stock", desk.headers)
    assert {row["lot"] for row in everything} == set(lots.values())  # the reserved ECU is in neither state

    at_main = client.get("/api/v1/stock?state=available&location=MAIN&part_number=PADS", headers=desk.headers)
    assert [row["lot"] for row in at_main.get_json()["items"]] == [lots["pads"]]

    refused = client.get("/api/v1/stock?state=reserved", headers=desk.headers)
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"state"}


def test_stock_rows_carry_the_parts_names(client, desk, token):
    assert client.post("/api/v1/parts", json={"part_number": "BULB", "name_zh": "前大灯灯泡", "name_en": "Headlamp bulb",
                                              "category": "lighting", "unit": "pcs", "source": "oem",
                                              "list_price": "45.00"}, headers=desk.headers).status_code == 201
    desk.receive(desk.line("BULB", "6"), desk.line("OIL", "5"))
    rows = client.get("/api/v1/stock", headers=desk.headers).get_json()["items"]
    assert [(row["part_number"], row["name_zh"], row["name_en"]) for row in rows] == [
        ("BULB", "前大灯灯泡", "Headlamp bulb"), ("OIL", None, "OIL")]


def test_movements_of_one_location_page_by_page(client, desk, shelves):
    lots = shelves
    at_body = _every_page(client, "/api/v1/ledger", desk.headers, location="BODY")
    assert [(m["kind"], m["lot"], m["on_hand_change"]) for m in at_body] == [("receipt", lots["body"], "3.000")]
    at_main = _every_page(client, "/api/v1/ledger", desk.headers, location="MAIN", part_number="PADS")
    assert {m["lot"] for m in at_main} == {lots["pads"], lots["pending"]}
    assert {m["location"] for m in _every_page(client, "/api/v1/ledger", desk.headers, location="MAIN")} == {"MAIN"}
    refused = client.get("/api/v1/ledger?location=no%20such", headers=desk.headers)
    assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"location"}


def test_a_clerk_counting_blind_cannot_find_the_figures_by_filtering(client, desk, token, shelves):
    lots = shelves
    opened = client.post("/api/v1/counts", json={"location": "MAIN"}, headers=desk.headers)
    assert opened.status_code == 201, opened.get_json()
    withheld = f"count {opened.get_json()['number']}"

    # For the counter, MAIN's lots are listed by what the lot is, not by its (hidden) figures: the
    # ECU lot, all of it reserved, is listed as available like any lot not blocked.
    available = _every_page(client, "/api/v1/stock", desk.headers, state="available")
    assert {row["lot"]: (row["available"], row["withheld"]) for row in available} == {
        lots["pads"]: (None, withheld), lots["ecu"]: (None, withheld), lots["body"]: ("3.000", None)}
    held_back = _every_page(client, "/api/v1/stock", desk.headers, state="held_back")
    assert {row["lot"]: row["quarantined"] for row in held_back} == {lots["oil"]: None, lots["pending"]: None}
    ledger = _every_page(client, "/api/v1/ledger", desk.headers, location="MAIN")
    assert ledger and all(m["withheld"] == withheld and m["on_hand_change"] is None for m in ledger)

    # A colleague not counting still filters by the figures.
    colleague = token(["parts_clerk"], sub="clerk-wu")
    assert {row["lot"] for row in _every_page(client, "/api/v1/stock", colleague, state="available")} == {
        lots["pads"], lots["body"]}
