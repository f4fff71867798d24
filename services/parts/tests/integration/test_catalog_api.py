from __future__ import annotations

from decimal import Decimal

import pytest

from shared.testing import assert_every_operation_is_guarded

from parts.domain.catalog import Part
from parts.domain.part_details import PartDetails
from parts.domain.errors import PartNumberTaken

BRAKE_PADS = {
    "part_number": "04465-33450", "name_zh": "前刹车片", "name_en": "Front brake pads",
    "category": "brakes", "unit": "set", "source": "oem", "safety_critical": True,
    "list_price": "680.00",
}


def test_a_clerk_adds_a_part_and_everyone_can_read_it(client, token):
    created = client.post("/api/v1/parts", json=BRAKE_PADS, headers=token(["parts_clerk"]))
    assert created.status_code == 201, created.get_json()
    assert created.headers["Location"].endswith("/api/v1/parts/04465-33450")
    assert created.headers["ETag"] == '"1"'
    body = created.get_json()
    assert body["list_price"] == "680.00" and body["currency"] == "CNY" and body["version"] == 1
    assert body["created_at"].endswith("+00:00")

    advisor = token(roles=["service_advisor"])
    assert client.get("/api/v1/parts/04465-33450", headers=advisor).get_json()["name_en"] == "Front brake pads"


def test_the_catalog_is_searched_and_filtered(client, token):
    for number, name, category, source in [
        ("A-1", "Oil filter", "filters", "oem"), ("A-2", "Brake pads", "brakes", "aftermarket"),
        ("A-3", "Brake disc", "brakes", "oem"),
    ]:
        client.post("/api/v1/parts", json={**BRAKE_PADS, "part_number": number, "name_en": name,
                                           "category": category, "source": source}, headers=token(["parts_clerk"]))

    def numbers(query):
        return [p["part_number"] for p in client.get(f"/api/v1/parts?{query}", headers=token(["parts_clerk"])).get_json()["items"]]

    assert numbers("category=brakes") == ["A-2", "A-3"]
    assert numbers("category=brakes&source=oem") == ["A-3"]
    assert numbers("q=brake") == ["A-2", "A-3"]
    assert numbers("q=%25") == []  # a wildcard in the search text is text, not a wildcard


