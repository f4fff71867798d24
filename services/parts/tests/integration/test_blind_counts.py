"""Counting blind (盲盘): whoever counts a location does not see its book quantities anywhere
until the count is submitted; parts managers and everyone else still do."""

from __future__ import annotations

import csv
import io

import pytest

FIGURES = ("on_hand", "reserved", "quarantined", "available")


@pytest.fixture
def counting(client, desk, token):
    """PADS at MAIN (two lots, one unit reserved) and at BODY, OIL at MAIN; clerk-li opens a
    count of MAIN."""
    main_lots = [desk.receive(desk.line(quantity=quantity)).get_json()["lines"][0]["lot"] for quantity in ("3", "2")]
    body_lot = desk.receive(desk.line(quantity="4", location="BODY")).get_json()["lines"][0]["lot"]
    desk.receive(desk.line("OIL", "20"))
    assert client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "1", "for_kind": "repair_order",
                                                     "for_reference": "RO-1"}, headers=desk.headers).status_code == 201
    count = client.post("/api/v1/counts", json={"location": "MAIN"}, headers=desk.headers).get_json()

    class Counting:
        number = count["number"]
        withheld = f"count {count['number']}"
        main, body = main_lots, body_lot
        counter = desk.headers
        colleague = token(["parts_clerk"], sub="clerk-wu")
        manager = token(["parts_manager"], sub="manager-zhao")

        def get(self, url, headers, **query):
            response = client.get(url, query_string=query, headers=headers)
            assert response.status_code == 200, response.get_json()
            return response.get_json()

        def quote(self, headers, location=None, quantity="1"):
            response = client.post("/api/v1/availability", json={"location": location, "lines": [
                {"part_number": "PADS", "quantity": quantity}]}, headers=headers)
            assert response.status_code == 200, response.get_json()
            return response.get_json()["lines"][0]

    return Counting()


def _by_location(rows):
    return {(row["part_number"], row["location"]) for row in rows if row["withheld"]}


def test_the_counter_sees_no_book_quantity_of_the_location_anywhere(client, counting):
    c = counting
    stock = c.get("/api/v1/stock", c.counter)["items"]
    withheld = [row for row in stock if row["location"] == "MAIN"]
    assert len(withheld) == 3 and all(row["withheld"] == c.withheld for row in withheld)
    assert all(row[f] is None for row in withheld for f in FIGURES)
    [body] = [row for row in stock if row["location"] == "BODY"]
    assert (body["on_hand"], body["available"], body["withheld"]) == ("4.000", "4.000", None)

    exported = client.get("/api/v1/stock/export", headers=c.counter).get_data().decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert {(r["location"], r["on_hand"], r["available"]) for r in rows if r["location"] == "MAIN"} == {("MAIN", "", "")}
    assert {(r["location"], r["on_hand"]) for r in rows if r["location"] == "BODY"} == {("BODY", "4.000")}

    ledger = c.get("/api/v1/ledger", c.counter)["items"]
    assert _by_location(ledger) == {("PADS", "MAIN"), ("OIL", "MAIN")}
    assert all(m["on_hand_change"] is m["reserved_change"] is m["quarantined_change"] is None
               for m in ledger if m["location"] == "MAIN")
    assert [m["on_hand_change"] for m in ledger if m["location"] == "BODY"] == ["4.000"]

    lot = c.get(f"/api/v1/lots/{c.main[0]}", c.counter)
    assert (lot["quantity"], lot["withheld"], lot["supplier"]) == (None, c.withheld, "S1")
    assert c.get(f"/api/v1/lots/{c.body}", c.counter)["quantity"] == "4.000"
    trace = c.get(f"/api/v1/traceability/lots/{c.main[0]}", c.counter)
    assert trace["lot"]["quantity"] is None
    assert trace["remaining"] == [{"location": "MAIN", "on_hand": None, "reserved": None, "quarantined": None,
                                   "withheld": c.withheld}]

    everywhere = c.quote(c.counter)
    assert all(everywhere[f] is None for f in FIGURES) and everywhere["withheld"] == c.withheld
    assert everywhere["can_fulfil"] is True  # the quote is still answered
    assert [(x["location"], x["on_hand"], x["withheld"]) for x in everywhere["locations"]] == [
        ("BODY", "4.000", None), ("MAIN", None, c.withheld)]
    at_body = c.quote(c.counter, location="BODY")
    assert (at_body["on_hand"], at_body["withheld"]) == ("4.000", None)


def test_colleagues_and_managers_still_see_the_figures(counting):
    c = counting
    for viewer in (c.colleague, c.manager):
        stock = c.get("/api/v1/stock", viewer, location="MAIN")["items"]
        assert sorted(row["on_hand"] for row in stock) == ["2.000", "20.000", "3.000"]
        assert all(row["withheld"] is None for row in stock)
        assert _by_location(c.get("/api/v1/ledger", viewer)["items"]) == set()
        assert c.get(f"/api/v1/lots/{c.main[0]}", viewer)["quantity"] == "3.000"
        quoted = c.quote(viewer)
        assert (quoted["on_hand"], quoted["reserved"], quoted["available"], quoted["withheld"]) == (
            "9.000", "1.000", "8.000", None)


