"""A supplier recovery's life through the API: opened by an approved claim, charged to the
supplier, disputed, adjusted, recovered or written off, each step against the ETag, with a
reason, in the history and announced; and the suppliers' totals in the reports. Today is
25 November 2026 (Beijing)."""

from __future__ import annotations

import pytest

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

VIN = "LVSHCAMB1CE054249"  # the `camry` fixture
PUMP = {"part_number": "16100-29575", "name_zh": "水泵", "name_en": "Water pump", "category": "engine",
        "source": "oem", "safety_critical": False}
DISC = {"part_number": "43512-06190", "name_zh": "前刹车盘", "name_en": "Front brake disc", "category": "brakes",
        "source": "oem", "safety_critical": True}
SUPPLIER_OF = {PUMP["part_number"]: ("AISIN", "LOT-AISIN-7"), DISC["part_number"]: ("BREMBO", "LOT-BR-1")}


@pytest.fixture
def clerk(token):
    return token(["warranty_clerk"], sub="clerk-li")


@pytest.fixture
def manager(token):
    return token(["warranty_manager"], sub="manager-wang")


@pytest.fixture
def parts_fitted(settings, units, camry):
    """The pump and the disc that later fail went into the Camry in 2025, from known lots."""
    for number, (part, issue) in enumerate(((PUMP, "ISS-1"), (DISC, "ISS-2")), start=1):
        supplier, lot = SUPPLIER_OF[part["part_number"]]
        for type_, data in (("parts.part.created", part),
                            ("parts.stock.issued", {"issue": issue, "repair_order": f"RO-2025-000{number}", "vin": VIN,
                                                    "part_number": part["part_number"], "lot": lot,
                                                    "supplier": supplier, "quantity": "1.000"})):
            assert apply_event(settings, units, parts_events.handlers,
                               a_cloudevent(type_, data, time="2025-06-01T02:00:00+00:00")).applied


def recovery_opened(client, clerk, manager, *, repair_order="RO-2026-0100", repair_date="2026-11-20",
                    part=PUMP, price="860.00") -> dict:
    """A claim on `part` approved in full: labour 360.00 and the part at `price`."""
    lines = [{"kind": "labour", "operation": "REPLACE", "quantity": "2.000", "unit_price": "180.00"},
             {"kind": "part", "part_number": part["part_number"], "quantity": "1.000", "unit_price": price,
              "causal": True}]
    filed = client.post("/api/v1/claims", headers=clerk, json={
        "vin": VIN, "repair_order": repair_order, "repair_date": repair_date, "failure_date": repair_date,
        "odometer": 31_000, "coverage_plan": "CN-REPAIR", "lines": lines})
    assert filed.status_code == 201, filed.get_json()
    number = filed.get_json()["claim_number"]
    submitted = client.post(f"/api/v1/claims/{number}/submit", headers=clerk)
    assert submitted.status_code == 200, submitted.get_json()
    decided = client.post(f"/api/v1/claims/{number}/decision", headers=manager, json={
        "lines": [{"number": 1, "approved_amount": "360.00"}, {"number": 2, "approved_amount": price}]})
    assert decided.get_json()["status"] == "approved", decided.get_json()
    response = client.get(f"/api/v1/supplier-recoveries/{number}", headers=manager)
    assert response.status_code == 200, response.get_json()
    return response.get_json() | {"etag": response.headers["ETag"]}


def step(client, manager, number, action, etag, **body):
    return client.post(f"/api/v1/supplier-recoveries/{number}/{action}", json={"reason": "as agreed", **body},
                       headers={**manager, "If-Match": etag})


def adjust(client, manager, number, etag, **body):
    return client.patch(f"/api/v1/supplier-recoveries/{number}", json={"reason": "supplier's rate", **body},
                        headers={**manager, "If-Match": etag})


