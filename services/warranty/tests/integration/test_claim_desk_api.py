"""What the warranty desk's screens need of the API: VINs refused as such on reads, a claim
checked against every rule before it is submitted, lines named from 0, the lot of a part line,
the labour operations, the queue by several statuses and by time unchanged, and who may do what.
Today is 25 November 2026 (Beijing)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

VIN = "LVSHCAMB1CE054249"  # the `camry` fixture: sold 15 September 2024
WRONG_CHECK_DIGIT = "LVSHCAMB2CE054249"
UNKNOWN_VIN = "1HGCM82633A004352"  # a valid VIN nobody registered
DISC = {"part_number": "43512-06190", "name_zh": "前刹车盘", "name_en": "Front brake disc", "category": "brakes",
        "source": "oem", "safety_critical": True}
LABOUR = {"kind": "labour", "operation": "BRAKE-DISCS-FRONT", "quantity": "1.500", "unit_price": "180.00",
          "repair_order_line": "1"}
DISCS = {"kind": "part", "part_number": "43512-06190", "quantity": "2.000", "unit_price": "2600.00", "causal": True,
         "repair_order_line": "2", "lot": "LOT-BR-1"}
CLAIM = {"vin": VIN, "repair_order": "RO-2026-0200", "repair_date": "2026-11-20", "odometer": 31_000,
         "failure_date": "2026-11-18", "coverage_plan": "CN-REPAIR", "complaint": "grinding when braking",
         "pre_authorisation_number": "PA-77", "pre_authorised_on": "2026-11-19", "lines": [LABOUR, DISCS]}


@pytest.fixture
def clerk(token):
    return token(["warranty_clerk"], sub="clerk-li")


@pytest.fixture
def manager(token):
    return token(["warranty_manager"], sub="manager-wang")


@pytest.fixture
def disc_known(settings, units):
    assert apply_event(settings, units, parts_events.handlers, a_cloudevent("parts.part.created", DISC)).applied


def file(client, clerk, **changes) -> dict:
    """A claim as CLAIM with these changes; a change to None leaves the field out."""
    body = {name: value for name, value in {**CLAIM, **changes}.items() if value is not None}
    response = client.post("/api/v1/claims", json=body, headers=clerk)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post(client, headers, number, action, **body):
    return client.post(f"/api/v1/claims/{number}/{action}", json=body or None, headers=headers)


# ---------------------------------------------------------------- a VIN that cannot be one


@pytest.mark.parametrize("path", ["/api/v1/vehicles/{vin}", "/api/v1/vehicles/{vin}/odometer-readings",
                                  "/api/v1/vehicles/{vin}/lemon-law"])
def test_a_vin_that_cannot_be_one_is_refused_on_reading_and_a_valid_unknown_one_is_not_found(
        client, token, camry, path):
    advisor = token(["service_advisor"])
    for bad in ("LVSHCAMB1CE05424", "LVSHCAMB1CE05424O", WRONG_CHECK_DIGIT):
        response = client.get(path.format(vin=bad), headers=advisor)
        body = response.get_json()
        assert (response.status_code, body["code"], body["field"]) == (422, "invalid_vin", "vin"), body
        assert "vin" in body["errors"]
    unknown = client.get(path.format(vin=UNKNOWN_VIN), headers=advisor)
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "vehicle_not_found")
    assert client.get(path.format(vin=VIN.lower()), headers=advisor).status_code == 200


def test_eligibility_refuses_a_vin_that_cannot_be_one_and_does_not_find_a_valid_unknown_one(client, token, camry):
    advisor = token(["service_advisor"])

    def ask(vin):
        return client.post("/api/v1/eligibility", json={"vin": vin, "odometer": 31_000, "component_group": "engine"},
                           headers=advisor)

    refused = ask(WRONG_CHECK_DIGIT)
    assert (refused.status_code, refused.get_json()["code"], refused.get_json()["field"]) == (422, "invalid_vin", "vin")
    assert (ask("LVSH-CAMB").status_code, ask("LVSH-CAMB").get_json()["code"]) == (422, "invalid_vin")
    assert (ask(UNKNOWN_VIN).status_code, ask(UNKNOWN_VIN).get_json()["code"]) == (404, "vehicle_not_found")
    assert ask(VIN).status_code == 200


def test_where_vins_carry_no_check_digit_a_wrong_one_is_only_not_found(infra, service, clock, token):
    client = service.create_app(infra.settings(service, VIN_CHECK_DIGIT="off"), clock=clock).test_client()
    response = client.get(f"/api/v1/vehicles/{WRONG_CHECK_DIGIT}", headers=token(["service_advisor"]))
    assert (response.status_code, response.get_json()["code"]) == (404, "vehicle_not_found")


# ---------------------------------------------------------------- a claim checked before submitting


def test_a_check_lists_every_problem_changes_nothing_and_submit_answers_the_first(
        client, clerk, camry, disc_known, events):
    draft = file(client, clerk, repair_date="2026-10-01", failure_date="2026-09-30", pre_authorisation_number=None,
                 pre_authorised_on=None, lines=[LABOUR, {**DISCS, "supplied_by": "customer"}])
    number = draft["claim_number"]

    checked = post(client, clerk, number, "check")
    assert checked.status_code == 200, checked.get_json()
    body = checked.get_json()
    assert (body["claim_number"], body["submittable"], body["flags"]) == (number, False, [])
    assert [(p["code"], p["field"], p["line"]) for p in body["problems"]] == [
        ("submission_deadline_passed", "repair_date", None),
        ("aftermarket_part_on_critical_component", "lines", 1),
        ("pre_authorisation_required", "pre_authorisation_number", None),
    ]
    assert body["problems"][0]["deadline"] == "2026-10-31"
    assert body["problems"][1]["part_number"] == "43512-06190"
    assert body["problems"][2]["threshold"] == "5000.00"
    assert set(body["errors"]) == {"repair_date", "lines", "pre_authorisation_number"}

    after = client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()
    assert (after["status"], after["version"], len(after["history"])) == ("draft", draft["version"], 1)
    assert events("warranty.claim.submitted") == []

    refused = post(client, clerk, number, "submit")
    assert (refused.status_code, refused.get_json()["code"]) == (422, "submission_deadline_passed")


def test_a_claim_that_passes_the_check_is_submittable_with_its_flags_and_then_submits(
        client, clerk, camry, disc_known, events):
    number = file(client, clerk, lines=[{**LABOUR, "quantity": "2.000"}, DISCS])["claim_number"]
    body = post(client, clerk, number, "check").get_json()
    assert (body["submittable"], body["problems"], body["errors"], body["flags"]) == (
        True, [], {}, ["labour_over_standard_time"])
    assert events("warranty.claim.submitted") == []
    assert post(client, clerk, number, "submit").status_code == 200
    again = post(client, clerk, number, "check")
    assert (again.status_code, again.get_json()["code"]) == (409, "claim_transition_not_allowed")


def test_only_who_submits_checks_and_only_the_dealers_own_claims(client, clerk, manager, token, camry, disc_known):
    number = file(client, clerk)["claim_number"]
    assert post(client, manager, number, "check").status_code == 403
    assert post(client, token(["service_advisor"]), number, "check").status_code == 403
    other = post(client, token(["warranty_clerk"], dealer="D002"), number, "check")
    assert (other.status_code, other.get_json()["code"]) == (404, "claim_not_found")


# ---------------------------------------------------------------- lines named from 0, and their lots


def test_a_refused_line_is_named_from_0_like_every_other_422(client, clerk, camry):
    no_operation = {name: value for name, value in LABOUR.items() if name != "operation"}
    by_the_rules = client.post("/api/v1/claims", json={**CLAIM, "lines": [DISCS, no_operation]}, headers=clerk)
    body = by_the_rules.get_json()
    assert (by_the_rules.status_code, body["code"], body["field"], body["line"]) == (
        422, "claim_line_invalid", "lines.1.operation", 1)
    assert list(body["errors"]) == ["lines.1.operation"]
    by_the_schema = client.post("/api/v1/claims", json={**CLAIM, "lines": [DISCS, {**LABOUR, "quantity": "0"}]},
                                headers=clerk)
    assert (by_the_schema.status_code, list(by_the_schema.get_json()["errors"])) == (422, ["lines.1.quantity"])


def test_a_part_lines_lot_is_kept_shown_and_announced_on_submission(client, clerk, camry, disc_known, events):
    draft = file(client, clerk)
    assert [line["lot"] for line in draft["lines"]] == [None, "LOT-BR-1"]
    number = draft["claim_number"]
    assert post(client, clerk, number, "submit").status_code == 200
    [announced] = events("warranty.claim.submitted")
    assert announced["parts"] == [{"part_number": "43512-06190", "quantity": "2.000", "lot": "LOT-BR-1",
                                   "causal": True, "supplied_by": "dealer"}]
    assert [line["lot"] for line in client.get(f"/api/v1/claims/{number}", headers=clerk).get_json()["lines"]] == [
        None, "LOT-BR-1"]


def test_only_a_part_line_names_a_lot_and_a_lot_is_a_code(client, clerk, camry):
    on_labour = client.post("/api/v1/claims", json={**CLAIM, "lines": [{**LABOUR, "lot": "LOT-BR-1"}, DISCS]},
                            headers=clerk)
    assert (on_labour.status_code, on_labour.get_json()["code"], on_labour.get_json()["field"]) == (
        422, "claim_line_invalid", "lines.0.lot")
    not_a_code = client.post("/api/v1/claims", json={**CLAIM, "lines": [LABOUR, {**DISCS, "lot": "lot 1!"}]},
                             headers=clerk)
    assert (not_a_code.status_code, list(not_a_code.get_json()["errors"])) == (422, ["lines.1.lot"])


# ---------------------------------------------------------------- labour operations


def test_the_labour_operations_with_their_standard_hours_for_the_clerk_and_the_managers(client, token):
    listed = client.get("/api/v1/labour-operations", headers=token(["warranty_clerk"]))
    assert listed.status_code == 200, listed.get_json()
    operations = {item["operation"]: item for item in listed.get_json()["items"]}
    assert operations["WATER-PUMP"] == {"operation": "WATER-PUMP", "name_zh": "更换水泵", "name_en": "Replace water pump",
                                        "standard_hours": "2.500"}
    assert list(operations) == sorted(operations)
    assert client.get("/api/v1/labour-operations", headers=token(["warranty_manager"])).status_code == 200
    assert client.get("/api/v1/labour-operations", headers=token(["service_manager"])).status_code == 200
    assert client.get("/api/v1/labour-operations", headers=token(["parts_clerk"])).status_code == 403


def test_the_labour_operations_are_the_configured_table(infra, service, clock, token):
    client = service.create_app(infra.settings(service, CLAIM_STANDARD_HOURS="EV-BATTERY-SWAP=4.5,WATER-PUMP=3"),
                                clock=clock).test_client()
    items = client.get("/api/v1/labour-operations", headers=token(["warranty_clerk"])).get_json()["items"]
    assert [(item["operation"], item["standard_hours"], item["name_en"]) for item in items] == [
        ("EV-BATTERY-SWAP", "4.500", None), ("WATER-PUMP", "3.000", "Replace water pump")]


# ---------------------------------------------------------------- the queue


@pytest.fixture
def queue(client, clerk, clock, camry, disc_known):
    """Three drafts filed an hour apart (A, B, C); C submitted at 3 hours, A cancelled at 4."""
    start = clock.now
    numbers = []
    for hours, repair_order in ((0, "RO-A"), (1, "RO-B"), (2, "RO-C")):
        clock.now = start + timedelta(hours=hours)
        numbers.append(file(client, clerk, repair_order=repair_order)["claim_number"])
    a, b, c = numbers
    clock.now = start + timedelta(hours=3)
    assert post(client, clerk, c, "submit").status_code == 200
    clock.now = start + timedelta(hours=4)
    assert post(client, clerk, a, "cancel", reason="filed twice").status_code == 200
    return {"a": a, "b": b, "c": c}


def listed(client, headers, **query) -> list[str]:
    response = client.get("/api/v1/claims", query_string=query, headers=headers)
    assert response.status_code == 200, response.get_json()
    return [claim["claim_number"] for claim in response.get_json()["items"]]


def test_the_queue_takes_several_statuses_at_once(client, clerk, queue):
    a, b, c = queue["a"], queue["b"], queue["c"]
    assert listed(client, clerk, status=["draft", "submitted"]) == [c, b]
    assert listed(client, clerk, status=["cancelled"]) == [a]
    assert listed(client, clerk, status=["draft", "submitted", "cancelled"], appealed="false") == [c, b, a]
    wrong = client.get("/api/v1/claims", query_string={"status": ["draft", "lost"]}, headers=clerk)
    assert (wrong.status_code, list(wrong.get_json()["errors"])) == (422, ["status.1"])


def test_the_queue_takes_the_claims_of_one_type(client, clerk, queue):
    """The manager's pre-authorisation requests (预授权), among the claims of every type."""
    request = file(client, clerk, repair_order="RO-P", claim_type="pre_authorisation")["claim_number"]
    assert listed(client, clerk, claim_type="pre_authorisation") == [request]
    assert listed(client, clerk, claim_type="pre_authorisation", status=["submitted"]) == []
    assert listed(client, clerk, claim_type="warranty") == [queue["c"], queue["b"], queue["a"]]
    wrong = client.get("/api/v1/claims", query_string={"claim_type": "gift"}, headers=clerk)
    assert (wrong.status_code, list(wrong.get_json()["errors"])) == (422, ["claim_type"])


