"""Counter sales (配件销售) through the API: draft at the service's price, confirm (reserve),
pay, complete (FIFO lots, ledger, `parts.sale.completed`), cancel, and the bad inputs."""

from __future__ import annotations

import json
import threading
from decimal import Decimal

from kombu import Consumer, Queue
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS, Database
from shared.events import broker
from shared.events.relay import Relay
from shared.events.tables import outbox
from shared.testing import in_background, wait_until

from parts.domain.sales import SalesOrder
from parts.domain.stock import Movement, Reservation

VIN = "LVSHCAMB1CE054249"


def a_sale(**extra) -> dict:
    return {"customer_kind": "walk_in", "customer_name": "张三丰", "customer_phone": "13812341234",
            "lines": [{"part_number": "PADS", "quantity": "2"}], **extra}


def etag(response) -> dict:
    return {"If-Match": response.headers["ETag"]}


def step(client, desk, response, action, body=None, status=200):
    """POST a step of the order (confirm, payment, complete, cancel) against the ETag just read."""
    number = response.get_json()["number"]
    answer = client.post(f"/api/v1/sales/{number}/{action}", json=body,
                         headers={**desk.headers, **etag(response)})
    assert answer.status_code == status, answer.get_json()
    return answer


def two_lots(desk):
    """Two deliveries of pads, 3 then 4: the first one is the older lot."""
    first = desk.receive(desk.line(quantity="3")).get_json()["lines"][0]["lot"]
    second = desk.receive(desk.line(quantity="4")).get_json()["lines"][0]["lot"]
    return first, second


def test_a_trade_sale_goes_from_draft_to_handover_from_the_oldest_lots(client, desk, token):
    first, second = two_lots(desk)
    manager = token(["parts_manager"])
    assert client.post("/api/v1/customer-groups", json={"code": "GARAGE", "name": "Partner garages",
                                                        "discount_percent": "10"}, headers=manager).status_code == 201

    draft = client.post("/api/v1/sales", json=a_sale(
        customer_kind="trade", customer_account="ACC-77", customer_group="GARAGE",
        vehicle={"make": "Buick", "model": "GL8", "year": 2021, "vin": VIN.lower()},
        lines=[{"part_number": "PADS", "quantity": "5", "unit_price": "0.01"}]), headers=desk.headers)
    assert draft.status_code == 201, draft.get_json()
    order = draft.get_json()
    line = order["lines"][0]
    # The client's price is ignored: list 680.00 less the group's 10%.
    assert (line["list_price"], line["discount_percent"], line["unit_price"], line["price_source"], line["amount"]) == (
        "680.00", "10.00", "612.00", "customer_group", "3060.00")
    assert (order["status"], order["total"], order["vehicle"]["vin"]) == ("draft", "3060.00", VIN)
    assert desk.available("PADS") == 7  # a draft holds nothing

    confirmed = step(client, desk, draft, "confirm")
    assert confirmed.get_json()["status"] == "confirmed"
    held = confirmed.get_json()["lines"][0]["reservation"]
    assert desk.available("PADS") == 2
    reservation = client.get(f"/api/v1/reservations/{held}", headers=desk.headers).get_json()
    assert (reservation["for_kind"], reservation["for_reference"], reservation["quantity"]) == (
        "sales_order", order["number"], "5.000")

    wrong = step(client, desk, confirmed, "payment", {"method": "wechat_pay", "reference": "WX-1", "amount": "3059.99"},
                 status=422)
    assert (wrong.get_json()["code"], wrong.get_json()["field"]) == ("payment_amount_mismatch", "amount")
    assert client.get(f"/api/v1/sales/{order['number']}", headers=desk.headers).get_json()["status"] == "confirmed"
    paid = step(client, desk, confirmed, "payment", {"method": "wechat_pay", "reference": "WX-1", "amount": "3060.00"})
    assert (paid.get_json()["status"], paid.get_json()["paid_amount"]) == ("paid", "3060.00")

    done = step(client, desk, paid, "complete", {"invoice_number": "INV-0001"})
    sold = done.get_json()
    assert (sold["status"], sold["invoice_number"]) == ("completed", "INV-0001")
    assert [(lot["lot"], lot["supplier"], lot["quantity"]) for lot in sold["lines"][0]["lots"]] == [
        (first, "S1", "3.000"), (second, "S1", "2.000")]
    assert desk.available("PADS") == 2
    assert [(b["lot"], b["on_hand"], b["reserved"]) for b in desk.stock(part_number="PADS")] == [(second, "2.000", "0.000")]
    ledger = client.get("/api/v1/ledger?part_number=PADS", headers=desk.headers).get_json()["items"]
    assert sorted((m["kind"], m["lot"], m["on_hand_change"], m["reserved_change"]) for m in ledger
                  if m["kind"] == "sale") == sorted([("sale", first, "-3.000", "-3.000"),
                                                            ("sale", second, "-2.000", "-2.000")])

    [event] = desk.events("parts.sale.completed")
    assert event == {
        "sale": order["number"], "customer_kind": "trade", "customer_id": "ACC-77", "customer_group": "GARAGE",
        "vin": VIN, "invoice_number": "INV-0001", "payment_method": "wechat_pay", "total": "3060.00",
        "currency": "CNY", "completed_at": event["completed_at"],
        "lines": [{"part_number": "PADS", "location": "MAIN", "quantity": "5.000", "list_price": "680.00",
                   "unit_price": "612.00", "price_source": "customer_group", "amount": "3060.00",
                   "lots": [{"lot": first, "supplier": "S1", "quantity": "3.000"},
                            {"lot": second, "supplier": "S1", "quantity": "2.000"}]}],
    }
    assert "张" not in json.dumps(event) and "1381234" not in json.dumps(event)
    assert desk.events("parts.stock.issued") == []  # a sale is not a repair order's issue


