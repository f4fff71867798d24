"""Warranty claims through the API: filing, the rules at submission, decisions, appeal, payment,
and the supplier recovery an approved claim opens. Today is 25 November 2026 (Beijing)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

VIN = "LVSHCAMB1CE054249"  # the `camry` fixture: sold 15 September 2024
PUMP = {"part_number": "16100-29575", "name_zh": "水泵", "name_en": "Water pump", "category": "engine",
        "source": "oem", "safety_critical": False}
PADS = {"part_number": "AM-BP-2231", "name_zh": "副厂前刹车片", "name_en": None, "category": "brakes",
        "source": "aftermarket", "safety_critical": True}
DISC = {"part_number": "43512-06190", "name_zh": "前刹车盘", "name_en": "Front brake disc", "category": "brakes",
        "source": "oem", "safety_critical": True}
LABOUR = {"kind": "labour", "operation": "WATER-PUMP", "quantity": "2.000", "unit_price": "180.00",
          "repair_order_line": "1"}
PUMP_LINE = {"kind": "part", "part_number": "16100-29575", "quantity": "1.000", "unit_price": "860.00",
             "causal": True, "repair_order_line": "2"}
SUBLET = {"kind": "sublet", "description": "coolant flush at partner shop", "quantity": "1.000",
          "unit_price": "120.00"}
CLAIM = {"vin": VIN, "repair_order": "RO-2026-0100", "repair_date": "2026-11-20", "odometer": 31_000,
         "failure_date": "2026-11-18", "complaint": "coolant leak under the car", "cause": "water pump seal",
         "correction": "replaced water pump", "coverage_plan": "CN-REPAIR",
         "lines": [LABOUR, PUMP_LINE, SUBLET],
         "attachments": [{"reference": "dms://photos/RO-2026-0100/1.jpg", "kind": "photo"}]}


def apply(settings, units, type_, data, **attributes):
    return apply_event(settings, units, parts_events.handlers, a_cloudevent(type_, data, **attributes))


@pytest.fixture
def clerk(token):
    return token(["warranty_clerk"], sub="clerk-li")


@pytest.fixture
def manager(token):
    return token(["warranty_manager"], sub="manager-wang")


@pytest.fixture
def pump_known(settings, units):
    apply(settings, units, "parts.part.created", PUMP)


def file(client, clerk, **changes):
    response = client.post("/api/v1/claims", json={**CLAIM, **changes}, headers=clerk)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def submit(client, clerk, number):
    return client.post(f"/api/v1/claims/{number}/submit", headers=clerk)


def decide(client, manager, number, *amounts, reason_code="not_covered"):
    lines = [{"number": n, "approved_amount": amount, **({} if full else {"reason_code": reason_code})}
             for n, (amount, full) in enumerate(amounts, start=1)]
    return client.post(f"/api/v1/claims/{number}/decision", json={"lines": lines, "reason": "checked"},
                       headers=manager)


def submitted(client, clerk, **changes):
    claim = file(client, clerk, **changes)
    response = submit(client, clerk, claim["claim_number"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_claim_is_filed_submitted_approved_and_paid_with_every_step_audited(
        client, clerk, manager, camry, pump_known, settings, units, events):
    # The pump that failed went in on an earlier repair order, from a known lot and supplier.
    apply(settings, units, "parts.stock.issued",
          {"issue": "ISS-000001", "repair_order": "RO-2025-0007", "vin": VIN, "part_number": "16100-29575",
           "location": "MAIN", "lot": "LOT-AISIN-7", "supplier": "AISIN", "quantity": "1.000", "source": "oem"},
          time="2025-06-01T02:00:00+00:00")
    draft = file(client, clerk)
    assert (draft["status"], draft["claimed_amount"], draft["causal_part_number"]) == ("draft", "1340.00", "16100-29575")
    assert [line["amount"] for line in draft["lines"]] == ["360.00", "860.00", "120.00"]
    number = draft["claim_number"]
    assert events("warranty.claim.submitted") == []

    sent = submit(client, clerk, number)
    assert sent.status_code == 200, sent.get_json()
    assert (sent.get_json()["status"], sent.get_json()["flags"]) == ("submitted", [])
    [announced] = events("warranty.claim.submitted")
    assert (announced["claim_number"], announced["claimed_amount"]) == (number, "1340.00")

    approved = decide(client, manager, number, ("360.00", True), ("860.00", True), ("120.00", True))
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert (body["status"], body["approved_amount"], body["causal_lot"], body["causal_supplier"]) == (
        "approved", "1340.00", "LOT-AISIN-7", "AISIN")
    [approval] = events("warranty.claim.approved")
    assert approval == {**approval, "claim_number": number, "vin": VIN, "causal_part_number": "16100-29575",
                        "causal_lot": "LOT-AISIN-7", "approved_amount": "1340.00"}
    [recovery] = events("warranty.supplier_recovery.opened")
    assert recovery == {**recovery, "claim_number": number, "supplier": "AISIN", "lot": "LOT-AISIN-7",
                        "amount": "1340.00"}
    listed = client.get("/api/v1/supplier-recoveries?supplier=AISIN", headers=manager).get_json()["items"]
    assert [(r["claim_number"], r["status"], r["amount"]) for r in listed] == [(number, "open", "1340.00")]

    assert decide(client, manager, number, ("0.00", False), ("0.00", False), ("0.00", False)).get_json()["code"] == (
        "claim_already_decided")
    paid = client.post(f"/api/v1/claims/{number}/payment", json={"payment_reference": "OEM-PAY-889"},
                       headers=manager)
    assert paid.status_code == 200, paid.get_json()
    assert (paid.get_json()["status"], paid.get_json()["paid_amount"]) == ("paid", "1340.00")
    [payment] = events("warranty.claim.paid")
    assert (payment["claim_number"], payment["paid_amount"], payment["paid_on"]) == (number, "1340.00", "2026-11-25")

    history = client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()["history"]
    assert [(h["action"], h["from_status"], h["to_status"], h["by"]) for h in history] == [
        ("filed", None, "draft", "clerk-li"),
        ("submitted", "draft", "submitted", "clerk-li"),
        ("approved", "submitted", "approved", "manager-wang"),
        ("paid", "approved", "paid", "manager-wang"),
    ]


def test_a_partial_approval_of_an_untraced_part_carries_a_null_lot_and_opens_no_recovery(
        client, clerk, manager, camry, pump_known, events):
    number = submitted(client, clerk)["claim_number"]
    response = decide(client, manager, number, ("180.00", False), ("860.00", True), ("0.00", False))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["approved_amount"], body["causal_lot"]) == ("partially_approved", "1040.00", None)
    assert [(line["approved_amount"], line["reason_code"]) for line in body["lines"]] == [
        ("180.00", "not_covered"), ("860.00", None), ("0.00", "not_covered")]
    [event] = events("warranty.claim.partially_approved")
    assert (event["claim_number"], event["causal_part_number"], event["causal_lot"], event["reason_codes"]) == (
        number, "16100-29575", None, ["not_covered"])
    assert events("warranty.supplier_recovery.opened") == []


def test_a_decision_must_cover_every_line_and_say_why_it_cuts_one(client, clerk, manager, camry, pump_known):
    number = submitted(client, clerk)["claim_number"]
    missing = client.post(f"/api/v1/claims/{number}/decision",
                          json={"lines": [{"number": 1, "approved_amount": "360.00"}]}, headers=manager)
    assert (missing.status_code, missing.get_json()["code"]) == (422, "decision_invalid")
    no_reason = decide(client, manager, number, ("100.00", True), ("860.00", True), ("120.00", True))
    assert (no_reason.status_code, no_reason.get_json()["code"]) == (422, "decision_invalid")
    too_much = decide(client, manager, number, ("999.00", True), ("860.00", True), ("120.00", True))
    assert too_much.status_code == 422
    assert client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()["status"] == "submitted"


def test_a_rejection_is_appealed_once_and_decided_again(client, clerk, manager, camry, pump_known, events):
    number = submitted(client, clerk)["claim_number"]
    rejected = decide(client, manager, number, ("0.00", False), ("0.00", False), ("0.00", False),
                      reason_code="customer_damage")
    assert rejected.get_json()["status"] == "rejected"
    assert client.post(f"/api/v1/claims/{number}/payment", json={"payment_reference": "X"},
                       headers=manager).get_json()["code"] == "claim_not_payable"
    appealed = client.post(f"/api/v1/claims/{number}/appeal", json={"reason": "photos show a seal defect"},
                           headers=clerk)
    assert appealed.status_code == 200 and appealed.get_json()["status"] == "appealed"
    again = decide(client, manager, number, ("0.00", False), ("0.00", False), ("0.00", False))
    assert again.get_json()["status"] == "rejected"
    second = client.post(f"/api/v1/claims/{number}/appeal", json={"reason": "again"}, headers=clerk)
    assert (second.status_code, second.get_json()["code"]) == (409, "appeal_already_used")
    assert [e["claim_number"] for e in events("warranty.claim.rejected")] == [number, number]
    [appeal] = events("warranty.claim.appealed")
    assert appeal["reason"] == "photos show a seal defect"


def test_information_requested_the_clerk_edits_against_the_etag_and_resubmits(
        client, clerk, manager, camry, pump_known, events):
    number = submitted(client, clerk)["claim_number"]
    url = f"/api/v1/claims/{number}"
    assert client.patch(url, json={"cause": "x"}, headers={**clerk, "If-Match": '"2"'}).get_json()["code"] == (
        "claim_not_editable")
    asked = client.post(f"{url}/request-info", json={"reason": "send the pump photo"}, headers=manager)
    assert asked.get_json()["status"] == "info_requested"
    etag = asked.headers["ETag"]
    assert client.patch(url, json={"cause": "x"}, headers=clerk).status_code == 428
    assert client.patch(url, json={"cause": "x"}, headers={**clerk, "If-Match": '"1"'}).status_code == 412
    edited = client.patch(url, json={"attachments": [{"reference": "dms://photos/pump.jpg", "kind": "photo"}],
                                     "reason": "photo added"}, headers={**clerk, "If-Match": etag})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["attachments"][0]["reference"] == "dms://photos/pump.jpg"
    back = submit(client, clerk, number)
    assert back.get_json()["status"] == "submitted"
    assert [h["action"] for h in back.get_json()["history"]] == [
        "filed", "submitted", "info_requested", "edited", "resubmitted"]
    [info] = events("warranty.claim.info_requested")
    assert (info["claim_number"], info["reason"]) == (number, "send the pump photo")
    assert len(events("warranty.claim.submitted")) == 2


def test_a_draft_or_submitted_claim_is_cancelled_and_nothing_else(client, clerk, manager, camry, pump_known, events):
    draft = file(client, clerk)
    cancelled = client.post(f"/api/v1/claims/{draft['claim_number']}/cancel", json={"reason": "filed twice"},
                            headers=clerk)
    assert cancelled.get_json()["status"] == "cancelled"
    assert events("warranty.claim.cancelled")[0]["claim_number"] == draft["claim_number"]
    number = submitted(client, clerk, repair_order="RO-2026-0101")["claim_number"]
    decide(client, manager, number, ("360.00", True), ("860.00", True), ("120.00", True))
    refused = client.post(f"/api/v1/claims/{number}/cancel", json={"reason": "late"}, headers=clerk)
    assert (refused.status_code, refused.get_json()["code"]) == (409, "claim_transition_not_allowed")


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"repair_date": "2026-11-26", "failure_date": "2026-11-18"}, "claim_date_in_future", "repair_date"),
    ({"repair_date": "2026-11-10", "failure_date": "2026-11-18"}, "repair_before_failure", "repair_date"),
    ({"coverage_plan": "NO-SUCH-PLAN"}, "claim_plan_not_known", "coverage_plan"),
    ({"vin": "1HGCM82633A004352"}, "claim_vehicle_not_known", "vin"),
])
def test_a_claim_that_cannot_be_true_is_refused_at_filing(client, clerk, camry, changes, code, field):
    response = client.post("/api/v1/claims", json={**CLAIM, **changes}, headers=clerk)
    assert response.status_code == 422
    assert (response.get_json()["code"], response.get_json()["field"]) == (code, field)
    assert client.get("/api/v1/claims", headers=clerk).get_json()["items"] == []


def test_negative_amounts_and_loose_types_are_schema_errors(client, clerk, camry):
    negative = client.post("/api/v1/claims", json={**CLAIM, "lines": [{**PUMP_LINE, "unit_price": "-5.00"}]},
                           headers=clerk)
    assert negative.status_code == 422 and "lines.0.unit_price" in negative.get_json()["errors"]
    stringly = client.post("/api/v1/claims", json={**CLAIM, "lines": [{**PUMP_LINE, "causal": "yes"}]}, headers=clerk)
    assert stringly.status_code == 422
    assert client.post("/api/v1/claims", json={**CLAIM, "odometer": "31000"}, headers=clerk).status_code == 422


def test_only_clerks_file_and_only_managers_decide(client, token, clerk, camry, pump_known):
    assert client.post("/api/v1/claims", json=CLAIM, headers=token(["service_advisor"])).status_code == 403
    number = submitted(client, clerk)["claim_number"]
    assert decide(client, clerk, number, ("360.00", True), ("860.00", True), ("120.00", True)).status_code == 403
    assert client.get(f"/api/v1/claims/{number}", headers=token(["warranty_clerk"], dealer="D002")).status_code == 404


# ---------------------------------------------------------------- rules at submission


def refused(client, clerk, **changes):
    claim = file(client, clerk, **changes)
    response = submit(client, clerk, claim["claim_number"])
    assert response.status_code == 422, response.get_json()
    after = client.get(f"/api/v1/claims/{claim['claim_number']}", headers=clerk).get_json()
    assert after["status"] == "draft"  # nothing half-applied
    return response.get_json()["code"]


def test_an_empty_claim_is_not_submitted(client, clerk, camry):
    assert refused(client, clerk, lines=[]) == "claim_empty"


def test_a_warranty_claim_names_its_causal_part(client, clerk, camry):
    assert refused(client, clerk, lines=[LABOUR, {**PUMP_LINE, "causal": False}]) == "causal_part_required"


def test_the_submission_deadline_is_30_days_after_the_repair(client, clerk, camry, pump_known, clock):
    claim = file(client, clerk)
    clock.now += timedelta(days=26)  # 21 December: the 20 November repair was due by the 20th
    response = submit(client, clerk, claim["claim_number"])
    assert (response.status_code, response.get_json()["code"]) == (422, "submission_deadline_passed")


def test_the_same_failure_and_the_same_repair_order_line_are_claimed_once(client, clerk, camry, pump_known):
    first = submitted(client, clerk)
    assert refused(client, clerk, repair_order="RO-2026-0199") == "duplicate_claim"  # same VIN, part, date
    assert refused(client, clerk, repair_date="2026-11-21", lines=[LABOUR, {**PUMP_LINE, "repair_order_line": "9"}]
                   ) == "duplicate_claim"  # same repair order line 1
    assert first["status"] == "submitted"


def test_eligibility_is_rechecked_at_the_repair_date_and_odometer(client, clerk, camry, pump_known):
    assert refused(client, clerk, odometer=60_001) == "claim_not_eligible"


def test_an_expensive_repair_needs_a_pre_authorisation_granted_before_it(client, clerk, camry, pump_known):
    dear = [LABOUR, {**PUMP_LINE, "unit_price": "6000.00"}]
    assert refused(client, clerk, lines=dear) == "pre_authorisation_required"
    assert refused(client, clerk, lines=dear, repair_order="RO-2", pre_authorisation_number="PA-1",
                   pre_authorised_on="2026-11-21") == "pre_authorisation_required"
    ok = submitted(client, clerk, lines=dear, repair_order="RO-3", pre_authorisation_number="PA-1",
                   pre_authorised_on="2026-11-19")
    assert ok["status"] == "submitted"


def test_an_aftermarket_or_customer_supplied_part_on_a_safety_critical_component_is_not_covered(
        client, clerk, camry, pump_known, settings, units):
    apply(settings, units, "parts.part.created", PADS)
    pads = {"kind": "part", "part_number": "AM-BP-2231", "quantity": "1.000", "unit_price": "300.00", "causal": True}
    assert refused(client, clerk, lines=[pads]) == "aftermarket_part_on_critical_component"
    apply(settings, units, "parts.part.created", DISC)
    customer_disc = {"kind": "part", "part_number": "43512-06190", "quantity": "1.000", "unit_price": "500.00",
                     "causal": True, "supplied_by": "customer"}
    assert refused(client, clerk, repair_order="RO-2", lines=[customer_disc]) == "aftermarket_part_on_critical_component"


def test_repeat_repairs_and_labour_over_the_standard_time_are_flagged_not_refused(
        client, clerk, camry, pump_known, events):
    submitted(client, clerk, repair_date="2026-10-30", failure_date="2026-10-30", odometer=29_000,
              repair_order="RO-2026-0050")
    again = submitted(client, clerk, lines=[{**LABOUR, "quantity": "3.500"}, PUMP_LINE])
    assert again["flags"] == ["labour_over_standard_time", "repeat_repair"]
    assert events("warranty.claim.submitted")[-1]["flags"] == ["labour_over_standard_time", "repeat_repair"]
