"""Parts fitted per VIN, from the parts service's issues and returns (apply_event)."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

VIN = "LVSHCAMB1CE054249"
PADS = {"part_number": "AM-BP-2231", "name_zh": "副厂前刹车片", "name_en": None, "category": "brakes",
        "source": "aftermarket", "safety_critical": True}
ISSUED = {"issue": "ISS-000123", "repair_order": "RO-2026-0042", "vin": VIN, "part_number": "AM-BP-2231",
          "location": "MAIN", "lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": "2.000",
          "source": "aftermarket", "technician": "王师傅"}
RETURNED = {"issue": "ISS-000123", "repair_order": "RO-2026-0042", "part_number": "AM-BP-2231",
            "location": "MAIN", "lot": "LOT-HX-01", "quantity": "1.000", "reason": "unused"}


def fitted(client, token, vin=VIN, dealer="D001", **query):
    response = client.get(f"/api/v1/vehicles/{vin}/installed-parts", query_string=query,
                          headers=token(["service_advisor"], dealer=dealer))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def not_found(client, token, vin=VIN, dealer="D001") -> bool:
    response = client.get(f"/api/v1/vehicles/{vin}/installed-parts", headers=token(["service_advisor"], dealer=dealer))
    return (response.status_code, response.get_json()["code"]) == (404, "vehicle_not_found")


def apply(settings, units, type_, data, **attributes):
    return apply_event(settings, units, parts_events.handlers, a_cloudevent(type_, data, **attributes))


def test_an_issued_part_shows_on_the_vehicle_with_its_lot_supplier_and_catalog_facts(settings, units, client, token):
    apply(settings, units, "parts.part.created", PADS)
    outcome = apply(settings, units, "parts.stock.issued", ISSUED, time="2026-11-24T17:30:00+00:00")
    assert outcome.applied
    [part] = fitted(client, token)
    assert part == {**part, "part_number": "AM-BP-2231", "name": "副厂前刹车片", "component_group": "brakes",
                    "safety_critical": True, "source": "aftermarket", "lot": "LOT-HX-01", "supplier": "HX-AUTO",
                    "repair_order": "RO-2026-0042", "issue": "ISS-000123", "quantity": "2.000",
                    "odometer": None, "fitted": True}
    assert part["installed_on"] == "2026-11-25"  # 01:30 in Beijing on the 25th


def test_the_same_issue_event_twice_fits_the_part_once(settings, units, client, token):
    event = a_cloudevent("parts.stock.issued", ISSUED)
    assert apply_event(settings, units, parts_events.handlers, event).applied
    assert not apply_event(settings, units, parts_events.handlers, event).applied
    assert [p["quantity"] for p in fitted(client, token)] == ["2.000"]


def test_returns_reduce_what_is_fitted_and_a_full_return_removes_it(settings, units, client, token):
    apply(settings, units, "parts.stock.issued", ISSUED)
    apply(settings, units, "parts.stock.returned", RETURNED)
    [part] = fitted(client, token)
    assert (part["quantity"], part["returned_quantity"]) == ("1.000", "1.000")
    apply(settings, units, "parts.stock.returned", RETURNED)
    assert fitted(client, token) == []
    [returned] = fitted(client, token, include_returned="true")
    assert (returned["quantity"], returned["fitted"]) == ("0.000", False)


def test_a_return_that_overtakes_its_issue_is_netted(settings, units, client, token):
    assert apply(settings, units, "parts.stock.returned", RETURNED).applied
    assert not_found(client, token)  # a return does not say which vehicle
    apply(settings, units, "parts.stock.issued", ISSUED)
    assert [p["quantity"] for p in fitted(client, token)] == ["1.000"]


def test_a_part_for_a_vin_warranty_never_registered_is_kept_and_without_catalog_facts(settings, units, client, token):
    apply(settings, units, "parts.stock.issued", {**ISSUED, "vin": "1HGCM82633A004352", "source": None})
    [part] = fitted(client, token, vin="1hgcm82633a004352")
    assert (part["source"], part["name"], part["component_group"]) == (None, None, None)


def test_an_issue_for_another_dealer_stays_with_that_dealer(settings, units, client, token):
    apply(settings, units, "parts.stock.issued", ISSUED, dealer="D002")
    assert [p["issue"] for p in fitted(client, token, dealer="D002")] == ["ISS-000123"]
    # To any other dealer the vehicle is unknown, as its other records are: 404, not an empty list.
    assert not_found(client, token)
    assert not_found(client, token, vin="LSVAX60E7K2000001")


def test_an_issue_missing_what_warranty_needs_is_dead_lettered(settings, units):
    outcome = apply(settings, units, "parts.stock.issued", {**ISSUED, "lot": None})
    assert outcome.dead_letter_reason == "invalid_data" and "lot" in outcome.error
    outcome = apply(settings, units, "parts.stock.issued", {**ISSUED, "quantity": "-1"})
    assert outcome.dead_letter_reason == "invalid_data"