def test_charged_disputed_adjusted_charged_again_and_recovered_each_step_audited_and_announced(
        client, clerk, manager, parts_fitted, events, token):
    opened = recovery_opened(client, clerk, manager)
    number = opened["claim_number"]
    shown = ("status", "supplier", "lot", "amount", "parts", "labour", "handling", "version")
    assert {k: opened[k] for k in shown} == {
        "status": "open", "supplier": "AISIN", "lot": "LOT-AISIN-7", "amount": "1220.00", "parts": "860.00",
        "labour": "360.00", "handling": "0.00", "version": 1}
    assert opened["etag"] == '"1"'

    charged = step(client, manager, number, "charge", opened["etag"], reason="debit note sent",
                   reference="DN-2026-0042")
    assert charged.status_code == 200, charged.get_json()
    assert (charged.get_json()["status"], charged.headers["ETag"]) == ("charged", '"2"')
    disputed = step(client, manager, number, "dispute", charged.headers["ETag"], reason="supplier blames the coolant")
    assert disputed.get_json()["status"] == "disputed"
    adjusted = adjust(client, manager, number, disputed.headers["ETag"], labour="300.00", handling="50.00",
                      reason="settled: supplier's labour rate plus handling")
    assert adjusted.status_code == 200, adjusted.get_json()
    assert {k: adjusted.get_json()[k] for k in ("status", "amount", "parts", "labour", "handling")} == {
        "status": "disputed", "amount": "1210.00", "parts": "860.00", "labour": "300.00", "handling": "50.00"}
    again = step(client, manager, number, "charge", adjusted.headers["ETag"], reason="settled amount charged",
                 reference="DN-2026-0042-R1")
    recovered = step(client, manager, number, "recover", again.headers["ETag"], reason="credit note received",
                     reference="CN-AISIN-881")
    assert recovered.status_code == 200, recovered.get_json()
    assert (recovered.get_json()["status"], recovered.get_json()["amount"]) == ("recovered", "1210.00")

    shown = client.get(f"/api/v1/supplier-recoveries/{number}", headers=token(["service_manager"])).get_json()
    assert [(h["action"], h["from_status"], h["to_status"], h["amount"], h["reason"], h["reference"], h["by"])
            for h in shown["history"]] == [
        ("opened", None, "open", "1220.00", None, None, "manager-wang"),
        ("charged", "open", "charged", "1220.00", "debit note sent", "DN-2026-0042", "manager-wang"),
        ("disputed", "charged", "disputed", "1220.00", "supplier blames the coolant", None, "manager-wang"),
        ("adjusted", "disputed", "disputed", "1210.00", "settled: supplier's labour rate plus handling", None,
         "manager-wang"),
        ("charged", "disputed", "charged", "1210.00", "settled amount charged", "DN-2026-0042-R1", "manager-wang"),
        ("recovered", "charged", "recovered", "1210.00", "credit note received", "CN-AISIN-881", "manager-wang"),
    ]
    assert all(h["at"] == "2026-11-25T02:00:00+00:00" for h in shown["history"])
    [opening] = events("warranty.supplier_recovery.opened")
    assert (opening["amount"], opening["parts"], opening["labour"], opening["handling"]) == (
        "1220.00", "860.00", "360.00", "0.00")
    assert [(e["status"], e["reference"]) for e in events("warranty.supplier_recovery.charged")] == [
        ("charged", "DN-2026-0042"), ("charged", "DN-2026-0042-R1")]
    [dispute] = events("warranty.supplier_recovery.disputed")
    assert (dispute["claim_number"], dispute["supplier"], dispute["reason"]) == (
        number, "AISIN", "supplier blames the coolant")
    [adjustment] = events("warranty.supplier_recovery.adjusted")
    assert (adjustment["previous_amount"], adjustment["amount"], adjustment["handling"]) == (
        "1220.00", "1210.00", "50.00")
    [paid] = events("warranty.supplier_recovery.recovered")
    assert (paid["amount"], paid["currency"], paid["reference"]) == ("1210.00", "CNY", "CN-AISIN-881")
    listed = client.get("/api/v1/supplier-recoveries?status=recovered", headers=manager).get_json()["items"]
    assert [(r["claim_number"], r["amount"], r["version"]) for r in listed] == [(number, "1210.00", 6)]
    assert client.get("/api/v1/supplier-recoveries?status=open", headers=manager).get_json()["items"] == []


def test_a_step_the_status_does_not_allow_is_409_with_a_code_and_changes_nothing(
        client, clerk, manager, parts_fitted, events):
    opened = recovery_opened(client, clerk, manager)
    number, etag = opened["claim_number"], opened["etag"]
    for action in ("dispute", "recover", "write-off"):
        refused = step(client, manager, number, action, etag)
        assert (refused.status_code, refused.get_json()["code"], refused.get_json()["recovery_status"]) == (
            409, "recovery_transition_not_allowed", "open"), action
        assert refused.mimetype == "application/problem+json"
    charged = step(client, manager, number, "charge", etag)
    written_off = step(client, manager, number, "write-off", charged.headers["ETag"], reason="supplier insolvent")
    assert written_off.get_json()["status"] == "written_off"
    closed = written_off.headers["ETag"]
    assert step(client, manager, number, "charge", closed).get_json()["code"] == "recovery_transition_not_allowed"
    late = adjust(client, manager, number, closed, handling="10.00")
    assert (late.status_code, late.get_json()["code"]) == (409, "recovery_closed")
    shown = client.get(f"/api/v1/supplier-recoveries/{number}", headers=manager).get_json()
    assert ([h["action"] for h in shown["history"]], shown["amount"]) == (
        ["opened", "charged", "written_off"], "1220.00")
    assert events("warranty.supplier_recovery.disputed") == []
    assert len(events("warranty.supplier_recovery.written_off")) == 1


def test_a_step_needs_the_current_etag_a_reason_and_a_warranty_manager(
        client, clerk, manager, parts_fitted, token):
    opened = recovery_opened(client, clerk, manager)
    number, url = opened["claim_number"], f"/api/v1/supplier-recoveries/{opened['claim_number']}"
    without = client.post(f"{url}/charge", json={"reason": "x"}, headers=manager)
    assert (without.status_code, without.get_json()["code"]) == (428, "if_match_required")
    stale = step(client, manager, number, "charge", '"7"')
    assert (stale.status_code, stale.get_json()["code"]) == (412, "stale_version")
    no_reason = client.post(f"{url}/charge", json={}, headers={**manager, "If-Match": opened["etag"]})
    assert (no_reason.status_code, "reason" in no_reason.get_json()["errors"]) == (422, True)
    for role in ("warranty_clerk", "service_manager", "integration"):
        assert step(client, token([role]), number, "charge", opened["etag"]).status_code == 403
        assert client.get(url, headers=token([role])).status_code == 200
    assert client.get(url, headers=manager).get_json()["status"] == "open"