def test_recording_a_line_makes_you_a_counter_until_the_count_is_submitted(client, counting):
    c = counting
    lines = [{"part_number": "PADS", "lot": c.main[0], "counted": "3"}]
    assert client.post(f"/api/v1/counts/{c.number}/lines", json={"lines": lines}, headers=c.colleague).status_code == 200
    assert c.get("/api/v1/stock", c.colleague, location="MAIN")["items"][0]["on_hand"] is None
    # A parts manager who counts a line still sees the book: they review the variances.
    assert client.post(f"/api/v1/counts/{c.number}/lines", json={"lines": lines}, headers=c.manager).status_code == 200
    assert c.get("/api/v1/stock", c.manager, location="MAIN")["items"][0]["on_hand"] is not None

    rest = [{"part_number": "PADS", "lot": c.main[1], "counted": "2"},
            {"part_number": "OIL", "lot": c.get("/api/v1/stock", c.manager, part_number="OIL")["items"][0]["lot"],
             "counted": "20"}]
    client.post(f"/api/v1/counts/{c.number}/lines", json={"lines": rest}, headers=c.counter)
    submitted = client.post(f"/api/v1/counts/{c.number}/submit", headers=c.counter)
    assert submitted.get_json()["status"] == "posted"
    for viewer in (c.counter, c.colleague):
        stock = c.get("/api/v1/stock", viewer, location="MAIN")["items"]
        assert all(row["withheld"] is None and row["on_hand"] is not None for row in stock)
        assert c.quote(viewer)["on_hand"] == "9.000"


def test_a_count_of_some_parts_hides_only_those(client, desk, token):
    desk.receive(desk.line(quantity="3"), desk.line("OIL", "20"))
    number = client.post("/api/v1/counts", json={"location": "MAIN", "part_numbers": ["OIL"]},
                         headers=desk.headers).get_json()["number"]
    stock = client.get("/api/v1/stock", headers=desk.headers).get_json()["items"]
    assert {row["part_number"]: (row["on_hand"], row["withheld"]) for row in stock} == {
        "OIL": (None, f"count {number}"), "PADS": ("3.000", None)}


def test_reorder_suggestions_withhold_what_the_counter_may_not_see(client, counting):
    """PADS has 4 available at MAIN (5 on hand, 1 reserved) and 4 at BODY; both below the point."""
    c = counting
    for location in ("MAIN", "BODY"):
        rule = client.post("/api/v1/reorder-rules", json={"part_number": "PADS", "location": location, "safety_stock": "2",
                                                          "reorder_point": "10", "max_stock": "20"}, headers=c.manager)
        assert rule.status_code == 200, rule.get_json()

    def suggested(viewer):
        items = c.get("/api/v1/reorder-suggestions", viewer)["items"]
        return {s["location"]: (s["available"], s["quantity"], s["on_order"], s["withheld"]) for s in items}

    assert suggested(c.counter) == {"MAIN": (None, None, "0.000", c.withheld), "BODY": ("4.000", "16.000", "0.000", None)}
    for viewer in (c.colleague, c.manager):
        assert suggested(viewer) == {"MAIN": ("4.000", "16.000", "0.000", None), "BODY": ("4.000", "16.000", "0.000", None)}


def test_book_figures_of_a_submitted_count_are_the_managers_until_it_posts_and_a_recount_is_blind(client, counting):
    """A large difference on one PADS lot (1 set at 680.00, the threshold is 500) waits for a manager."""
    c = counting
    oil = c.get("/api/v1/stock", c.manager, part_number="OIL")["items"][0]["lot"]
    lines = [{"part_number": "PADS", "lot": c.main[0], "counted": "2"}, {"part_number": "PADS", "lot": c.main[1], "counted": "2"},
             {"part_number": "OIL", "lot": oil, "counted": "20"}]
    assert client.post(f"/api/v1/counts/{c.number}/lines", json={"lines": lines}, headers=c.counter).status_code == 200
    submitted = client.post(f"/api/v1/counts/{c.number}/submit", headers=c.counter)
    assert submitted.status_code == 200, submitted.get_json()

    def book(answer):
        return {line["lot"]: (line["book"], line["variance"], line["value"]) for line in answer["lines"]}

    hidden = {c.main[0]: (None, None, None), c.main[1]: (None, None, None), oil: (None, None, None)}
    assert submitted.get_json()["status"] == "awaiting_approval" and book(submitted.get_json()) == hidden
    for clerk in (c.counter, c.colleague):
        shown = c.get(f"/api/v1/counts/{c.number}", clerk)
        assert book(shown) == hidden and shown["book_shown"] is False
        assert {line["lot"]: line["needs_approval"] for line in shown["lines"]} == {
            c.main[0]: True, c.main[1]: False, oil: False}
        assert all(book(item) == hidden for item in c.get("/api/v1/counts", clerk, status="awaiting_approval")["items"])
    reviewed = c.get(f"/api/v1/counts/{c.number}", c.manager)
    assert reviewed["book_shown"] is True and book(reviewed) == {
        c.main[0]: ("3.000", "-1.000", "-680.00"), c.main[1]: ("2.000", "0.000", "0.00"), oil: ("20.000", "0.000", "0.00")}

    # Sent back: the large line is recounted blind, by everyone, the manager included.
    sent_back = client.post(f"/api/v1/counts/{c.number}/decision", json={"approve": False}, headers=c.manager)
    assert sent_back.get_json()["status"] == "counting" and book(sent_back.get_json()) == hidden
    assert book(c.get(f"/api/v1/counts/{c.number}", c.manager)) == hidden
    assert c.get("/api/v1/stock", c.counter, location="MAIN")["items"][0]["on_hand"] is None

    recount = [{"part_number": "PADS", "lot": c.main[0], "counted": "3"}]
    assert client.post(f"/api/v1/counts/{c.number}/lines", json={"lines": recount}, headers=c.counter).status_code == 200
    posted = client.post(f"/api/v1/counts/{c.number}/submit", headers=c.counter).get_json()
    assert posted["status"] == "posted"
    for viewer in (c.counter, c.colleague, c.manager):
        assert book(c.get(f"/api/v1/counts/{c.number}", viewer))[c.main[0]] == ("3.000", "0.000", "0.00")