def test_a_part_that_does_not_fit_the_vehicle_is_warned_not_refused(client, desk, token):
    manager = token(["parts_manager"])
    fitted = client.post("/api/v1/parts", json={
        "part_number": "FILTER-GL8", "name_zh": "机油滤清器", "category": "filters", "unit": "pcs", "source": "oem",
        "list_price": "58.00", "fitments": [{"make": "Buick", "model": "GL8", "year_from": 2017, "year_to": 2023,
                                             "displacement": "2.0"}]}, headers=manager)
    assert fitted.status_code == 201, fitted.get_json()
    lines = [{"part_number": "FILTER-GL8", "quantity": "1"}, {"part_number": "PADS", "quantity": "1"}]

    def fitment(vehicle):
        order = client.post("/api/v1/sales", json=a_sale(vehicle=vehicle, lines=lines), headers=desk.headers)
        assert order.status_code == 201, order.get_json()
        return [line["fitment"] for line in order.get_json()["lines"]], order.get_json()["fitment_warnings"]

    assert fitment({"make": "buick", "model": "gl8", "year": 2020, "displacement": "2.0"}) == (["fits", "unknown"], [])
    assert fitment({"make": "Buick", "model": "GL8", "year": 2015}) == (["mismatch", "unknown"], ["FILTER-GL8"])
    assert fitment({"make": "Buick", "model": "GL8", "year": 2020, "displacement": "2.5"})[1] == ["FILTER-GL8"]
    assert fitment(None) == (["unknown", "unknown"], [])


def test_cancelling_before_payment_lets_the_stock_go_and_a_paid_order_cannot_be_cancelled(client, desk):
    desk.receive(desk.line(quantity="4"))
    draft = client.post("/api/v1/sales", json=a_sale(), headers=desk.headers)
    confirmed = step(client, desk, draft, "confirm")
    assert desk.available("PADS") == 2
    cancelled = step(client, desk, confirmed, "cancel", {"reason": "customer changed their mind"})
    assert (cancelled.get_json()["status"], cancelled.get_json()["cancel_reason"]) == (
        "cancelled", "customer changed their mind")
    assert desk.available("PADS") == 4
    held = confirmed.get_json()["lines"][0]["reservation"]
    assert client.get(f"/api/v1/reservations/{held}", headers=desk.headers).get_json()["status"] == "released"
    refused = step(client, desk, cancelled, "payment", {"method": "cash", "amount": "1360.00"}, status=409)
    assert (refused.get_json()["code"], refused.get_json()["field"]) == ("sale_cancelled", "status")

    other = step(client, desk, client.post("/api/v1/sales", json=a_sale(), headers=desk.headers), "confirm")
    paid = step(client, desk, other, "payment", {"method": "cash", "amount": "1360.00"})
    refused = step(client, desk, paid, "cancel", {}, status=409)
    assert refused.get_json()["code"] == "sale_already_paid"
    assert client.get(f"/api/v1/sales/{other.get_json()['number']}", headers=desk.headers).get_json()["status"] == "paid"
    assert desk.available("PADS") == 2  # still held for the paid order
    assert step(client, desk, paid, "complete", {"invoice_number": "INV-9"}).get_json()["status"] == "completed"
    assert desk.available("PADS") == 2 and sum(float(b["on_hand"]) for b in desk.stock(part_number="PADS")) == 2


