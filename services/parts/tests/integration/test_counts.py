"""Stock counts through the API: blind counting, variances, approval by value, posted adjustments."""

from __future__ import annotations


def _open(client, desk, **body):
    response = client.post("/api/v1/counts", json={"location": "MAIN", **body}, headers=desk.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _count(client, desk, number, *lines):
    return client.post(f"/api/v1/counts/{number}/lines", json={"lines": list(lines)}, headers=desk.headers)


def test_a_small_variance_is_counted_blind_and_posts_on_submit(client, desk):
    pads = desk.receive(desk.line(quantity="4")).get_json()["lines"][0]["lot"]
    oil = desk.receive(desk.line("OIL", "20")).get_json()["lines"][0]["lot"]
    count = _open(client, desk)
    assert sorted((x["part_number"], x["lot"]) for x in count["lines"]) == [("OIL", oil), ("PADS", pads)]

    counted = _count(client, desk, count["number"],
                     {"part_number": "PADS", "lot": pads, "counted": "4"},
                     {"part_number": "OIL", "lot": oil, "counted": "19.5", "reason": "spilled"})
    assert counted.status_code == 200, counted.get_json()
    shown = client.get(f"/api/v1/counts/{count['number']}", headers=desk.headers).get_json()
    assert {(x["counted"], x["book"], x["variance"]) for x in shown["lines"]} == {("4.000", None, None),
                                                                                  ("19.500", None, None)}

    submitted = client.post(f"/api/v1/counts/{count['number']}/submit", headers=desk.headers).get_json()
    assert submitted["status"] == "posted"  # 0.5 L of oil at 96.00 is under the approval value
    assert {x["part_number"]: (x["book"], x["variance"]) for x in submitted["lines"]} == {
        "OIL": ("20.000", "-0.500"), "PADS": ("4.000", "0.000")}
    assert desk.available("OIL") == 19.5 and desk.available("PADS") == 4
    assert [(e["part_number"], e["change"], e["on_hand"], e["reason"]) for e in desk.events("parts.stock.adjusted")] == [
        ("OIL", "-0.500", "19.500", "spilled")]
    ledger = client.get(f"/api/v1/ledger?reference={count['number']}", headers=desk.headers).get_json()["items"]
    assert [(m["kind"], m["lot"], m["on_hand_change"], m["reason"]) for m in ledger] == [
        ("adjust", oil, "-0.500", "spilled")]


def test_a_large_variance_waits_for_a_parts_manager(client, desk, token):
    ecu = desk.receive(desk.line("ECU", "2")).get_json()["lines"][0]["lot"]
    count = _open(client, desk, part_numbers=["ECU"])
    _count(client, desk, count["number"], {"part_number": "ECU", "lot": ecu, "counted": "1"})
    submitted = client.post(f"/api/v1/counts/{count['number']}/submit", headers=desk.headers).get_json()
    assert submitted["status"] == "awaiting_approval" and submitted["lines"][0]["needs_approval"] is True
    manager = token(["parts_manager"], sub="manager-zhao")
    [line] = client.post("/api/v1/availability", json={"lines": [{"part_number": "ECU", "quantity": "1"}]},
                         headers=manager).get_json()["lines"]
    assert line["available"] == "2.000"  # nothing posted yet
    assert [b["available"] for b in desk.stock(part_number="ECU")] == [None]  # the clerk who counted: still blind

    by_clerk = client.post(f"/api/v1/counts/{count['number']}/decision", json={"approve": True}, headers=desk.headers)
    assert by_clerk.status_code == 403
    sent_back = client.post(f"/api/v1/counts/{count['number']}/decision",
                            json={"approve": False, "note": "count the ECU shelf again"}, headers=manager).get_json()
    assert sent_back["status"] == "counting" and sent_back["lines"][0]["counted"] is None

    _count(client, desk, count["number"], {"part_number": "ECU", "lot": ecu, "counted": "1", "reason": "missing"})
    client.post(f"/api/v1/counts/{count['number']}/submit", headers=desk.headers)
    approved = client.post(f"/api/v1/counts/{count['number']}/decision", json={"approve": True}, headers=manager)
    assert approved.status_code == 200 and approved.get_json()["status"] == "posted"
    assert approved.get_json()["decided_by"] == "manager-zhao"
    assert desk.available("ECU") == 1
    assert [e["change"] for e in desk.events("parts.stock.adjusted")] == ["-1.000"]


def test_stock_moved_during_the_count_is_not_a_variance(client, desk):
    pads = desk.receive(desk.line(quantity="5")).get_json()["lines"][0]["lot"]
    count = _open(client, desk)
    _count(client, desk, count["number"], {"part_number": "PADS", "lot": pads, "counted": "5"})
    issued = client.post("/api/v1/issues", json={"repair_order": "RO-1", "vin": "LVSHCAMB1CE054249",
                                                 "technician": "tech-wang",
                                                 "lines": [{"part_number": "PADS", "quantity": "2"}]},
                         headers=desk.headers)
    assert issued.status_code == 201
    posted = client.post(f"/api/v1/counts/{count['number']}/submit", headers=desk.headers).get_json()
    assert posted["status"] == "posted" and posted["lines"][0]["variance"] == "0.000"
    assert desk.available("PADS") == 3 and desk.events("parts.stock.adjusted") == []


def test_counts_refuse_what_cannot_be_counted(client, desk):
    pads = desk.receive(desk.line(quantity="4")).get_json()["lines"][0]["lot"]
    assert client.post("/api/v1/counts", json={"location": "BODY"}, headers=desk.headers).get_json()["code"] == "nothing_to_count"
    assert client.post("/api/v1/counts", json={"location": "ATTIC"}, headers=desk.headers).get_json()["code"] == "location_not_found"
    count = _open(client, desk)
    number = count["number"]
    unfinished = client.post(f"/api/v1/counts/{number}/submit", headers=desk.headers)
    assert unfinished.status_code == 409 and unfinished.get_json()["uncounted"] == [f"PADS/{pads}"]
    assert _count(client, desk, number, {"part_number": "PADS", "lot": "LOT-X", "counted": "1"}).get_json()["code"] == "count_line_not_found"
    assert _count(client, desk, number, {"part_number": "PADS", "lot": pads, "counted": "1.5"}).get_json()["code"] == "quantity_too_precise"
    assert _count(client, desk, number, {"part_number": "PADS", "lot": pads, "counted": "-1"}).status_code == 422
    _count(client, desk, number, {"part_number": "PADS", "lot": pads, "counted": "4"})
    client.post(f"/api/v1/counts/{number}/submit", headers=desk.headers)
    again = _count(client, desk, number, {"part_number": "PADS", "lot": pads, "counted": "3"})
    assert again.status_code == 409 and again.get_json()["code"] == "count_status"
    assert client.get("/api/v1/counts/CNT-NOPE", headers=desk.headers).status_code == 404


def test_count_lines_carry_what_the_sheet_shows_and_the_value_the_approval_measured(client, desk, token):
    manager = token(["parts_manager"], sub="manager-zhao")
    assert client.post("/api/v1/locations", json={"code": "SHELF", "warehouse": "Main store", "bin": "A-03-2"},
                       headers=manager).status_code == 201
    assert client.post("/api/v1/parts", json={"part_number": "BULB", "name_zh": "前大灯灯泡", "name_en": "Headlamp bulb",
                                              "category": "lighting", "unit": "pcs", "source": "oem",
                                              "list_price": "450.00"}, headers=desk.headers).status_code == 201
    bulb = desk.receive(desk.line("BULB", "10", location="SHELF")).get_json()["lines"][0]["lot"]
    oil = desk.receive(desk.line("OIL", "20", location="SHELF")).get_json()["lines"][0]["lot"]
    count = client.post("/api/v1/counts", json={"location": "SHELF"}, headers=desk.headers).get_json()
    assert [(x["part_number"], x["name_zh"], x["name_en"], x["unit"], x["bin"], x["unit_price"], x["value"])
            for x in count["lines"]] == [("BULB", "前大灯灯泡", "Headlamp bulb", "pcs", "A-03-2", None, None),
                                         ("OIL", None, "OIL", "L", "A-03-2", None, None)]

    # The names are the count's, as it opened: renaming the part later does not change the sheet.
    version = client.get("/api/v1/parts/BULB", headers=desk.headers).get_json()["version"]
    renamed = client.patch("/api/v1/parts/BULB", json={"name_zh": "大灯灯泡"}, headers={**desk.headers, "If-Match": f'"{version}"'})
    assert renamed.status_code == 200, renamed.get_json()
    _count(client, desk, count["number"], {"part_number": "BULB", "lot": bulb, "counted": "9"},
           {"part_number": "OIL", "lot": oil, "counted": "19.5"})
    submitted = client.post(f"/api/v1/counts/{count['number']}/submit", headers=desk.headers).get_json()
    assert submitted["status"] == "posted"  # 450.00 and 48.00 are both under the approval value of 500
    assert {x["part_number"]: (x["name_zh"], x["variance"], x["unit_price"], x["value"], x["needs_approval"])
            for x in submitted["lines"]} == {"BULB": ("前大灯灯泡", "-1.000", "450.00", "-450.00", False),
                                             "OIL": (None, "-0.500", "96.00", "-48.00", False)}

    # The value is the one the threshold measured on submit: a later price change does not move it.
    version = client.get("/api/v1/parts/BULB", headers=desk.headers).get_json()["version"]
    client.patch("/api/v1/parts/BULB", json={"list_price": "900.00"}, headers={**desk.headers, "If-Match": f'"{version}"'})
    shown = client.get(f"/api/v1/counts/{count['number']}", headers=manager).get_json()
    assert [(x["unit_price"], x["value"]) for x in shown["lines"]] == [("450.00", "-450.00"), ("96.00", "-48.00")]
