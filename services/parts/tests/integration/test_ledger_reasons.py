"""Every ledger row says why (库存流水); a reservation's rows name what the parts are held for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VIN = "LVSHCAMB1CE054249"


def test_every_movement_says_why_and_reservations_name_their_repair_order_or_appointment(
        client, desk, token, service, settings):
    from parts.service.reservations import release_expired

    manager = token(["parts_manager"])
    post = lambda url, body, headers=desk.headers: client.post(url, json=body, headers=headers)  # noqa: E731
    pending = desk.receive(desk.line(quantity="2", inspection="pending")).get_json()["lines"][0]["lot"]
    post(f"/api/v1/lots/{pending}/inspection", {"result": "passed"})
    older = desk.receive(desk.line(quantity="5")).get_json()["lines"][0]["lot"]
    desk.receive(desk.line("OIL", "20"))
    # Reserved, then released by the clerk; for an appointment, then moved off a quarantined lot.
    kept = post("/api/v1/reservations", {"part_number": "PADS", "quantity": "1", "for_kind": "repair_order",
                                         "for_reference": "RO-7"}).get_json()["number"]
    post(f"/api/v1/reservations/{kept}/release", {"reason": "customer declined"})
    post("/api/v1/reservations", {"part_number": "PADS", "quantity": "1", "for_kind": "appointment",
                                  "for_reference": "AP-3"})
    post(f"/api/v1/lots/{pending}/quarantine", {"reason": "supplier notice N-2"}, manager)
    soon = (datetime.now(timezone.utc) + timedelta(seconds=30)).isoformat()
    post("/api/v1/reservations/batch", {"for_kind": "repair_order", "for_reference": "RO-8", "expires_at": soon,
                                        "lines": [{"part_number": "OIL", "quantity": "2"}]})
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    assert release_expired(service.units_of_work(settings, clock=lambda: later)) == 1
    slip = post("/api/v1/issues", {"repair_order": "RO-9", "vin": VIN, "technician": "t",
                                   "lines": [{"part_number": "PADS", "quantity": "2"}]}).get_json()
    post(f"/api/v1/issues/{slip['number']}/returns", {"lines": [{"part_number": "PADS", "lot": older, "quantity": "1"}]})
    post("/api/v1/transfers", {"part_number": "OIL", "from_location": "MAIN", "to_location": "BODY",
                               "quantity": "1", "reason": "body shop job"})
    post(f"/api/v1/lots/{older}/supplier-returns", {"location": "MAIN", "quantity": "1", "reason": "damaged box"})

    ledger = client.get("/api/v1/ledger", query_string={"limit": 200}, headers=manager).get_json()["items"]

    kinds = {m["kind"] for m in ledger}
    assert kinds >= {"receipt", "unblock", "block", "reserve", "release", "issue", "return", "transfer_out",
                     "transfer_in", "return_to_supplier"}, kinds
    assert all(m["reason"] and m["reason"].strip() for m in ledger), [m for m in ledger if not m["reason"]]
    held = {(m["kind"], m["reference"], m["reason"]) for m in ledger if m["kind"] in ("reserve", "release")}
    assert ("reserve", kept, "reserved for repair order RO-7") in held
    assert ("release", kept, "customer declined (reserved for repair order RO-7)") in held
    appointment = {reason for _, _, reason in held if "AP-3" in reason}
    assert "reserved for appointment AP-3" in appointment
    assert f"lot blocked: {pending} (reserved for appointment AP-3)" in appointment
    assert f"moved from blocked lot {pending} (reserved for appointment AP-3)" in appointment
    assert any(reason == "expired (reserved for repair order RO-8)" for _, _, reason in held)
    assert all("repair order" in reason or "appointment" in reason for _, _, reason in held)
    assert {m["reason"] for m in ledger if m["kind"] == "receipt"} == {"received from supplier S1"}
    assert {m["reason"] for m in ledger if m["kind"] == "issue"} == {"repair order RO-9"}
