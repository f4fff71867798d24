"""Every supplier's quality over a period in one answer (the service manager's scorecard), and
several lots' suppliers in one call (to put complaints naming lots against their supplier)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from shared.testing import a_cloudevent, apply_event

from parts.handlers import quality_events

VIN = "LVSHCAMB1CE054249"
NOW = datetime.now(timezone.utc)
TODAY = NOW.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()


def _report(client, desk, **period):
    response = client.get("/api/v1/reports/supplier-quality", query_string=period, headers=desk.headers)
    assert response.status_code == 200, response.get_json()
    return {item["supplier"]: item for item in response.get_json()["items"]}


def _seeded(client, desk, settings, units) -> tuple[str, str]:
    """S1: 40 pads received and issued, one approved claim and one product-quality complaint on
    them (their events sent now: an incident counts on the day it happened), and a second delivery
    that failed inspection. S9 (unqualified) nothing."""
    lot = desk.receive(desk.line(quantity="40")).get_json()["lines"][0]["lot"]
    failed = desk.receive(desk.line(quantity="2", inspection="failed")).get_json()["lines"][0]["lot"]
    issued = client.post("/api/v1/issues", json={"repair_order": "RO-1", "vin": VIN, "technician": "tech-wang",
                                                 "lines": [{"part_number": "PADS", "quantity": "40"}]},
                         headers=desk.headers)
    assert issued.status_code == 201, issued.get_json()
    approved = {"claim_number": "WC-1", "causal_part_number": "PADS", "causal_lot": lot, "vin": VIN}
    classified = {"complaint_number": "CP-1", "category": "product_quality", "part_number": "PADS", "lot": lot}
    for event in (a_cloudevent("warranty.claim.approved", approved, time=NOW.isoformat()),
                  a_cloudevent("complaints.complaint.classified", classified, time=NOW.isoformat())):
        assert apply_event(settings, units, quality_events.handlers, event).applied
    return lot, failed


def test_every_supplier_s_figures_for_the_period_in_one_answer(client, desk, settings, units):
    _seeded(client, desk, settings, units)

    today = _report(client, desk, **{"from": TODAY, "to": TODAY})
    assert list(today) == ["S1", "S9"]
    s1 = today["S1"]
    assert (s1["name"], s1["units_issued"], s1["field_failures"], s1["failures_per_thousand"], s1["incidents"]) == (
        "Supplier S1", "40.000", 1, "25.00", 1)
    assert (s1["lots_inspected"], s1["lots_rejected"], s1["rejection_rate"]) == (2, 1, "0.5000")
    assert (today["S9"]["field_failures"], today["S9"]["units_issued"], today["S9"]["rejection_rate"]) == (
        0, "0.000", "0.0000")
    # The same as the supplier's own record, which covers all time.
    record = client.get("/api/v1/suppliers/S1/quality", headers=desk.headers).get_json()
    assert (record["field_failures"], record["incidents"], record["lots_rejected"]) == (1, 1, 1)
    assert _report(client, desk) == today  # no period: all time

    # A period before any of it: nothing happened, nothing was issued yet.
    before = _report(client, desk, **{"from": "2020-01-01", "to": "2020-12-31"})["S1"]
    assert (before["units_issued"], before["field_failures"], before["incidents"], before["lots_inspected"],
            before["failures_per_thousand"]) == ("0.000", 0, 0, 0, "0.00")
    # From tomorrow on: the units issued up to its end count, the failures of today do not.
    after = _report(client, desk, **{"from": "2099-01-01"})["S1"]
    assert (after["units_issued"], after["field_failures"], after["lots_inspected"]) == ("40.000", 0, 0)


def test_a_period_that_ends_before_it_starts_is_refused_at_its_end(client, desk):
    response = client.get("/api/v1/reports/supplier-quality", query_string={"from": "2026-12-01", "to": "2026-11-01"},
                          headers=desk.headers)
    assert response.status_code == 422
    assert response.get_json()["errors"].keys() == {"to"}
    not_a_date = client.get("/api/v1/reports/supplier-quality", query_string={"from": "yesterday"},
                            headers=desk.headers)
    assert not_a_date.status_code == 422 and not_a_date.get_json()["errors"].keys() == {"from"}


def test_several_lots_suppliers_in_one_call(client, desk, settings, units):
    lot, failed = _seeded(client, desk, settings, units)
    response = client.get("/api/v1/lots", query_string=[("code", lot), ("code", failed), ("code", "NOT-OURS")],
                          headers=desk.headers)
    assert response.status_code == 200, response.get_json()
    assert [(item["code"], item["part_number"], item["supplier"]) for item in response.get_json()["items"]] == sorted(
        [(lot, "PADS", "S1"), (failed, "PADS", "S1")])
    none = client.get("/api/v1/lots", headers=desk.headers)
    assert none.status_code == 422 and none.get_json()["errors"].keys() == {"code"}
