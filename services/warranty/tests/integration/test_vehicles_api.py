from __future__ import annotations

from shared.testing import assert_every_operation_is_guarded

CAMRY = {"vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry", "model_year": 2024,
         "in_service_date": "2024-09-15"}


def test_an_advisor_registers_a_vehicle_and_it_is_announced(client, token):
    advisor = token(["service_advisor"])
    created = client.post("/api/v1/vehicles", json={**CAMRY, "vin": "lvshcamb1ce054249"}, headers=advisor)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["vin"] == "LVSHCAMB1CE054249"
    assert client.get("/api/v1/vehicles/LVSHCAMB1CE054249", headers=advisor).get_json()["model"] == "Camry"
    [item] = client.get("/api/v1/events", headers=token(["integration"])).get_json()["items"]
    assert item["event"]["type"] == "warranty.vehicle.registered"
    assert item["event"]["data"] == {"vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry",
                                     "model_year": 2024, "in_service_date": "2024-09-15"}


def test_bad_vehicles_are_refused_and_nothing_is_kept(client, token):
    clerk = token(["warranty_clerk"])

    def refused(payload, status=422):
        response = client.post("/api/v1/vehicles", json=payload, headers=clerk)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    assert refused({**CAMRY, "vin": "LVSHCAMB2CE054249"})["errors"].keys() == {"vin"}
    assert refused({**CAMRY, "vin": "LVSHCAMB1CE05424"})["code"] == "invalid_vin"
    assert refused({**CAMRY, "in_service_date": "2999-01-01"})["code"] == "in_service_date_in_future"
    assert refused({**CAMRY, "model_year": "new"})["errors"].keys() == {"model_year"}
    client.post("/api/v1/vehicles", json=CAMRY, headers=clerk)
    assert refused(CAMRY, 409)["code"] == "vehicle_already_registered"
    assert len(client.get("/api/v1/vehicles", headers=clerk).get_json()["items"]) == 1


def test_the_check_digit_rule_can_be_switched_off_per_market(infra, service, token):
    app = service.create_app(infra.settings(service, VIN_CHECK_DIGIT="off"))
    response = app.test_client().post(
        "/api/v1/vehicles", json={**CAMRY, "vin": "LVSHCAMB2CE054249"}, headers=token(["warranty_clerk"])
    )
    assert response.status_code == 201


def test_every_operation_is_guarded(app, token):
    assert_every_operation_is_guarded(app, token)


def test_an_invoice_dated_today_in_beijing_is_accepted_before_utc_midnight(infra, service, token):
    from datetime import datetime, timezone

    one_am_in_beijing = datetime(2026, 11, 25, 17, 0, tzinfo=timezone.utc)  # 26 Nov, 01:00 +08:00
    app = service.create_app(infra.settings(service), clock=lambda: one_am_in_beijing)
    response = app.test_client().post(
        "/api/v1/vehicles", json={**CAMRY, "in_service_date": "2026-11-26"}, headers=token(["warranty_clerk"])
    )
    assert response.status_code == 201, response.get_json()
    tomorrow = app.test_client().post(
        "/api/v1/vehicles", json={**CAMRY, "vin": "1HGCM82633A004352", "in_service_date": "2026-11-27"},
        headers=token(["warranty_clerk"]),
    )
    assert tomorrow.get_json()["code"] == "in_service_date_in_future"
