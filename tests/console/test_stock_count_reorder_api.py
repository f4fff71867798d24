"""The Stock, Count and Reorder screens on the parts API's own answers, in Chromium: stock and
movements filtered by the service (state, location), the names and units a count sheet gets from
the count, the book kept from the clerk until the count posts while the manager sees each
difference's value, and the orders of several suppliers placed all together or not at all."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

PADS, FILTER, AIR = "04465-33450", "90915-YZZE1", "17801-21050"
NAMES = {PADS: ("前刹车片", "Front brake pads"), FILTER: ("机油滤清器", "Oil filter"), AIR: ("空气滤清器", "Air filter")}


@pytest.fixture
def lots(office) -> dict[tuple[str, str], str]:
    """Two stores with their bins, two qualified suppliers, three parts; the oil filters at MAIN
    wait for inspection. Returns each lot by (part, location)."""
    for code, name in (("GTMC", "广汽丰田配件中心"), ("HX", "华兴汽配")):
        office.post("parts", "/suppliers", "parts_manager", {"code": code, "name": name, "qualified": True})
    office.post("parts", "/locations", "parts_manager", {"code": "MAIN", "warehouse": "主仓库", "bin": "A-01"})
    office.post("parts", "/locations", "parts_manager", {"code": "BODY", "warehouse": "钣喷仓", "bin": "B-07"})
    for number, unit, price in ((PADS, "set", "680.00"), (FILTER, "pcs", "58.00"), (AIR, "pcs", "145.00")):
        name_zh, name_en = NAMES[number]
        office.post("parts", "/parts", "parts_clerk", {"part_number": number, "name_zh": name_zh, "name_en": name_en,
                                                       "category": "general", "unit": unit, "source": "oem",
                                                       "list_price": price})
    receipt = office.post("parts", "/receipts", "parts_clerk", {"supplier": "GTMC", "lines": [
        {"part_number": PADS, "quantity": "12", "unit_cost": "410.00", "location": "BODY", "inspection": "passed"},
        {"part_number": FILTER, "quantity": "2", "unit_cost": "31.00", "location": "MAIN", "inspection": "pending"},
        {"part_number": AIR, "quantity": "3", "unit_cost": "80.00", "location": "MAIN", "inspection": "passed"},
    ]})
    return {(line["part_number"], line["location"]): line["lot"] for line in receipt["lines"]}


def test_the_service_filters_the_stock_and_names_its_parts(desk, office, screenshot, lots):
    clerk = desk("demo-parts-clerk", locale="en")
    clerk.goto("/parts/stock?show=available")
    rows = clerk.locator("tbody tr[data-lot]")
    expect(rows).to_have_count(2)  # the pads and the air filters; the filters wait for inspection
    expect(clerk.locator(f"tr[data-lot='{lots[(AIR, 'MAIN')]}']")).to_contain_text("Air filter")
    screenshot(clerk, "stock-available-en")
    clerk.goto("/parts/stock?show=held")
    expect(rows).to_have_count(1)
    expect(clerk.locator(f"tr[data-lot='{lots[(FILTER, 'MAIN')]}']")).to_contain_text("Oil filter")

    clerk.goto("/parts/ledger")
    clerk.select_option("#location", "BODY")
    clerk.click("#find-movements")
    movements = clerk.locator("tbody tr[data-movement]")
    expect(movements).to_have_count(1)
    expect(movements.first).to_contain_text(lots[(PADS, "BODY")])
    assert [m["location"] for m in office.get("parts", "/ledger?location=BODY", "parts_clerk")["items"]] == ["BODY"]
    screenshot(clerk, "ledger-body-en")


def test_the_count_sheet_names_its_lines_and_the_book_stays_the_managers_until_it_posts(
        desk, office, screenshot, lots):
    clerk = desk("demo-parts-clerk")
    clerk.goto("/parts/counts")
    clerk.select_option("#location", "BODY")
    clerk.click("#open-count")
    clerk.wait_for_url(re.compile(r".*/parts/counts/CNT-[^/?]+$"))
    number = clerk.url.rsplit("/", 1)[1]
    line = clerk.locator("#line-0")
    expect(line).to_contain_text("前刹车片")
    expect(line).to_contain_text("套")  # the unit, as the count gives it
    expect(clerk.locator("tr.bin-head")).to_contain_text("B-07")

    clerk.fill("#lines-0-counted", "7")
    clerk.click("#submit-count")
    clerk.wait_for_url(re.compile(r".*done=awaiting_approval"))
    # Five sets short, worth 3,400: it waits for a manager, and the clerk sees no book figure.
    expect(clerk.locator(f"tr[data-lot='{lots[(PADS, 'BODY')]}'] .badge.safety")).to_have_count(1)
    assert clerk.locator("#count-result td.num").all_inner_texts() == ["7 套"]  # what was counted, no book of 12
    expect(clerk.locator("td.variance")).to_have_count(0)
    screenshot(clerk, "count-submitted-clerk")

    manager = desk("demo-parts-manager")
    manager.goto(f"/parts/counts/{number}")
    row = manager.locator(f"tr[data-part='{PADS}']")
    expect(row.locator("td.variance")).to_have_text("-5")
    expect(row.locator("td.value")).to_contain_text("3,400.00")
    [counted] = office.get("parts", f"/counts/{number}", "parts_manager")["lines"]
    assert (counted["value"], counted["unit_price"], counted["bin"]) == ("-3400.00", "680.00", "B-07")
    screenshot(manager, "count-value")


def test_the_orders_of_several_suppliers_are_placed_together_or_not_at_all(desk, office, screenshot, lots):
    for number in (AIR, FILTER):
        office.post("parts", "/reorder-rules", "parts_manager", {
            "part_number": number, "location": "MAIN", "safety_stock": "2", "reorder_point": "5", "max_stock": "20"},
            expect=200)
    suggested = {s["part_number"]: Decimal(s["quantity"])
                 for s in office.get("parts", "/reorder-suggestions?location=MAIN", "parts_manager")["items"]}
    manager = desk("demo-parts-manager")
    manager.goto("/parts/reorder")
    air, filters = (manager.locator(f"#reorder-form tr[data-part='{number}']") for number in (AIR, FILTER))
    expect(air).to_contain_text("空气滤清器")
    for row in (air, filters):
        row.locator("input[type=checkbox]").check()
    filters.locator("select").select_option("HX")

    # HX fails supplier review while the manager looks at the screen: nothing is ordered at all.
    hx = office.get("parts", "/suppliers/HX", "parts_manager")
    office.request("PATCH", "parts", "/suppliers/HX", "parts_manager", json_body={"qualified": False},
                   headers={"If-Match": f'"{hx["version"]}"'}).raise_for_status()
    manager.click("#place-orders")
    expect(manager.locator("#reorder-form .problem[role=alert]")).to_contain_text("HX")
    expect(filters.locator(".error")).to_be_visible()
    expect(air.locator(".error")).to_have_count(0)
    assert office.get("parts", "/purchase-orders", "parts_manager")["items"] == []
    screenshot(manager, "reorder-refused")

    # Another supplier for the filters, the same form posted again: both lines are ordered at once.
    filters.locator("select").select_option("GTMC")
    manager.click("#place-orders")
    manager.wait_for_url(re.compile(r".*/parts/purchase-orders\?placed=.*"))
    orders = office.get("parts", "/purchase-orders?status=open", "parts_manager")["items"]
    assert [(o["supplier"], sorted((x["part_number"], Decimal(x["quantity"])) for x in o["lines"])) for o in orders] == [
        ("GTMC", [(AIR, suggested[AIR]), (FILTER, suggested[FILTER])])]
    screenshot(manager, "reorder-placed")
