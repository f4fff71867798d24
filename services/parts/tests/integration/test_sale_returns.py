"""Returns and exchanges of counter sales (销售退货/换货) through the API: parts back into the lot
they were sold from, the refund, `parts.sale.returned`, the return window, and the bad inputs."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from kombu import Consumer, Queue
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS, Database
from shared.events import broker
from shared.events.relay import Relay
from shared.events.tables import outbox
from shared.testing import in_background, wait_until

from parts.domain.stock import Movement


def a_sale(**extra) -> dict:
    return {"customer_kind": "walk_in", "customer_name": "张三丰", "customer_phone": "13812341234",
            "lines": [{"part_number": "PADS", "quantity": "5"}], **extra}


def etag(response) -> dict:
    return {"If-Match": response.headers["ETag"]}


def step(client, headers, response, action, body=None, status=200, **extra_headers):
    """POST a step of the order (confirm, payment, complete, cancel, returns) against the ETag just read."""
    number = response.get_json()["number"]
    answer = client.post(f"/api/v1/sales/{number}/{action}", json=body,
                         headers={**headers, **etag(response), **extra_headers})
    assert answer.status_code == status, answer.get_json()
    return answer


def sold(client, headers, sale=None, amount="3400.00"):
    """A sale taken from draft to handover: 5 sets of pads by card, unless told otherwise."""
    draft = client.post("/api/v1/sales", json=sale or a_sale(), headers=headers)
    assert draft.status_code == 201, draft.get_json()
    paid = step(client, headers, step(client, headers, draft, "confirm"), "payment",
                {"method": "card", "reference": "POS-1", "amount": amount})
    return step(client, headers, paid, "complete", {"invoice_number": "INV-1"})


def two_lots(desk):
    """Two deliveries of pads, 3 then 4: the first one is the older lot, emptied by a sale of 5."""
    first = desk.receive(desk.line(quantity="3")).get_json()["lines"][0]["lot"]
    second = desk.receive(desk.line(quantity="4")).get_json()["lines"][0]["lot"]
    return first, second


def lots(desk) -> dict[str, tuple[str, str]]:
    return {b["lot"]: (b["on_hand"], b["quarantined"]) for b in desk.stock(part_number="PADS")}


def sale_returns(client, desk) -> list[tuple]:
    ledger = client.get("/api/v1/ledger?part_number=PADS", headers=desk.headers).get_json()["items"]
    return sorted((m["lot"], m["on_hand_change"], m["quarantined_change"], m["reference"], m["reason"])
                  for m in ledger if m["kind"] == "sale_return")


def test_returned_parts_go_back_into_the_lot_they_were_sold_from_with_the_refund_and_the_event(client, desk):
    first, second = two_lots(desk)
    done = sold(client, desk.headers)
    assert lots(desk) == {second: ("2.000", "0.000")}  # the first lot was emptied by the sale

    back = step(client, desk.headers, done, "returns", {
        "lines": [{"part_number": "PADS", "quantity": "2", "lot": first},
                  {"part_number": "PADS", "quantity": "1", "condition": "faulty"}],
        "reason": "wrong size", "refund": {"reference": "POS-R-1"}}, **{"Idempotency-Key": "return-1"})
    order = back.get_json()
    [taken] = order["returns"]
    assert [(line["line_number"], line["lot"], line["quantity"], line["condition"], line["value"])
            for line in taken["lines"]] == [(1, first, "2.000", "unused", "1360.00"),
                                            (1, second, "1.000", "faulty", "680.00")]
    assert (taken["refund_method"], taken["refund_reference"], taken["refund_amount"], taken["late"]) == (
        "card", "POS-R-1", "2040.00", False)
    assert (order["status"], order["refunded_amount"], order["lines"][0]["returned"]) == ("completed", "2040.00", "3.000")
    assert back.headers["ETag"] != done.headers["ETag"]

    # The emptied lot has its two back, on the shelf; the faulty one is blocked in its own lot.
    assert lots(desk) == {first: ("2.000", "0.000"), second: ("3.000", "1.000")}
    assert desk.available("PADS") == 4
    assert sale_returns(client, desk) == sorted([
        (first, "2.000", "0.000", taken["number"], f"returned on sales order {order['number']}: wrong size"),
        (second, "1.000", "1.000", taken["number"], f"returned on sales order {order['number']}: wrong size")])

    [event] = desk.events("parts.sale.returned")
    assert event == {
        "sale": order["number"], "sale_return": taken["number"], "customer_kind": "walk_in", "customer_id": None,
        "returned_at": event["returned_at"], "late": False, "refund_total": "2040.00", "refund_method": "card",
        "currency": "CNY", "exchange_sale": None,
        "lines": [{"part_number": "PADS", "location": "MAIN", "lot": first, "supplier": "S1", "quantity": "2.000",
                   "condition": "unused", "value": "1360.00"},
                  {"part_number": "PADS", "location": "MAIN", "lot": second, "supplier": "S1", "quantity": "1.000",
                   "condition": "faulty", "value": "680.00"}]}
    assert "张" not in json.dumps(event) and "1381234" not in json.dumps(event)

    # The same request again (a retry) is replayed, not applied twice.
    again = client.post(f"/api/v1/sales/{order['number']}/returns", json={
        "lines": [{"part_number": "PADS", "quantity": "2", "lot": first},
                  {"part_number": "PADS", "quantity": "1", "condition": "faulty"}],
        "reason": "wrong size", "refund": {"reference": "POS-R-1"}},
        headers={**desk.headers, **etag(done), "Idempotency-Key": "return-1"})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert len(desk.events("parts.sale.returned")) == 1 and desk.available("PADS") == 4


def test_a_return_of_more_than_was_sold_is_refused_by_its_field_and_nothing_is_applied(client, desk):
    first, second = two_lots(desk)
    done = sold(client, desk.headers)
    number = done.get_json()["number"]
    once = step(client, desk.headers, done, "returns", {"lines": [{"part_number": "PADS", "quantity": "3"}],
                                                        "refund": {"method": "cash"}})
    before = (lots(desk), sale_returns(client, desk), desk.events("parts.sale.returned"))

    def refused(body, status, field, code):
        answer = step(client, desk.headers, once, "returns", body, status=status)
        problem = answer.get_json()
        assert problem["code"] == code and field in (problem.get("field"), *problem.get("errors", {})), problem
        return problem

    # 3 of 5 came back already: a line of 3 more, or two lines of 2 and 1, is too many.
    over = refused({"lines": [{"part_number": "PADS", "quantity": "3"}], "refund": {"method": "cash"}},
                   422, "lines.0.quantity", "return_exceeds_sold")
    assert over["returnable"] == "2.000"
    refused({"lines": [{"part_number": "PADS", "quantity": "2"}, {"part_number": "PADS", "quantity": "1"}],
             "refund": {"method": "cash"}}, 422, "lines.1.quantity", "return_exceeds_sold")
    refused({"lines": [{"part_number": "PADS", "quantity": "1", "lot": second}], "refund": {"method": "cash"}},
            422, "lines.0.quantity", "return_exceeds_sold")  # the newer lot's 2 came back first
    refused({"lines": [{"part_number": "OIL", "quantity": "1"}]}, 422, "lines.0.part_number", "part_not_on_sale")
    refused({"lines": [{"part_number": "PADS", "quantity": "1", "condition": "used"}]}, 422, "lines.0.condition",
            "used_part_not_returnable")
    refused({"lines": [{"part_number": "PADS", "quantity": "1"}], "refund": {"method": "cash", "amount": "680.01"}},
            422, "refund.amount", "refund_exceeds_returned_value")
    refused({"lines": [{"part_number": "PADS", "quantity": "1"}]}, 422, "refund.reference",
            "refund_reference_required")
    refused({"lines": [{"part_number": "PADS", "quantity": "-1"}]}, 422, "lines.0.quantity", "validation_failed")
    refused({"lines": [{"part_number": "PADS", "quantity": "0.5"}], "refund": {"method": "cash"}}, 422,
            "lines.0.quantity", "quantity_too_precise")
    refused({"lines": [{"part_number": "PADS", "quantity": "1"}], "exchange": [{"part_number": "NOPE", "quantity": "1"}],
             "refund": {"method": "cash"}}, 404, "exchange.0.part_number", "part_not_found")
    refused({"lines": [{"part_number": "PADS", "quantity": "1"}], "exchange": [{"part_number": "PADS", "quantity": "9"}],
             "refund": {"method": "cash"}}, 409, "exchange.0.quantity", "insufficient_stock")
    stale = client.post(f"/api/v1/sales/{number}/returns", json={"lines": [{"part_number": "PADS", "quantity": "1"}]},
                        headers={**desk.headers, **etag(done)})
    assert (stale.status_code, stale.get_json()["code"]) == (412, "stale_version")
    assert (lots(desk), sale_returns(client, desk), desk.events("parts.sale.returned")) == before
    after = client.get(f"/api/v1/sales/{number}", headers=desk.headers)
    assert after.headers["ETag"] == once.headers["ETag"] and after.get_json()["refunded_amount"] == "2040.00"
    assert len(after.get_json()["returns"]) == 1
    assert step(client, desk.headers, once, "returns", {"lines": [{"part_number": "PADS", "quantity": "2"}],
                                                        "refund": {"method": "cash"}}).get_json()["refunded_amount"] == "3400.00"


def test_only_a_completed_sale_is_returned(client, desk, token):
    desk.receive(desk.line(quantity="6"))
    body = {"lines": [{"part_number": "PADS", "quantity": "1"}], "refund": {"method": "cash"}}
    small = a_sale(lines=[{"part_number": "PADS", "quantity": "1"}])
    cancelled = step(client, desk.headers, client.post("/api/v1/sales", json=small, headers=desk.headers), "cancel", {})
    assert step(client, desk.headers, cancelled, "returns", body, status=409).get_json()["code"] == "sale_cancelled"
    confirmed = step(client, desk.headers, client.post("/api/v1/sales", json=small, headers=desk.headers), "confirm")
    assert step(client, desk.headers, confirmed, "returns", body, status=409).get_json()["code"] == "sale_wrong_status"
    paid = step(client, desk.headers, confirmed, "payment", {"method": "cash", "amount": "680.00"})
    assert step(client, desk.headers, paid, "returns", body, status=409).get_json()["code"] == "sale_wrong_status"
    done = step(client, desk.headers, paid, "complete", {"invoice_number": "INV-2"})
    step(client, desk.headers, done, "returns", body)
    assert step(client, desk.headers, done, "returns", body, status=403,
                Authorization=token(["warranty_clerk"])["Authorization"]).get_json()["code"] == "forbidden"
    assert desk.available("PADS") == 6 and len(desk.events("parts.sale.returned")) == 1


def test_after_the_window_a_clerk_is_refused_and_a_manager_takes_it_back_giving_the_reason(
        client, desk, token, service, settings):
    first, _ = two_lots(desk)
    done = sold(client, desk.headers)
    number = done.get_json()["number"]
    later = datetime.now(timezone.utc) + timedelta(days=7, hours=1)  # the window is 7 days by default
    late_client = service.create_app(settings, clock=lambda: later).test_client()
    body = {"lines": [{"part_number": "PADS", "quantity": "1", "lot": first}], "refund": {"method": "cash"}}

    clerk = step(late_client, desk.headers, done, "returns", {**body, "reason": "was abroad"}, status=403)
    assert clerk.get_json()["code"] == "late_return_needs_manager"
    manager = token(["parts_manager"], sub="manager-wang")
    no_reason = step(late_client, manager, done, "returns", body, status=422)
    assert (no_reason.get_json()["code"], no_reason.get_json()["field"]) == ("late_return_reason_required", "reason")
    assert lots(desk).get(first) is None and desk.events("parts.sale.returned") == []

    taken = step(late_client, manager, done, "returns", {**body, "reason": "customer was abroad, box sealed"})
    [back] = taken.get_json()["returns"]
    assert (back["late"], back["returned_by"], back["reason"]) == (True, "manager-wang", "customer was abroad, box sealed")
    assert lots(desk)[first] == ("1.000", "0.000")
    [event] = desk.events("parts.sale.returned")
    assert (event["sale"], event["late"], event["refund_total"]) == (number, True, "680.00")


def test_an_exchange_takes_the_faulty_part_back_and_opens_the_replacement_order(client, desk):
    first, second = two_lots(desk)
    done = sold(client, desk.headers)
    exchanged = step(client, desk.headers, done, "returns", {
        "lines": [{"part_number": "PADS", "quantity": "1", "condition": "faulty"}],
        "exchange": [{"part_number": "PADS", "quantity": "1"}], "refund": {"method": "cash"}})
    [taken] = exchanged.get_json()["returns"]
    replacement = client.get(f"/api/v1/sales/{taken['exchange_sale']}", headers=desk.headers)
    order = replacement.get_json()
    assert (order["status"], order["exchange_of"], order["customer_name"], order["total"]) == (
        "confirmed", exchanged.get_json()["number"], "张三丰", "680.00")
    # The faulty set is blocked in its lot; the replacement is held from what is available.
    assert lots(desk) == {second: ("3.000", "1.000")}
    assert desk.available("PADS") == 1
    [event] = desk.events("parts.sale.returned")
    assert event["exchange_sale"] == order["number"]
    paid = step(client, desk.headers, replacement, "payment", {"method": "cash", "amount": "680.00"})
    assert step(client, desk.headers, paid, "complete", {"invoice_number": "INV-3"}).get_json()["status"] == "completed"
    assert lots(desk) == {second: ("2.000", "1.000")}


# ---------------------------------------------------------------- the broker, and two clerks at once


def a_counter(real_infra, service):
    settings = real_infra.settings(service)
    app = service.create_app(settings)
    client = app.test_client()
    headers = {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk-li", "D001", ["parts_manager"])}
    client.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=headers)
    client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True}, headers=headers)
    client.post("/api/v1/parts", json={"part_number": "FILTER", "name_en": "Oil filter", "category": "filters",
                                       "unit": "pcs", "source": "oem", "list_price": "58.00"}, headers=headers)
    lot = client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
        {"part_number": "FILTER", "quantity": "1", "unit_cost": "30.00", "location": "MAIN", "inspection": "passed"}]},
        headers=headers).get_json()["lines"][0]["lot"]
    done = sold(client, headers, a_sale(lines=[{"part_number": "FILTER", "quantity": "1"}]), amount="58.00")
    return settings, app, client, headers, lot, done


def test_the_return_reaches_the_broker(real_infra, service):
    settings, _, client, headers, lot, done = a_counter(real_infra, service)
    number = step(client, headers, done, "returns", {"lines": [{"part_number": "FILTER", "quantity": "1"}],
                                                     "refund": {"reference": "POS-R-9"}}).get_json()["number"]

    topology = broker.Topology(settings)
    queue = Queue(f"{real_infra.namespace}.returns-check", exchange=topology.events, routing_key="parts.sale.returned",
                  durable=False, auto_delete=False)
    received: list[dict] = []
    with broker.connect(settings) as connection:
        channel = connection.channel()
        topology.events(channel).declare()
        queue(channel).declare()
        database = Database(settings.database_url)
        try:
            with in_background(Relay(settings, database).run, "parts-relay"):
                wait_until(lambda: _unpublished(database) == 0, what="the outbox to empty")

            def collect(body, message):
                received.append(json.loads(body if isinstance(body, str) else body.decode("utf-8")))
                message.ack()

            with Consumer(channel, queues=[queue], callbacks=[collect], accept=None):
                wait_until(lambda: _drain(connection) or received, what="parts.sale.returned from the broker")
        finally:
            database.dispose()
            queue(channel).delete()
            topology.events(channel).delete()
    [envelope] = received
    assert (envelope["type"], envelope["subject"], envelope["data"]["sale"]) == ("parts.sale.returned", number, number)
    assert envelope["data"]["lines"] == [{"part_number": "FILTER", "location": "MAIN", "lot": lot, "supplier": "S1",
                                          "quantity": "1.000", "condition": "unused", "value": "58.00"}]
    assert envelope["data"]["refund_total"] == "58.00"


def test_two_clerks_returning_the_last_unit_at_once_take_it_back_once(real_infra, service):
    _, app, client, headers, lot, done = a_counter(real_infra, service)
    number = done.get_json()["number"]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def clerk_returns() -> None:
        own = app.test_client()
        start.wait()
        response = own.post(f"/api/v1/sales/{number}/returns", headers={**headers, **etag(done)},
                            json={"lines": [{"part_number": "FILTER", "quantity": "1"}], "refund": {"method": "cash"}})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=clerk_returns) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(statuses) in ([200, 412], [200, 422]), statuses
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        back = session.scalar(select(func.sum(Movement.on_hand_change)).where(Movement.kind == "sale_return"))
        events = session.scalar(select(func.count()).select_from(outbox).where(outbox.c.type == "parts.sale.returned"))
    assert (back, events) == (Decimal(1), 1)
    balances = client.get("/api/v1/stock?part_number=FILTER", headers=headers).get_json()["items"]
    assert [(b["lot"], b["on_hand"]) for b in balances] == [(lot, "1.000")]
    assert client.get(f"/api/v1/sales/{number}", headers=headers).get_json()["refunded_amount"] == "58.00"


def _unpublished(database: Database) -> int:
    with database.reading(ALL_DEALERS) as session:
        return session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))


def _drain(connection) -> bool:
    try:
        connection.drain_events(timeout=0.2)
    except (TimeoutError, OSError):
        pass
    return False
