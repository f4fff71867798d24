"""Quarantined lots from the parts service's events (apply_event), read as lot recalls and in
the advisor's open campaigns."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

CAMRY = "LVSHCAMB1CE054249"  # the `camry` fixture
SAGITAR = "LFV2A21K3F4100010"  # fitted from the lot, never named by parts, not registered here
ACCORD = "1HGCM82633A004352"  # named by parts, unknown to warranty
DISC = {"part_number": "43512-06190", "name_zh": "前刹车盘", "name_en": "Front brake disc", "category": "brakes",
        "source": "oem", "safety_critical": True}
QUARANTINED = {"lot": "LOT-HX-01", "part_number": "43512-06190", "supplier": "HX-AUTO", "supplier_lot": "HX-2611",
               "reason": "supplier notice: cracked discs", "affected_vins": [CAMRY, ACCORD], "by": "parts-manager-zhao",
               "location": "MAIN"}
RELEASED = {"lot": "LOT-HX-01", "part_number": "43512-06190", "supplier": "HX-AUTO", "reason": "supplier cleared it",
            "by": "parts-manager-zhao"}
ISSUED = {"issue": "ISS-000200", "repair_order": "RO-2026-0300", "vin": SAGITAR, "part_number": "43512-06190",
          "location": "MAIN", "lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": "2.000", "source": "oem"}


def apply(settings, units, type_, data, **attributes):
    return apply_event(settings, units, parts_events.handlers, a_cloudevent(type_, data, **attributes))


def get(client, token, url, dealer="D001"):
    response = client.get(url, headers=token(["service_advisor"], dealer=dealer))
    return response.status_code, response.get_json()


def campaigns(client, token, vin=CAMRY):
    response = client.post("/api/v1/eligibility", json={"vin": vin, "odometer": 30_000, "component_group": "engine"},
                           headers=token(["service_advisor"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["open_campaigns"]


def test_a_quarantined_lot_lists_the_vehicles_parts_named_and_those_warranty_saw_it_fitted_to(
        settings, units, client, token, camry):
    apply(settings, units, "parts.part.created", DISC)
    apply(settings, units, "parts.stock.issued", ISSUED, time="2026-11-02T03:00:00+00:00")
    outcome = apply(settings, units, "parts.lot.quarantined", QUARANTINED, sequence=4,
                    time="2026-11-24T06:00:00+00:00")
    assert outcome.applied

    status, page = get(client, token, "/api/v1/lot-recalls")
    assert status == 200
    [listed] = page["items"]
    assert listed == {**listed, "lot": "LOT-HX-01", "status": "open", "part_number": "43512-06190",
                      "supplier": "HX-AUTO", "supplier_lot": "HX-2611", "reason": "supplier notice: cracked discs",
                      "quarantined_by": "parts-manager-zhao", "released_at": None, "vehicle_count": 3}
    assert listed["quarantined_at"] == "2026-11-24T06:00:00+00:00"

    status, recall = get(client, token, "/api/v1/lot-recalls/LOT-HX-01")
    assert status == 200
    vehicles = {vehicle["vin"]: vehicle for vehicle in recall["vehicles"]}
    assert sorted(vehicles) == sorted([CAMRY, SAGITAR, ACCORD])
    assert vehicles[CAMRY] == {"vin": CAMRY, "named_by_parts": True, "make": "Toyota", "model": "Camry",
                               "model_year": 2024, "fittings": []}
    assert vehicles[SAGITAR] == {"vin": SAGITAR, "named_by_parts": False, "make": None, "model": None,
                                 "model_year": None, "fittings": [{"issue": "ISS-000200",
                                                                   "repair_order": "RO-2026-0300",
                                                                   "installed_on": "2026-11-02",
                                                                   "quantity": "2.000"}]}
    assert (vehicles[ACCORD]["named_by_parts"], vehicles[ACCORD]["fittings"]) == (True, [])

    [recall_campaign] = campaigns(client, token)
    assert recall_campaign == {"code": "LOT-HX-01", "name": "supplier notice: cracked discs", "components": ["brakes"],
                               "ends_on": None, "kind": "lot_recall", "part_number": "43512-06190",
                               "supplier": "HX-AUTO"}


def test_a_released_lot_is_closed_and_no_longer_an_open_campaign(settings, units, client, token, camry):
    apply(settings, units, "parts.lot.quarantined", QUARANTINED, sequence=4)
    apply(settings, units, "parts.lot.released", RELEASED, sequence=5, time="2026-11-25T01:00:00+00:00")
    _, recall = get(client, token, "/api/v1/lot-recalls/LOT-HX-01")
    assert (recall["status"], recall["release_reason"], recall["released_at"]) == (
        "released", "supplier cleared it", "2026-11-25T01:00:00+00:00")
    assert campaigns(client, token) == []
    assert [r["lot"] for r in get(client, token, "/api/v1/lot-recalls?status=released")[1]["items"]] == ["LOT-HX-01"]
    assert get(client, token, "/api/v1/lot-recalls?status=open")[1]["items"] == []


def test_a_lot_fitted_to_a_vehicle_is_an_open_campaign_for_it_though_parts_did_not_name_it(
        settings, units, client, token, camry):
    apply(settings, units, "parts.stock.issued", {**ISSUED, "vin": CAMRY})
    apply(settings, units, "parts.lot.quarantined", {**QUARANTINED, "affected_vins": []})
    assert [c["code"] for c in campaigns(client, token)] == ["LOT-HX-01"]


def test_the_same_event_twice_is_applied_once_and_a_late_quarantine_does_not_reopen_a_release(
        settings, units, client, token):
    quarantined = a_cloudevent("parts.lot.quarantined", QUARANTINED, sequence=4)
    assert apply(settings, units, "parts.lot.released", RELEASED, sequence=5).applied
    assert apply_event(settings, units, parts_events.handlers, quarantined).applied
    assert not apply_event(settings, units, parts_events.handlers, quarantined).applied
    _, recall = get(client, token, "/api/v1/lot-recalls/LOT-HX-01")
    assert (recall["status"], recall["reason"], recall["vehicle_count"]) == (
        "released", "supplier notice: cracked discs", 2)


def test_lot_recalls_page_by_lot_and_stay_with_their_dealer(settings, units, client, token):
    for lot in ("LOT-C", "LOT-A", "LOT-B"):
        apply(settings, units, "parts.lot.quarantined", {**QUARANTINED, "lot": lot})
    apply(settings, units, "parts.lot.quarantined", {**QUARANTINED, "lot": "LOT-OTHER"}, dealer="D002")
    _, first = get(client, token, "/api/v1/lot-recalls?limit=2")
    _, second = get(client, token, f"/api/v1/lot-recalls?limit=2&cursor={first['next_cursor']}")
    assert [r["lot"] for r in first["items"] + second["items"]] == ["LOT-A", "LOT-B", "LOT-C"]
    assert second["next_cursor"] is None
    status, problem = get(client, token, "/api/v1/lot-recalls/LOT-OTHER")
    assert (status, problem["code"]) == (404, "lot_recall_not_found")
    assert get(client, token, "/api/v1/lot-recalls/LOT-OTHER", dealer="D002")[0] == 200


def test_a_lot_event_missing_what_warranty_needs_is_dead_lettered(settings, units):
    outcome = apply(settings, units, "parts.lot.quarantined", {**QUARANTINED, "supplier": None})
    assert outcome.dead_letter_reason == "invalid_data" and "supplier" in outcome.error
    outcome = apply(settings, units, "parts.lot.released", {"lot": "LOT-HX-01"})
    assert outcome.dead_letter_reason == "invalid_data"
