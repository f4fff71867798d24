"""The warranty desk's reports over a small history of claims, built through the API on a clock
the test moves: five claims filed on 20 November 2026 at 10:00 in Beijing (t0)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
VIN = "LVSHCAMB1CE054249"
PUMP = {"part_number": "16100-29575", "name_zh": "水泵", "name_en": "Water pump", "category": "engine",
        "source": "oem", "safety_critical": False}
LINES = [
    {"kind": "labour", "operation": "WATER-PUMP", "quantity": "2.000", "unit_price": "180.00"},
    {"kind": "part", "part_number": "16100-29575", "quantity": "1.000", "unit_price": "860.00", "causal": True},
    {"kind": "sublet", "description": "coolant flush", "quantity": "1.000", "unit_price": "120.00"},
]
FULL = [("360.00", None), ("860.00", None), ("120.00", None)]


def parts_event(settings, units, type_, data, **attributes):
    assert apply_event(settings, units, parts_events.handlers, a_cloudevent(type_, data, **attributes)).applied


class Desk:
    """The clerk's and the manager's steps, at the clock's time."""

    def __init__(self, client, token, clock, dealer="D001"):
        self.client, self.clock = client, clock
        self.clerk = token(["warranty_clerk"], dealer=dealer)
        self.manager = token(["warranty_manager"], dealer=dealer)

    def at(self, hours: float) -> Desk:
        self.clock.now = T0 + timedelta(hours=hours)
        return self

    def file(self, repair_order: str, repair_date: str) -> str:
        response = self.client.post("/api/v1/claims", headers=self.clerk, json={
            "vin": VIN, "repair_order": repair_order, "repair_date": repair_date, "failure_date": repair_date,
            "odometer": 31_000, "coverage_plan": "CN-REPAIR", "lines": LINES})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["claim_number"]

    def step(self, number: str, action: str, role: str = "clerk", **body) -> dict:
        response = self.client.post(f"/api/v1/claims/{number}/{action}", json=body or None,
                                    headers=getattr(self, role))
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def decide(self, number: str, amounts) -> dict:
        lines = [{"number": n, "approved_amount": amount, **({"reason_code": code} if code else {})}
                 for n, (amount, code) in enumerate(amounts, start=1)]
        return self.step(number, "decision", "manager", lines=lines)


@pytest.fixture
def history(client, token, clock, camry, settings, units):
    parts_event(settings, units, "parts.part.created", PUMP)
    parts_event(settings, units, "parts.stock.issued",
                {"issue": "ISS-1", "repair_order": "RO-2025-0007", "vin": VIN, "part_number": "16100-29575",
                 "lot": "LOT-AISIN-7", "supplier": "AISIN", "quantity": "1.000"}, time="2025-06-01T02:00:00+00:00")
    parts_event(settings, units, "parts.stock.issued",
                {"issue": "ISS-2", "repair_order": "RO-2025-0008", "vin": VIN, "part_number": "43512-06190",
                 "lot": "LOT-BR-1", "supplier": "BREMBO", "quantity": "4.000"}, time="2025-06-01T02:00:00+00:00")
    desk = Desk(client, token, clock).at(0)
    a, b, c = desk.file("RO-A", "2026-11-18"), desk.file("RO-B", "2026-11-19"), desk.file("RO-C", "2026-11-10")
    desk.file("RO-D", "2026-11-19")
    e = desk.file("RO-E", "2026-11-19")
    desk.at(2).step(a, "submit")
    desk.at(4).step(b, "submit")
    desk.at(6).step(c, "submit")
    desk.at(10).step(b, "request-info", "manager", reason="send the photos")
    desk.at(12).step(b, "submit")
    desk.step(e, "cancel", reason="filed twice")
    desk.at(26).decide(a, FULL)
    desk.decide(b, [("180.00", "price_over_list"), ("860.00", None), ("120.00", None)])
    desk.decide(c, [("0.00", "customer_damage")] * 3)
    desk.at(74).step(a, "payment", "manager", payment_reference="OEM-PAY-1")
    desk.step(c, "appeal", reason="seal defect on the photos")
    return {"a": a, "b": b, "c": c}


