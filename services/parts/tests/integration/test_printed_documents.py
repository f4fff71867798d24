"""What the counter prints needs no other call: issue slip and pick list lines (领料单) and lot
labels name the part (Chinese and English) and the bin; quote lines carry both names. And a
receipt line's incoming inspection is always chosen, never left to a default."""

from __future__ import annotations

VIN = "LVSHCAMB1CE054249"
BRAKES = {"part_number": "BRK-1", "name_zh": "前刹车片", "name_en": "Front brake pads", "category": "brakes",
          "unit": "set", "source": "oem", "list_price": "680.00"}


def _shelf_and_brakes(client, desk, token):
    """A location with a bin, and a part with both names."""
    assert client.post("/api/v1/locations", json={"code": "SHELF", "warehouse": "Main store", "bin": "A-03-2"},
                       headers=token(["parts_manager"])).status_code == 201
    assert client.post("/api/v1/parts", json=BRAKES, headers=desk.headers).status_code == 201


def _rename(client, desk, number, **names):
    version = client.get(f"/api/v1/parts/{number}", headers=desk.headers).get_json()["version"]
    response = client.patch(f"/api/v1/parts/{number}", json=names, headers={**desk.headers, "If-Match": f'"{version}"'})
    assert response.status_code == 200, response.get_json()


def _printed(lines):
    return [(x["part_number"], x["name_zh"], x["name_en"], x["location"], x["bin"]) for x in lines]


def test_an_issue_slip_names_each_lines_part_and_bin_wherever_it_is_read(client, desk, token):
    _shelf_and_brakes(client, desk, token)
    lot = desk.receive(desk.line("BRK-1", "4", location="SHELF"), desk.line(quantity="2")).get_json()["lines"][0]["lot"]

    posted = client.post("/api/v1/issues", json={
        "repair_order": "RO-1", "vin": VIN, "technician": "tech-wang",
        "lines": [{"part_number": "BRK-1", "quantity": "3", "location": "SHELF"},
                  {"part_number": "PADS", "quantity": "1"}]}, headers=desk.headers)

    assert posted.status_code == 201, posted.get_json()
    slip = posted.get_json()
    assert _printed(slip["lines"]) == [("BRK-1", "前刹车片", "Front brake pads", "SHELF", "A-03-2"),
                                       ("PADS", None, "PADS", "MAIN", None)]
    assert client.get(f"/api/v1/issues/{slip['number']}", headers=desk.headers).get_json() == slip
    assert client.get("/api/v1/issues", query_string={"repair_order": "RO-1"},
                      headers=desk.headers).get_json()["items"] == [slip]
    returned = client.post(f"/api/v1/issues/{slip['number']}/returns", json={"lines": [
        {"part_number": "BRK-1", "lot": lot, "quantity": "1"}]}, headers=desk.headers)
    assert returned.status_code == 200, returned.get_json()
    assert _printed(returned.get_json()["lines"]) == _printed(slip["lines"])
    assert returned.get_json()["lines"][0]["returned"] == "1.000"


def test_a_slip_keeps_the_names_it_was_issued_with(client, desk, token):
    _shelf_and_brakes(client, desk, token)
    desk.receive(desk.line("BRK-1", "4", location="SHELF"))
    issue = {"repair_order": "RO-1", "vin": VIN, "technician": "tech-wang",
             "lines": [{"part_number": "BRK-1", "quantity": "1", "location": "SHELF"}]}
    first = client.post("/api/v1/issues", json=issue, headers=desk.headers).get_json()["number"]

    _rename(client, desk, "BRK-1", name_zh="前制动片", name_en="Front brake pad set")
    second = client.post("/api/v1/issues", json=issue, headers=desk.headers).get_json()["number"]

    def names(number):
        [line] = client.get(f"/api/v1/issues/{number}", headers=desk.headers).get_json()["lines"]
        return line["name_zh"], line["name_en"]

    assert names(first) == ("前刹车片", "Front brake pads")  # as signed
    assert names(second) == ("前制动片", "Front brake pad set")


