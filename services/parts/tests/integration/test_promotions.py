"""Price lists, promotions and the sales reports through the API, on a counter whose clock the
test moves from day to day (the dealer's dates are Beijing's): a sale in a promotion's period
gets its price and after it the list price; a customer group's price and a promotion do not
stack unless the promotion says so; the reports add up to figures computed by hand; bad input
is refused naming the field, with nothing written."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

# Noon in Greenwich is 20:00 the same day in Beijing.
DAY = {day: datetime(2026, 12, day, 12, tzinfo=timezone.utc) for day in range(1, 32)}


@pytest.fixture
def counter(service, settings, token):
    """The parts counter with a clock the test sets: a location, a supplier, pads (brakes, list
    680.00) and oil (fluids, list 96.00), and a manager's and a clerk's headers."""
    now = [DAY[1]]
    client = service.create_app(settings, clock=lambda: now[0]).test_client()
    manager, clerk = token(["parts_manager"]), token(["parts_clerk"], sub="clerk-li")
    assert client.post("/api/v1/locations", json={"code": "MAIN", "warehouse": "Main"}, headers=manager).status_code == 201
    assert client.post("/api/v1/suppliers", json={"code": "S1", "name": "S1", "qualified": True},
                       headers=manager).status_code == 201
    for number, category, unit, price in (("PADS", "brakes", "set", "680.00"), ("OIL", "fluids", "L", "96.00")):
        assert client.post("/api/v1/parts", json={"part_number": number, "name_en": number, "category": category,
                                                  "unit": unit, "source": "oem", "list_price": price},
                           headers=clerk).status_code == 201

    class Counter:
        def __init__(self):
            self.client, self.manager, self.clerk = client, manager, clerk

        def on(self, moment):
            now[0] = moment

        def receive(self, part, quantity, unit_cost):
            answer = client.post("/api/v1/receipts", json={"supplier": "S1", "lines": [
                {"part_number": part, "quantity": quantity, "unit_cost": unit_cost, "location": "MAIN",
                 "inspection": "passed"}]}, headers=clerk)
            assert answer.status_code == 201, answer.get_json()
            return answer.get_json()["lines"][0]["lot"]

        def draft(self, *lines, status=201, **extra):
            body = {"customer_kind": "walk_in", **extra,
                    "lines": [{"part_number": part, "quantity": quantity, **more} for part, quantity, *more_ in
                              lines for more in [more_[0] if more_ else {}]]}
            answer = client.post("/api/v1/sales", json=body, headers=clerk)
            assert answer.status_code == status, answer.get_json()
            return answer

        def sell(self, *lines, **extra):
            """Draft, confirm, pay and complete: the order as handed over."""
            answer = self.draft(*lines, **extra)
            for action, body in (("confirm", None), ("payment", "pay"), ("complete", {"invoice_number": "INV-1"})):
                if body == "pay":
                    body = {"method": "cash", "amount": answer.get_json()["total"]}
                answer = client.post(f"/api/v1/sales/{answer.get_json()['number']}/{action}", json=body,
                                     headers={**clerk, "If-Match": answer.headers["ETag"]})
                assert answer.status_code == 200, answer.get_json()
            return answer.get_json()

        def promotion(self, status=201, **body):
            answer = client.post("/api/v1/promotions", json=body, headers=manager)
            assert answer.status_code == status, answer.get_json()
            return answer

        def get(self, url, **query):
            answer = client.get(url, query_string=query, headers=manager)
            assert answer.status_code == 200, answer.get_json()
            return answer.get_json()

    return Counter()


def priced(line: dict) -> tuple:
    return line["price_source"], line["unit_price"], line["promotion"], line["free_quantity"], line["amount"]


def test_a_sale_in_the_promotions_period_gets_its_price_and_after_it_the_list_price(counter):
    counter.promotion(code="WINTER", name="冬季刹车片促销", starts_on="2026-12-05", ends_on="2026-12-10",
                      categories=["brakes"], rule="percent_off", percent_off="20")
    counter.promotion(code="OIL3", name="机油买三付二", starts_on="2026-12-05", ends_on="2026-12-31",
                      part_numbers=["OIL"], rule="buy_n", buy_quantity=3)

    counter.on(DAY[4])  # the day before: nothing runs yet
    before = counter.draft(("PADS", "1")).get_json()["lines"][0]
    assert priced(before) == ("list_price", "680.00", None, "0.000", "680.00")
    early = counter.draft(("PADS", "1", {"promotion": "WINTER"}), status=422).get_json()
    assert (early["code"], early["field"]) == ("promotion_not_applicable", "lines.0.promotion")

    counter.on(datetime(2026, 12, 4, 17, tzinfo=timezone.utc))  # 01:00 on the 5th in Beijing: it runs
    during = counter.draft(("PADS", "2"), ("OIL", "7")).get_json()
    assert [priced(line) for line in during["lines"]] == [
        ("promotion:WINTER", "544.00", "WINTER", "0.000", "1088.00"),
        ("promotion:OIL3", "96.00", "OIL3", "2.000", "480.00")]  # 5 of 7 litres charged
    assert during["total"] == "1568.00"

    counter.on(DAY[11])  # the day after it ended: the list price, and asking for it is refused
    after = counter.draft(("PADS", "1")).get_json()["lines"][0]
    assert priced(after) == ("list_price", "680.00", None, "0.000", "680.00")
    drafts = len(counter.get("/api/v1/sales", limit=100)["items"])
    expired = counter.draft(("OIL", "3"), ("PADS", "1", {"promotion": "WINTER"}), status=422).get_json()
    assert (expired["code"], expired["field"]) == ("promotion_not_applicable", "lines.1.promotion")
    assert "expired on 2026-12-10" in expired["detail"]
    assert len(counter.get("/api/v1/sales", limit=100)["items"]) == drafts  # nothing half-written

    # Ended early by a manager: from that moment it prices nothing.
    oil = counter.get("/api/v1/promotions/OIL3")
    ended = counter.client.post("/api/v1/promotions/OIL3/end", headers={**counter.manager, "If-Match": f'"{oil["version"]}"'})
    assert ended.status_code == 200, ended.get_json()
    assert (ended.get_json()["status"], ended.get_json()["last_day"]) == ("ended", "2026-12-11")
    assert priced(counter.draft(("OIL", "3")).get_json()["lines"][0])[0] == "list_price"
    again = counter.client.post("/api/v1/promotions/OIL3/end", headers={**counter.manager, "If-Match": ended.headers["ETag"]})
    assert (again.status_code, again.get_json()["code"]) == (409, "promotion_ended")


def test_a_groups_own_price_and_a_promotion_do_not_stack_unless_it_says_so(counter):
    client, manager = counter.client, counter.manager
    group = client.post("/api/v1/customer-groups", json={"code": "GARAGE", "name": "合作修理厂",
                                                         "discount_percent": "10"}, headers=manager)
    no_match = client.put("/api/v1/customer-groups/GARAGE/prices/PADS", json={"price": "600.00"}, headers=manager)
    assert no_match.status_code == 428
    stale = client.put("/api/v1/customer-groups/GARAGE/prices/PADS", json={"price": "600.00"},
                       headers={**manager, "If-Match": '"99"'})
    assert stale.status_code == 412
    set_price = client.put("/api/v1/customer-groups/GARAGE/prices/PADS", json={"price": "600.00"},
                           headers={**manager, "If-Match": group.headers["ETag"]})
    assert set_price.status_code == 200, set_price.get_json()
    assert set_price.headers["ETag"] != group.headers["ETag"]
    listed = counter.get("/api/v1/customer-groups/GARAGE/prices")
    assert [(p["part_number"], p["price"]) for p in listed["items"]] == [("PADS", "600.00")]

    counter.promotion(code="PADS5", name="刹车片九五折", starts_on="2026-12-01", ends_on="2026-12-31",
                      part_numbers=["PADS"], rule="percent_off", percent_off="5")
    counter.on(DAY[7])
    lines = counter.draft(("PADS", "1"), ("OIL", "1"), customer_group="GARAGE").get_json()["lines"]
    # The group's own price (600.00) beats 5% off list (646.00); oil gets the group's 10%.
    assert [priced(line) for line in lines] == [("group_price", "600.00", None, "0.000", "600.00"),
                                                ("customer_group", "86.40", None, "0.000", "86.40")]
    walk_in = counter.draft(("PADS", "1")).get_json()["lines"][0]
    assert priced(walk_in) == ("promotion:PADS5", "646.00", "PADS5", "0.000", "646.00")

    promotion = counter.get("/api/v1/promotions/PADS5")
    stacked = client.patch("/api/v1/promotions/PADS5", json={"stacks_with_group": True},
                           headers={**manager, "If-Match": f'"{promotion["version"]}"'})
    assert stacked.status_code == 200, stacked.get_json()
    line = counter.draft(("PADS", "1"), customer_group="GARAGE").get_json()["lines"][0]
    assert priced(line) == ("promotion:PADS5", "570.00", "PADS5", "0.000", "570.00")  # 600.00 less 5%

    current = counter.get("/api/v1/customer-groups/GARAGE")
    removed = client.delete("/api/v1/customer-groups/GARAGE/prices/PADS",
                            headers={**manager, "If-Match": f'"{current["version"]}"'})
    assert (removed.status_code, removed.get_json()["items"]) == (200, [])
    line = counter.draft(("PADS", "1"), customer_group="GARAGE").get_json()["lines"][0]
    assert priced(line) == ("promotion:PADS5", "581.40", "PADS5", "0.000", "581.40")  # 612.00 less 5%
    gone = client.delete("/api/v1/customer-groups/GARAGE/prices/PADS", headers={**manager, "If-Match": removed.headers["ETag"]})
    assert (gone.status_code, gone.get_json()["code"]) == (404, "group_price_not_found")


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"ends_on": "2026-12-04"}, "promotion_period_reversed", "ends_on"),
    ({"percent_off": "100"}, "promotion_rule_invalid", "percent_off"),
    ({"percent_off": "0"}, "promotion_rule_invalid", "percent_off"),
    ({"rule": "fixed_price", "fixed_price": "0"}, "promotion_rule_invalid", "fixed_price"),
    ({"rule": "buy_n"}, "promotion_rule_invalid", "buy_quantity"),
    ({"part_numbers": ["PADS", "NOPE"]}, "promotion_scope_unknown", "part_numbers.1"),
    ({"categories": ["tyres"]}, "promotion_scope_unknown", "categories.0"),
    ({"part_numbers": []}, "promotion_scope_empty", "part_numbers"),
])
def test_a_promotion_that_could_not_be_applied_is_refused_naming_the_field_and_nothing_is_written(
        counter, change, code, field):
    body = {"name": "bad", "starts_on": "2026-12-05", "ends_on": "2026-12-10", "part_numbers": ["PADS"],
            "rule": "percent_off", "percent_off": "10"}
    refused = counter.promotion(status=422, code="BAD", **{**body, **change}).get_json()
    assert (refused["code"], refused["field"]) == (code, field)
    assert counter.get("/api/v1/promotions")["items"] == []
    # A change to a good one is checked the same way, and leaves it as it was.
    good = counter.promotion(code="GOOD", **body)
    before = good.get_json()
    patched = counter.client.patch("/api/v1/promotions/GOOD", json=change,
                                   headers={**counter.manager, "If-Match": good.headers["ETag"]})
    assert (patched.status_code, patched.get_json()["code"], patched.get_json()["field"]) == (422, code, field)
    assert counter.get("/api/v1/promotions/GOOD") == before


def test_the_sales_report_adds_up_to_the_lots_cost_and_the_returns_report_to_what_came_back(counter):
    client, manager = counter.client, counter.manager
    client.post("/api/v1/customer-groups", json={"code": "GARAGE", "name": "Garages", "discount_percent": "10"},
                headers=manager)
    cheap = counter.receive("PADS", "2", "400.00")
    counter.on(DAY[2])  # a later delivery: first in, first out
    counter.receive("PADS", "5", "420.00")
    counter.receive("OIL", "50", "60.00")

    counter.on(DAY[3])  # 3 pads FIFO: 2 at 400.00 and 1 at 420.00; 10 L of oil at 60.00
    first = counter.sell(("PADS", "3"), ("OIL", "10"))
    assert [lot["lot"] for lot in first["lines"][0]["lots"]][0] == cheap
    counter.on(datetime(2026, 12, 3, 17, tzinfo=timezone.utc))  # 01:00 on the 4th in Beijing
    counter.sell(("PADS", "1"), customer_kind="trade", customer_account="ACC-1", customer_group="GARAGE")
    counter.on(DAY[9])  # outside the report's period
    counter.sell(("OIL", "1"))

    by_day = counter.get("/api/v1/reports/sales", **{"from": "2026-12-01", "to": "2026-12-05", "group_by": "day"})
    figures = lambda item: (item["key"], item["orders"], item["quantity"], item["revenue"], item["cost"],  # noqa: E731
                            item["margin"], item["margin_percent"])
    # 3 x 680 + 10 x 96 = 3000.00 at 2 x 400 + 420 + 10 x 60 = 1820.00; 612.00 (10% off) at 420.00.
    assert [figures(item) for item in by_day["items"]] == [
        ("2026-12-03", 1, "13.000", "3000.00", "1820.00", "1180.00", "39.3"),
        ("2026-12-04", 1, "1.000", "612.00", "420.00", "192.00", "31.4")]
    assert figures({"key": None, **by_day["total"]}) == (None, 2, "14.000", "3612.00", "2240.00", "1372.00", "38.0")
    by_category = counter.get("/api/v1/reports/sales", **{"from": "2026-12-01", "to": "2026-12-05",
                                                         "group_by": "category"})
    assert [figures(item) for item in by_category["items"]] == [
        ("brakes", 2, "4.000", "2652.00", "1640.00", "1012.00", "38.2"),
        ("fluids", 1, "10.000", "960.00", "600.00", "360.00", "37.5")]
    by_group = counter.get("/api/v1/reports/sales", **{"from": "2026-12-01", "to": "2026-12-05",
                                                      "group_by": "customer_group"})
    assert [(item["key"], item["revenue"]) for item in by_group["items"]] == [("GARAGE", "612.00"), (None, "3000.00")]
    bad = client.get("/api/v1/reports/sales", query_string={"from": "2026-12-05", "to": "2026-12-01"}, headers=manager)
    assert (bad.status_code, bad.get_json()["code"]) == (422, "validation_failed")

    counter.on(DAY[5])
    returned = client.post(f"/api/v1/sales/{first['number']}/returns", json={
        "lines": [{"part_number": "PADS", "quantity": "1", "condition": "faulty"},
                  {"part_number": "OIL", "quantity": "2"}], "reason": "wrong size"},
        headers={**counter.clerk, "If-Match": f'"{first["version"]}"'})
    assert returned.status_code == 200, returned.get_json()
    report = counter.get("/api/v1/reports/sale-returns", **{"from": "2026-12-05", "to": "2026-12-05"})
    assert (report["count"], report["quantity"], report["value"], report["refunded"]) == (
        1, "3.000", "872.00", "872.00")  # 680.00 + 2 x 96.00
    assert report["by_reason"] == [{"reason": "wrong size", "count": 1, "quantity": "3.000", "refunded": "872.00"}]
    assert report["by_condition"] == [{"condition": "faulty", "quantity": "1.000", "value": "680.00"},
                                      {"condition": "unused", "quantity": "2.000", "value": "192.00"}]
    assert counter.get("/api/v1/reports/sale-returns", **{"from": "2026-12-06", "to": "2026-12-31"})["count"] == 0


def test_a_promotions_effect_is_its_sales_against_as_many_days_right_before(counter):
    counter.receive("PADS", "20", "400.00")
    counter.receive("OIL", "20", "60.00")
    counter.promotion(code="WINTER", name="冬季", starts_on="2026-12-05", ends_on="2026-12-06",
                      categories=["brakes"], rule="percent_off", percent_off="10")
    for day, pads in ((2, "1"), (3, "1"), (4, "2"), (5, "3"), (6, "2"), (7, "4")):
        counter.on(DAY[day])
        counter.sell(("PADS", pads), ("OIL", "1"))  # oil is not in its scope
    effect = counter.get("/api/v1/promotions/WINTER/effect")
    period = lambda side: (side["from"], side["to"], side["quantity"], side["revenue"], side["cost"],  # noqa: E731
                           side["margin"])
    # During (5th, 6th): 5 pads at 612.00 cost 400.00. Before (3rd, 4th): 3 at 680.00.
    assert effect["days"] == 2
    assert period(effect["during"]) == ("2026-12-05", "2026-12-06", "5.000", "3060.00", "2000.00", "1060.00")
    assert effect["during"]["at_promotion_price"] == "5.000"
    assert period(effect["before"]) == ("2026-12-03", "2026-12-04", "3.000", "2040.00", "1200.00", "840.00")
    assert effect["change_percent"] == {"quantity": "66.7", "revenue": "50.0", "margin": "26.2"}
    missing = counter.client.get("/api/v1/promotions/NOPE/effect", headers=counter.manager)
    assert (missing.status_code, missing.get_json()["code"]) == (404, "promotion_not_found")


@pytest.mark.parametrize("path", ["/api/v1/reports/sales", "/api/v1/reports/sale-returns",
                                  "/api/v1/reports/supplier-quality"])
def test_a_period_in_the_year_1_is_refused_naming_its_day_not_a_500(counter, path):
    # A day's start in Beijing is 16:00 the day before in UTC: year 1 would overflow datetime.
    answer = counter.client.get(path, query_string={"from": "0001-01-01", "to": "0001-01-12"},
                                headers=counter.manager)
    assert answer.status_code == 422
    assert answer.get_json()["errors"].keys() == {"from", "to"}
