"""Listing issue slips (领料单) by repair order or vehicle, newest first, a page at a time."""

from __future__ import annotations

VIN = "LVSHCAMB1CE054249"
OTHER_VIN = "1HGCM82633A004352"


def _issue(client, desk, repair_order, vin, quantity="1"):
    response = client.post("/api/v1/issues", json={"repair_order": repair_order, "vin": vin, "technician": "tech-wang",
                                                   "lines": [{"part_number": "PADS", "quantity": quantity}]},
                           headers=desk.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_repair_orders_issues_are_listed_newest_first_as_each_slip_reads(client, desk, token):
    desk.receive(desk.line(quantity="10"))
    first = _issue(client, desk, "RO-1", VIN)
    _issue(client, desk, "RO-2", OTHER_VIN)
    second = _issue(client, desk, "RO-1", VIN, quantity="2")

    listed = client.get("/api/v1/issues", query_string={"repair_order": "RO-1"}, headers=token(["service_advisor"]))

    assert listed.status_code == 200
    page = listed.get_json()
    assert [slip["number"] for slip in page["items"]] == [second["number"], first["number"]]
    assert page["next_cursor"] is None
    for slip in page["items"]:  # the same as reading each slip alone
        assert slip == client.get(f"/api/v1/issues/{slip['number']}", headers=desk.headers).get_json()


def test_a_vehicles_issues_are_found_in_any_case_and_paged(client, desk):
    desk.receive(desk.line(quantity="10"))
    numbers = [_issue(client, desk, f"RO-{n}", VIN)["number"] for n in range(3)]
    _issue(client, desk, "RO-9", OTHER_VIN)

    seen, cursor = [], None
    while True:
        query = {"vin": VIN.lower(), "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/issues", query_string=query, headers=desk.headers).get_json()
        seen += [slip["number"] for slip in page["items"]]
        assert all(slip["vin"] == VIN for slip in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == numbers[::-1]

    everything = client.get("/api/v1/issues", headers=desk.headers).get_json()["items"]
    assert len(everything) == 4
    assert client.get("/api/v1/issues", query_string={"repair_order": "RO-404"},
                      headers=desk.headers).get_json() == {"items": [], "next_cursor": None}


def test_bad_filters_are_named(client, desk):
    bad_vin = client.get("/api/v1/issues", query_string={"vin": "NOT-A-VIN"}, headers=desk.headers)
    assert bad_vin.status_code == 422 and list(bad_vin.get_json()["errors"]) == ["vin"]
    unknown = client.get("/api/v1/issues", query_string={"repairorder": "RO-1"}, headers=desk.headers)
    assert unknown.status_code == 422 and list(unknown.get_json()["errors"]) == ["repairorder"]
    assert client.get("/api/v1/issues").status_code == 401