def test_a_sale_never_takes_what_a_repair_order_holds(client, desk):
    desk.receive(desk.line(quantity="4"))
    assert client.post("/api/v1/reservations", json={"part_number": "PADS", "quantity": "3", "for_kind": "repair_order",
                                                     "for_reference": "RO-1"}, headers=desk.headers).status_code == 201
    draft = client.post("/api/v1/sales", json=a_sale(), headers=desk.headers)
    short = step(client, desk, draft, "confirm", status=409)
    assert short.get_json()["code"] == "insufficient_stock"
    assert short.get_json()["errors"].keys() == {"lines.0.quantity"}
    after = client.get(f"/api/v1/sales/{draft.get_json()['number']}", headers=desk.headers)
    assert after.get_json()["status"] == "draft" and after.headers["ETag"] == draft.headers["ETag"]
    assert desk.available("PADS") == 1
    # Nor may a repair order's issue take what a sale holds.
    one = step(client, desk, client.post("/api/v1/sales", json=a_sale(lines=[{"part_number": "PADS", "quantity": "1"}]),
                                         headers=desk.headers), "confirm")
    taken = client.post("/api/v1/issues", json={
        "repair_order": "RO-1", "vin": VIN, "technician": "Wang",
        "lines": [{"part_number": "PADS", "quantity": "1", "reservation": one.get_json()["lines"][0]["reservation"]}]},
        headers=desk.headers)
    assert taken.get_json()["code"] == "reservation_for_another_order"


def test_bad_input_is_named_and_changes_nothing(client, desk, token):
    desk.receive(desk.line(quantity="4"))

    def refused(body, status, field, code=None):
        answer = client.post("/api/v1/sales", json=body, headers=desk.headers)
        assert answer.status_code == status, answer.get_json()
        problem = answer.get_json()
        assert field in (problem.get("field"), *problem.get("errors", {}).keys()), problem
        if code:
            assert problem["code"] == code
        return problem

    refused(a_sale(lines=[{"part_number": "PADS", "quantity": "-1"}]), 422, "lines.0.quantity")
    refused(a_sale(lines=[{"part_number": "PADS", "quantity": "1.5"}]), 422, "lines.0.quantity", "quantity_too_precise")
    refused(a_sale(lines=[{"part_number": "PADS", "quantity": "1"}, {"part_number": "NOPE", "quantity": "1"}]),
            404, "lines.1.part_number", "part_not_found")
    refused(a_sale(customer_kind="trade"), 422, "customer_account", "customer_account_required")
    refused(a_sale(customer_group="VIP"), 404, "customer_group", "customer_group_not_found")
    refused(a_sale(customer_kind="friend"), 422, "customer_kind")
    refused(a_sale(lines=[]), 422, "lines")
    assert client.get("/api/v1/sales", headers=desk.headers).get_json()["items"] == []

    draft = client.post("/api/v1/sales", json=a_sale(), headers=desk.headers)
    number = draft.get_json()["number"]
    no_etag = client.post(f"/api/v1/sales/{number}/confirm", headers=desk.headers)
    assert (no_etag.status_code, no_etag.get_json()["code"]) == (428, "if_match_required")
    stale = client.post(f"/api/v1/sales/{number}/confirm", headers={**desk.headers, "If-Match": '"9"'})
    assert (stale.status_code, stale.get_json()["code"]) == (412, "stale_version")
    early = step(client, desk, draft, "payment", {"method": "cash", "amount": "1360.00"}, status=409)
    assert early.get_json()["code"] == "sale_wrong_status"
    confirmed = step(client, desk, draft, "confirm")
    no_reference = step(client, desk, confirmed, "payment", {"method": "card", "amount": "1360.00"}, status=422)
    assert (no_reference.get_json()["code"], no_reference.get_json()["field"]) == ("payment_reference_required", "reference")
    not_a_method = step(client, desk, confirmed, "payment", {"method": "bitcoin", "amount": "1360.00"}, status=422)
    assert "method" in not_a_method.get_json()["errors"]
    unknown = client.get("/api/v1/sales/SO-NOPE", headers=desk.headers)
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "sale_not_found")
    assert desk.available("PADS") == 2 and desk.events("parts.sale.completed") == []
    assert client.post("/api/v1/sales", json=a_sale(), headers=token(["warranty_clerk"])).status_code == 403


