"""Finding a part the way the desk types it: numbers without their hyphens or in another case,
and Chinese names in simplified or traditional characters."""

from __future__ import annotations

import pytest


@pytest.fixture
def catalog(client, token):
    clerk = token(["parts_clerk"])
    for number, name_zh, name_en in (("04465-33450", "前剎車片", "Front brake pads"),   # traditional
                                     ("90915-YZZD1", "机油滤清器", "Oil filter"),         # simplified
                                     ("48510-80K01", "前减震器", None)):
        response = client.post("/api/v1/parts", json={"part_number": number, "name_zh": name_zh, "name_en": name_en,
                                                      "category": "general", "unit": "pcs", "source": "oem",
                                                      "list_price": "100.00"}, headers=clerk)
        assert response.status_code == 201, response.get_json()

    def find(q):
        response = client.get("/api/v1/parts", query_string={"q": q}, headers=token(["service_advisor"]))
        assert response.status_code == 200, response.get_json()
        return [part["part_number"] for part in response.get_json()["items"]]

    return find


@pytest.mark.parametrize("q, found", [
    ("刹车片", ["04465-33450"]),      # simplified finds the traditional name
    ("剎車片", ["04465-33450"]),
    ("機油濾清器", ["90915-YZZD1"]),  # traditional finds the simplified name
    ("滤清", ["90915-YZZD1"]),
    ("減震", ["48510-80K01"]),
    ("brake", ["04465-33450"]),
])
def test_names_are_found_in_simplified_or_traditional_characters(catalog, q, found):
    assert catalog(q) == found


@pytest.mark.parametrize("q", ["0446533450", "04465 33450", "04465-33450", "465-334", "4465 3345"])
def test_numbers_are_found_without_their_hyphens_or_with_spaces(catalog, q):
    assert catalog(q) == ["04465-33450"]


def test_a_number_names_its_part_in_any_spelling(client, token, catalog):
    reader = token(["service_advisor"])
    for spelled in ("04465-33450", "0446533450", "04465%2033450", "90915-yzzd1"):
        response = client.get(f"/api/v1/parts/{spelled}", headers=reader)
        assert response.status_code == 200, (spelled, response.get_json())
        assert response.get_json()["part_number"] in ("04465-33450", "90915-YZZD1")
    missing = client.get("/api/v1/parts/0446533451", headers=reader)
    assert (missing.status_code, missing.get_json()["code"]) == (404, "part_not_found")
    client.post("/api/v1/parts", json={"part_number": "0446533450", "name_en": "look-alike", "category": "general",
                                       "unit": "pcs", "source": "oem", "list_price": "1.00"},
                headers=token(["parts_clerk"]))
    assert client.get("/api/v1/parts/0446533450", headers=reader).get_json()["name_en"] == "look-alike"
    ambiguous = client.get("/api/v1/parts/04465%2033450", headers=reader)
    assert (ambiguous.status_code, ambiguous.get_json()["code"], ambiguous.get_json()["candidates"]) == (
        404, "part_number_ambiguous", ["04465-33450", "0446533450"])
