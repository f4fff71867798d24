"""Clerks submitting the same failure at the same moment, and managers deciding one claim at once,
on PostgreSQL: one wins, the others are refused with a code, nothing is half-applied."""

from __future__ import annotations

import threading

from shared.auth import mint

CLIENTS = 6
VEHICLE = {"vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry", "model_year": 2024,
           "in_service_date": "2024-09-15"}
CLAIM = {"vin": "LVSHCAMB1CE054249", "repair_date": "2026-11-20", "odometer": 31_000, "failure_date": "2026-11-18",
         "coverage_plan": "CN-REPAIR", "lines": [
             {"kind": "part", "part_number": "16100-29575", "quantity": "1.000", "unit_price": "860.00",
              "causal": True}]}


def in_parallel(app, calls) -> list:
    start = threading.Barrier(len(calls))
    answers: list = []

    def run(call) -> None:
        client = app.test_client()
        start.wait()
        answers.append(call(client))

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_the_same_failure_submitted_at_once_is_accepted_once_and_a_claim_is_decided_once(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)

    def token(roles, sub):
        return {"Authorization": "Bearer " + mint(settings.jwt_secret, sub, "D001", roles)}

    clerk, manager = token(["warranty_clerk"], "clerk"), token(["warranty_manager"], "manager")
    setup = app.test_client()
    assert setup.post("/api/v1/vehicles", json=VEHICLE, headers=token(["service_advisor"], "advisor")).status_code == 201
    numbers = [setup.post("/api/v1/claims", json={**CLAIM, "repair_order": f"RO-{n}"}, headers=clerk)
               .get_json()["claim_number"] for n in range(CLIENTS)]

    answers = in_parallel(app, [
        (lambda client, number=number: client.post(f"/api/v1/claims/{number}/submit", headers=clerk))
        for number in numbers
    ])
    assert sorted(response.status_code for response in answers) == [200] + [422] * (CLIENTS - 1)
    assert {r.get_json()["code"] for r in answers if r.status_code == 422} == {"duplicate_claim"}
    [winner] = [r.get_json()["claim_number"] for r in answers if r.status_code == 200]

    decision = {"lines": [{"number": 1, "approved_amount": "860.00"}]}
    answers = in_parallel(app, [
        lambda client: client.post(f"/api/v1/claims/{winner}/decision", json=decision, headers=manager)
        for _ in range(3)
    ])
    assert sorted(response.status_code for response in answers) == [200, 409, 409]
    history = setup.get(f"/api/v1/claims/{winner}", headers=clerk).get_json()["history"]
    assert [entry["action"] for entry in history] == ["filed", "submitted", "approved"]
