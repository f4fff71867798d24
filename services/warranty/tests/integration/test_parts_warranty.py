"""The parts warranty (配件保修) on parts sold over the counter: the parts service's sale gives
each part its warranty; the desk opens a case when the customer brings one back, assesses the
fault, repairs, replaces or refuses, and follows up. On PostgreSQL + RabbitMQ and embedded."""

from __future__ import annotations

import json

from kombu import Consumer, Queue
from sqlalchemy import func, select

from shared.db import ALL_DEALERS, Database
from shared.events import broker
from shared.events.relay import Relay
from shared.events.tables import outbox
from shared.testing import a_cloudevent, apply_event, in_background, wait_until

from warranty.handlers import parts_events

PADS = {"part_number": "BP-2231", "name_zh": "前刹车片", "name_en": "Front brake pads", "category": "brakes",
        "source": "oem", "safety_critical": True}
SALE = {
    "sale": "SO-20261125-0007", "customer_kind": "trade", "customer_id": "ACC-FLEET-9", "customer_group": "FLEET",
    "vin": "LVSHCAMB1CE054249", "invoice_number": "INV-7", "payment_method": "wechat_pay", "total": "1016.00",
    "currency": "CNY", "completed_at": "2026-11-24T17:30:00+00:00",  # 25 November in Beijing
    "lines": [
        {"part_number": "BP-2231", "location": "MAIN", "quantity": "3.000", "list_price": "320.00",
         "unit_price": "300.00", "price_source": "customer_group", "amount": "900.00",
         "lots": [{"lot": "LOT-HX-01", "supplier": "HX-AUTO", "quantity": "2.000"},
                  {"lot": "LOT-BO-02", "supplier": "BOSCH", "quantity": "1.000"}]},
        {"part_number": "FILTER-9", "location": "MAIN", "quantity": "2.000", "list_price": "58.00",
         "unit_price": "58.00", "price_source": "list_price", "amount": "116.00",
         "lots": [{"lot": "LOT-F-01", "supplier": "HX-AUTO", "quantity": "2.000"}]},
    ],
}
CLERK, MANAGER, COUNTER = ["warranty_clerk"], ["warranty_manager"], ["parts_clerk"]


def sold(settings, units, sale=SALE, **attributes):
    return apply_event(settings, units, parts_events.handlers,
                       a_cloudevent("parts.sale.completed", sale, subject=sale["sale"], **attributes))


def set_policy(client, token, policy, etag='"0"'):
    return client.put("/api/v1/parts-warranty/policy", json=policy,
                      headers={**token(MANAGER), "If-Match": etag})


def sold_parts(client, token, **query):
    response = client.get("/api/v1/parts-warranty/sold-parts", query_string=query, headers=token(COUNTER))
    assert response.status_code == 200, response.get_json()
    return {(p["part_number"], p["lot"]): p for p in response.get_json()["items"]}


def open_case(client, token, roles=CLERK, **overrides):
    body = {"sale": SALE["sale"], "part_number": "BP-2231", "lot": "LOT-HX-01", "quantity": "1",
            "report": "刹车时异响, 刹车片背板开裂", **overrides}
    return client.post("/api/v1/parts-warranty/cases", json=body, headers=token(roles))


def take(client, token, case, name, body, roles=CLERK):
    response = client.post(f"/api/v1/parts-warranty/cases/{case['number']}/{name}", json=body,
                           headers={**token(roles), "If-Match": f'"{case["version"]}"'})
    return response


def taken(client, token, case, name, body, roles=CLERK):
    response = take(client, token, case, name, body, roles)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def problem(response, status, code):
    body = response.get_json()
    assert (response.status_code, body["code"]) == (status, code), body
    return body


# ---------------------------------------------------------------- the sale and the policy


def test_each_sold_part_and_lot_gets_the_term_of_the_most_specific_rule(settings, units, client, token):
    apply_event(settings, units, parts_events.handlers, a_cloudevent("parts.part.created", PADS))
    policy = set_policy(client, token, {"default_months": 12, "rules": [
        {"category": "brakes", "months": 6}, {"category": "brakes", "supplier": "BOSCH", "months": 24}]})
    assert (policy.status_code, policy.headers["ETag"]) == (200, '"1"'), policy.get_json()
    assert sold(settings, units).applied
    parts = sold_parts(client, token, sale=SALE["sale"])
    assert {key: (p["months"], p["purchased_on"], p["expires_on"], p["quantity"], p["supplier"])
            for key, p in parts.items()} == {
        ("BP-2231", "LOT-HX-01"): (6, "2026-11-25", "2027-05-25", "2.000", "HX-AUTO"),
        ("BP-2231", "LOT-BO-02"): (24, "2026-11-25", "2028-11-25", "1.000", "BOSCH"),
        ("FILTER-9", "LOT-F-01"): (12, "2026-11-25", "2027-11-25", "2.000", "HX-AUTO"),  # not in the catalog yet
    }
    assert set(sold_parts(client, token, customer_id="ACC-FLEET-9", part_number="BP-2231")) == {
        ("BP-2231", "LOT-HX-01"), ("BP-2231", "LOT-BO-02")}


