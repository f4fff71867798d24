"""Supplier quality: field failures from warranty, complaints from customer care, rejected
deliveries, and the automatic quality hold."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from parts.handlers import quality_events

VIN = "LVSHCAMB1CE054249"


def _claim(number, lot, part="PADS"):
    return a_cloudevent("warranty.claim.approved", {"claim_number": number, "causal_part_number": part,
                                                    "causal_lot": lot, "vin": VIN})


def _complaint(number, lot, category="product_quality", part="PADS"):
    return a_cloudevent("complaints.complaint.classified", {"complaint_number": number, "category": category,
                                                            "part_number": part, "lot": lot})


def _quality(client, desk, supplier="S1"):
    response = client.get(f"/api/v1/suppliers/{supplier}/quality", headers=desk.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_an_approved_claim_is_a_field_failure_per_thousand_issued_counted_once(client, desk, settings, units):
    lot = desk.receive(desk.line(quantity="40")).get_json()["lines"][0]["lot"]
    client.post("/api/v1/issues", json={"repair_order": "RO-1", "vin": VIN, "technician": "tech-wang",
                                        "lines": [{"part_number": "PADS", "quantity": "40"}]}, headers=desk.headers)
    claim = _claim("WC-1", lot)
    assert apply_event(settings, units, quality_events.handlers, claim).applied
    assert not apply_event(settings, units, quality_events.handlers, claim).applied  # redelivered
    again = _claim("WC-1", lot)  # the same claim in a new event (e.g. re-approved after appeal)
    assert apply_event(settings, units, quality_events.handlers, again).applied

    figures = _quality(client, desk)
    assert (figures["units_issued"], figures["field_failures"], figures["failures_per_thousand"]) == (
        "40.000", 1, "25.00")
    assert [(x["kind"], x["reference"], x["lot"]) for x in figures["recent"]] == [("field_failure", "WC-1", lot)]
    changed = desk.events("parts.supplier.quality_changed")
    assert [(e["supplier"], e["cause"], e["field_failures"], e["failures_per_thousand"]) for e in changed] == [
        ("S1", "field_failure", 1, "25.00")]


def test_enough_incidents_on_one_lot_put_it_on_quality_hold(client, desk, settings, units):
    lot = desk.receive(desk.line(quantity="6")).get_json()["lines"][0]["lot"]
    other = desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"]
    client.post("/api/v1/issues", json={"repair_order": "RO-2", "vin": VIN, "technician": "tech-wang",
                                        "lines": [{"part_number": "PADS", "quantity": "1"}]}, headers=desk.headers)
    for event in (_complaint("CP-1", lot), _complaint("CP-2", lot, category="after_sales_service"),
                  _complaint("CP-3", other), _claim("WC-9", lot)):
        assert apply_event(settings, units, quality_events.handlers, event).applied
    assert client.get(f"/api/v1/lots/{lot}", headers=desk.headers).get_json()["on_hold"] is False

    apply_event(settings, units, quality_events.handlers, _complaint("CP-4", lot))  # the third on this lot
    held = client.get(f"/api/v1/lots/{lot}", headers=desk.headers).get_json()
    assert held["on_hold"] is True and "3 field failures and complaints" in held["hold_reason"]
    assert desk.available("PADS") == 2  # only the other lot
    quarantined = desk.events("parts.lot.quarantined")
    assert [(e["lot"], e["affected_vins"]) for e in quarantined] == [(lot, [VIN])]
    figures = _quality(client, desk)
    assert (figures["incidents"], figures["field_failures"]) == (3, 1)


def test_events_that_name_no_lot_of_ours_change_nothing(client, desk, settings, units):
    desk.receive(desk.line(quantity="6"))
    for event in (_claim("WC-2", None), _claim("WC-3", "LOT-ELSEWHERE"), _complaint("CP-9", None)):
        assert apply_event(settings, units, quality_events.handlers, event).applied
    assert (_quality(client, desk)["field_failures"], _quality(client, desk)["incidents"]) == (0, 0)
    assert desk.events("parts.supplier.quality_changed") == []


def test_failed_incoming_inspections_raise_the_rejection_rate(client, desk):
    desk.receive(desk.line(quantity="2"), desk.line(quantity="2", inspection="failed"))
    pending = desk.receive(desk.line(quantity="2", inspection="pending")).get_json()["lines"][0]["lot"]
    client.post(f"/api/v1/lots/{pending}/inspection", json={"result": "failed"}, headers=desk.headers)
    figures = _quality(client, desk)
    assert (figures["lots_inspected"], figures["lots_rejected"], figures["rejection_rate"]) == (3, 2, "0.6667")
    assert [(e["cause"], e["lots_rejected"]) for e in desk.events("parts.supplier.quality_changed")] == [
        ("inspection_failed", 1), ("inspection_failed", 2)]


def test_a_complaint_corrected_to_another_category_no_longer_counts(client, desk, settings, units):
    lot = desk.receive(desk.line(quantity="6")).get_json()["lines"][0]["lot"]
    assert apply_event(settings, units, quality_events.handlers, _complaint("CP-7", lot)).applied
    assert _quality(client, desk)["incidents"] == 1
    corrected = _complaint("CP-7", lot, category="after_sales_service")
    assert apply_event(settings, units, quality_events.handlers, corrected).applied
    figures = _quality(client, desk)
    assert (figures["incidents"], figures["recent"]) == (0, [])
    assert [(e["cause"], e["incidents"]) for e in desk.events("parts.supplier.quality_changed")] == [
        ("complaint", 1), ("complaint_withdrawn", 0)]
