"""The catalog and stock as CSV files: export, import (all rows or none), through the API."""

from __future__ import annotations

import csv
import io

import pytest

BOM = "\ufeff"
CATALOG_HEADER = "part_number,name_zh,name_en,category,unit,source,safety_critical,list_price,currency,superseded_by"
EXPORT_HEADER = CATALOG_HEADER + ",fitments,alternates"
STOCK_HEADER = "part_number,location,supplier,supplier_lot,quantity,unit_cost"


@pytest.fixture
def store(client, token):
    """A dealer with two locations, a qualified and an unqualified supplier, and three parts."""
    manager, clerk = token(["parts_manager"]), token(["parts_clerk"], sub="clerk-li")
    for code, warehouse in (("MAIN", "Main store"), ("BODY", "Body shop store")):
        assert client.post("/api/v1/locations", json={"code": code, "warehouse": warehouse},
                           headers=manager).status_code == 201
    for code, qualified in (("S1", True), ("S2", True), ("S9", False)):
        assert client.post("/api/v1/suppliers", json={"code": code, "name": f"Supplier {code}", "qualified": qualified},
                           headers=manager).status_code == 201
    for number, name_zh, unit, price, critical in (
        ("PADS", "前刹车片", "set", "680.00", True), ("OIL", "机油", "L", "96.00", False),
        ("ECU", None, "pcs", "8800.00", False),
    ):
        part = {"part_number": number, "name_zh": name_zh, "name_en": number.title(), "category": "general",
                "unit": unit, "source": "oem", "list_price": price, "safety_critical": critical}
        assert client.post("/api/v1/parts", json=part, headers=clerk).status_code == 201

    class Store:
        def upload(self, path, text, headers=None, encoding="utf-8", content_type="text/csv", **query):
            return client.post(path, data=text.encode(encoding), content_type=content_type,
                               query_string=query, headers=headers or clerk)

        def download(self, path, headers=None):
            response = client.get(path, headers=headers or clerk)
            assert response.status_code == 200, response.get_data(as_text=True)
            return response

        def catalog(self):
            return {p["part_number"]: p for p in client.get("/api/v1/parts?limit=200", headers=clerk).get_json()["items"]}

        def stock(self, **query):
            return client.get("/api/v1/stock", query_string=query, headers=clerk).get_json()["items"]

        def ledger(self, **query):
            return client.get("/api/v1/ledger", query_string=query, headers=clerk).get_json()["items"]

        def events(self, type_=None):
            items = client.get("/api/v1/events?limit=1000", headers=token(["integration"])).get_json()["items"]
            return [i["event"] for i in items if type_ is None or i["event"]["type"] == type_]

        clerk_headers = clerk
        manager_headers = manager

    return Store()


def rows_of(response) -> list[dict]:
    body = response.get_data().decode("utf-8")
    assert body.startswith(BOM), "Excel needs the byte order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(body.removeprefix(BOM), newline="")))


def csv_text(header: str, *rows: str) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def test_the_catalog_goes_out_and_comes_back_in(client, store):
    exported = store.download("/api/v1/catalog/export")
    assert exported.mimetype == "text/csv" and exported.mimetype_params["charset"] == "utf-8"
    assert 'filename="catalog.csv"' in exported.headers["Content-Disposition"]
    body = exported.get_data().decode("utf-8").removeprefix(BOM)
    assert body.splitlines()[0] == EXPORT_HEADER
    rows = rows_of(exported)
    assert [(r["part_number"], r["name_zh"], r["safety_critical"], r["list_price"], r["currency"]) for r in rows] == [
        ("ECU", "", "false", "8800.00", "CNY"), ("OIL", "机油", "false", "96.00", "CNY"),
        ("PADS", "前刹车片", "true", "680.00", "CNY")]
    before = store.events()

    # Importing the export unchanged changes nothing and announces nothing.
    same = store.upload("/api/v1/catalog/import", exported.get_data().decode("utf-8"))
    assert same.status_code == 200, same.get_json()
    assert same.get_json() == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3}
    assert store.events() == before

    # The clerk edits the sheet: a new price, a new part that supersedes an old one.
    for row in rows:
        if row["part_number"] == "PADS":
            row["list_price"] = "699.00"
        if row["part_number"] == "OIL":
            row["superseded_by"] = "OIL-2"
    rows.append({**rows[1], "part_number": "OIL-2", "name_zh": "机油(新)", "superseded_by": ""})
    sheet = io.StringIO()
    writer = csv.DictWriter(sheet, fieldnames=EXPORT_HEADER.split(","))
    writer.writeheader()
    writer.writerows(rows)
    imported = store.upload("/api/v1/catalog/import", BOM + sheet.getvalue())
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json() == {"rows": 4, "created": 1, "updated": 2, "unchanged": 1}

    catalog = store.catalog()
    assert catalog["PADS"]["list_price"] == "699.00" and catalog["PADS"]["safety_critical"] is True
    assert catalog["OIL"]["superseded_by"] == "OIL-2" and catalog["OIL-2"]["name_zh"] == "机油(新)"
    assert catalog["ECU"]["version"] == 1
    new_events = [(e["type"], e["subject"], e["data"].get("changed")) for e in store.events()[len(before):]]
    assert sorted(new_events) == [
        ("parts.part.created", "OIL-2", None),
        ("parts.part.updated", "OIL", ["superseded_by"]),
        ("parts.part.updated", "PADS", ["list_price"]),
    ]
    # And what went in comes out again.
    assert [r["superseded_by"] for r in rows_of(store.download("/api/v1/catalog/export"))] == ["", "OIL-2", "", ""]