def test_a_part_is_changed_with_if_match_and_announces_the_change(client, token):
    client.post("/api/v1/parts", json=BRAKE_PADS, headers=token(["parts_clerk"]))
    changed = client.patch("/api/v1/parts/04465-33450", json={"list_price": "699.00"},
                           headers={**token(["parts_clerk"]), "If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
    events = client.get("/api/v1/events", headers=token(roles=["integration"])).get_json()["items"]
    assert [e["event"]["type"] for e in events] == ["parts.part.created", "parts.part.updated"]
    updated = events[1]["event"]
    assert updated["sequence"] == 2 and updated["subject"] == "04465-33450"
    assert updated["data"]["changed"] == ["list_price"] and updated["data"]["list_price"] == "699.00"


def test_bad_parts_are_refused_with_the_field_named(client, token):
    def problem(payload):
        response = client.post("/api/v1/parts", json=payload, headers=token(["parts_clerk"]))
        assert response.status_code in (409, 422), response.get_json()
        return response.get_json()

    assert problem({**BRAKE_PADS, "list_price": "-1.00"})["errors"].keys() == {"list_price"}
    assert problem({**BRAKE_PADS, "list_price": "1.005"})["errors"] == {"list_price": ["Too many decimal places."]}
    assert problem({**BRAKE_PADS, "list_price": "99999999999.99"})["errors"].keys() == {"list_price"}
    assert problem({**BRAKE_PADS, "unit": "bucket"})["errors"].keys() == {"unit"}
    assert problem({**BRAKE_PADS, "part_number": "bad number!"})["errors"].keys() == {"part_number"}
    assert problem({**BRAKE_PADS, "name_zh": None, "name_en": None})["code"] == "part_name_required"
    client.post("/api/v1/parts", json=BRAKE_PADS, headers=token(["parts_clerk"]))
    assert problem(BRAKE_PADS)["code"] == "duplicate_part_number"
    events = client.get("/api/v1/events", headers=token(roles=["integration"])).get_json()["items"]
    assert len(events) == 1


def test_only_parts_staff_change_the_catalog(client, token):
    response = client.post("/api/v1/parts", json=BRAKE_PADS, headers=token(roles=["warranty_clerk"]))
    assert response.status_code == 403


def test_every_operation_is_guarded(app, token):
    assert_every_operation_is_guarded(app, lambda roles: token(roles=roles))


def add(client, token, number, **overrides):
    response = client.post("/api/v1/parts", json={**BRAKE_PADS, "part_number": number, **overrides},
                           headers=token(["parts_clerk"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def patch(client, token, number, body):
    version = client.get(f"/api/v1/parts/{number}", headers=token(["parts_clerk"])).get_json()["version"]
    return client.patch(f"/api/v1/parts/{number}", json=body,
                        headers={**token(["parts_clerk"]), "If-Match": f'"{version}"'})


def test_a_supersession_chain_is_kept_and_a_loop_is_refused(client, token):
    for number in ("OLD", "MID", "NEW"):
        add(client, token, number)
    assert patch(client, token, "OLD", {"superseded_by": "MID"}).status_code == 200
    assert patch(client, token, "MID", {"superseded_by": "NEW"}).get_json()["superseded_by"] == "NEW"
    loop = patch(client, token, "NEW", {"superseded_by": "OLD"})
    assert loop.status_code == 422 and loop.get_json()["code"] == "supersession_loop"
    assert patch(client, token, "NEW", {"superseded_by": "GHOST"}).get_json()["code"] == "part_not_found"
    assert patch(client, token, "MID", {"superseded_by": None}).get_json()["superseded_by"] is None


def test_a_delivery_of_a_superseded_number_is_booked_to_the_current_one_and_says_so(client, token):
    add(client, token, "OLD")
    add(client, token, "NEW")
    patch(client, token, "OLD", {"superseded_by": "NEW"})
    manager = token(["parts_manager"])
    client.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=manager)
    client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=manager)
    receipt = client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
        {"part_number": "OLD", "quantity": "2", "unit_cost": "1.00", "location": "MAIN", "inspection": "passed"}]},
        headers=token(["parts_clerk"]))
    assert receipt.status_code == 201, receipt.get_json()
    [booked] = receipt.get_json()["lines"]
    assert (booked["asked_part_number"], booked["part_number"]) == ("OLD", "NEW")
    stock = client.get("/api/v1/stock", headers=token(["parts_clerk"])).get_json()["items"]
    assert [(s["part_number"], s["on_hand"]) for s in stock] == [("NEW", "2.000")]


