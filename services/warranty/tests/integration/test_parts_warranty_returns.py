"""Parts of a counter sale returned at the parts counter (`parts.sale.returned`) no longer count
as under the parts warranty: once per return, whichever of the sale and the return arrives
first. On PostgreSQL + RabbitMQ and embedded."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

SALE = {
    "sale": "SO-20261125-0011", "customer_kind": "walk_in", "customer_id": None, "customer_group": None,
    "vin": None, "invoice_number": "INV-11", "payment_method": "cash", "total": "1016.00", "currency": "CNY",
    "completed_at": "2026-11-24T17:30:00+00:00",
    "lines": [
        {"part_number": "BP-2231", "location": "MAIN", "quantity": "3.000", "list_price": "300.00",
         "unit_price": "300.00", "price_source": "list_price", "amount": "900.00",
         "lots": [{"lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": "2.000"},
                  {"lot": "LOT-BO-02", "supplier": "BOSCH", "quantity": "1.000"}]},
        {"part_number": "FILTER-9", "location": "MAIN", "quantity": "2.000", "list_price": "58.00",
         "unit_price": "58.00", "price_source": "list_price", "amount": "116.00",
         "lots": [{"lot": "LOT-F-01", "supplier": "HX-AUTO", "quantity": "2.000"}]},
    ],
}
RETURN = {
    "sale": SALE["sale"], "sale_return": "SR-20261126-0001", "customer_kind": "walk_in", "customer_id": None,
    "returned_at": "2026-11-26T02:00:00+00:00", "late": False, "refund_total": "358.00", "refund_method": "cash",
    "currency": "CNY", "exchange_sale": None,
    "lines": [
        {"part_number": "BP-2231", "location": "MAIN", "lot": "LOT-HX-01", "supplier": "HX-AUTO",
         "quantity": "1.000", "condition": "unused", "value": "300.00"},
        {"part_number": "FILTER-9", "location": "MAIN", "lot": "LOT-F-01", "supplier": "HX-AUTO",
         "quantity": "1.000", "condition": "unused", "value": "58.00"},
    ],
}


def deliver(settings, units, type_, data):
    return apply_event(settings, units, parts_events.handlers, a_cloudevent(type_, data, subject=data["sale"]))


def under_warranty(client, token):
    response = client.get("/api/v1/parts-warranty/sold-parts", query_string={"sale": SALE["sale"]},
                          headers=token(["parts_clerk"]))
    assert response.status_code == 200, response.get_json()
    return {(p["part_number"], p["lot"]): (p["quantity"], p["returned"]) for p in response.get_json()["items"]}


def open_case(client, token, **body):
    return client.post("/api/v1/parts-warranty/cases", headers=token(["warranty_clerk"]), json={
        "sale": SALE["sale"], "report": "异响", **body})


def test_returned_units_leave_the_warranty_once_even_when_the_return_is_delivered_again(settings, units, client,
                                                                                      token):
    assert deliver(settings, units, "parts.sale.completed", SALE).applied
    event = a_cloudevent("parts.sale.returned", RETURN, subject=SALE["sale"])
    assert apply_event(settings, units, parts_events.handlers, event).applied
    assert not apply_event(settings, units, parts_events.handlers, event).applied  # the inbox
    assert deliver(settings, units, "parts.sale.returned", RETURN).applied  # a replay under another id
    assert under_warranty(client, token) == {
        ("BP-2231", "LOT-HX-01"): ("1.000", "1.000"),
        ("BP-2231", "LOT-BO-02"): ("1.000", "0.000"),
        ("FILTER-9", "LOT-F-01"): ("1.000", "1.000"),
    }
    # What went back to the counter cannot come back under warranty.
    refused = open_case(client, token, part_number="BP-2231", lot="LOT-HX-01", quantity="2")
    assert (refused.status_code, refused.get_json()["code"]) == (422, "parts_warranty_quantity_exceeds_sold"), \
        refused.get_json()
    assert open_case(client, token, part_number="BP-2231", lot="LOT-HX-01", quantity="1").status_code == 201


def test_a_return_delivered_before_its_sale_is_applied_when_the_sale_arrives(settings, units, client, token):
    assert deliver(settings, units, "parts.sale.returned", RETURN).applied
    assert under_warranty(client, token) == {}
    assert deliver(settings, units, "parts.sale.completed", SALE).applied
    assert under_warranty(client, token) == {
        ("BP-2231", "LOT-HX-01"): ("1.000", "1.000"),
        ("BP-2231", "LOT-BO-02"): ("1.000", "0.000"),
        ("FILTER-9", "LOT-F-01"): ("1.000", "1.000"),
    }


def test_a_second_return_of_the_same_sale_counts_too(settings, units, client, token):
    deliver(settings, units, "parts.sale.completed", SALE)
    deliver(settings, units, "parts.sale.returned", RETURN)
    deliver(settings, units, "parts.sale.returned", {**RETURN, "sale_return": "SR-20261127-0002", "lines": [
        {**RETURN["lines"][0], "quantity": "1.000"}]})
    assert under_warranty(client, token)[("BP-2231", "LOT-HX-01")] == ("0.000", "2.000")


def test_a_return_without_lines_is_dead_lettered_and_changes_nothing(settings, units, client, token):
    deliver(settings, units, "parts.sale.completed", SALE)
    outcome = deliver(settings, units, "parts.sale.returned", {**RETURN, "lines": []})
    assert outcome.dead_letter_reason == "invalid_data"
    assert under_warranty(client, token)[("BP-2231", "LOT-HX-01")] == ("2.000", "0.000")