def test_a_file_with_bad_rows_names_every_one_and_applies_nothing(client, store):
    before_catalog, before_events = store.catalog(), store.events()
    response = store.upload("/api/v1/catalog/import", csv_text(
        CATALOG_HEADER,
        "NEW-1,新件,New one,general,pcs,oem,false,10.00,CNY,",          # line 2: good
        "PADS,前刹车片,Pads,general,set,oem,true,cheap,CNY,",            # line 3: price is not a number
        "NEW-2,,,general,pcs,oem,false,5.00,CNY,",                     # line 4: no name at all
        "OIL,机油,Oil,general,L,oem,false,97.00,CNY,",                  # line 5: good update
        "NEW-3,新件3,,general,box,oem,false,5.00,CNY,GONE",              # line 6: unknown unit and replacement
        "NEW-1,新件,New one again,general,pcs,oem,false,10.00,CNY,",    # line 7: repeats line 2
        "ECU,,Ecu,general,pcs,oem,,8800.00,CNY,ECU",                  # line 8: blank safety flag, supersedes itself
    ))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "rows_rejected" and "nothing was applied" in problem["detail"]
    found = [(r["line"], r["field"], r["code"]) for r in problem["rows"]]
    assert found == [
        (3, "list_price", "validation_failed"),
        (4, "name_zh", "part_name_required"),
        (6, "unit", "validation_failed"),
        (7, "part_number", "duplicate_in_file"),
        (8, "safety_critical", "validation_failed"),
    ]
    assert "line 2" in problem["rows"][3]["message"]
    assert problem["errors"]["3.list_price"] and set(problem["errors"]) == {f"{line}.{field}" for line, field, _ in found}

    assert store.catalog() == before_catalog
    assert store.events() == before_events

    # Rows with a good format are still checked against the catalog; again nothing applies.
    response = store.upload("/api/v1/catalog/import", csv_text(
        CATALOG_HEADER,
        "NEW-1,新件,New one,general,pcs,oem,false,10.00,CNY,GONE",      # line 2: no such replacement
        "ECU,,Ecu,general,pcs,oem,false,8800.00,CNY,ECU",              # line 3: supersedes itself
        "NEW-2,新件2,,general,pcs,oem,false,5.00,CNY,",                # line 4: good
    ))
    assert [(r["line"], r["field"], r["code"]) for r in response.get_json()["rows"]] == [
        (2, "superseded_by", "part_not_found"), (3, "superseded_by", "supersession_loop")]
    assert store.catalog() == before_catalog and store.events() == before_events


def test_create_mode_refuses_numbers_already_in_the_catalog(client, store):
    response = store.upload("/api/v1/catalog/import", csv_text(
        CATALOG_HEADER, "NEW-1,新件,,general,pcs,oem,false,1.00,CNY,", "PADS,前刹车片,,brakes,set,oem,true,1.00,CNY,"),
        mode="create")
    assert [(r["line"], r["code"]) for r in response.get_json()["rows"]] == [(3, "duplicate_part_number")]
    assert "NEW-1" not in store.catalog()

    created = store.upload("/api/v1/catalog/import", csv_text(CATALOG_HEADER, "NEW-1,新件,,general,pcs,oem,false,1.00,,"),
                           mode="create")
    assert created.status_code == 200 and created.get_json()["created"] == 1
    assert store.catalog()["NEW-1"]["currency"] == "CNY"  # a blank cell takes the default
    assert store.upload("/api/v1/catalog/import", "x", mode="merge").status_code == 422