def test_a_policy_change_applies_to_later_sales_only(settings, units, client, token):
    sold(settings, units)
    set_policy(client, token, {"default_months": 3, "rules": []})
    sold(settings, units, sale={**SALE, "sale": "SO-LATER"})
    assert sold_parts(client, token, sale=SALE["sale"])[("FILTER-9", "LOT-F-01")]["months"] == 12
    assert sold_parts(client, token, sale="SO-LATER")[("FILTER-9", "LOT-F-01")]["months"] == 3


def test_the_same_sale_event_twice_records_the_warranty_once(settings, units, client, token):
    event = a_cloudevent("parts.sale.completed", SALE)
    assert apply_event(settings, units, parts_events.handlers, event).applied
    assert not apply_event(settings, units, parts_events.handlers, event).applied
    # The same sale again under another event id (a replay) adds nothing either.
    assert sold(settings, units).applied
    assert [p["quantity"] for p in sold_parts(client, token, sale=SALE["sale"]).values()] == ["2.000", "1.000",
                                                                                                "2.000"]


def test_a_sale_event_without_lines_is_dead_lettered(settings, units):
    outcome = sold(settings, units, sale={**SALE, "lines": []})
    assert outcome.dead_letter_reason == "invalid_data"


# ---------------------------------------------------------------- a case from report to follow-up


def test_a_supplier_defect_replaced_opens_a_recovery_against_the_lots_supplier(settings, units, client, token,
                                                                             events):
    sold(settings, units)
    opened = open_case(client, token, roles=COUNTER, quantity="2")
    assert opened.status_code == 201, opened.get_json()
    case = opened.get_json()
    assert (case["status"], case["supplier"], case["expires_on"], case["accepted_late"]) == (
        "open", "HX-AUTO", "2027-11-25", False)
    case = taken(client, token, case, "assess", {"fault": "defect", "findings": "背板开裂, 材料缺陷"})
    assert (case["status"], case["covered"], case["supplier_at_fault"]) == ("assessed", True, True)
    case = taken(client, token, case, "decide", {"outcome": "replace"})
    assert case["status"] == "decided"

    recovery = client.get(f"/api/v1/supplier-recoveries/{case['number']}", headers=token(MANAGER)).get_json()
    assert (recovery["supplier"], recovery["lot"], recovery["part_number"], recovery["amount"], recovery["vin"]) == (
        "HX-AUTO", "LOT-HX-01", "BP-2231", "600.00", SALE["vin"])
    [replacement] = events("warranty.parts_warranty.replacement_approved")
    assert replacement == {"case": case["number"], "sale": SALE["sale"], "part_number": "BP-2231",
                           "lot": "LOT-HX-01", "location": "MAIN", "quantity": "2.000", "supplier": "HX-AUTO"}

    case = taken(client, token, case, "complete", {"note": "换新件交付"})
    case = taken(client, token, case, "follow-up", {"satisfaction": 5, "note": "满意"})
    assert (case["status"], case["satisfaction"]) == ("closed", 5)
    [closed] = events("warranty.parts_warranty.case_closed")
    assert (closed["outcome"], closed["covered"], closed["supplier_recovery"]) == ("replace", True, True)
    [report] = client.get("/api/v1/parts-warranty/reports/by-supplier", headers=token(MANAGER)).get_json()["items"]
    assert report == {"supplier": "HX-AUTO", "cases": 1, "covered": 1, "repaired": 0, "replaced": 1, "refused": 0,
                      "open": 0, "satisfaction": 5.0}


