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
    assert appealed.status_code == 200
    assert (appealed.get_json()["status"], appealed.get_json()["appealed"]) == ("submitted", True)
    again = decide(client, manager, number, ("0.00", False), ("0.00", False), ("0.00", False))
    assert again.get_json()["status"] == "rejected"
    second = client.post(f"/api/v1/claims/{number}/appeal", json={"reason": "again"}, headers=clerk)
    assert (second.status_code, second.get_json()["code"]) == (409, "appeal_already_used")
    assert [e["claim_number"] for e in events("warranty.claim.rejected")] == [number, number]
    [appeal] = events("warranty.claim.appealed")
    assert (appeal["reason"], appeal["status"]) == ("photos show a seal defect", "submitted")


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


def queue(client, manager, **query):
    response = client.get("/api/v1/claims", query_string={"status": "submitted", **query}, headers=manager)
    assert response.status_code == 200, response.get_json()
    return [claim["claim_number"] for claim in response.get_json()["items"]]


def test_an_appealed_claim_is_in_the_managers_queue_of_submitted_claims(client, clerk, manager, camry, pump_known):
    fresh = submitted(client, clerk, repair_order="RO-2026-0201", repair_date="2026-11-19")["claim_number"]
    number = submitted(client, clerk)["claim_number"]
    decide(client, manager, number, ("0.00", False), ("0.00", False), ("0.00", False))
    assert queue(client, manager) == [fresh]
    client.post(f"/api/v1/claims/{number}/appeal", json={"reason": "photos show a seal defect"}, headers=clerk)
    assert queue(client, manager) == [number, fresh]
    assert queue(client, manager, appealed="true") == [number]
    assert queue(client, manager, appealed="false") == [fresh]


def test_the_cut_lines_of_a_partial_approval_are_appealed_and_decided_again(
        client, clerk, manager, camry, pump_known, events):
    number = submitted(client, clerk)["claim_number"]
    partly = decide(client, manager, number, ("180.00", False), ("860.00", True), ("120.00", True),
                    reason_code="labour_over_standard_time")
    assert partly.get_json()["status"] == "partially_approved"
    appealed = client.post(f"/api/v1/claims/{number}/appeal", json={"reason": "2 hours is the standard time"},
                           headers=clerk)
    assert appealed.status_code == 200, appealed.get_json()
    body = appealed.get_json()
    assert (body["status"], body["appealed"]) == ("submitted", True)
    assert [line["approved_amount"] for line in body["lines"]] == ["180.00", "860.00", "120.00"]  # until decided again
    assert body["history"][-1] == {**body["history"][-1], "action": "appealed", "from_status": "partially_approved",
                                   "to_status": "submitted", "reason": "2 hours is the standard time"}
    assert queue(client, manager) == [number]
    again = decide(client, manager, number, ("360.00", True), ("860.00", True), ("120.00", True))
    assert (again.get_json()["status"], again.get_json()["approved_amount"]) == ("approved", "1340.00")
    [appeal] = events("warranty.claim.appealed")
    assert (appeal["claim_number"], appeal["status"]) == (number, "submitted")


def test_a_claim_approved_in_full_or_paid_has_nothing_to_appeal(client, clerk, manager, camry, pump_known):
    number = submitted(client, clerk)["claim_number"]
    decide(client, manager, number, ("360.00", True), ("860.00", True), ("120.00", True))
    refused = client.post(f"/api/v1/claims/{number}/appeal", json={"reason": "more"}, headers=clerk)
    assert (refused.status_code, refused.get_json()["code"]) == (409, "claim_transition_not_allowed")
    assert client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()["status"] == "approved"


# ---------------------------------------------------------------- payment


def approved(client, clerk, manager) -> str:
    number = submitted(client, clerk)["claim_number"]
    assert decide(client, manager, number, ("360.00", True), ("860.00", True), ("120.00", True)).status_code == 200
    return number


def pay(client, manager, number, **body):
    return client.post(f"/api/v1/claims/{number}/payment", json={"payment_reference": "OEM-PAY-9", **body},
                       headers=manager)


def test_the_manufacturer_pays_short_and_the_claim_keeps_the_difference_and_why(
        client, clerk, manager, camry, pump_known, events):
    number = approved(client, clerk, manager)
    paid = pay(client, manager, number, paid_amount="1200.00", short_payment_reason="labour paid at the OEM rate")
    assert paid.status_code == 200, paid.get_json()
    body = paid.get_json()
    assert (body["status"], body["approved_amount"], body["paid_amount"], body["short_paid_amount"],
            body["short_payment_reason"]) == ("paid", "1340.00", "1200.00", "140.00", "labour paid at the OEM rate")
    [event] = events("warranty.claim.paid")
    assert event == {**event, "paid_amount": "1200.00", "approved_amount": "1340.00", "short_paid_amount": "140.00",
                     "short_payment_reason": "labour paid at the OEM rate"}