def test_an_excel_file_with_a_byte_order_mark_reads_like_any_other(client, store):
    # Excel's "CSV UTF-8": byte order mark, CRLF, TRUE/FALSE, columns in its own order, a
    # quoted name with a comma, and an empty row at the end.
    text = BOM + csv_text(
        "Part_Number,Name_EN,Name_ZH,Category,Unit,Source,Safety_Critical,List_Price,Currency,Superseded_By",
        'DISC,"Disc, front",前刹车盘,brakes,pcs,oem,TRUE,450,CNY,',
        ",,,,,,,,,",
    )
    response = store.upload("/api/v1/catalog/import", text)
    assert response.status_code == 200, response.get_json()
    disc = store.catalog()["DISC"]
    assert (disc["name_en"], disc["name_zh"], disc["safety_critical"], disc["list_price"]) == (
        "Disc, front", "前刹车盘", True, "450.00")

    # Excel's other "CSV" is the local code page (GBK in China): named, it is read; unnamed, refused.
    gbk = csv_text(CATALOG_HEADER, "HOSE,刹车软管,,brakes,pcs,oem,true,80.00,CNY,")
    refused = store.upload("/api/v1/catalog/import", gbk, encoding="gbk")
    assert refused.status_code == 422
    assert [(r["line"], r["code"]) for r in refused.get_json()["rows"]] == [(2, "not_utf8")]
    named = store.upload("/api/v1/catalog/import", gbk, encoding="gbk", content_type="text/csv; charset=GBK")
    assert named.status_code == 200 and store.catalog()["HOSE"]["name_zh"] == "刹车软管"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_exported_harmless(client, store):
    store.upload("/api/v1/catalog/import", csv_text(CATALOG_HEADER, 'EVIL,,"=HYPERLINK(""x"")",general,pcs,oem,false,1.00,CNY,'))
    exported = store.download("/api/v1/catalog/export")
    [evil] = [r for r in rows_of(exported) if r["part_number"] == "EVIL"]
    assert evil["name_en"] == "'=HYPERLINK(\"x\")"
    assert store.upload("/api/v1/catalog/import", exported.get_data().decode("utf-8")).get_json()["updated"] == 0
    assert store.catalog()["EVIL"]["name_en"] == '=HYPERLINK("x")'