def report(client, token, name, **query):
    response = client.get(f"/api/v1/reports/{name}", query_string=query, headers=token(["service_manager"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_claims_by_status_and_how_long_ago_they_were_filed(client, token, clock, history):
    body = report(client, token, "claims-by-status")
    # The appealed rejection is submitted again, in the manager's queue.
    assert [(row["status"], row["count"]) for row in body["items"]] == [
        ("draft", 1), ("submitted", 1), ("partially_approved", 1), ("paid", 1), ("cancelled", 1)]
    assert body["items"][0]["age_days"] == {"0_7": 1, "8_30": 0, "31_60": 0, "61_90": 0, "over_90": 0}
    clock.now = T0 + timedelta(days=45)
    assert report(client, token, "claims-by-status")["items"][0]["age_days"]["31_60"] == 1


def test_cycle_times_per_stage_from_the_audited_transitions(client, token, history):
    stages = {row["stage"]: row for row in report(client, token, "cycle-times")["items"]}
    assert stages["draft_to_submitted"] == {"stage": "draft_to_submitted", "claims": 3, "median_hours": 4.0,
                                            "p90_hours": 5.6}
    assert (stages["submitted_to_decided"]["median_hours"], stages["submitted_to_decided"]["p90_hours"]) == (22.0, 23.6)
    assert stages["decided_to_paid"] == {"stage": "decided_to_paid", "claims": 1, "median_hours": 48.0,
                                         "p90_hours": 48.0}


def test_first_pass_approval_counts_only_claims_approved_without_questions_or_appeal(client, token, history):
    body = report(client, token, "first-pass-approval")
    assert body == {"from": None, "to": None, "decided": 3, "first_pass_approved": 1, "info_requested": 1,
                    "appealed": 1, "rate": "0.3333"}


def test_rejection_reasons_and_cost_per_coverage_type(client, token, history):
    assert report(client, token, "rejection-reasons")["items"] == [
        {"reason_code": "customer_damage", "lines": 3, "claims": 1, "amount_refused": "1340.00"},
        {"reason_code": "price_over_list", "lines": 1, "claims": 1, "amount_refused": "180.00"},
    ]
    assert report(client, token, "cost-by-coverage-type")["items"] == [
        {"coverage_type": "basic", "currency": "CNY", "claims": 3, "claimed": "4020.00", "approved": "2500.00",
         "paid": "1340.00", "awaiting_payment": "1160.00", "short_paid": "0.00", "short_paid_claims": 0},
    ]


def test_cost_per_coverage_type_shows_approved_against_paid(client, token, clock, history):
    Desk(client, token, clock).at(80).step(
        history["b"], "payment", "manager", payment_reference="OEM-PAY-2", paid_amount="1000.00",
        short_payment_reason="sublet not refunded")
    [basic] = report(client, token, "cost-by-coverage-type")["items"]
    assert {name: basic[name] for name in ("approved", "paid", "awaiting_payment", "short_paid", "short_paid_claims")} == {
        "approved": "2500.00", "paid": "2340.00", "awaiting_payment": "0.00", "short_paid": "160.00",
        "short_paid_claims": 1}


def test_supplier_failure_rates_per_thousand_fitted(client, token, history):
    assert report(client, token, "supplier-failure-rates")["items"] == [
        {"supplier": "AISIN", "failures": 2, "units_installed": "1.000", "per_thousand_installed": "2000.00"},
        {"supplier": "BREMBO", "failures": 0, "units_installed": "4.000", "per_thousand_installed": "0.00"},
    ]


def test_reports_cover_the_period_asked_for_and_only_the_dealers_own_claims(client, token, clock, history):
    other = Desk(client, token, clock, dealer="D002").at(80)
    registered = client.post("/api/v1/vehicles", headers=other.clerk, json={
        "vin": VIN, "make": "Toyota", "model": "Camry", "model_year": 2024, "in_service_date": "2024-09-15"})
    assert registered.status_code == 201
    theirs = other.file("RO-X", "2026-11-18")
    other.at(81).step(theirs, "submit")
    other.at(82).decide(theirs, FULL)

    assert "approved" not in [row["status"] for row in report(client, token, "claims-by-status")["items"]]
    from_18th = {"from": "2026-11-18", "to": "2026-11-30"}
    assert report(client, token, "first-pass-approval", **from_18th)["decided"] == 2
    assert [r["reason_code"] for r in report(client, token, "rejection-reasons", **from_18th)["items"]] == [
        "price_over_list"]
    assert report(client, token, "cost-by-coverage-type", **from_18th)["items"][0]["claims"] == 2
    assert report(client, token, "cycle-times")["items"][0]["claims"] == 3
    assert report(client, token, "supplier-failure-rates", to="2026-11-19")["items"][0]["failures"] == 2
    backwards = client.get("/api/v1/reports/cycle-times?from=2026-11-30&to=2026-11-01",
                           headers=token(["warranty_manager"]))
    assert (backwards.status_code, backwards.get_json()["code"]) == (422, "report_period_invalid")
    assert client.get("/api/v1/reports/cycle-times", headers=token(["warranty_clerk"])).status_code == 403


def test_the_claims_list_filters_by_status_and_repair_dates(client, token, history):
    def listed(**query):
        response = client.get("/api/v1/claims", query_string=query, headers=token(["warranty_clerk"]))
        assert response.status_code == 200, response.get_json()
        return [claim["claim_number"] for claim in response.get_json()["items"]]

    assert listed(status="paid", repaired_from="2026-11-18", repaired_to="2026-11-18") == [history["a"]]
    assert listed(status="paid", repaired_from="2026-11-19") == []
    assert listed(repaired_to="2026-11-15") == [history["c"]]


def test_a_period_of_repair_dates_is_listed_latest_repair_first_page_by_page(client, token, history):
    clerk = token(["warranty_clerk"])
    seen, cursor = [], None
    while True:
        query = {"repaired_from": "2026-11-01", "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/claims", query_string=query, headers=clerk).get_json()
        seen += [(claim["repair_date"], claim["repair_order"]) for claim in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # Filed A, B, C, D, E: the latest repair first, and the later filed first on one day.
    assert seen == [("2026-11-19", "RO-E"), ("2026-11-19", "RO-D"), ("2026-11-19", "RO-B"),
                    ("2026-11-18", "RO-A"), ("2026-11-10", "RO-C")]