def test_a_payment_in_full_has_no_difference(client, clerk, manager, camry, pump_known, events):
    number = approved(client, clerk, manager)
    body = pay(client, manager, number).get_json()
    assert (body["paid_amount"], body["short_paid_amount"], body["short_payment_reason"]) == ("1340.00", "0.00", None)
    assert events("warranty.claim.paid")[0]["short_paid_amount"] == "0.00"


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"paid_amount": "1340.01"}, "payment_above_approved", "paid_amount"),
    ({"paid_amount": "1340.01", "short_payment_reason": "x"}, "payment_above_approved", "paid_amount"),
    ({"paid_amount": "1000.00"}, "short_payment_reason_required", "short_payment_reason"),
    ({"paid_amount": "1340.00", "short_payment_reason": "x"}, "payment_not_short", "short_payment_reason"),
])
def test_a_payment_that_cannot_be_right_is_refused_and_nothing_is_kept(
        client, clerk, manager, camry, pump_known, events, body, code, field):
    number = approved(client, clerk, manager)
    refused = pay(client, manager, number, **body)
    assert refused.status_code == 422, refused.get_json()
    assert (refused.get_json()["code"], refused.get_json()["field"]) == (code, field)
    after = client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()
    assert (after["status"], after["paid_amount"], after["payment_reference"], after["short_payment_reason"]) == (
        "approved", None, None, None)
    assert events("warranty.claim.paid") == []


# ---------------------------------------------------------------- campaign claims without a causal part

RECALL = {"code": "RC-2026-11", "make": "Toyota", "name": "制动软管检查 brake hose inspection", "type": "campaign",
          "models": ["Camry"], "components": ["brakes"], "ends_on": "2026-12-31"}
INSPECTION = {"kind": "labour", "operation": "BRAKE-HOSE-INSPECT", "quantity": "0.500", "unit_price": "180.00"}


@pytest.fixture
def recall(client, token):
    response = client.post("/api/v1/coverage-plans", json=RECALL, headers=token(["warranty_manager"]))
    assert response.status_code == 201, response.get_json()


def test_a_labour_only_campaign_inspection_names_its_component_submits_and_is_approved(
        client, clerk, manager, camry, recall, events):
    claim = file(client, clerk, claim_type="campaign", coverage_plan="RC-2026-11", component_group="brakes",
                 campaign="RC-2026-11", lines=[INSPECTION])
    assert (claim["component_group"], claim["campaign"], claim["causal_part_number"]) == (
        "brakes", "RC-2026-11", None)
    sent = submit(client, clerk, claim["claim_number"])
    assert sent.status_code == 200, sent.get_json()
    [announced] = events("warranty.claim.submitted")
    assert (announced["component_group"], announced["campaign"], announced["causal_part_number"]) == (
        "brakes", "RC-2026-11", None)
    decided = decide(client, manager, claim["claim_number"], ("90.00", True))
    assert (decided.get_json()["status"], decided.get_json()["approved_amount"]) == ("approved", "90.00")
    assert events("warranty.supplier_recovery.opened") == []


def test_without_its_component_a_campaign_inspection_is_not_covered(client, clerk, camry, recall):
    claim = file(client, clerk, claim_type="campaign", coverage_plan="RC-2026-11", lines=[INSPECTION])
    response = submit(client, clerk, claim["claim_number"])
    assert (response.status_code, response.get_json()["code"], response.get_json()["reasons"]) == (
        422, "claim_not_eligible", ["component_not_covered"])


def test_a_campaign_inspection_for_a_recalled_lot_names_the_lot(client, clerk, camry, settings, units):
    apply(settings, units, "parts.part.created", DISC)
    apply(settings, units, "parts.stock.issued",
          {"issue": "ISS-000300", "repair_order": "RO-2026-0007", "vin": VIN, "part_number": "43512-06190",
           "location": "MAIN", "lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": "2.000", "source": "oem"},
          time="2026-06-01T02:00:00+00:00")
    apply(settings, units, "parts.lot.quarantined",
          {"lot": "LOT-HX-01", "part_number": "43512-06190", "supplier": "HX-AUTO", "reason": "cracked discs",
           "affected_vins": [VIN], "by": "parts-manager-zhao", "location": "MAIN"}, sequence=4)
    claim = file(client, clerk, claim_type="campaign", component_group="brakes", campaign="LOT-HX-01",
                 lines=[{**INSPECTION, "operation": "DISC-INSPECT"}])
    assert submit(client, clerk, claim["claim_number"]).status_code == 200


def test_a_campaign_named_must_be_open_and_only_on_a_campaign_claim(client, clerk, camry, recall):
    assert refused(client, clerk, claim_type="campaign", coverage_plan="RC-2026-11", component_group="brakes",
                   campaign="RC-2025-01", lines=[INSPECTION]) == "campaign_not_open"
    on_warranty = client.post("/api/v1/claims", json={**CLAIM, "campaign": "RC-2026-11"}, headers=clerk)
    assert (on_warranty.status_code, on_warranty.get_json()["code"], on_warranty.get_json()["field"]) == (
        422, "claim_campaign_invalid", "campaign")


