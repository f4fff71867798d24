"""Receiving, inspection, reservations, issues and returns through the API."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

VIN = "LVSHCAMB1CE054249"


def test_a_delivery_books_one_lot_per_line_and_only_inspected_stock_is_available(client, desk):
    response = desk.receive(desk.line(quantity="4"), desk.line(quantity="2", inspection="pending"), desk.line("OIL", "20.5"))
    assert response.status_code == 201, response.get_json()
    receipt = response.get_json()
    lots = [l["lot"] for l in receipt["lines"]]
    assert len(set(lots)) == 3
    assert desk.available("PADS") == 4
    pending = next(b for b in desk.stock(part_number="PADS") if b["lot"] == lots[1])
    assert (pending["on_hand"], pending["quarantined"], pending["available"], pending["inspection"]) == ("2.000", "2.000", "0.000", "pending")

    inspected = client.post(f"/api/v1/lots/{lots[1]}/inspection", json={"result": "passed"}, headers=desk.headers)
    assert inspected.status_code == 200 and inspected.get_json()["blocked"] is False
    assert desk.available("PADS") == 6
    again = client.post(f"/api/v1/lots/{lots[1]}/inspection", json={"result": "failed"}, headers=desk.headers)
    assert again.get_json()["code"] == "lot_already_inspected"
    received = desk.events("parts.stock.received")
    assert [(e["part_number"], e["quantity"], e["blocked"]) for e in received] == [
        ("OIL", "20.500", False), ("PADS", "4.000", False), ("PADS", "2.000", True)]
    assert [e["result"] for e in desk.events("parts.lot.inspected")] == ["passed"]


def test_a_failed_lot_stays_blocked_and_goes_back_to_the_supplier(client, desk):
    lot = desk.receive(desk.line(quantity="3", inspection="pending")).get_json()["lines"][0]["lot"]
    client.post(f"/api/v1/lots/{lot}/inspection", json={"result": "failed", "note": "cracked backing plate"},
                headers=desk.headers)
    assert desk.available("PADS") == 0
    sent = client.post(f"/api/v1/lots/{lot}/supplier-returns",
                       json={"location": "MAIN", "quantity": "3", "reason": "failed inspection"}, headers=desk.headers)
    assert sent.status_code == 200, sent.get_json()
    assert desk.stock(part_number="PADS") == []
    ledger = client.get(f"/api/v1/ledger?lot={lot}", headers=desk.headers).get_json()["items"]
    assert [(m["kind"], m["on_hand_change"], m["quarantined_change"]) for m in ledger] == [
        ("return_to_supplier", "-3.000", "-3.000"), ("receipt", "3.000", "3.000")]


def test_bad_deliveries_are_refused_whole(client, desk):
    assert desk.receive(desk.line(), supplier="S9").get_json()["code"] == "supplier_not_qualified"
    assert desk.receive(desk.line(), supplier="NOPE").get_json()["code"] == "supplier_not_found"
    refused = desk.receive(desk.line(), desk.line("NO-SUCH-PART"))
    assert refused.status_code == 404 and refused.get_json()["field"] == "lines.1.part_number"
    assert desk.receive(desk.line(location="ATTIC")).get_json()["code"] == "location_not_found"
    too_precise = desk.receive(desk.line(quantity="1.5"))
    assert too_precise.status_code == 422 and too_precise.get_json()["errors"] == {
        "lines.0.quantity": ["PADS is counted in set: whole numbers"]}
    assert desk.receive(desk.line("OIL", "2.255")).get_json()["code"] == "quantity_too_precise"
    assert desk.receive(desk.line(quantity="0")).get_json()["errors"].keys() == {"lines.0.quantity"}
    assert desk.receive(desk.line(quantity="-2")).get_json()["errors"].keys() == {"lines.0.quantity"}
    assert desk.stock() == [] and desk.events("parts.stock.received") == []


def test_a_reservation_is_issued_to_a_vin_and_unused_parts_return_to_their_lot(client, desk, token):
    older = desk.receive(desk.line(quantity="1")).get_json()["lines"][0]["lot"]
    newer = desk.receive(desk.line(quantity="5")).get_json()["lines"][0]["lot"]
    reservation = client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "2",
                                                            "for_kind": "repair_order", "for_reference": "RO-88"},
                              headers=desk.headers)
    assert reservation.status_code == 201, reservation.get_json()
    number = reservation.get_json()["number"]
    assert [(a["lot"], a["quantity"]) for a in reservation.get_json()["allocations"]] == [(older, "1.000"), (newer, "1.000")]
    assert desk.available("PADS") == 4

    issued = client.post("/api/v1/issues", json={
        "repair_order": "RO-88", "vin": VIN.lower(), "technician": "tech-wang",
        "lines": [{"part_number": "PADS", "quantity": "2", "reservation": number}]}, headers=desk.headers)
    assert issued.status_code == 201, issued.get_json()
    slip = issued.get_json()
    assert [(l["lot"], l["quantity"], l["supplier"]) for l in slip["lines"]] == [(older, "1.000", "S1"), (newer, "1.000", "S1")]
    assert client.get(f"/api/v1/reservations/{number}", headers=desk.headers).get_json()["status"] == "issued"
    assert [(e["repair_order"], e["vin"], e["lot"], e["supplier"], e["quantity"], e["source"]) for e in
            desk.events("parts.stock.issued")] == [("RO-88", VIN, older, "S1", "1.000", "oem"),
                                                   ("RO-88", VIN, newer, "S1", "1.000", "oem")]

    back = client.post(f"/api/v1/issues/{slip['number']}/returns",
                       json={"lines": [{"part_number": "PADS", "lot": older, "quantity": "1"}]}, headers=desk.headers)
    assert back.status_code == 200, back.get_json()
    assert next(b for b in desk.stock(part_number="PADS") if b["lot"] == older)["on_hand"] == "1.000"
    again = client.post(f"/api/v1/issues/{slip['number']}/returns",
                        json={"lines": [{"part_number": "PADS", "lot": older, "quantity": "1"}]}, headers=desk.headers)
    assert again.get_json()["code"] == "return_exceeds_issue"


def test_issuing_more_than_is_available_changes_nothing(client, desk):
    desk.receive(desk.line(quantity="2"), desk.line("OIL", "3"))
    refused = client.post("/api/v1/issues", json={
        "repair_order": "RO-1", "vin": VIN, "technician": "tech-wang",
        "lines": [{"part_number": "OIL", "quantity": "3"}, {"part_number": "PADS", "quantity": "3"}]},
        headers=desk.headers)
    assert refused.status_code == 409 and refused.get_json()["code"] == "insufficient_stock"
    assert desk.available("OIL") == 3 and desk.available("PADS") == 2
    assert desk.events("parts.stock.issued") == []


def test_a_blocked_lot_can_be_neither_reserved_nor_issued(client, desk):
    desk.receive(desk.line(quantity="5", inspection="pending"))
    reserve = client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "1",
                                                        "for_kind": "repair_order", "for_reference": "RO-1"},
                          headers=desk.headers)
    assert reserve.get_json()["code"] == "insufficient_stock"
    issue = client.post("/api/v1/issues", json={"repair_order": "RO-1", "vin": VIN, "technician": "t",
                                                "lines": [{"part_number": "PADS", "quantity": "1"}]}, headers=desk.headers)
    assert issue.get_json()["code"] == "insufficient_stock"


def test_an_appointment_for_a_high_value_part_needs_half_its_price_as_deposit(client, desk):
    desk.receive(desk.line("ECU", "2"))
    booking = {"part_number": "ECU", "quantity": "1", "for_kind": "appointment", "for_reference": "AP-7"}
    refused = client.post("/api/v1/reservations", json=booking, headers=desk.headers)
    assert refused.status_code == 422 and refused.get_json()["required"] == "4400.00"
    short = client.post("/api/v1/reservations", json={**booking, "deposit": "4399.99"}, headers=desk.headers)
    assert short.get_json()["code"] == "deposit_required"
    paid = client.post("/api/v1/reservations", json={**booking, "deposit": "4400.00"}, headers=desk.headers)
    assert paid.status_code == 201
    for_repair = client.post("/api/v1/reservations", json={**booking, "for_kind": "repair_order"}, headers=desk.headers)
    assert for_repair.status_code == 201


def test_expired_reservations_release_themselves_and_cannot_be_issued(client, desk, service, settings):
    from parts.service.reservations import release_expired

    desk.receive(desk.line(quantity="3"))
    soon = (datetime.now(timezone.utc) + timedelta(seconds=30)).isoformat()
    number = client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "3", "expires_at": soon,
                                                       "for_kind": "repair_order", "for_reference": "RO-5"},
                         headers=desk.headers).get_json()["number"]
    assert desk.available("PADS") == 0

    later = datetime.now(timezone.utc) + timedelta(hours=1)
    units_later = service.units_of_work(settings, clock=lambda: later)
    app_later = service.create_app(settings, clock=lambda: later)
    refused = app_later.test_client().post("/api/v1/issues", json={
        "repair_order": "RO-5", "vin": VIN, "technician": "t",
        "lines": [{"part_number": "PADS", "quantity": "3", "reservation": number}]}, headers=desk.headers)
    assert refused.get_json()["code"] == "reservation_expired"

    assert release_expired(units_later) == 1
    assert release_expired(units_later) == 0
    assert client.get(f"/api/v1/reservations/{number}", headers=desk.headers).get_json()["status"] == "expired"
    assert desk.available("PADS") == 3
    assert [(e["reservation"], e["reason"]) for e in desk.events("parts.reservation.released")] == [(number, "expired")]


def test_only_parts_staff_move_stock(client, desk, token):
    advisor = token(["service_advisor"])
    assert client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [desk.line()]}, headers=advisor).status_code == 403
    assert client.get("/api/v1/stock", headers=advisor).status_code == 200
    assert client.post("/api/v1/suppliers", json={"code": "S5", "name": "x", "qualified": True},
                       headers=token(["parts_clerk"])).status_code == 403


def test_the_worker_releases_expired_reservations_by_itself(client, desk, service, settings):
    """The job runs in the consumer process (`python -m parts consume`), every
    RESERVATION_EXPIRY_SWEEP_SECONDS."""
    import threading

    from shared.testing import wait_until

    desk.receive(desk.line(quantity="2"))
    just_now = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat()
    number = client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "2", "expires_at": just_now,
                                                       "for_kind": "repair_order", "for_reference": "RO-9"},
                         headers=desk.headers).get_json()["number"]
    quick = settings.__class__.from_env("parts", {**settings.environ, "RESERVATION_EXPIRY_SWEEP_SECONDS": "0.1"})
    stop = threading.Event()
    worker = threading.Thread(target=service._work, args=(quick, service.units_of_work(quick), stop))
    worker.start()
    try:
        wait_until(lambda: client.get(f"/api/v1/reservations/{number}", headers=desk.headers).get_json()["status"]
                   == "expired", what="the sweep to release the reservation")
    finally:
        stop.set()
        worker.join(30)
    assert desk.available("PADS") == 2


def test_a_quarantined_lot_stops_moving_names_its_vehicles_and_is_traced_both_ways(client, desk, token):
    manager = token(["parts_manager"])
    suspect = desk.receive(desk.line(quantity="3")).get_json()["lines"][0]["lot"]
    good = desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"]
    for n, vin in enumerate((VIN, "1HGCM82633A004352")):
        client.post("/api/v1/issues", json={"repair_order": f"RO-{n}", "vin": vin, "technician": "t",
                                            "lines": [{"part_number": "PADS", "quantity": "1"}]}, headers=desk.headers)
    number = client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "1",
                                                       "for_kind": "repair_order", "for_reference": "RO-9"},
                         headers=desk.headers).get_json()["number"]

    assert client.post(f"/api/v1/lots/{suspect}/quarantine", json={"reason": "supplier recall R-17"},
                       headers=desk.headers).status_code == 403
    held = client.post(f"/api/v1/lots/{suspect}/quarantine", json={"reason": "supplier recall R-17"}, headers=manager)
    assert held.status_code == 200 and held.get_json()["on_hold"] is True
    [event] = desk.events("parts.lot.quarantined")
    assert event["affected_vins"] == sorted([VIN, "1HGCM82633A004352"]) and event["reason"] == "supplier recall R-17"
    reservation = client.get(f"/api/v1/reservations/{number}", headers=desk.headers).get_json()
    assert [(a["lot"], a["quantity"]) for a in reservation["allocations"] if a["quantity"] != "0.000"] == [(good, "1.000")]
    assert desk.available("PADS") == 1  # only the good lot's unreserved unit

    forward = client.get(f"/api/v1/traceability/lots/{suspect}", headers=desk.headers).get_json()
    assert sorted(f["vin"] for f in forward["fitted"]) == sorted([VIN, "1HGCM82633A004352"])
    assert forward["remaining"] == [{"location": "MAIN", "on_hand": "1.000", "reserved": "0.000", "quarantined": "1.000",
                                     "withheld": None}]
    backward = client.get(f"/api/v1/traceability/fitted?vin={VIN}", headers=desk.headers).get_json()["fitted"]
    assert [(f["repair_order"], f["lot"], f["supplier"], f["supplier_lot"]) for f in backward] == [
        ("RO-0", suspect, "S1", "B-2026-11")]

    released = client.post(f"/api/v1/lots/{suspect}/release", json={"reason": "supplier cleared the batch"},
                           headers=manager)
    assert released.get_json()["on_hold"] is False
    assert desk.available("PADS") == 2
    assert client.post(f"/api/v1/lots/{suspect}/release", json={"reason": "again"},
                       headers=manager).get_json()["code"] == "lot_not_on_hold"


def reserve(client, desk, part="PADS", quantity="1", repair_order="RO-1", **extra):
    response = client.post("/api/v1/reservations", json={"part_number": part, "quantity": quantity,
                                                         "for_kind": "repair_order", "for_reference": repair_order,
                                                         **extra}, headers=desk.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def issue(client, desk, repair_order, *lines):
    return client.post("/api/v1/issues", json={"repair_order": repair_order, "vin": VIN, "technician": "tech-wang",
                                               "lines": list(lines)}, headers=desk.headers)


def ledger_kinds(client, desk):
    return [m["kind"] for m in client.get("/api/v1/ledger?limit=200", headers=desk.headers).get_json()["items"]]


def test_a_reservation_is_never_issued_to_another_repair_order(client, desk):
    desk.receive(desk.line(quantity="5"))
    number = reserve(client, desk, quantity="2", repair_order="RO-1")

    refused = issue(client, desk, "RO-2", {"part_number": "PADS", "quantity": "2", "reservation": number})
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["code"] == "reservation_for_another_order"
    assert (refused.get_json()["reserved_for"], refused.get_json()["repair_order"]) == ("RO-1", "RO-2")
    reservation = client.get(f"/api/v1/reservations/{number}", headers=desk.headers).get_json()
    assert (reservation["status"], reservation["issued"]) == ("active", "0.000")
    [balance] = desk.stock(part_number="PADS")
    assert (balance["on_hand"], balance["reserved"]) == ("5.000", "2.000")
    assert desk.events("parts.stock.issued") == [] and "issue" not in ledger_kinds(client, desk)

    # Its own repair order gets it.
    assert issue(client, desk, "RO-1", {"part_number": "PADS", "quantity": "2", "reservation": number}).status_code == 201


def test_an_issue_takes_the_repair_orders_own_reservation_without_being_told(client, desk):
    desk.receive(desk.line(quantity="3"))
    number = reserve(client, desk, quantity="3", repair_order="RO-3")
    assert issue(client, desk, "RO-4", {"part_number": "PADS", "quantity": "1"}).get_json()["code"] == "insufficient_stock"

    issued = issue(client, desk, "RO-3", {"part_number": "PADS", "quantity": "3"})
    assert issued.status_code == 201, issued.get_json()
    assert [(l["quantity"], l["reservation"]) for l in issued.get_json()["lines"]] == [("3.000", number)]
    assert client.get(f"/api/v1/reservations/{number}", headers=desk.headers).get_json()["status"] == "issued"
    assert desk.stock(part_number="PADS") == []
    ledger = client.get("/api/v1/ledger?limit=200", headers=desk.headers).get_json()["items"]
    assert [(m["on_hand_change"], m["reserved_change"]) for m in ledger if m["kind"] == "issue"] == [("-3.000", "-3.000")]


def test_every_unit_of_a_lot_issued_on_two_lines_can_come_back(client, desk):
    lot = desk.receive(desk.line(quantity="5")).get_json()["lines"][0]["lot"]
    number = reserve(client, desk, repair_order="RO-1")
    slip = issue(client, desk, "RO-1", {"part_number": "PADS", "quantity": "1", "reservation": number},
                 {"part_number": "PADS", "quantity": "1"}).get_json()
    assert [(l["lot"], l["quantity"]) for l in slip["lines"]] == [(lot, "1.000"), (lot, "1.000")]

    def give_back(quantity):
        return client.post(f"/api/v1/issues/{slip['number']}/returns",
                           json={"lines": [{"part_number": "PADS", "lot": lot, "quantity": quantity}]},
                           headers=desk.headers)

    assert give_back("1").status_code == 200
    second = give_back("1")
    assert second.status_code == 200, second.get_json()
    assert [l["returned"] for l in second.get_json()["lines"]] == ["1.000", "1.000"]
    assert give_back("1").get_json()["code"] == "return_exceeds_issue"
    assert desk.stock(part_number="PADS")[0]["on_hand"] == "5.000"
    assert [e["quantity"] for e in desk.events("parts.stock.returned")] == ["1.000", "1.000"]


def test_two_units_issued_on_two_lines_come_back_in_one_return(client, desk):
    lot = desk.receive(desk.line(quantity="5")).get_json()["lines"][0]["lot"]
    number = reserve(client, desk, repair_order="RO-1")
    slip = issue(client, desk, "RO-1", {"part_number": "PADS", "quantity": "1", "reservation": number},
                 {"part_number": "PADS", "quantity": "1"}).get_json()
    back = client.post(f"/api/v1/issues/{slip['number']}/returns",
                       json={"lines": [{"part_number": "PADS", "lot": lot, "quantity": "2"}]}, headers=desk.headers)
    assert back.status_code == 200, back.get_json()
    assert [e["quantity"] for e in desk.events("parts.stock.returned")] == ["2.000"]
    assert desk.stock(part_number="PADS")[0]["on_hand"] == "5.000"


def test_a_reservation_that_would_already_have_expired_is_refused(client, desk):
    desk.receive(desk.line(quantity="2"))
    refused = client.post("/api/v1/reservations", json={
        "part_number": "PADS", "quantity": "1", "for_kind": "repair_order", "for_reference": "RO-4",
        "expires_at": "2020-01-01T00:00:00+00:00"}, headers=desk.headers)
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["code"] == "expiry_in_the_past" and "expires_at" in refused.get_json()["errors"]
    assert client.get("/api/v1/reservations", headers=desk.headers).get_json()["items"] == []
    assert desk.available("PADS") == 2 and desk.events("parts.stock.reserved") == []


def test_a_return_to_the_supplier_is_announced(client, desk):
    lot = desk.receive(desk.line(quantity="3", inspection="pending")).get_json()["lines"][0]["lot"]
    client.post(f"/api/v1/lots/{lot}/inspection", json={"result": "failed"}, headers=desk.headers)
    client.post(f"/api/v1/lots/{lot}/supplier-returns", json={"location": "MAIN", "quantity": "2",
                                                             "reason": "cracked backing plate"}, headers=desk.headers)
    [event] = desk.events("parts.stock.returned_to_supplier")
    assert {k: event[k] for k in ("lot", "part_number", "location", "supplier", "quantity", "reason", "by")} == {
        "lot": lot, "part_number": "PADS", "location": "MAIN", "supplier": "S1", "quantity": "2.000",
        "reason": "cracked backing plate", "by": "clerk-li"}


def test_a_refusal_says_what_is_really_wrong(client, desk):
    lot = desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"]

    def problem(response, status, code):
        assert (response.status_code, response.get_json()["code"]) == (status, code), response.get_json()
        return response.get_json()

    # BODY exists but holds no pads: not enough stock, not an unknown location.
    problem(issue(client, desk, "RO-1", {"part_number": "PADS", "quantity": "1", "location": "BODY"}),
            409, "insufficient_stock")
    assert problem(issue(client, desk, "RO-1", {"part_number": "PADS", "quantity": "1", "location": "ATTIC"}),
                   404, "location_not_found")["field"] == "lines.0.location"
    assert problem(issue(client, desk, "RO-1", {"part_number": "PADS", "quantity": "1", "reservation": "RV-NOPE"}),
                   404, "reservation_not_found")["field"] == "lines.0.reservation"

    # A superseded number says which number to ask for.
    client.post("/api/v1/parts", json={"part_number": "OLD", "name_en": "old pads", "category": "general",
                                       "unit": "set", "source": "oem", "list_price": "1.00"}, headers=desk.headers)
    client.patch("/api/v1/parts/OLD", json={"superseded_by": "PADS"}, headers={**desk.headers, "If-Match": '"1"'})
    superseded = problem(issue(client, desk, "RO-1", {"part_number": "OLD", "quantity": "1"}), 409, "part_superseded")
    assert (superseded["superseded_by"], superseded["field"]) == ("PADS", "lines.0.part_number")
    assert "PADS" in superseded["detail"]

    # Returning to the supplier from a store without the lot, or from an unknown one.
    assert "holds no PADS at BODY" in problem(client.post(
        f"/api/v1/lots/{lot}/supplier-returns", json={"location": "BODY", "quantity": "1", "reason": "x"},
        headers=desk.headers), 404, "lot_not_found")["detail"]
    assert problem(client.post(
        f"/api/v1/lots/{lot}/supplier-returns", json={"location": "ATTIC", "quantity": "1", "reason": "x"},
        headers=desk.headers), 404, "location_not_found")["field"] == "location"

    # Unknown places and suppliers name their field.
    assert problem(desk.receive(desk.line(location="ATTIC")), 404, "location_not_found")["field"] == "lines.0.location"
    assert problem(desk.receive(desk.line(), supplier="NOPE"), 404, "supplier_not_found")["field"] == "supplier"
    assert problem(client.post("/api/v1/reservations", json={
        "part_number": "PADS", "quantity": "1", "location": "ATTIC", "for_kind": "repair_order",
        "for_reference": "RO-1"}, headers=desk.headers), 404, "location_not_found")["field"] == "location"
    assert desk.events("parts.stock.issued") == [] and desk.available("PADS") == 2


def test_a_reservation_held_elsewhere_is_issued_where_it_is_held(client, desk):
    lot = desk.receive(desk.line(quantity="2", location="BODY")).get_json()["lines"][0]["lot"]
    number = reserve(client, desk, repair_order="RO-2", location="BODY")
    issued = issue(client, desk, "RO-2", {"part_number": "PADS", "quantity": "1", "reservation": number})
    assert issued.status_code == 201, issued.get_json()
    assert [(l["location"], l["lot"], l["reservation"]) for l in issued.get_json()["lines"]] == [("BODY", lot, number)]
    # Naming another store than the reservation's, or another part, is refused.
    other = reserve(client, desk, repair_order="RO-2", location="BODY")
    for line in ({"part_number": "PADS", "quantity": "1", "reservation": other, "location": "MAIN"},
                 {"part_number": "OIL", "quantity": "1", "reservation": other}):
        refused = issue(client, desk, "RO-2", line)
        assert (refused.status_code, refused.get_json()["code"]) == (409, "reservation_not_for_line")
    # A reservation that was issued says so.
    again = issue(client, desk, "RO-2", {"part_number": "PADS", "quantity": "1", "reservation": number})
    assert (again.status_code, again.get_json()["code"]) == (409, "reservation_not_active")
    assert again.get_json()["detail"] == f"reservation {number} is issued"
