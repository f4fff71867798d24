"""The counter sale in a real browser (issue 16, part 4): a walk-in customer's parts scanned,
the order written with a part the catalog says does not fit the car, confirmed (stock
reserved), a payment of the wrong amount refused next to the amount, paid by WeChat Pay,
invoiced and handed over, the receipt printed on 80 mm and A4; a confirmed sale cancelled gives
its stock back; the same screens in English.

Every figure asserted on screen is checked against the parts API as well.
"""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from tests.backoffice import BackOffice
from tests.console.test_parts_counter import line_row, scan

SUPPLIER = "GTMC"
PADS, FILTER, OIL = "04465-33471", "90915-YZZE1", "08880-83717"
CAMRY = {"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2024}
ACCORD = {"make": "Honda", "model": "Accord", "year_from": 2018, "year_to": 2024}


def a_stocked_counter(office: BackOffice) -> None:
    """One store, a qualified supplier, three parts: the pads fit a Camry, the filter only an
    Accord, the oil names no vehicle; ten, twenty and fifty of them on the shelf."""
    office.post("parts", "/suppliers", "parts_manager",
                {"code": SUPPLIER, "name": "广汽丰田配件中心", "qualified": True, "lead_time_days": 5})
    office.post("parts", "/locations", "parts_manager", {"code": "MAIN", "warehouse": "主仓库", "bin": "A-01"})
    for number, zh, en, category, unit, price, fits in [
        (PADS, "前刹车片", "Front brake pads", "brakes", "set", "150.00", [CAMRY]),
        (FILTER, "机油滤清器", "Oil filter", "filters", "pcs", "58.00", [ACCORD]),
        (OIL, "全合成机油 0W-20", "Engine oil 0W-20", "fluids", "L", "96.00", []),
    ]:
        office.post("parts", "/parts", "parts_clerk",
                    {"part_number": number, "name_zh": zh, "name_en": en, "category": category, "unit": unit,
                     "source": "oem", "safety_critical": category == "brakes", "list_price": price,
                     "fitments": fits})
    office.post("parts", "/receipts", "parts_clerk", {"supplier": SUPPLIER, "delivery_note": "DN-1", "lines": [
        {"part_number": number, "quantity": quantity, "unit_cost": "10.00", "location": "MAIN",
         "inspection": "passed"} for number, quantity in [(PADS, "10"), (FILTER, "20"), (OIL, "50")]]})


def stock_of(office: BackOffice, number: str) -> tuple[Decimal, Decimal]:
    """On hand and available, as the parts service counts them."""
    [line] = office.post("parts", "/availability", "parts_clerk",
                         {"lines": [{"part_number": number, "quantity": "1"}]}, expect=200)["lines"]
    return Decimal(line["on_hand"]), Decimal(line["available"])


def write_sale(page: Page, lines: list[tuple[str, str]]) -> None:
    """Scan the lines onto a new sale."""
    page.goto("/parts/sales/new")
    for number, quantity in lines:
        scan(page, number, quantity)
    expect(page.locator("#sale-form tr.line")).to_have_count(len(lines))


def number_on(page: Page) -> str:
    expect(page.locator("h1 .doc")).to_be_visible()
    return page.locator("h1 .doc").inner_text()


def test_a_walk_in_sale_from_scanner_to_receipt(office, desk, screenshot):
    a_stocked_counter(office)
    li = desk("demo-parts-clerk")

    li.goto("/parts/sales")
    expect(li.locator("h1")).to_have_text("配件销售")
    expect(li.locator("#new-sale")).to_be_focused()  # the cursor starts on "New sale"
    li.keyboard.press("Enter")
    expect(li.locator("h1")).to_have_text("新建配件销售")
    for number, quantity, lines in [(PADS, "1", 1), (FILTER, "1", 2), (OIL, "4", 3), (PADS, "1", 3)]:
        scan(li, number, quantity)
        expect(li.locator("#sale-form tr.line")).to_have_count(lines)
    # The pads scanned twice are one line of two.
    expect(line_row(li, 0).locator("input.qty")).to_have_value("2")
    expect(line_row(li, 2).locator("input.qty")).to_have_value("4")
    li.fill("#customer_name", "张先生")
    li.fill("#customer_phone", "138 1234 5678")
    li.fill("#vehicle-make", "Toyota")
    li.fill("#vehicle-model", "Camry")
    li.fill("#vehicle-year", "2021")
    screenshot(li, "new-sale")
    li.press("#vehicle-year", "Enter")  # writes the order

    expect(li.locator("h1")).to_contain_text("配件销售")
    number = number_on(li)
    sale = office.get("parts", f"/sales/{number}", "parts_clerk")
    assert sale["status"] == "draft" and sale["customer_kind"] == "walk_in"
    assert sale["fitment_warnings"] == [FILTER]
    assert Decimal(sale["total"]) == Decimal("742.00")  # 2 × 150 + 58 + 4 × 96
    # The filter is for an Accord: said at the top and on its line.
    expect(li.locator("#fitment-warnings")).to_contain_text(FILTER)
    expect(line_row(li, 1)).to_have_class(re.compile(r"\bmismatch\b"))
    expect(line_row(li, 1).locator(".fitment")).to_have_text("不适配")
    expect(line_row(li, 0).locator(".fitment")).to_have_text("适配")
    expect(li.locator("#sale-total")).to_contain_text("742.00")
    screenshot(li, "draft")

    expect(li.locator("#confirm-sale")).to_be_focused()  # the cursor is on "Confirm"
    li.keyboard.press("Enter")
    expect(li.locator("#sale-status")).to_have_text("已确认，库存已预留")
    assert stock_of(office, PADS) == (Decimal("10"), Decimal("8"))
    assert office.get("parts", f"/sales/{number}", "parts_clerk")["status"] == "confirmed"

    # The amount comes prefilled with the total; 700 is refused next to it, what was typed kept.
    expect(li.locator("#amount")).to_have_value("742.00")
    li.select_option("#method", "wechat_pay")
    li.fill("#reference", "4200001234202612070001")
    li.fill("#amount", "700")
    li.press("#amount", "Enter")
    expect(li.locator("#amount-error")).to_contain_text("742.00")
    expect(li.locator("#amount")).to_have_value("700")
    expect(li.locator("#reference")).to_have_value("4200001234202612070001")
    expect(li.locator("#method")).to_have_value("wechat_pay")
    assert office.get("parts", f"/sales/{number}", "parts_clerk")["status"] == "confirmed"
    screenshot(li, "payment-refused")

    li.fill("#amount", "742.00")
    li.press("#amount", "Enter")
    expect(li.locator("#sale-status")).to_have_text("已付款")
    expect(li.locator("#sale-payment")).to_contain_text("微信支付")
    expect(li.locator("#invoice_number")).to_be_focused()  # the cursor is in the invoice number
    li.keyboard.type("FP-2026-000123")
    li.keyboard.press("Enter")
    expect(li.locator("#sale-status")).to_have_text("已完成")
    expect(li.locator("#sale-invoice")).to_have_text("FP-2026-000123")
    screenshot(li, "completed")

    sale = office.get("parts", f"/sales/{number}", "parts_clerk")
    assert (sale["status"], sale["payment_method"], sale["invoice_number"]) == ("completed", "wechat_pay",
                                                                               "FP-2026-000123")
    assert Decimal(sale["paid_amount"]) == Decimal("742.00")
    assert stock_of(office, PADS) == (Decimal("8"), Decimal("8"))
    assert stock_of(office, FILTER) == (Decimal("19"), Decimal("19"))
    assert stock_of(office, OIL) == (Decimal("46"), Decimal("46"))

    # The receipt, on 80 mm paper and on A4: every line, the total, the payment and the invoice.
    for paper, name in [("receipt", "receipt-80mm"), ("a4", "receipt-a4")]:
        li.goto(f"/parts/sales/{number}/print?paper={paper}")
        document = li.locator(".document")
        for part, words in [(PADS, "前刹车片"), (FILTER, "机油滤清器"), (OIL, "全合成机油")]:
            expect(document).to_contain_text(part)
            expect(document).to_contain_text(words)
        expect(li.locator("#receipt-total")).to_contain_text("742.00")
        expect(document).to_contain_text("FP-2026-000123")
        expect(document).to_contain_text("微信支付")
        expect(document).to_contain_text(number)
        screenshot(li, name)

    li.goto("/parts/sales")
    expect(li.locator("#sales")).to_contain_text(number)
    expect(li.locator("#sales")).to_contain_text("已完成")

    # A litre of oil comes back unused. Ten cannot: refused under the oil's line, as typed.
    li.locator("#sales a.doc", has_text=number).click()
    li.fill("#lines-2-quantity", "10")
    li.press("#lines-2-quantity", "Enter")
    expect(li.locator("#lines-2-quantity-error")).to_contain_text("4")
    expect(li.locator("#lines-2-quantity")).to_have_value("10")
    li.fill("#lines-2-quantity", "1")
    li.fill("#reason", "多买了一升")
    li.press("#lines-2-quantity", "Enter")
    # Refunded the way it was paid: WeChat Pay's refund needs its transaction number.
    expect(li.locator("#refund-reference-error")).to_be_visible()
    expect(li.locator("#lines-2-quantity")).to_have_value("1")
    li.fill("#refund-reference", "4200001234202612070099")
    li.press("#refund-reference", "Enter")
    expect(li.locator(".success")).to_be_visible()
    sale = office.get("parts", f"/sales/{number}", "parts_clerk")
    assert Decimal(sale["refunded_amount"]) == Decimal("96.00")
    assert [(r["refund_method"], r["refund_reference"], r["lines"][0]["part_number"]) for r in sale["returns"]] == [
        ("wechat_pay", "4200001234202612070099", OIL)]
    assert stock_of(office, OIL) == (Decimal("47"), Decimal("47"))
    screenshot(li, "returned")


def test_cancelling_a_confirmed_sale_gives_the_stock_back(office, desk, screenshot):
    a_stocked_counter(office)
    li = desk("demo-parts-clerk")
    write_sale(li, [(PADS, "3")])
    li.press("#scan", "Enter")  # Enter in the empty scan field writes the order
    number = number_on(li)
    expect(li.locator("#confirm-sale")).to_be_focused()
    li.keyboard.press("Enter")
    expect(li.locator("#sale-status")).to_have_text("已确认，库存已预留")
    assert stock_of(office, PADS) == (Decimal("10"), Decimal("7"))

    li.locator("#cancel-form summary").click()
    li.fill("#reason", "客户改天再来")
    li.press("#reason", "Enter")
    expect(li.locator("#sale-status")).to_have_text("已取消")
    screenshot(li, "cancelled")
    sale = office.get("parts", f"/sales/{number}", "parts_clerk")
    assert (sale["status"], sale["cancel_reason"]) == ("cancelled", "客户改天再来")
    assert stock_of(office, PADS) == (Decimal("10"), Decimal("10"))
    # Nothing left to pay or cancel on a cancelled sale.
    expect(li.locator("#payment-form, #cancel-form, #confirm-form")).to_have_count(0)


def test_a_trade_sale_needs_its_account_and_reads_in_english(office, desk, screenshot):
    a_stocked_counter(office)
    clerk = desk("demo-parts-clerk", locale="en-US")
    write_sale(clerk, [])
    expect(clerk.locator("h1")).to_have_text("New counter sale")
    # The oil found by its name with the quote's finder, added from the results, five of it.
    clerk.locator("details.finder summary").click()
    clerk.fill("#find-q", "Engine oil")
    clerk.press("#find-q", "Enter")
    clerk.locator("#finder-results tr", has_text=OIL).get_by_role("button").click()
    expect(line_row(clerk, 0)).to_contain_text("Engine oil 0W-20")
    clerk.fill("#lines-0-quantity", "5")
    clerk.select_option("#customer_kind", "trade")
    clerk.fill("#customer_name", "Wang's Garage")
    clerk.press("#customer_name", "Enter")
    # Refused next to the account field; the lines and the name kept.
    expect(clerk.locator("#customer_account-error")).to_contain_text("account")
    expect(clerk.locator("#customer_name")).to_have_value("Wang's Garage")
    expect(clerk.locator("#sale-form tr.line")).to_have_count(1)
    assert office.get("parts", "/sales", "parts_clerk")["items"] == []
    screenshot(clerk, "trade-account-required")
    clerk.fill("#customer_account", "T-0042")
    clerk.press("#customer_account", "Enter")
    expect(clerk.locator("h1")).to_contain_text("Counter sale")
    expect(clerk.locator("#confirm-sale")).to_have_text("Confirm and reserve the stock")
    expect(line_row(clerk, 0).locator(".fitment")).to_have_text("Fit not known")
    [sale] = office.get("parts", "/sales", "parts_clerk")["items"]
    assert (sale["customer_kind"], sale["customer_account"]) == ("trade", "T-0042")
