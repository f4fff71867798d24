"""Input that cannot be right is refused with a coded problem, and nothing of it is kept (the
cases the other API tests do not already cover). Today is 25 November 2026 (Beijing)."""

from __future__ import annotations

import pytest

VIN = "LVSHCAMB1CE054249"
CAMRY = {"vin": VIN, "make": "Toyota", "model": "Camry", "model_year": 2024, "in_service_date": "2024-09-15"}
PART = {"kind": "part", "part_number": "16100-29575", "quantity": "1.000", "unit_price": "860.00", "causal": True}
CLAIM = {"vin": VIN, "repair_order": "RO-2026-0100", "repair_date": "2026-11-20", "odometer": 31_000,
         "failure_date": "2026-11-18", "coverage_plan": "CN-REPAIR", "lines": [PART]}


@pytest.fixture
def clerk(token):
    return token(["warranty_clerk"])


@pytest.fixture
def manager(token):
    return token(["warranty_manager"])


@pytest.mark.parametrize(("vin", "why"), [
    ("LVSHCAMB1CE05424", "16 characters"),
    ("LVSHCAMB1CE0542499", "18 characters"),
    ("LVSHCAMB1CE05424O", "the letter O"),
    ("IVSHCAMB1CE054249", "the letter I"),
    ("LVSHCAMB1CE05424Q", "the letter Q"),
    ("LVSHCAMB1CE05-249", "a dash"),
    ("LVSHCAMB7CE054249", "a wrong check digit"),
])
def test_a_vin_that_cannot_be_one_is_refused(client, clerk, vin, why):
    response = client.post("/api/v1/vehicles", json={**CAMRY, "vin": vin}, headers=clerk)
    assert (response.status_code, response.get_json()["code"]) == (422, "invalid_vin"), why
    assert client.get("/api/v1/vehicles", headers=clerk).get_json()["items"] == []


def test_a_lower_case_vin_is_the_same_vehicle(client, clerk):
    response = client.post("/api/v1/vehicles", json={**CAMRY, "vin": VIN.lower()}, headers=clerk)
    assert (response.status_code, response.get_json()["vin"]) == (201, VIN)


def test_a_claim_line_with_a_negative_quantity_is_refused(client, clerk, camry):
    response = client.post("/api/v1/claims", json={**CLAIM, "lines": [{**PART, "quantity": "-1.000"}]},
                           headers=clerk)
    assert response.status_code == 422 and "lines.0.quantity" in response.get_json()["errors"]


def test_negative_labour_hours_are_refused_and_nothing_is_filed(client, clerk, camry):
    labour = {"kind": "labour", "operation": "WATER-PUMP", "quantity": "-2.000", "unit_price": "180.00"}
    response = client.post("/api/v1/claims", json={**CLAIM, "lines": [labour, PART]}, headers=clerk)
    assert response.status_code == 422 and "lines.0.quantity" in response.get_json()["errors"]
    assert client.get("/api/v1/claims", headers=clerk).get_json()["items"] == []


def test_an_edit_that_cannot_be_true_changes_nothing(client, clerk, camry):
    filed = client.post("/api/v1/claims", json=CLAIM, headers=clerk)
    url, etag = f"/api/v1/claims/{filed.get_json()['claim_number']}", filed.headers["ETag"]
    future = client.patch(url, json={"failure_date": "2026-11-26", "cause": "changed"},
                          headers={**clerk, "If-Match": etag})
    assert (future.status_code, future.get_json()["code"]) == (422, "claim_date_in_future")
    unknown_plan = client.patch(url, json={"coverage_plan": "NO-SUCH-PLAN"}, headers={**clerk, "If-Match": etag})
    assert (unknown_plan.status_code, unknown_plan.get_json()["code"]) == (422, "claim_plan_not_known")
    after = client.get(url, headers=clerk)
    assert after.headers["ETag"] == etag
    assert (after.get_json()["failure_date"], after.get_json()["cause"], after.get_json()["coverage_plan"]) == (
        "2026-11-18", None, "CN-REPAIR")


def test_only_an_approved_claim_is_paid_and_not_with_a_future_date(client, clerk, manager, camry, events):
    number = client.post("/api/v1/claims", json=CLAIM, headers=clerk).get_json()["claim_number"]
    assert client.post(f"/api/v1/claims/{number}/submit", headers=clerk).status_code == 200
    unapproved = client.post(f"/api/v1/claims/{number}/payment", json={"payment_reference": "PAY-1"}, headers=manager)
    assert (unapproved.status_code, unapproved.get_json()["code"]) == (409, "claim_not_payable")

    negative = client.post(f"/api/v1/claims/{number}/decision", headers=manager,
                           json={"lines": [{"number": 1, "approved_amount": "-1.00", "reason_code": "other"}]})
    assert negative.status_code == 422 and "lines.0.approved_amount" in negative.get_json()["errors"]
    approved = client.post(f"/api/v1/claims/{number}/decision", headers=manager,
                           json={"lines": [{"number": 1, "approved_amount": "860.00"}]})
    assert approved.get_json()["status"] == "approved"
    tomorrow = client.post(f"/api/v1/claims/{number}/payment",
                           json={"payment_reference": "PAY-1", "paid_on": "2026-11-26"}, headers=manager)
    assert (tomorrow.status_code, tomorrow.get_json()["code"]) == (422, "claim_date_in_future")
    too_much = client.post(f"/api/v1/claims/{number}/payment",
                           json={"payment_reference": "PAY-1", "paid_amount": "860.01"}, headers=manager)
    assert (too_much.status_code, too_much.get_json()["code"], too_much.get_json()["field"]) == (
        422, "payment_above_approved", "paid_amount")
    negative = client.post(f"/api/v1/claims/{number}/payment",
                           json={"payment_reference": "PAY-1", "paid_amount": "-1.00", "short_payment_reason": "x"},
                           headers=manager)
    assert negative.status_code == 422 and "paid_amount" in negative.get_json()["errors"]
    after = client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()
    assert (after["status"], after["paid_amount"], after["payment_reference"]) == ("approved", None, None)
    assert events("warranty.claim.paid") == []