def test_the_queue_sorted_by_updated_at_shows_the_claims_unchanged_longest_first_page_by_page(client, clerk, queue):
    a, b, c = queue["a"], queue["b"], queue["c"]
    assert listed(client, clerk, sort="updated_at") == [b, c, a]
    assert listed(client, clerk, sort="updated_at", status=["draft", "cancelled"]) == [b, a]
    seen, cursor = [], None
    while True:
        query = {"sort": "updated_at", "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/claims", query_string=query, headers=clerk).get_json()
        seen += [claim["claim_number"] for claim in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [b, c, a]
    assert client.get("/api/v1/claims", query_string={"sort": "oldest"}, headers=clerk).status_code == 422


# ---------------------------------------------------------------- who may do what


def test_the_clerk_records_the_manufacturers_payment(client, clerk, manager, camry, disc_known, events):
    number = file(client, clerk)["claim_number"]
    assert post(client, clerk, number, "submit").status_code == 200
    lines = [{"number": 1, "approved_amount": "270.00"}, {"number": 2, "approved_amount": "5200.00"}]
    assert post(client, manager, number, "decision", lines=lines).status_code == 200
    paid = post(client, clerk, number, "payment", payment_reference="OEM-PAY-9")
    assert paid.status_code == 200, paid.get_json()
    assert (paid.get_json()["status"], paid.get_json()["history"][-1]["by"]) == ("paid", "clerk-li")
    [payment] = events("warranty.claim.paid")
    assert (payment["claim_number"], payment["paid_amount"]) == (number, "5470.00")


def test_the_clerk_reads_the_counts_by_status_but_not_the_managers_figures(client, clerk, queue):
    counts = client.get("/api/v1/reports/claims-by-status", headers=clerk)
    assert counts.status_code == 200, counts.get_json()
    assert {row["status"]: row["count"] for row in counts.get_json()["items"]} == {
        "draft": 1, "submitted": 1, "cancelled": 1}
    assert client.get("/api/v1/reports/cycle-times", headers=clerk).status_code == 403


def test_a_service_advisor_reads_claims_and_changes_none(client, clerk, token, queue):
    advisor = token(["service_advisor"])
    assert client.get(f"/api/v1/claims/{queue['c']}", headers=advisor).status_code == 200
    assert listed(client, advisor, vin=VIN) == [queue["c"], queue["b"], queue["a"]]
    assert post(client, advisor, queue["b"], "submit").status_code == 403
    assert post(client, advisor, queue["b"], "cancel", reason="no").status_code == 403