def test_the_customer_is_masked_for_roles_that_do_not_sell(client, desk, token):
    number = client.post("/api/v1/sales", json=a_sale(), headers=desk.headers).get_json()["number"]
    seen = client.get(f"/api/v1/sales/{number}", headers=desk.headers).get_json()
    assert (seen["customer_name"], seen["customer_phone"]) == ("张三丰", "13812341234")
    masked = client.get(f"/api/v1/sales/{number}", headers=token(["warranty_clerk"])).get_json()
    assert (masked["customer_name"], masked["customer_phone"]) == ("张**", "138****1234")
    listed = client.get("/api/v1/sales", headers=token(["service_advisor"])).get_json()["items"]
    assert [(s["number"], s["customer_name"], s["customer_phone"]) for s in listed] == [
        (number, "张**", "138****1234")]


def test_a_retried_sale_with_the_same_idempotency_key_is_written_once(client, desk):
    headers = {**desk.headers, "Idempotency-Key": "sale-1"}
    first = client.post("/api/v1/sales", json=a_sale(), headers=headers)
    again = client.post("/api/v1/sales", json=a_sale(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["number"] == first.get_json()["number"]
    assert len(client.get("/api/v1/sales", headers=desk.headers).get_json()["items"]) == 1


def test_customer_groups_are_the_managers(client, desk, token):
    manager = token(["parts_manager"])
    made = client.post("/api/v1/customer-groups", json={"code": "FLEET", "name": "Fleets", "discount_percent": "5"},
                       headers=manager)
    assert made.status_code == 201 and made.get_json()["discount_percent"] == "5.00"
    assert client.post("/api/v1/customer-groups", json={"code": "X", "name": "X"}, headers=desk.headers).status_code == 403
    twice = client.post("/api/v1/customer-groups", json={"code": "FLEET", "name": "Again"}, headers=manager)
    assert twice.get_json()["code"] == "duplicate_customer_group"
    too_much = client.post("/api/v1/customer-groups", json={"code": "Y", "name": "Y", "discount_percent": "101"},
                           headers=manager)
    assert too_much.status_code == 422 and "discount_percent" in too_much.get_json()["errors"]
    changed = client.patch("/api/v1/customer-groups/FLEET", json={"discount_percent": "12.50"},
                           headers={**manager, **etag(made)})
    assert changed.status_code == 200 and changed.get_json()["discount_percent"] == "12.50"
    order = client.post("/api/v1/sales", json=a_sale(customer_group="FLEET"), headers=desk.headers).get_json()
    assert (order["lines"][0]["unit_price"], order["total"]) == ("595.00", "1190.00")
    assert [g["code"] for g in client.get("/api/v1/customer-groups", headers=desk.headers).get_json()["items"]] == [
        "FLEET"]


# ---------------------------------------------------------------- the broker, and many clerks at once


def test_the_completed_sale_reaches_the_broker_with_its_lines_and_lots(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    client = app.test_client()
    clerk = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk-li", "D001", ["parts_manager"])}
    client.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=clerk)
    client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=clerk)
    client.post("/api/v1/parts", json={"part_number": "FILTER", "name_en": "Oil filter", "category": "filters",
                                       "unit": "pcs", "source": "oem", "list_price": "58.00"}, headers=clerk)
    lot = client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
        {"part_number": "FILTER", "quantity": "5", "unit_cost": "30.00", "location": "MAIN", "inspection": "passed"}]},
        headers=clerk).get_json()["lines"][0]["lot"]

    class Desk:
        headers = clerk

    draft = client.post("/api/v1/sales", json=a_sale(lines=[{"part_number": "FILTER", "quantity": "2"}]), headers=clerk)
    paid = step(client, Desk, step(client, Desk, draft, "confirm"), "payment",
                {"method": "alipay", "reference": "ALI-9", "amount": "116.00"})
    number = step(client, Desk, paid, "complete", {"invoice_number": "INV-7"}).get_json()["number"]

    topology = broker.Topology(settings)
    queue = Queue(f"{real_infra.namespace}.sales-check", exchange=topology.events, routing_key="parts.sale.completed",
                  durable=False, auto_delete=False)
    received: list[tuple[dict, str]] = []
    with broker.connect(settings) as connection:
        channel = connection.channel()
        topology.events(channel).declare()
        queue(channel).declare()
        database = Database(settings.database_url)
        try:
            with in_background(Relay(settings, database).run, "parts-relay"):
                wait_until(lambda: _unpublished(database) == 0, what="the outbox to empty")

            def collect(body, message):
                received.append((json.loads(body if isinstance(body, str) else body.decode("utf-8")),
                                 message.delivery_info.get("routing_key")))
                message.ack()

            with Consumer(channel, queues=[queue], callbacks=[collect], accept=None):
                wait_until(lambda: _drain(connection) or received, what="parts.sale.completed from the broker")
        finally:
            database.dispose()
            queue(channel).delete()
            topology.events(channel).delete()
    [(envelope, routing_key)] = received
    assert (routing_key, envelope["type"], envelope["subject"]) == ("parts.sale.completed", "parts.sale.completed", number)
    data = envelope["data"]
    assert (data["sale"], data["customer_kind"], data["customer_id"], data["total"], data["payment_method"]) == (
        number, "walk_in", None, "116.00", "alipay")
    assert data["lines"] == [{"part_number": "FILTER", "location": "MAIN", "quantity": "2.000", "list_price": "58.00",
                              "unit_price": "58.00", "price_source": "list_price", "amount": "116.00",
                              "lots": [{"lot": lot, "supplier": "S1", "quantity": "2.000"}]}]
    assert "customer_name" not in data and "customer_phone" not in data