def test_a_warranty_claim_without_a_causal_part_is_refused_though_it_names_its_component(client, clerk, camry):
    assert refused(client, clerk, component_group="engine", lines=[LABOUR]) == "causal_part_required"


def test_a_component_named_against_the_causal_parts_category_is_refused(client, clerk, camry, pump_known):
    assert refused(client, clerk, component_group="brakes") == "component_group_mismatch"
    assert submitted(client, clerk, component_group="engine")["component_group"] == "engine"


# ---------------------------------------------------------------- the culprit


def test_a_refusal_for_an_aftermarket_part_fitted_on_the_component_names_that_part(
        client, clerk, camry, settings, units):
    apply(settings, units, "parts.part.created", PADS)
    apply(settings, units, "parts.part.created", DISC)
    apply(settings, units, "parts.stock.issued",
          {"issue": "ISS-000400", "repair_order": "RO-2026-0008", "vin": VIN, "part_number": "AM-BP-2231",
           "location": "MAIN", "lot": "LOT-AM-1", "supplier": "HX-AUTO", "quantity": "1.000", "source": "aftermarket"},
          time="2026-09-01T02:00:00+00:00")
    disc = {"kind": "part", "part_number": "43512-06190", "quantity": "1.000", "unit_price": "500.00", "causal": True}
    claim = file(client, clerk, lines=[disc])
    response = submit(client, clerk, claim["claim_number"])
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()
    assert (problem["code"], problem["part_number"]) == ("aftermarket_part_on_critical_component", "AM-BP-2231")
    assert "AM-BP-2231" in problem["detail"]


# ---------------------------------------------------------------- one pre-authorisation rule


@pytest.mark.parametrize(("own_limit", "amount"), [
    (None, "4999.99"), (None, "5000.00"), (None, "5000.01"), (None, "6000.00"),
    ("2000.00", "1999.99"), ("2000.00", "2000.00"), ("2000.00", "2000.01"),
])
def test_eligibility_and_submission_agree_on_pre_authorisation(
        client, token, clerk, camry, pump_known, own_limit, amount):
    plan = "CN-REPAIR"
    if own_limit is not None:
        plan = "TOYOTA-REPAIR"
        made = client.post("/api/v1/coverage-plans", headers=token(["warranty_manager"]), json={
            "code": plan, "make": "Toyota", "name": "丰田整车保修", "type": "basic", "months": 36, "km": 100_000,
            "replaces": "CN-REPAIR", "pre_authorisation_above": own_limit})
        assert made.status_code == 201, made.get_json()
    asked = client.post("/api/v1/eligibility", headers=token(["service_advisor"]), json={
        "vin": VIN, "date": "2026-11-20", "odometer": 31_000, "part_number": "16100-29575", "estimated_cost": amount})
    assert asked.status_code == 200, asked.get_json()
    answer = {item["plan"]: item for item in asked.get_json()["plans"]}[plan]
    claim = file(client, clerk, coverage_plan=plan, lines=[{**PUMP_LINE, "unit_price": amount}])
    sent = submit(client, clerk, claim["claim_number"])
    assert sent.status_code in (200, 422), sent.get_json()
    refused_for_it = sent.status_code == 422
    assert answer["pre_authorisation_required"] is refused_for_it
    assert answer["pre_authorisation_limit"] == (own_limit or "5000.00")
    if refused_for_it:
        assert (sent.get_json()["code"], sent.get_json()["threshold"]) == (
            "pre_authorisation_required", answer["pre_authorisation_limit"])


def test_the_list_shows_each_claim_as_the_claim_itself_shows_it(client, clerk, manager, camry, pump_known):
    # The list reads plain rows, one claim reads its aggregate: a claim must look the same in both.
    paid = approved(client, clerk, manager)
    paying = pay(client, manager, paid, paid_amount="1200.00", short_payment_reason="labour at the OEM rate")
    assert paying.status_code == 200
    draft = file(client, clerk, repair_order="RO-2026-0102", lines=[LABOUR])["claim_number"]
    listed = client.get("/api/v1/claims?limit=200", headers=clerk).get_json()
    assert [item["claim_number"] for item in listed["items"]] == [draft, paid] and listed["next_cursor"] is None
    for item in listed["items"]:
        assert item == client.get(f"/api/v1/claims/{item['claim_number']}", headers=clerk).get_json()
    page = client.get("/api/v1/claims?limit=1", headers=clerk).get_json()
    following = client.get(f"/api/v1/claims?limit=1&cursor={page['next_cursor']}", headers=clerk).get_json()
    assert page["items"] + following["items"] == listed["items"] and following["next_cursor"] is None