def test_wear_is_refused_with_a_reason_and_opens_no_recovery(settings, units, client, token, events):
    sold(settings, units)
    case = open_case(client, token, quantity="2").get_json()
    case = taken(client, token, case, "assess", {"fault": "wear", "findings": "磨损到限位"})
    problem(take(client, token, case, "decide", {"outcome": "refuse"}), 422, "parts_warranty_reason_required")
    problem(take(client, token, case, "decide", {"outcome": "repair"}), 422, "parts_warranty_decision_needs_override")
    case = taken(client, token, case, "decide", {"outcome": "refuse", "reason": "正常磨损, 不在保修范围"})
    assert client.get(f"/api/v1/supplier-recoveries/{case['number']}", headers=token(MANAGER)).status_code == 404
    assert events("warranty.parts_warranty.replacement_approved") == []
    # A refusal gives the quantity back: the part may be brought again.
    assert sold_parts(client, token, sale=SALE["sale"])[("BP-2231", "LOT-HX-01")]["in_cases"] == "0.000"
    listed = client.get("/api/v1/parts-warranty/cases", query_string={"status": "decided", "supplier": "HX-AUTO"},
                        headers=token(CLERK)).get_json()["items"]
    assert [c["number"] for c in listed] == [case["number"]]


def test_a_manager_may_override_the_assessment_with_a_reason(settings, units, client, token):
    sold(settings, units)
    case = open_case(client, token).get_json()
    case = taken(client, token, case, "assess", {"fault": "third_party_fitting", "findings": "外修厂安装错误"})
    case = taken(client, token, case, "decide", {"outcome": "repair", "reason": "大客户, 善意维修",
                                                 "repair_cost": "80.00"}, roles=MANAGER)
    assert (case["outcome"], case["overridden"]) == ("repair", True)


# ---------------------------------------------------------------- out of warranty


def test_out_of_warranty_is_refused_for_a_clerk_and_accepted_by_a_manager_with_a_reason(settings, units, client,
                                                                                        token, events):
    sold(settings, units, sale={**SALE, "completed_at": "2025-06-01T02:00:00+00:00"})
    refused = problem(open_case(client, token, override_reason="老客户"), 422, "parts_warranty_expired")
    assert (refused["expires_on"], refused["field"]) == ("2026-06-01", "part_number")
    problem(open_case(client, token, roles=MANAGER), 422, "parts_warranty_expired")
    assert events("warranty.parts_warranty.case_opened") == []
    accepted = open_case(client, token, roles=MANAGER, override_reason="超期5个月, 质量问题明显, 经理同意")
    assert accepted.status_code == 201, accepted.get_json()
    assert (accepted.get_json()["accepted_late"], accepted.get_json()["late_reason"]) == (
        True, "超期5个月, 质量问题明显, 经理同意")
    [opened] = events("warranty.parts_warranty.case_opened")
    assert (opened["accepted_late"], opened["expires_on"]) == (True, "2026-06-01")


# ---------------------------------------------------------------- bad input, nothing half-applied


def test_bad_input_gets_problem_details_naming_the_field_and_changes_nothing(settings, units, client, token, events):
    sold(settings, units)
    assert problem(open_case(client, token, sale="SO-NOPE"), 422, "parts_warranty_sale_unknown")["field"] == "sale"
    assert problem(open_case(client, token, part_number="XX-1"), 422,
                   "parts_warranty_sale_unknown")["field"] == "part_number"
    assert problem(open_case(client, token, lot="LOT-BO-02", part_number="FILTER-9"), 422,
                   "parts_warranty_sale_unknown")["field"] == "lot"
    assert problem(open_case(client, token, quantity="3"), 422,
                   "parts_warranty_quantity_exceeds_sold")["field"] == "quantity"
    for quantity in ("0", "-1", 1, "1.0001"):
        assert "quantity" in open_case(client, token, quantity=quantity).get_json()["errors"]
    assert "report" in open_case(client, token, report="").get_json()["errors"]
    assert events("warranty.parts_warranty.case_opened") == []
    assert client.get("/api/v1/parts-warranty/cases", headers=token(CLERK)).get_json()["items"] == []

    case = open_case(client, token).get_json()
    assert "fault" in take(client, token, case, "assess", {"fault": "bad_luck", "findings": "x"}).get_json()["errors"]
    no_etag = client.post(f"/api/v1/parts-warranty/cases/{case['number']}/assess",
                          json={"fault": "defect", "findings": "x"}, headers=token(CLERK))
    assert no_etag.status_code == 428
    problem(take(client, token, {**case, "version": 7}, "assess", {"fault": "defect", "findings": "x"}), 412,
            "stale_version")
    problem(take(client, token, case, "follow-up", {"satisfaction": 4}), 409, "parts_warranty_step_not_allowed")
    assert take(client, token, case, "assess", {"fault": "defect", "findings": "x"}, roles=COUNTER).status_code == 403
    case = taken(client, token, case, "assess", {"fault": "defect", "findings": "x"})
    case = taken(client, token, case, "decide", {"outcome": "repair", "repair_cost": "50.00"})
    case = taken(client, token, case, "complete", {})
    for satisfaction in (0, 6, "5"):
        assert "satisfaction" in take(client, token, case, "follow-up",
                                      {"satisfaction": satisfaction}).get_json()["errors"]
    assert client.get(f"/api/v1/parts-warranty/cases/{case['number']}", headers=token(CLERK)).get_json()[
        "satisfaction"] is None
    problem(client.get("/api/v1/parts-warranty/cases/PW-NOPE", headers=token(CLERK)), 404,
            "parts_warranty_case_not_found")
    problem(client.get("/api/v1/parts-warranty/reports/by-supplier", query_string={"from": "2026-12-01",
                                                                                  "to": "2026-11-01"},
                       headers=token(MANAGER)), 422, "report_period_invalid")
    for path in ("/api/v1/parts-warranty/reports/by-supplier", "/api/v1/parts-warranty/cases"):
        # A day's start in Beijing is the day before in UTC: year 1 would overflow datetime.
        year_one = client.get(path, query_string={"from": "0001-01-01", "to": "0001-01-02"}, headers=token(MANAGER))
        assert year_one.status_code == 422 and year_one.get_json()["errors"].keys() == {"from", "to"}