def test_a_receipt_line_names_the_part_it_was_booked_to_and_its_bin_for_the_lot_label(client, desk, token):
    _shelf_and_brakes(client, desk, token)
    old = {**BRAKES, "part_number": "BRK-0", "name_zh": "旧刹车片", "name_en": "Old pads", "superseded_by": "BRK-1"}
    assert client.post("/api/v1/parts", json=old, headers=desk.headers).status_code == 201

    posted = desk.receive(desk.line("BRK-0", "2", location="SHELF"), desk.line(quantity="1", location="BODY"))

    assert posted.status_code == 201, posted.get_json()
    receipt = posted.get_json()
    # The superseded number is booked to its successor: the label names what is on the shelf.
    assert [(x["asked_part_number"], *printed) for x, printed in zip(receipt["lines"], _printed(receipt["lines"]))] == [
        ("BRK-0", "BRK-1", "前刹车片", "Front brake pads", "SHELF", "A-03-2"),
        ("PADS", "PADS", None, "PADS", "BODY", None)]
    assert client.get(f"/api/v1/receipts/{receipt['number']}", headers=desk.headers).get_json() == receipt


def test_opening_stock_receipts_name_their_parts_and_bins_too(client, desk, token):
    _shelf_and_brakes(client, desk, token)
    opening = "part_number,location,supplier,supplier_lot,quantity,unit_cost\r\nBRK-1,SHELF,S1,B-1,2,400.00\r\n"

    response = client.post("/api/v1/stock/import", data=opening.encode(), content_type="text/csv",
                           headers=token(["parts_manager"]))

    assert response.status_code == 201, response.get_json()
    [taken_on] = response.get_json()["receipts"]
    receipt = client.get(f"/api/v1/receipts/{taken_on['number']}", headers=desk.headers).get_json()
    assert [(*printed, x["inspection"]) for x, printed in zip(receipt["lines"], _printed(receipt["lines"]))] == [
        ("BRK-1", "前刹车片", "Front brake pads", "SHELF", "A-03-2", "passed")]


def test_quote_lines_carry_both_names_beside_the_one_shown(client, desk, token):
    _shelf_and_brakes(client, desk, token)
    aftermarket = {**BRAKES, "part_number": "BRK-9", "name_zh": None, "name_en": "Pads, aftermarket",
                   "source": "aftermarket", "alternates": ["BRK-1"]}
    assert client.post("/api/v1/parts", json=aftermarket, headers=desk.headers).status_code == 201
    desk.receive(desk.line("BRK-9", "2"))

    quote = client.post("/api/v1/availability", json={"lines": [{"part_number": "BRK-1", "quantity": "1"},
                                                                {"part_number": "NOPE", "quantity": "1"}]},
                        headers=desk.headers)

    assert quote.status_code == 200, quote.get_json()
    brakes, unknown = quote.get_json()["lines"]
    assert (brakes["name"], brakes["name_zh"], brakes["name_en"]) == ("前刹车片", "前刹车片", "Front brake pads")
    [alternate] = brakes["alternates"]
    assert (alternate["part_number"], alternate["name"], alternate["name_zh"], alternate["name_en"]) == (
        "BRK-9", "Pads, aftermarket", None, "Pads, aftermarket")
    assert (unknown["found"], unknown["name"], unknown["name_zh"], unknown["name_en"]) == (False, None, None, None)


def test_a_receipt_line_must_say_its_inspection_and_nothing_is_booked_without_it(client, desk):
    missing = desk.line("OIL", "5")
    del missing["inspection"]

    response = desk.receive(desk.line(quantity="2"), missing)

    assert response.status_code == 422
    problem = response.get_json()
    assert (problem["code"], list(problem["errors"])) == ("validation_failed", ["lines.1.inspection"])
    wrong = desk.receive(desk.line(quantity="2", inspection="ok"))
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["lines.0.inspection"]
    assert desk.stock() == [] and desk.events("parts.stock.received") == []
    pending = desk.receive(desk.line(quantity="2", inspection="pending")).get_json()["lines"]
    assert [(x["inspection"], x["quantity"]) for x in pending] == [("pending", "2.000")]
    assert desk.available("PADS") == 0