def test_an_adjustment_below_zero_to_nothing_or_to_the_same_amount_is_refused(
        client, clerk, manager, parts_fitted):
    opened = recovery_opened(client, clerk, manager)
    number, etag = opened["claim_number"], opened["etag"]
    negative = adjust(client, manager, number, etag, parts="-1.00")
    assert (negative.status_code, "parts" in negative.get_json()["errors"]) == (422, True)
    nothing = adjust(client, manager, number, etag, parts="0.00", labour="0.00")
    assert (nothing.status_code, nothing.get_json()["code"]) == (422, "recovery_amount_invalid")
    same = adjust(client, manager, number, etag, parts="860.00")
    assert (same.status_code, same.get_json()["code"]) == (422, "nothing_to_change")
    no_reason = client.patch(f"/api/v1/supplier-recoveries/{number}", json={"handling": "5.00"},
                             headers={**manager, "If-Match": etag})
    assert no_reason.status_code == 422
    assert client.get(f"/api/v1/supplier-recoveries/{number}", headers=manager).get_json()["version"] == 1


def test_another_dealers_or_an_unknown_recovery_is_not_found(client, clerk, manager, parts_fitted, token):
    number = recovery_opened(client, clerk, manager)["claim_number"]
    other = token(["warranty_manager"], dealer="D002")
    assert client.get(f"/api/v1/supplier-recoveries/{number}", headers=other).status_code == 404
    refused = step(client, other, number, "charge", '"1"')
    assert (refused.status_code, refused.get_json()["code"]) == (404, "supplier_recovery_not_found")
    assert client.get("/api/v1/supplier-recoveries", headers=other).get_json()["items"] == []
    assert client.get(f"/api/v1/supplier-recoveries/{number}", headers=manager).get_json()["status"] == "open"


def test_the_suppliers_recovery_totals_by_where_the_amounts_stand(client, clerk, manager, parts_fitted, token):
    recovered = recovery_opened(client, clerk, manager, repair_order="RO-A", repair_date="2026-11-10")
    charged = recovery_opened(client, clerk, manager, repair_order="RO-B", repair_date="2026-11-18")
    written_off = recovery_opened(client, clerk, manager, repair_order="RO-C", repair_date="2026-11-19", part=DISC,
                                  price="1500.00")
    still_open = recovery_opened(client, clerk, manager, repair_order="RO-D", repair_date="2026-11-20", part=DISC,
                                 price="1500.00")
    adjusted = adjust(client, manager, recovered["claim_number"], recovered["etag"], handling="50.00")
    etag = step(client, manager, recovered["claim_number"], "charge", adjusted.headers["ETag"]).headers["ETag"]
    assert step(client, manager, recovered["claim_number"], "recover", etag).status_code == 200
    assert step(client, manager, charged["claim_number"], "charge", charged["etag"]).status_code == 200
    etag = step(client, manager, written_off["claim_number"], "charge", written_off["etag"]).headers["ETag"]
    etag = step(client, manager, written_off["claim_number"], "dispute", etag).headers["ETag"]
    assert step(client, manager, written_off["claim_number"], "write-off", etag).status_code == 200
    assert still_open["status"] == "open"

    report = client.get("/api/v1/reports/supplier-recoveries", headers=token(["service_manager"]))
    assert report.status_code == 200, report.get_json()
    assert report.get_json()["items"] == [
        {"supplier": "AISIN", "currency": "CNY", "recoveries": 2, "opened": "2490.00", "open": "0.00",
         "charged": "1220.00", "disputed": "0.00", "recovered": "1270.00", "written_off": "0.00"},
        {"supplier": "BREMBO", "currency": "CNY", "recoveries": 2, "opened": "3720.00", "open": "1860.00",
         "charged": "0.00", "disputed": "0.00", "recovered": "0.00", "written_off": "1860.00"},
    ]
    # Over the claims repaired from 18 November: the recovered pump (10 November) is left out.
    period = client.get("/api/v1/reports/supplier-recoveries?from=2026-11-18&to=2026-11-19",
                        headers=token(["warranty_manager"])).get_json()
    assert (period["from"], period["to"]) == ("2026-11-18", "2026-11-19")
    assert [(i["supplier"], i["recoveries"], i["opened"], i["charged"], i["written_off"]) for i in period["items"]] == [
        ("AISIN", 1, "1220.00", "1220.00", "0.00"), ("BREMBO", 1, "1860.00", "0.00", "1860.00")]
    assert client.get("/api/v1/reports/supplier-recoveries", headers=token(["warranty_clerk"])).status_code == 403
