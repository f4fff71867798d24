"""The quote's read path: parts, their successors and alternates either way come from one
statement around the numbers typed as the catalog writes them; a number found by its spelling
gets its own surroundings too, even when it was already read as another line's alternate."""

from __future__ import annotations


def test_a_number_found_by_its_spelling_gets_its_own_alternates_and_successor(client, token):
    manager, clerk = token(["parts_manager"]), token(["parts_clerk"])
    client.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=manager)
    client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=manager)
    for number in ("A1", "X-2", "Y3", "Z4"):
        client.post("/api/v1/parts", json={"part_number": number, "name_en": number, "category": "general",
                                           "unit": "pcs", "source": "oem", "list_price": "10.00"}, headers=clerk)
        answer = client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
            {"part_number": number, "quantity": "2", "unit_cost": "1.00", "location": "MAIN",
             "inspection": "passed"}]}, headers=clerk)
        assert answer.status_code == 201, answer.get_json()

    def change(number, **fields):
        version = client.get(f"/api/v1/parts/{number}", headers=clerk).get_json()["version"]
        answer = client.patch(f"/api/v1/parts/{number}", json=fields, headers={**clerk, "If-Match": f'"{version}"'})
        assert answer.status_code == 200, answer.get_json()

    change("A1", alternates=["X-2"])  # A1 lists X-2: X-2 is read around A1
    change("X-2", alternates=["Y3"])  # X-2 lists Y3, which nothing around A1 reaches
    change("X-2", superseded_by="Z4")

    answer = client.post("/api/v1/availability", json={"lines": [
        {"part_number": "A1", "quantity": "1"}, {"part_number": "x2", "quantity": "1"}]}, headers=clerk)

    assert answer.status_code == 200, answer.get_json()
    a1, x2 = answer.get_json()["lines"]
    assert (x2["asked_part_number"], x2["part_number"]) == ("x2", "X-2")
    assert [offer["part_number"] for offer in x2["alternates"]] == ["A1", "Y3"]
    assert x2["superseded_by"]["part_number"] == "Z4"
    assert x2["superseded_by"]["available"] == "2.000"
    assert [offer["part_number"] for offer in a1["alternates"]] == ["X-2"]