def test_parts_are_found_by_the_vehicle_they_fit(client, token):
    camry = {"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2023, "displacement": "2.5"}
    add(client, token, "PADS-CAMRY")
    add(client, token, "PADS-OLD-CAMRY")
    add(client, token, "FILTER-ANY")
    assert patch(client, token, "PADS-CAMRY", {"fitments": [camry]}).status_code == 200
    patch(client, token, "PADS-OLD-CAMRY", {"fitments": [{**camry, "year_from": 2012, "year_to": 2017}]})
    patch(client, token, "FILTER-ANY", {"fitments": [{**camry, "displacement": None, "year_from": 2010}]})

    def fits(query):
        items = client.get(f"/api/v1/parts?{query}", headers=token(["parts_clerk"])).get_json()["items"]
        return [p["part_number"] for p in items]

    assert fits("make=Toyota&model=Camry&year=2020") == ["FILTER-ANY", "PADS-CAMRY"]
    assert fits("make=Toyota&model=Camry&year=2015") == ["FILTER-ANY", "PADS-OLD-CAMRY"]
    assert fits("make=Toyota&model=Camry&year=2020&displacement=2.0") == ["FILTER-ANY"]
    assert fits("make=Honda") == []
    bad = patch(client, token, "FILTER-ANY", {"fitments": [{**camry, "year_from": 2024}]})
    assert bad.status_code == 422 and "fitments.0.year_to" in bad.get_json()["errors"]


def test_alternates_must_exist_and_are_listed(client, token):
    add(client, token, "PADS")
    add(client, token, "PADS-AM", source="aftermarket")
    assert patch(client, token, "PADS", {"alternates": ["PADS-AM"]}).get_json()["alternates"] == ["PADS-AM"]
    assert patch(client, token, "PADS", {"alternates": ["NOPE"]}).get_json()["code"] == "part_not_found"
    assert patch(client, token, "PADS", {"alternates": ["PADS"]}).get_json()["code"] == "alternate_of_itself"


def test_a_number_differing_only_in_case_is_a_duplicate(client, token):
    add(client, token, "PADS")
    for number in ("pads", "Pads"):
        refused = client.post("/api/v1/parts", json={**BRAKE_PADS, "part_number": number},
                              headers=token(["parts_clerk"]))
        assert refused.status_code == 409, refused.get_json()
        assert (refused.get_json()["code"], refused.get_json()["existing"]) == ("duplicate_part_number", "PADS")
    imported = client.post("/api/v1/catalog/import", headers={**token(["parts_clerk"]), "Content-Type": "text/csv"},
                           data=("part_number,name_zh,name_en,category,unit,source,safety_critical,list_price,"
                                 "currency,superseded_by\r\npads,,p,brakes,set,oem,false,1.00,CNY,\r\n").encode())
    assert [(r["line"], r["code"]) for r in imported.get_json()["rows"]] == [(2, "duplicate_part_number")]
    imported = client.post("/api/v1/catalog/import", headers={**token(["parts_clerk"]), "Content-Type": "text/csv"},
                           data=("part_number,name_zh,name_en,category,unit,source,safety_critical,list_price,"
                                 "currency,superseded_by\r\nnew-a,,a,brakes,set,oem,false,1.00,CNY,\r\n"
                                 "NEW-A,,a,brakes,set,oem,false,1.00,CNY,\r\n").encode())
    assert [(r["line"], r["code"]) for r in imported.get_json()["rows"]] == [(2, "duplicate_part_number")]
    items = client.get("/api/v1/parts", headers=token(["parts_clerk"])).get_json()["items"]
    assert [p["part_number"] for p in items] == ["PADS"]


def test_the_database_refuses_a_spelling_that_got_past_the_look_up(client, token, units):
    # As when two clerks add "PADS" and "pads" at the same moment: each looked for another
    # spelling before the other committed, found none, and goes on to add its part.
    add(client, token, "PADS")
    uow = units(dealer="D001", actor="clerk", correlation_id="c-1")
    with pytest.raises(PartNumberTaken), uow:
        uow.parts.add(Part("D001", "pads", PartDetails(name_zh=None, name_en="Pads", category="brakes", unit="set",
                                                       source="oem", safety_critical=True,
                                                       list_price=Decimal("1.00"), currency="CNY"),
                           at=uow.now(), by="clerk"))
    items = client.get("/api/v1/parts", headers=token(["parts_clerk"])).get_json()["items"]
    assert [p["part_number"] for p in items] == ["PADS"]


def test_the_vehicle_search_ignores_the_case_of_make_and_model(client, token):
    add(client, token, "PADS-CAMRY")
    patch(client, token, "PADS-CAMRY", {"fitments": [{"make": "Toyota", "model": "Camry", "year_from": 2018,
                                                      "year_to": 2023}]})
    for query in ("make=toyota&model=camry&year=2020", "make=TOYOTA", "model=CaMrY"):
        items = client.get(f"/api/v1/parts?{query}", headers=token(["parts_clerk"])).get_json()["items"]
        assert [p["part_number"] for p in items] == ["PADS-CAMRY"], query


def test_a_unit_cannot_change_while_stock_is_counted_in_it(client, token, desk):
    desk.receive(desk.line("OIL", "10.5"))
    refused = patch(client, token, "OIL", {"unit": "pcs"})
    assert refused.status_code == 409, refused.get_json()
    assert (refused.get_json()["code"], refused.get_json()["field"]) == ("unit_in_use", "unit")
    oil = client.get("/api/v1/parts/OIL", headers=token(["parts_clerk"])).get_json()
    assert (oil["unit"], oil["version"]) == ("L", 1)
    assert patch(client, token, "OIL", {"list_price": "99.00", "unit": "L"}).status_code == 200
    # A part nobody holds may change its unit.
    assert patch(client, token, "ECU", {"unit": "set"}).get_json()["unit"] == "set"


# ---------------------------------------------------------------- who changed a part, and why


def history(client, token, number, **query):
    response = client.get(f"/api/v1/parts/{number}/history", query_string=query, headers=token(["service_advisor"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def events_of(client, token, type_):
    items = client.get("/api/v1/events?limit=1000", headers=token(roles=["integration"])).get_json()["items"]
    return [item["event"] for item in items if item["event"]["type"] == type_]


def test_a_change_says_who_and_why_in_its_event_and_in_the_parts_history(client, token):
    camry = {"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2022, "displacement": "2.5"}
    created = client.post("/api/v1/parts", json={**BRAKE_PADS, "reason": "new model line"},
                          headers=token(["parts_clerk"], sub="clerk-li"))
    assert created.status_code == 201, created.get_json()
    changed = client.patch("/api/v1/parts/04465-33450",
                           json={"list_price": "699.00", "fitments": [camry], "reason": "supplier price list 2027"},
                           headers={**token(["parts_manager"], sub="manager-wang"), "If-Match": '"1"'})
    assert changed.status_code == 200, changed.get_json()
    assert changed.headers["ETag"] == '"2"'

    # One request, one event: who and why travel with it, as the supplier events' do.
    [event] = events_of(client, token, "parts.part.updated")
    assert event["data"]["changed"] == ["list_price", "fitments"]
    assert (event["data"]["by"], event["data"]["reason"]) == ("manager-wang", "supplier price list 2027")
    [announced] = events_of(client, token, "parts.part.created")
    assert (announced["data"]["by"], announced["data"]["reason"]) == ("clerk-li", "new model line")

    page = history(client, token, "04465-33450")
    assert page["next_cursor"] is None
    latest, first = page["items"]
    assert (latest["kind"], latest["by"], latest["reason"]) == ("updated", "manager-wang", "supplier price list 2027")
    assert latest["at"].endswith("+00:00")
    assert latest["changes"] == [
        {"field": "list_price", "from": "680.00", "to": "699.00"},
        {"field": "fitments", "from": [], "to": [{**camry, "displacement": "2.5"}]},
    ]
    assert (first["kind"], first["by"], first["reason"]) == ("created", "clerk-li", "new model line")
    assert {"field": "list_price", "from": None, "to": "680.00"} in first["changes"]
    assert all(change["from"] is None for change in first["changes"])

    # A change that changes nothing leaves no entry; no reason is fine.
    assert patch(client, token, "04465-33450", {"list_price": "699.00"}).status_code == 200
    assert patch(client, token, "04465-33450", {"name_en": "Pads, front"}).status_code == 200
    entries = history(client, token, "04465-33450")["items"]
    assert [(e["kind"], e["reason"], [c["field"] for c in e["changes"]]) for e in entries] == [
        ("updated", None, ["name_en"]), ("updated", "supplier price list 2027", ["list_price", "fitments"]),
        ("created", "new model line", [c["field"] for c in first["changes"]])]


def test_the_history_comes_a_page_at_a_time_and_only_for_a_part_of_the_catalog(client, token):
    add(client, token, "PADS")
    for price in ("1.00", "2.00", "3.00", "4.00"):
        assert patch(client, token, "PADS", {"list_price": price, "reason": f"price {price}"}).status_code == 200
    reasons, cursor = [], None
    while True:
        page = history(client, token, "PADS", limit=2, **({"cursor": cursor} if cursor else {}))
        reasons += [entry["reason"] for entry in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert reasons == ["price 4.00", "price 3.00", "price 2.00", "price 1.00", None]
    missing = client.get("/api/v1/parts/GHOST/history", headers=token(["parts_clerk"]))
    assert missing.status_code == 404 and missing.get_json()["code"] == "part_not_found"
    bad = client.get("/api/v1/parts/PADS/history?cursor=nonsense", headers=token(["parts_clerk"]))
    assert bad.status_code == 422 and bad.get_json()["code"] == "invalid_cursor"
    assert client.get("/api/v1/parts/PADS/history", headers=token([])).status_code == 403
    # Another dealer neither sees the part nor its history.
    assert client.get("/api/v1/parts/PADS/history", headers=token(["parts_clerk"], dealer="D002")).status_code == 404


def test_a_reason_is_text_of_at_most_500_characters(client, token):
    add(client, token, "PADS")
    for reason in ("", "x" * 501, 7):
        refused = patch(client, token, "PADS", {"list_price": "1.00", "reason": reason})
        assert refused.status_code == 422 and set(refused.get_json()["errors"]) == {"reason"}, reason
    only_a_reason = patch(client, token, "PADS", {"reason": "just because"})
    assert only_a_reason.status_code == 422 and only_a_reason.get_json()["code"] == "nothing_to_change"
    assert [e["kind"] for e in history(client, token, "PADS")["items"]] == ["created"]


# ---------------------------------------------------------------- a part created whole


def test_a_part_is_created_whole_in_one_step(client, token):
    add(client, token, "PADS-NEW")
    add(client, token, "PADS-AM", source="aftermarket")
    camry = {"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2022, "displacement": "2.5"}
    rav4 = {"make": "Toyota", "model": "RAV4", "year_from": 2019, "year_to": 2023, "displacement": None}
    created = client.post("/api/v1/parts", json={
        **BRAKE_PADS, "superseded_by": "PADS-NEW", "alternates": ["PADS-AM"], "fitments": [camry, rav4],
        "reason": "catalog CD 2026-12"}, headers=token(["parts_clerk"], sub="clerk-li"))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["superseded_by"], body["alternates"], body["version"]) == ("PADS-NEW", ["PADS-AM"], 1)
    assert body["fitments"] == [camry, rav4]
    assert created.headers["ETag"] == '"1"'
    assert client.get("/api/v1/parts/04465-33450", headers=token(["parts_clerk"])).get_json() == body

    # One event for the whole of it, and one history entry.
    [event] = [e for e in events_of(client, token, "parts.part.created") if e["subject"] == "04465-33450"]
    assert event["data"]["superseded_by"] == "PADS-NEW" and event["sequence"] == 1
    assert not [e for e in events_of(client, token, "parts.part.updated") if e["subject"] == "04465-33450"]
    [entry] = history(client, token, "04465-33450")["items"]
    changes = {change["field"]: change["to"] for change in entry["changes"]}
    assert (entry["kind"], entry["reason"]) == ("created", "catalog CD 2026-12")
    assert (changes["superseded_by"], changes["alternates"]) == ("PADS-NEW", ["PADS-AM"])
    assert changes["fitments"] == [camry, rav4]
    # Found by the vehicle it fits, and a delivery of it is booked to its replacement.
    items = client.get("/api/v1/parts?make=Toyota&model=RAV4&year=2020", headers=token(["parts_clerk"])).get_json()
    assert [p["part_number"] for p in items["items"]] == ["04465-33450"]


@pytest.mark.parametrize("extra, status, code, field", [
    ({"superseded_by": "GHOST"}, 404, "part_not_found", "superseded_by"),
    ({"superseded_by": "04465-33450"}, 422, "supersession_loop", "superseded_by"),
    ({"alternates": ["PADS-AM", "GHOST"]}, 404, "part_not_found", "alternates.1"),
    ({"alternates": ["04465-33450"]}, 422, "alternate_of_itself", "alternates"),
])
def test_a_whole_part_breaking_a_catalog_rule_is_refused_and_nothing_is_added(client, token, extra, status, code,
                                                                              field):
    add(client, token, "PADS-AM", source="aftermarket")
    before = client.get("/api/v1/events?limit=1000", headers=token(roles=["integration"])).get_json()["items"]
    refused = client.post("/api/v1/parts", json={**BRAKE_PADS, **extra}, headers=token(["parts_clerk"]))
    assert refused.status_code == status, refused.get_json()
    assert (refused.get_json()["code"], refused.get_json()["field"]) == (code, field)
    assert client.get("/api/v1/parts/04465-33450", headers=token(["parts_clerk"])).status_code == 404
    assert client.get("/api/v1/events?limit=1000", headers=token(roles=["integration"])).get_json()["items"] == before


def test_a_whole_part_with_a_bad_fitment_is_refused_with_the_field_named(client, token):
    bad = client.post("/api/v1/parts", json={**BRAKE_PADS, "fitments": [
        {"make": "Toyota", "model": "Camry", "year_from": 2022, "year_to": 2018}]}, headers=token(["parts_clerk"]))
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"fitments.0.year_to"}
    assert client.get("/api/v1/parts/04465-33450", headers=token(["parts_clerk"])).status_code == 404


def test_a_replacement_keeps_the_chain_without_loops(client, token):
    add(client, token, "MID")
    add(client, token, "NEW")
    assert patch(client, token, "MID", {"superseded_by": "NEW"}).status_code == 200
    # A new number may join the chain in front ...
    created = client.post("/api/v1/parts", json={**BRAKE_PADS, "part_number": "OLD", "superseded_by": "MID"},
                          headers=token(["parts_clerk"]))
    assert created.status_code == 201, created.get_json()
    # ... and the chain's end may then not point back at it.
    loop = patch(client, token, "NEW", {"superseded_by": "OLD"})
    assert loop.status_code == 422 and loop.get_json()["code"] == "supersession_loop"
