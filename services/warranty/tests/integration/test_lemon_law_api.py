"""Lemon-law (三包) exposure from the claims on a vehicle, and the threshold events. A Sagitar
sold on 1 October 2026: its early window runs to 29 November, today is 25 November 2026."""

from __future__ import annotations

import pytest

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

VIN = "LFV2A21K3F4100010"
SAGITAR = {"vin": VIN, "make": "Volkswagen", "model": "Sagitar", "model_year": 2026, "in_service_date": "2026-10-01"}
DISC = {"part_number": "43512-06190", "name_zh": "前刹车盘", "name_en": "Front brake disc", "category": "brakes",
        "source": "oem", "safety_critical": True}
DISC_LINE = {"kind": "part", "part_number": "43512-06190", "quantity": "1.000", "unit_price": "500.00", "causal": True}
LABOUR = {"kind": "labour", "operation": "BRAKE-DISCS-FRONT", "quantity": "1.500", "unit_price": "180.00"}
SAFETY, MAIN_PART, EARLY = "serious_safety_fault_repairs", "main_part_replacements", "early_major_system_failure"


@pytest.fixture
def sagitar(client, token, settings, units):
    response = client.post("/api/v1/vehicles", json=SAGITAR, headers=token(["service_advisor"]))
    assert response.status_code == 201, response.get_json()
    assert apply_event(settings, units, parts_events.handlers, a_cloudevent("parts.part.created", DISC)).applied


def claim_submitted(client, token, repair_order, repair_date, odometer, days):
    body = {"vin": VIN, "repair_order": repair_order, "repair_date": repair_date, "failure_date": repair_date,
            "odometer": odometer, "coverage_plan": "CN-REPAIR", "days_out_of_service": days,
            "lines": [LABOUR, DISC_LINE]}
    clerk = token(["warranty_clerk"])
    filed = client.post("/api/v1/claims", json=body, headers=clerk)
    assert filed.status_code == 201, filed.get_json()
    assert filed.get_json()["days_out_of_service"] == days
    number = filed.get_json()["claim_number"]
    submitted = client.post(f"/api/v1/claims/{number}/submit", headers=clerk)
    assert submitted.status_code == 200, submitted.get_json()
    return number


def exposure(client, token):
    response = client.get(f"/api/v1/vehicles/{VIN}/lemon-law", headers=token(["service_advisor"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_each_threshold_is_announced_once_when_first_reached_and_shown_on_the_vehicle(
        client, token, sagitar, events):
    first = claim_submitted(client, token, "RO-1", "2026-10-28", 1_500, 3)
    [early] = events("warranty.vehicle.lemon_law_threshold")
    assert early == {"vin": VIN, "threshold": EARLY, "count": 1, "limit": 1, "part_number": None,
                     "claim_numbers": [first], "in_service_date": "2026-10-01", "period_ends_on": "2028-09-30"}

    second = claim_submitted(client, token, "RO-2", "2026-11-20", 2_500, 4)
    announced = events("warranty.vehicle.lemon_law_threshold")
    assert [(e["threshold"], e["count"], e["part_number"], e["claim_numbers"]) for e in announced[1:]] == [
        (SAFETY, 2, "43512-06190", [first, second]), (MAIN_PART, 2, "43512-06190", [first, second])]

    claim_submitted(client, token, "RO-3", "2026-11-24", 2_900, 1)
    assert len(events("warranty.vehicle.lemon_law_threshold")) == 3  # nothing new reached

    body = exposure(client, token)
    assert (body["period_ends_on"], body["period_km"], body["early_ends_on"], body["period_open"]) == (
        "2028-09-30", 50_000, "2026-11-29", True)
    assert body["reached"] == [SAFETY, MAIN_PART, EARLY]
    assert body["reported"] == sorted([SAFETY, MAIN_PART, EARLY])
    thresholds = {t["threshold"]: t for t in body["thresholds"]}
    assert thresholds["days_out_of_service"] == {**thresholds["days_out_of_service"], "count": 8, "limit": 35,
                                                 "reached": False}
    assert (thresholds[SAFETY]["count"], thresholds["same_problem_repairs"]["count"]) == (3, 3)
    assert body["repairs"][0] == {"claim_number": first, "failure_date": "2026-10-28", "odometer": 1_500,
                                  "part_number": "43512-06190", "component_group": "brakes", "safety_critical": True,
                                  "days_out_of_service": 3}


def test_a_rejected_repair_does_not_count_until_it_is_appealed(client, token, sagitar, events):
    first = claim_submitted(client, token, "RO-1", "2026-10-28", 1_500, 3)
    manager = token(["warranty_manager"])
    rejected = client.post(f"/api/v1/claims/{first}/decision", headers=manager, json={"lines": [
        {"number": 1, "approved_amount": "0.00", "reason_code": "customer_damage"},
        {"number": 2, "approved_amount": "0.00", "reason_code": "customer_damage"}]})
    assert rejected.get_json()["status"] == "rejected"
    claim_submitted(client, token, "RO-2", "2026-11-20", 2_500, 4)
    assert [e["threshold"] for e in events("warranty.vehicle.lemon_law_threshold")] == [EARLY]
    assert exposure(client, token)["reached"] == [EARLY]

    appealed = client.post(f"/api/v1/claims/{first}/appeal", json={"reason": "the disc was cracked from new"},
                           headers=token(["warranty_clerk"]))
    assert appealed.status_code == 200, appealed.get_json()
    assert [e["threshold"] for e in events("warranty.vehicle.lemon_law_threshold")] == [EARLY, SAFETY, MAIN_PART]


def test_the_thresholds_come_from_the_settings(infra, service, clock, token, sagitar):
    app = service.create_app(infra.settings(service, LEMON_LAW_EARLY_KM="1000", LEMON_LAW_SAFETY_FAULT_REPAIRS="3"),
                             clock=clock)
    client = app.test_client()
    claim_submitted(client, token, "RO-1", "2026-10-28", 1_500, 3)
    claim_submitted(client, token, "RO-2", "2026-11-20", 2_500, 4)
    body = exposure(client, token)
    assert body["reached"] == [MAIN_PART]
    assert {t["threshold"]: t["limit"] for t in body["thresholds"]}[SAFETY] == 3


def test_days_out_of_service_cannot_be_negative_and_an_unknown_vehicle_has_no_exposure(client, token, sagitar):
    response = client.post("/api/v1/claims", headers=token(["warranty_clerk"]), json={
        "vin": VIN, "repair_order": "RO-1", "repair_date": "2026-11-20", "failure_date": "2026-11-20",
        "odometer": 2_000, "coverage_plan": "CN-REPAIR", "days_out_of_service": -1, "lines": [DISC_LINE]})
    assert response.status_code == 422 and "days_out_of_service" in response.get_json()["errors"]
    unknown = client.get("/api/v1/vehicles/1HGCM82633A004352/lemon-law", headers=token(["service_advisor"]))
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "vehicle_not_found")