def test_fitments_and_alternates_go_out_and_come_back_in_one_cell_each(client, store):
    camry = {"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2022, "displacement": "2.5"}
    rover = {"make": "Land Rover", "model": "Range Rover Sport", "year_from": 2020, "year_to": 2020,
             "displacement": None}
    pads = client.get("/api/v1/parts/PADS", headers=store.clerk_headers)
    assert client.patch("/api/v1/parts/PADS", json={"fitments": [camry, rover], "alternates": ["ECU", "OIL"]},
                        headers={**store.clerk_headers, "If-Match": pads.headers["ETag"]}).status_code == 200
    rows = {r["part_number"]: r for r in rows_of(store.download("/api/v1/catalog/export"))}
    assert rows["PADS"]["fitments"] == 'Toyota Camry 2018-2022 2.5; "Land Rover" Range Rover Sport 2020-2020'
    assert rows["PADS"]["alternates"] == "ECU|OIL"
    assert (rows["OIL"]["fitments"], rows["OIL"]["alternates"]) == ("", "")

    # The export comes back unchanged: nothing changes, nothing is announced.
    before = store.events()
    sheet = store.download("/api/v1/catalog/export").get_data().decode("utf-8")
    assert store.upload("/api/v1/catalog/import", sheet).get_json()["unchanged"] == 3
    assert store.events() == before

    # The clerk edits cells as Excel shows them: another vehicle, one year, litres with an L, an
    # alternate further down the file, and a blank cell for none.
    text = csv_text(
        EXPORT_HEADER,
        'PADS,前刹车片,Pads,general,set,oem,true,680.00,CNY,,"Toyota Camry 2018-2022 2.5 ; Toyota RAV4 2019 2.0L;",',
        "OIL,机油,Oil,general,L,oem,false,96.00,CNY,,,OIL-2 | ECU",
        "OIL-2,机油(新),Oil,general,L,oem,false,99.00,CNY,,Toyota Camry 2018-2022,",
    )
    imported = store.upload("/api/v1/catalog/import", text)
    assert imported.status_code == 200, imported.get_json()
    assert imported.get_json() == {"rows": 3, "created": 1, "updated": 2, "unchanged": 0}
    catalog = store.catalog()
    assert catalog["PADS"]["fitments"] == [camry, {"make": "Toyota", "model": "RAV4", "year_from": 2019,
                                                   "year_to": 2019, "displacement": "2.0"}]
    assert catalog["PADS"]["alternates"] == []
    assert catalog["OIL"]["alternates"] == ["ECU", "OIL-2"]
    assert catalog["OIL-2"]["fitments"] == [{**camry, "displacement": None}]
    updated = {e["subject"]: e["data"] for e in store.events("parts.part.updated")}
    assert updated["PADS"]["changed"] == ["fitments", "alternates"] and updated["OIL"]["changed"] == ["alternates"]
    assert updated["PADS"]["by"] == "clerk-li"
    history = client.get("/api/v1/parts/OIL/history", headers=store.clerk_headers).get_json()["items"]
    assert (history[0]["reason"], history[0]["changes"]) == (
        "catalog import, line 3", [{"field": "alternates", "from": [], "to": ["ECU", "OIL-2"]}])

    # A file without the two columns leaves every part's lists as they are.
    kept = store.upload("/api/v1/catalog/import", csv_text(
        CATALOG_HEADER, "PADS,前刹车片,Pads,general,set,oem,true,690.00,CNY,"))
    assert kept.get_json()["updated"] == 1
    assert store.catalog()["PADS"]["fitments"] == catalog["PADS"]["fitments"]
    assert store.catalog()["OIL"]["alternates"] == ["ECU", "OIL-2"]


def test_bad_fitment_and_alternate_cells_are_named_by_line_and_column(client, store):
    before_catalog, before_events = store.catalog(), store.events()
    response = store.upload("/api/v1/catalog/import", csv_text(
        EXPORT_HEADER,
        "PADS,前刹车片,Pads,general,set,oem,true,680.00,CNY,,Toyota Camry 2022-2018,",     # line 2: years reversed
        "OIL,机油,Oil,general,L,oem,false,96.00,CNY,,Camry 2018-2022; Toyota Camry,",     # line 3: no make; no years
        "ECU,,Ecu,general,pcs,oem,false,8800.00,CNY,,,GHOST|PADS",                       # line 4: unknown alternate
        "NEW-1,新件,,general,pcs,oem,false,1.00,CNY,,,bad number!",                       # line 5: not a number
        "NEW-2,新件,,general,pcs,oem,false,1.00,CNY,,,NEW-2",                             # line 6: itself
        "NEW-3,新件,,general,pcs,oem,false,1.00,CNY,,Toyota Camry 2018-2022 123,NEW-1",  # line 7: displacement
    ))
    assert response.status_code == 422, response.get_json()
    found = [(r["line"], r["field"], r["code"]) for r in response.get_json()["rows"]]
    assert found == [
        (2, "fitments", "validation_failed"),
        (3, "fitments", "validation_failed"), (3, "fitments", "validation_failed"),
        (4, "alternates", "part_not_found"),
        (5, "alternates", "validation_failed"),
        (6, "alternates", "alternate_of_itself"),
        (7, "fitments", "validation_failed"),
    ]
    messages = {(r["line"], r["field"]): r["message"] for r in response.get_json()["rows"]}
    assert "year_to" in messages[(2, "fitments")] and "GHOST" in messages[(4, "alternates")]
    assert store.catalog() == before_catalog and store.events() == before_events


@pytest.mark.parametrize("text, expected", [
    ("", [(1, "_header", "no_header")]),
    (CATALOG_HEADER + "\r\n", [(2, "_file", "no_rows")]),
    ("part_number,name,category\r\nA,b,c\r\n", [
        (1, "name", "unknown_column"), *[(1, c, "missing_column") for c in (
            "name_zh", "name_en", "unit", "source", "safety_critical", "list_price", "currency", "superseded_by")]]),
    (csv_text(CATALOG_HEADER, "A,a,,general,pcs,oem,false,1.00,CNY,,surplus"), [(2, "_row", "cell_without_column")]),
    (csv_text(CATALOG_HEADER, "A,a\0,,general,pcs,oem,false,1.00,CNY,"), [(2, "_file", "not_text")]),
    (csv_text(CATALOG_HEADER, "A,b,,general,pcs,oem,false,x,CNY,", 'B,"' + "long " * 30000 + '",,general,pcs,oem,false,1.00,CNY,'),
     [(2, "list_price", "validation_failed"), (3, "_file", "malformed_csv")]),
])
def test_a_file_that_is_not_the_format_is_refused_by_line(client, store, text, expected):
    response = store.upload("/api/v1/catalog/import", text)
    assert response.status_code == 422, response.get_json()
    assert [(r["line"], r["field"], r["code"]) for r in response.get_json()["rows"]] == expected


def test_a_file_too_big_is_refused_and_nothing_applied(client, store, service, infra, token, monkeypatch):
    from parts.api import csv_import_export

    monkeypatch.setattr(csv_import_export, "MAX_ROWS", 2)
    three = csv_text(CATALOG_HEADER, *(f"P-{n},件,,general,pcs,oem,false,1.00,CNY," for n in range(3)))
    response = store.upload("/api/v1/catalog/import", three)
    assert [(r["line"], r["code"]) for r in response.get_json()["rows"]] == [(4, "too_many_rows")]

    small = service.create_app(infra.settings(service, MAX_BODY_BYTES="2048")).test_client()
    big = csv_text(CATALOG_HEADER, *(f"P-{n},件,,general,pcs,oem,false,1.00,CNY," for n in range(100)))
    response = small.post("/api/v1/catalog/import", data=big.encode(), content_type="text/csv",
                          headers=token(["parts_clerk"]))
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    assert not any(number.startswith("P-") for number in store.catalog())


def test_only_a_csv_body_is_read(client, store):
    response = client.post("/api/v1/catalog/import", json={"part_number": "A"}, headers=store.clerk_headers)
    assert response.status_code == 415 and response.get_json()["code"] == "unsupported_media_type"


def test_who_may_import_and_export(client, store, token):
    advisor = token(["service_advisor"])
    assert store.download("/api/v1/catalog/export", headers=advisor).status_code == 200
    assert store.download("/api/v1/stock/export", headers=advisor).status_code == 200
    new_part = csv_text(CATALOG_HEADER, "NEW-1,新件,,general,pcs,oem,false,1.00,CNY,")
    assert store.upload("/api/v1/catalog/import", new_part, headers=advisor).status_code == 403
    # Stock out of nothing is for the manager only.
    opening = csv_text(STOCK_HEADER, "PADS,MAIN,S1,B-1,4,410.00")
    refused = store.upload("/api/v1/stock/import", opening, headers=store.clerk_headers)
    assert refused.status_code == 403
    assert store.upload("/api/v1/stock/import", opening, headers=token([])).status_code == 403
    assert "NEW-1" not in store.catalog() and store.stock() == []


def test_opening_stock_is_booked_as_inspected_receipts_per_supplier(client, store):
    response = store.upload("/api/v1/stock/import", csv_text(
        STOCK_HEADER,
        "PADS,MAIN,S1,B-2026-11,4,410.00",
        "PADS,BODY,S1,B-2026-11,2,410.00",
        "OIL,MAIN,S2,,20.5,31.00",
        "PADS,MAIN,S2,P-7,1,395.50",
    ), headers=store.manager_headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["rows"] == 4
    assert [(r["supplier"], r["lines"]) for r in body["receipts"]] == [("S1", 2), ("S2", 2)]
    s1, s2 = (r["number"] for r in body["receipts"])

    receipt = client.get(f"/api/v1/receipts/{s1}", headers=store.clerk_headers).get_json()
    assert receipt["delivery_note"] == "opening balance (期初库存)" and receipt["received_by"] == "tester"
    stock = store.stock()
    assert sorted((b["part_number"], b["location"], b["supplier"], b["supplier_lot"], b["available"], b["inspection"])
                  for b in stock) == [
        ("OIL", "MAIN", "S2", None, "20.500", "passed"),
        ("PADS", "BODY", "S1", "B-2026-11", "2.000", "passed"),
        ("PADS", "MAIN", "S1", "B-2026-11", "4.000", "passed"),
        ("PADS", "MAIN", "S2", "P-7", "1.000", "passed"),
    ]
    assert len({b["lot"] for b in stock}) == 4
    ledger = store.ledger(reference=s1) + store.ledger(reference=s2)
    assert sorted((m["kind"], m["part_number"], m["location"], m["on_hand_change"], m["quarantined_change"])
                  for m in ledger) == [
        ("receipt", "OIL", "MAIN", "20.500", "0.000"), ("receipt", "PADS", "BODY", "2.000", "0.000"),
        ("receipt", "PADS", "MAIN", "1.000", "0.000"), ("receipt", "PADS", "MAIN", "4.000", "0.000")]
    received = store.events("parts.stock.received")
    assert sorted((e["data"]["receipt"], e["data"]["part_number"], e["data"]["quantity"], e["data"]["blocked"])
                  for e in received) == sorted([
        (s1, "PADS", "4.000", False), (s1, "PADS", "2.000", False), (s2, "OIL", "20.500", False),
        (s2, "PADS", "1.000", False)])

    # The stock export lists the same balances, lot by lot.
    exported = rows_of(store.download("/api/v1/stock/export"))
    assert list(exported[0]) == ["part_number", "name_zh", "name_en", "location", "lot", "supplier", "supplier_lot",
                                 "received_at", "inspection", "on_hold", "on_hand", "reserved", "quarantined",
                                 "available", "unit_cost"]
    assert sorted({(r["part_number"], r["name_zh"], r["name_en"]) for r in exported}) == [
        ("OIL", "机油", "Oil"), ("PADS", "前刹车片", "Pads")]
    assert sorted((r["part_number"], r["location"], r["on_hand"], r["available"], r["unit_cost"], r["on_hold"])
                  for r in exported) == [
        ("OIL", "MAIN", "20.500", "20.500", "31.00", "false"),
        ("PADS", "BODY", "2.000", "2.000", "410.00", "false"),
        ("PADS", "MAIN", "1.000", "1.000", "395.50", "false"),
        ("PADS", "MAIN", "4.000", "4.000", "410.00", "false"),
    ]
    assert {r["lot"] for r in exported} == {b["lot"] for b in stock}
    assert all(r["received_at"].endswith("+00:00") for r in exported)


def test_opening_stock_with_bad_rows_books_nothing(client, store):
    response = store.upload("/api/v1/stock/import", csv_text(
        STOCK_HEADER,
        "PADS,MAIN,S1,B-1,4,410.00",       # line 2: good
        "NOPE,MAIN,S1,B-1,4,410.00",       # line 3: unknown part
        "PADS,ATTIC,S1,B-1,4,410.00",      # line 4: unknown location
        "PADS,MAIN,S9,B-1,4,410.00",       # line 5: supplier not qualified
        "PADS,MAIN,S1,B-2,1.5,410.00",     # line 6: pads come in whole sets
        "OIL,MAIN,S1,,-3,31.00",           # line 7: negative quantity
        "PADS,MAIN,S1,B-1,1,410.00",       # line 8: same part, place, supplier and lot as line 2
        "OIL,MAIN,NOBODY,,1.25,31.00",     # line 9: unknown supplier
    ), headers=store.manager_headers)
    assert response.status_code == 422
    assert [(r["line"], r["field"], r["code"]) for r in response.get_json()["rows"]] == [
        (3, "part_number", "part_not_found"),
        (4, "location", "location_not_found"),
        (5, "supplier", "supplier_not_qualified"),
        (6, "quantity", "quantity_too_precise"),
        (7, "quantity", "validation_failed"),
        (8, "part_number", "duplicate_in_file"),
        (9, "supplier", "supplier_not_found"),
    ]
    assert store.stock() == [] and store.ledger() == [] and store.events("parts.stock.received") == []
    assert rows_of(store.download("/api/v1/stock/export")) == []


def test_a_retry_with_the_same_idempotency_key_books_the_opening_stock_once(client, store):
    headers = {**store.manager_headers, "Idempotency-Key": "take-on-1"}
    text = csv_text(STOCK_HEADER, "ECU,MAIN,S1,E-1,2,5000.00")
    first = store.upload("/api/v1/stock/import", text, headers=headers)
    again = store.upload("/api/v1/stock/import", text, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == first.get_json()
    assert [b["on_hand"] for b in store.stock(part_number="ECU")] == ["2.000"]

