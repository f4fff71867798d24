"""The replacement for a parts-warranty case (保修换件): the warranty desk's approval issues it
from the oldest available lots at once, never what is reserved; when stock is short it waits
on the counter's "to issue" list until a clerk issues it. On PostgreSQL and embedded."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from parts.handlers import warranty_events


def approval(case="PW-20261125-A1B2C3", quantity="2.000", part="PADS", location="MAIN"):
    return a_cloudevent("warranty.parts_warranty.replacement_approved", {
        "case": case, "sale": "SO-20261120-0001", "part_number": part, "lot": "LOT-FAULTY", "location": location,
        "quantity": quantity, "supplier": "S1"}, subject=case)


def approve(settings, units, **kwargs):
    return apply_event(settings, units, warranty_events.handlers, approval(**kwargs))


def lots_of(desk, part="PADS"):
    return {b["lot"]: (b["on_hand"], b["reserved"]) for b in desk.stock(part_number=part, location="MAIN")}


def exchange(client, desk, case="PW-20261125-A1B2C3"):
    response = client.get(f"/api/v1/warranty-exchanges/{case}", headers=desk.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def issue(client, desk, case, version):
    return client.post(f"/api/v1/warranty-exchanges/{case}/issue", headers={**desk.headers, "If-Match": f'"{version}"'})


def ledger(client, token, reference):
    response = client.get("/api/v1/ledger", query_string={"reference": reference}, headers=token(["parts_manager"]))
    assert response.status_code == 200, response.get_json()
    return [(m["kind"], m["lot"], m["on_hand_change"], m["reason"]) for m in response.get_json()["items"]]


def test_an_approved_replacement_is_issued_at_once_from_the_oldest_available_lots(settings, units, client, token,
                                                                                 desk):
    older = desk.receive(desk.line(quantity="2")).get_json()["lines"][0]["lot"]
    newer = desk.receive(desk.line(quantity="4")).get_json()["lines"][0]["lot"]
    held = client.post("/api/v1/reservations", headers=desk.headers, json={
        "part_number": "PADS", "quantity": "1", "for_kind": "repair_order", "for_reference": "RO-7"})
    assert held.status_code == 201, held.get_json()

    assert approve(settings, units).applied

    done = exchange(client, desk)
    assert (done["status"], done["issued_by"]) == ("issued", "event:/aftersales/warranty"), done
    # The unit reserved for RO-7 stays: one from the older lot's free unit, one from the newer lot.
    assert [(lot["lot"], lot["quantity"]) for lot in done["lots"]] == [(older, "1.000"), (newer, "1.000")]
    assert lots_of(desk) == {older: ("1.000", "1.000"), newer: ("3.000", "0.000")}
    case = done["case"]
    assert sorted(ledger(client, token, case)) == sorted([
        ("warranty_exchange", older, "-1.000", f"warranty_exchange: replacement for parts-warranty case {case}"),
        ("warranty_exchange", newer, "-1.000", f"warranty_exchange: replacement for parts-warranty case {case}"),
    ])
    [issued] = desk.events("parts.warranty_exchange.issued")
    assert (issued["case"], issued["sale"], issued["part_number"], issued["quantity"]) == (
        case, "SO-20261120-0001", "PADS", "2.000")
    assert [(lot["lot"], lot["supplier"], lot["quantity"]) for lot in issued["lots"]] == [
        (older, "S1", "1.000"), (newer, "S1", "1.000")]

    # The same approval again (a replay under a new event id) issues nothing more.
    assert approve(settings, units).applied
    assert lots_of(desk) == {older: ("1.000", "1.000"), newer: ("3.000", "0.000")}
    assert len(desk.events("parts.warranty_exchange.issued")) == 1


def test_short_stock_makes_the_exchange_wait_until_a_clerk_issues_it(settings, units, client, token, desk):
    lot = desk.receive(desk.line(quantity="1")).get_json()["lines"][0]["lot"]
    assert approve(settings, units, case="PW-SHORT", quantity="2").applied

    waiting = exchange(client, desk, "PW-SHORT")
    assert (waiting["status"], waiting["lots"], waiting["issued_at"]) == ("waiting", [], None)
    listed = client.get("/api/v1/warranty-exchanges", query_string={"status": "waiting"}, headers=desk.headers)
    assert [item["case"] for item in listed.get_json()["items"]] == ["PW-SHORT"]
    assert lots_of(desk) == {lot: ("1.000", "0.000")}  # nothing taken, nothing held
    assert ledger(client, token, "PW-SHORT") == []

    refused = issue(client, desk, "PW-SHORT", waiting["version"])
    assert (refused.status_code, refused.get_json()["code"]) == (409, "insufficient_stock"), refused.get_json()
    assert exchange(client, desk, "PW-SHORT")["status"] == "waiting"

    newer = desk.receive(desk.line(quantity="3")).get_json()["lines"][0]["lot"]
    issued = issue(client, desk, "PW-SHORT", waiting["version"])
    assert issued.status_code == 200, issued.get_json()
    body = issued.get_json()
    assert (body["status"], body["issued_by"]) == ("issued", "clerk-li")
    assert [(x["lot"], x["quantity"]) for x in body["lots"]] == [(lot, "1.000"), (newer, "1.000")]
    assert lots_of(desk) == {newer: ("2.000", "0.000")}
    assert client.get("/api/v1/warranty-exchanges", query_string={"status": "waiting"},
                      headers=desk.headers).get_json()["items"] == []

    again = issue(client, desk, "PW-SHORT", body["version"])
    assert (again.status_code, again.get_json()["code"]) == (409, "warranty_exchange_already_issued")
    stale = issue(client, desk, "PW-SHORT", waiting["version"])
    assert stale.status_code == 412, stale.get_json()
    assert lots_of(desk) == {newer: ("2.000", "0.000")}


def test_a_part_never_stocked_here_waits_and_bad_input_changes_nothing(settings, units, client, desk):
    assert approve(settings, units, case="PW-NONE", part="ECU").applied
    assert exchange(client, desk, "PW-NONE")["status"] == "waiting"

    bad = approve(settings, units, case="PW-BAD", quantity="-1")
    assert bad.dead_letter_reason == "invalid_data"
    missing = client.get("/api/v1/warranty-exchanges/PW-BAD", headers=desk.headers)
    assert (missing.status_code, missing.get_json()["code"]) == (404, "warranty_exchange_not_found")
    no_match = client.post("/api/v1/warranty-exchanges/PW-NONE/issue", headers=desk.headers)
    assert no_match.status_code == 428, no_match.get_json()
    bad_filter = client.get("/api/v1/warranty-exchanges", query_string={"status": "lost"}, headers=desk.headers)
    assert (bad_filter.status_code, bad_filter.get_json()["errors"].keys() >= {"status"}) == (422, True), \
        bad_filter.get_json()
