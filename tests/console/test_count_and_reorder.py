"""The counter's Count (盘点) and Reorder (补货) screens in Chromium, against the whole stack.

A clerk counts the body-shop store blind on a tablet: no book quantity anywhere on the sheet,
nor on the quote or stock screens while the count is open (a manager still sees them). The
large difference waits for the parts manager, who approves it, and the stock moves. The
manager then sets a reorder rule, turns the suggestion into a purchase order, and cancels
another order; the parts API shows each outcome.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

PADS, FILTER, AIR = "04465-33450", "90915-YZZE1", "17801-21050"
SUPPLIER = "GTMC"
ON_HAND = "4321"  # the pads' book quantity at BODY: the clerk must never see it while counting
TABLET = {"width": 800, "height": 1280}


@pytest.fixture
def lots(office) -> dict[str, str]:
    """Two stores, one supplier, three parts; pads and oil filters in the body-shop store,
    a few pads and air filters in the main store. Returns the lot of each line at BODY."""
    office.post("parts", "/suppliers", "parts_manager",
                {"code": SUPPLIER, "name": "广汽丰田配件中心", "qualified": True, "lead_time_days": 3})
    office.post("parts", "/locations", "parts_manager", {"code": "MAIN", "warehouse": "主仓库", "bin": "A-01"})
    office.post("parts", "/locations", "parts_manager", {"code": "BODY", "warehouse": "钣喷仓", "bin": "B-01"})
    for number, name, unit, price in ((PADS, "前刹车片", "set", "680.00"), (FILTER, "机油滤清器", "pcs", "58.00"),
                                      (AIR, "空气滤清器", "pcs", "145.00")):
        office.post("parts", "/parts", "parts_clerk",
                    {"part_number": number, "name_zh": name, "category": "brakes" if number == PADS else "filters",
                     "unit": unit, "source": "oem", "list_price": price})
    receipt = office.post("parts", "/receipts", "parts_clerk", {"supplier": SUPPLIER, "delivery_note": "DN-1", "lines": [
        {"part_number": PADS, "quantity": ON_HAND, "unit_cost": "410.00", "location": "BODY", "inspection": "passed"},
        {"part_number": FILTER, "quantity": "55", "unit_cost": "31.00", "location": "BODY", "inspection": "passed"},
        {"part_number": PADS, "quantity": "6", "unit_cost": "410.00", "location": "MAIN", "inspection": "passed"},
        {"part_number": AIR, "quantity": "3", "unit_cost": "80.00", "location": "MAIN", "inspection": "passed"},
    ]})
    return {line["part_number"]: line["lot"] for line in receipt["lines"] if line["location"] == "BODY"}


def test_count_blind_approve_and_reorder(desk, office, screenshot, lots):
    clerk = desk("demo-parts-clerk")

    # The clerk opens a count of the body-shop store and gets its blind sheet.
    clerk.goto("/parts/counts")
    screenshot(clerk, "counts")
    clerk.select_option("#location", "BODY")
    clerk.click("#open-count")
    clerk.wait_for_url(re.compile(r".*/parts/counts/CNT-[^/?]+$"))
    number = clerk.url.rsplit("/", 1)[1]
    count = office.get("parts", f"/counts/{number}", "parts_manager")
    assert (count["status"], sorted((line["part_number"], line["lot"]) for line in count["lines"])) == (
        "counting", sorted((part, lot) for part, lot in lots.items()))
    assert_no_book_figure(clerk)
    expect(clerk.locator("input.count-input")).to_have_count(2)
    screenshot(clerk, "count-sheet")

    # On the tablet: scanning the pads' lot jumps to its line; the figure is saved with Enter.
    clerk.set_viewport_size(TABLET)
    scan(clerk, lots[PADS].lower())
    pads = clerk.locator(f"input[data-codes^='{lots[PADS]} ']")
    expect(pads).to_be_focused()
    clerk.keyboard.type("4300")
    clerk.keyboard.press("Enter")
    expect(clerk.locator("#saved")).to_be_visible()
    expect(clerk.locator("#scan")).to_be_focused()
    assert counted(office, number) == {PADS: Decimal("4300"), FILTER: None}
    screenshot(clerk, "count-sheet-tablet")

    # Counted again (scanned by part number, hyphen left out): the new figure replaces the first.
    scan(clerk, PADS.replace("-", ""))
    expect(pads).to_be_focused()
    clerk.keyboard.type("4316")
    clerk.keyboard.press("Enter")
    expect(clerk.locator("#scan")).to_be_focused()  # the sheet came back saved, ready for the next scan
    assert counted(office, number) == {PADS: Decimal("4316"), FILTER: None}
    assert_no_book_figure(clerk)

    # While the count is open, the clerk sees no book quantity of BODY on the quote or stock screen.
    clerk.set_viewport_size({"width": 1366, "height": 900})
    quote(clerk, PADS)
    assert_no_book_figure(clerk)
    screenshot(clerk, "quote-while-counting")
    clerk.goto("/parts/stock?location=BODY")
    assert_no_book_figure(clerk)
    screenshot(clerk, "stock-while-counting")
    manager = desk("demo-parts-manager")
    quote(manager, PADS)
    expect(manager.locator("#quote-form")).to_contain_text("4,321")
    manager.goto("/parts/stock?location=BODY")
    expect(manager.locator("main")).to_contain_text("4,321")

    # Submitting with a line not counted is refused, and that line is marked.
    clerk.goto(f"/parts/counts/{number}")
    clerk.click("#submit-count")
    expect(clerk.locator(".problem[role=alert]")).to_be_visible()
    expect(clerk.locator(f"input[data-codes^='{lots[FILTER]} '][aria-invalid=true]")).to_be_visible()
    assert office.get("parts", f"/counts/{number}", "parts_manager")["status"] == "counting"

    # The last line, then submit: the pads' difference (-5 x 680) waits for a manager.
    scan(clerk, lots[FILTER])
    clerk.keyboard.type("54")
    clerk.click("#submit-count")
    clerk.wait_for_url(re.compile(r".*done=awaiting_approval"))
    count = office.get("parts", f"/counts/{number}", "parts_manager")
    assert count["status"] == "awaiting_approval"
    assert {line["part_number"]: line["needs_approval"] for line in count["lines"]} == {PADS: True, FILTER: False}
    expect(clerk.locator("#approve")).to_have_count(0)
    assert balances(office) == {PADS: Decimal(ON_HAND), FILTER: Decimal("55")}  # nothing booked yet
    screenshot(clerk, "count-submitted")

    # The parts manager finds it waiting, sees the differences and approves: the stock moves.
    manager.goto("/parts/counts")
    manager.locator("table[aria-label] a.doc", has_text=number).first.click()
    differences = manager.locator("table.lines tbody tr")
    expect(differences).to_have_count(2)
    expect(manager.locator(f"tr[data-part='{PADS}'] td.variance")).to_have_text("-5")
    expect(manager.locator(f"tr[data-part='{FILTER}'] td.variance")).to_have_text("-1")
    screenshot(manager, "count-variances")
    manager.fill("#note", "两套压坏，已报废")
    manager.click("#approve")
    manager.wait_for_url(re.compile(r".*done=approved"))
    count = office.get("parts", f"/counts/{number}", "parts_manager")
    assert (count["status"], count["decided_by"], count["decision_note"]) == ("posted", "demo-parts-manager", "两套压坏，已报废")
    assert balances(office) == {PADS: Decimal("4316"), FILTER: Decimal("54")}
    screenshot(manager, "count-approved")

    # Reorder: a rule for the air filters at MAIN, its suggestion ticked and ordered as edited.
    manager.goto("/parts/reorder")
    manager.fill("#part_number", AIR)
    manager.select_option("#rule-location", "MAIN")
    for name, value in (("safety_stock", "2"), ("reorder_point", "8"), ("max_stock", "5"), ("pack_multiple", "4")):
        manager.fill(f"#{name}", value)
    manager.click("#save-rule")
    expect(manager.locator("#reorder_point-error")).to_be_visible()  # the service refuses point > max
    manager.fill("#reorder_point", "5")
    manager.fill("#max_stock", "20")
    manager.click("#save-rule")
    expect(manager.locator("#rule-saved")).to_be_visible()
    row = manager.locator(f"#reorder-form tr[data-part='{AIR}']")
    expect(row).to_have_count(1)
    expect(row.locator("select")).to_have_value(SUPPLIER)  # the supplier it last came from
    screenshot(manager, "reorder")
    row.locator("input[type=checkbox]").check()
    row.locator("input.qty").fill("16")
    manager.click("#place-orders")
    manager.wait_for_url(re.compile(r".*/parts/purchase-orders\?placed=.*"))
    orders = office.get("parts", "/purchase-orders?status=open", "parts_manager")["items"]
    assert [(o["supplier"], [(x["part_number"], x["location"], Decimal(x["quantity"])) for x in o["lines"]])
            for o in orders] == [(SUPPLIER, [(AIR, "MAIN", Decimal("16"))])]
    screenshot(manager, "purchase-orders")
    manager.locator("#placed a.doc").click()
    expect(manager.locator("h1")).to_contain_text(orders[0]["number"])
    screenshot(manager, "purchase-order")

    # Another order cancelled from its page: nothing of it is on order any more.
    other = office.post("parts", "/purchase-orders", "parts_manager",
                        {"supplier": SUPPLIER, "lines": [{"part_number": PADS, "location": "MAIN", "quantity": "4"}]})
    manager.goto(f"/parts/purchase-orders/{other['number']}")
    manager.locator("summary").click()
    manager.click("#cancel-order")
    manager.wait_for_url(re.compile(r".*cancelled=1"))
    assert office.get("parts", f"/purchase-orders/{other['number']}", "parts_manager")["status"] == "cancelled"
    screenshot(manager, "purchase-order-cancelled")


def scan(page: Page, code: str) -> None:
    page.fill("#scan", code)
    page.press("#scan", "Enter")


def quote(page: Page, part_number: str) -> None:
    page.goto("/parts/quote")
    scan(page, part_number)
    expect(page.locator("#quote-form tr.line")).to_have_count(1)


def assert_no_book_figure(page: Page) -> None:
    """Neither 4321 nor 4,321 anywhere on the page (a lot code's hex digits do not count)."""
    text = page.locator("body").inner_text()
    assert not re.search(r"(?<![\w.,])4,?321(?![\w.,])", text), f"the book quantity shows on {page.url}"


def counted(office, number: str) -> dict[str, Decimal | None]:
    lines = office.get("parts", f"/counts/{number}", "parts_manager")["lines"]
    return {line["part_number"]: None if line["counted"] is None else Decimal(line["counted"]) for line in lines}


def balances(office) -> dict[str, Decimal]:
    rows = office.get("parts", "/stock?location=BODY", "parts_manager")["items"]
    return {row["part_number"]: Decimal(row["on_hand"]) for row in rows}