def test_a_bad_policy_is_refused_and_the_old_one_stays(client, token):
    assert set_policy(client, token, {"default_months": 12, "rules": [{"months": 6}]}).get_json()["field"] == "rules.0"
    assert "default_months" in set_policy(client, token, {"default_months": 0}).get_json()["errors"]
    assert "rules.0.category" in set_policy(client, token, {"default_months": 12, "rules": [
        {"category": "Brakes!", "months": 6}]}).get_json()["errors"]
    assert set_policy(client, token, {"default_months": 12}, etag='"3"').status_code == 412
    assert client.put("/api/v1/parts-warranty/policy", json={"default_months": 6},
                      headers={**token(CLERK), "If-Match": '"0"'}).status_code == 403
    policy = client.get("/api/v1/parts-warranty/policy", headers=token(CLERK))
    assert (policy.get_json()["default_months"], policy.get_json()["rules"], policy.headers["ETag"]) == (12, [], '"0"')


# ---------------------------------------------------------------- the exchange reaches the broker


def test_the_approved_replacement_reaches_the_broker(real_infra, service):
    from shared.auth import mint

    settings = real_infra.settings(service)
    app = service.create_app(settings)
    client = app.test_client()
    units = service.units_of_work(settings)

    def token(roles):
        return {"Authorization": "Bearer " + mint(settings.jwt_secret, "clerk-zhao", "D001", roles)}

    sold(settings, units)
    case = open_case(client, token).get_json()
    case = taken(client, token, case, "assess", {"fault": "defect", "findings": "开裂"})
    case = taken(client, token, case, "decide", {"outcome": "replace"})

    topology = broker.Topology(settings)
    queue = Queue(f"{real_infra.namespace}.parts-warranty-check", exchange=topology.events,
                  routing_key="warranty.parts_warranty.#", durable=False, auto_delete=False)
    received: list[tuple[dict, str]] = []
    with broker.connect(settings) as connection:
        channel = connection.channel()
        topology.events(channel).declare()
        queue(channel).declare()
        database = Database(settings.database_url)
        try:
            with in_background(Relay(settings, database).run, "warranty-relay"):
                wait_until(lambda: _unpublished(database) == 0, what="the outbox to empty")

            def collect(body, message):
                received.append((json.loads(body if isinstance(body, str) else body.decode("utf-8")),
                                 message.delivery_info.get("routing_key")))
                message.ack()

            with Consumer(channel, queues=[queue], callbacks=[collect], accept=None):
                wait_until(lambda: _drain(connection) or len(received) >= 2, what="the case's events from the broker")
        finally:
            database.dispose()
            queue(channel).delete()
            topology.events(channel).delete()
    by_type = {envelope["type"]: (envelope, key) for envelope, key in received}
    envelope, key = by_type["warranty.parts_warranty.replacement_approved"]
    assert (key, envelope["subject"], envelope["dealer"]) == (
        "warranty.parts_warranty.replacement_approved", case["number"], "D001")
    assert envelope["data"] == {"case": case["number"], "sale": SALE["sale"], "part_number": "BP-2231",
                                "lot": "LOT-HX-01", "location": "MAIN", "quantity": "1.000", "supplier": "HX-AUTO"}
    assert "warranty.parts_warranty.case_opened" in by_type


def _unpublished(database: Database) -> int:
    with database.reading(ALL_DEALERS) as session:
        return session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))


def _drain(connection) -> bool:
    try:
        connection.drain_events(timeout=0.2)
    except (TimeoutError, OSError):
        pass
    return False
