"""Odometer readings, owners and title through the API."""

from __future__ import annotations


def reading(client, token, km, read_on=None, vin="LVSHCAMB1CE054249", **extra):
    body = {"km": km, "source": "repair_order", **extra}
    if read_on:
        body["read_on"] = read_on
    return client.post(f"/api/v1/vehicles/{vin}/odometer-readings", json=body, headers=token(["service_advisor"]))


def test_readings_are_kept_newest_first_and_a_rollback_is_accepted_but_flagged(client, token, camry, events):
    assert reading(client, token, 30_000, "2026-05-01", reference="RO-0501").status_code == 201
    lower = reading(client, token, 21_000, "2026-11-20")
    assert lower.status_code == 201, lower.get_json()
    assert lower.get_json()["rollback_suspected"] is True
    history = client.get("/api/v1/vehicles/LVSHCAMB1CE054249/odometer-readings", headers=token(["warranty_clerk"]))
    assert [(r["km"], r["rollback_suspected"]) for r in history.get_json()["items"]] == [
        (21_000, True), (30_000, False)]
    vehicle = client.get("/api/v1/vehicles/LVSHCAMB1CE054249", headers=token(["warranty_clerk"])).get_json()
    assert (vehicle["odometer_km"], vehicle["rollback_suspected"]) == (21_000, True)
    assert [e["rollback_suspected"] for e in events("warranty.vehicle.odometer_recorded")] == [False, True]


def test_a_reading_without_a_date_is_todays_in_beijing(client, token, camry):
    response = reading(client, token, 12_345)
    assert response.get_json()["read_on"] == "2026-11-25"


def test_a_reading_dated_tomorrow_is_refused_and_nothing_is_kept(client, token, camry):
    refused = reading(client, token, 12_345, "2026-11-26")
    assert refused.status_code == 422
    assert refused.get_json()["code"] == "odometer_reading_in_future"
    assert refused.get_json()["errors"].keys() == {"read_on"}
    history = client.get("/api/v1/vehicles/LVSHCAMB1CE054249/odometer-readings", headers=token(["warranty_clerk"]))
    assert history.get_json()["items"] == []


def test_bad_readings_are_refused(client, token, camry):
    assert reading(client, token, "12345").status_code == 422  # a number, not a string
    assert reading(client, token, -1).status_code == 422
    assert reading(client, token, 10, source="guess").status_code == 422
    assert reading(client, token, 10, vin="1HGCM82633A004352").get_json()["code"] == "vehicle_not_found"


def test_a_change_of_hands_and_a_branded_title_need_the_current_etag(client, token, camry, events):
    advisor = token(["service_advisor"])
    url = "/api/v1/vehicles/LVSHCAMB1CE054249"
    etag = client.get(url, headers=advisor).headers["ETag"]
    changed = client.patch(url, json={"owner_count": 2, "reason": "过户"}, headers={**advisor, "If-Match": etag})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["owner_count"] == 2
    stale = client.patch(url, json={"title_status": "salvage"}, headers={**advisor, "If-Match": etag})
    assert stale.status_code == 412
    assert client.patch(url, json={"title_status": "salvage"}, headers=advisor).status_code == 428
    assert client.patch(url, json={"title_status": "scrap"},
                        headers={**advisor, "If-Match": changed.headers["ETag"]}).status_code == 422
    assert client.get(url, headers=advisor).get_json()["title_status"] == "clean"
    assert events("warranty.vehicle.updated") == [
        {"vin": "LVSHCAMB1CE054249", "owner_count": 2, "title_status": "clean", "changed": ["owner_count"],
         "reason": "过户"}]


def test_a_vehicle_can_be_registered_with_its_owners_and_title(client, token):
    response = client.post("/api/v1/vehicles", json={
        "vin": "1HGCM82633A004352", "make": "Honda", "model": "Accord", "model_year": 2022,
        "in_service_date": "2022-03-01", "owner_count": 2, "title_status": "rebuilt"}, headers=token(["warranty_clerk"]))
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["owner_count"], response.get_json()["title_status"]) == (2, "rebuilt")