def _unpublished(database: Database) -> int:
    with database.reading(ALL_DEALERS) as session:
        return session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))


def _drain(connection) -> bool:
    try:
        connection.drain_events(timeout=0.2)
    except (TimeoutError, OSError):
        pass
    return False


ON_HAND = 25
CLERKS = 40


def test_parallel_sales_of_one_part_never_oversell(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    headers = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk", "D001", ["parts_manager"])}
    setup = app.test_client()
    setup.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=headers)
    setup.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=headers)
    setup.post("/api/v1/parts", json={"part_number": "FILTER", "name_en": "Oil filter", "category": "filters",
                                      "unit": "pcs", "source": "oem", "list_price": "58.00"}, headers=headers)
    for quantity in ("10", "15"):  # two lots, so allocation crosses a lot boundary too
        setup.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
            {"part_number": "FILTER", "quantity": quantity, "unit_cost": "30.00", "location": "MAIN",
             "inspection": "passed"}]}, headers=headers)
    # A repair order holds 5 of them: no sale may take those.
    setup.post("/api/v1/reservations", json={"part_number": "FILTER", "quantity": "5", "for_kind": "repair_order",
                                             "for_reference": "RO-1"}, headers=headers)
    drafts = [setup.post("/api/v1/sales", json=a_sale(lines=[{"part_number": "FILTER", "quantity": "1"}]),
                         headers=headers) for _ in range(CLERKS)]

    start = threading.Barrier(CLERKS)
    statuses: list[int] = []

    def clerk_confirms(draft) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(f"/api/v1/sales/{draft.get_json()['number']}/confirm",
                               headers={**headers, "If-Match": draft.headers["ETag"]})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=clerk_confirms, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    sellable = ON_HAND - 5
    assert statuses.count(200) == sellable
    assert statuses.count(409) == CLERKS - sellable
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        held = session.scalar(select(func.sum(Reservation.quantity)).where(
            Reservation.status == "active", Reservation.for_kind == "sales_order"))
        confirmed = session.scalar(select(func.count()).select_from(SalesOrder).where(SalesOrder.status == "confirmed"))
        ledger_reserved = session.scalar(select(func.sum(Movement.reserved_change)))
    assert held == Decimal(sellable) and confirmed == sellable
    assert ledger_reserved == Decimal(ON_HAND)
    balances = setup.get("/api/v1/stock?part_number=FILTER", headers=headers).get_json()["items"]
    assert sum(Decimal(b["reserved"]) for b in balances) == ON_HAND
    assert all(Decimal(b["reserved"]) <= Decimal(b["on_hand"]) for b in balances)
