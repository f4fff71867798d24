"""Parts issued a case's replacement from stock (`parts.warranty_exchange.issued`): the case
shows the replacement ready to hand over, once. On PostgreSQL + RabbitMQ and embedded."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

CLERK = ["warranty_clerk"]
SALE = {
    "sale": "SO-20261125-0021", "customer_kind": "walk_in", "customer_id": None, "vin": None, "currency": "CNY",
    "completed_at": "2026-11-24T17:30:00+00:00",
    "lines": [{"part_number": "BP-2231", "location": "MAIN", "unit_price": "300.00",
               "lots": [{"lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": "2.000"}]}],
}


def step(client, token, case, name, body):
    response = client.post(f"/api/v1/parts-warranty/cases/{case['number']}/{name}", json=body,
                           headers={**token(CLERK), "If-Match": f'"{case["version"]}"'})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def issued(case, at="2026-11-25T03:00:00+00:00"):
    return a_cloudevent("parts.warranty_exchange.issued", {
        "case": case, "sale": SALE["sale"], "part_number": "BP-2231", "location": "MAIN", "quantity": "1.000",
        "lots": [{"lot": "LOT-NEW-9", "supplier": "HX-AUTO", "quantity": "1.000"}], "issued_at": at}, subject=case)


def test_the_issued_replacement_shows_on_its_case_once(settings, units, client, token):
    sale = a_cloudevent("parts.sale.completed", SALE, subject=SALE["sale"])
    assert apply_event(settings, units, parts_events.handlers, sale).applied
    opened = client.post("/api/v1/parts-warranty/cases", headers=token(CLERK), json={
        "sale": SALE["sale"], "part_number": "BP-2231", "lot": "LOT-HX-01", "quantity": "1", "report": "开裂"})
    assert opened.status_code == 201, opened.get_json()
    case = step(client, token, opened.get_json(), "assess", {"fault": "defect", "findings": "材料缺陷"})
    case = step(client, token, case, "decide", {"outcome": "replace"})
    assert case["replacement_issued_at"] is None

    assert apply_event(settings, units, parts_events.handlers, issued(case["number"])).applied
    later = issued(case["number"], at="2026-11-26T03:00:00+00:00")  # a replay under a new id
    assert apply_event(settings, units, parts_events.handlers, later).applied

    shown = client.get(f"/api/v1/parts-warranty/cases/{case['number']}", headers=token(CLERK)).get_json()
    assert (shown["status"], shown["replacement_issued_at"]) == ("decided", "2026-11-25T03:00:00+00:00")
    # The desk hands it over against the case as it is now.
    done = step(client, token, shown, "complete", {"note": "换件已交客户"})
    assert (done["status"], done["replacement_issued_at"]) == ("closed", "2026-11-25T03:00:00+00:00")


def test_an_issue_for_a_case_we_do_not_hold_changes_nothing(settings, units):
    assert apply_event(settings, units, parts_events.handlers, issued("PW-NOT-OURS")).applied
