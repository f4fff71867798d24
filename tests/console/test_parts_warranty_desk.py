"""The parts warranty desk (配件保修, issue 16) in Chromium, against the whole stack: a counter sale
completed through the parts API reaches warranty through the relay and the consumer; the
warranty clerk scans the sale number, sees the pads with their purchase date, expiry and days
left, opens a case for one set the customer brought back, assesses a defect the supplier answers
for, decides a replacement (the supplier recovery it opens is linked), closes the case and
records the customer's satisfaction. A part sold two years ago shows expired, and opening a case
for it is refused next to the part for a clerk, nothing opened. In English: the warranty
manager's terms, a rule's term out of range refused next to it.

Every case the screens open or change is checked against the warranty API.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from kombu import Producer
from playwright.sync_api import Page, expect

from parts.app import PARTS
from shared.events import broker
from shared.testing import a_cloudevent, wait_until
from tests.backoffice import BackOffice
from tests.console.words import _zh, zh

CLERK = "warranty_clerk"
SUPPLIER = "AKEBONO-CN"
PADS = "04465-33471"


def status(code: str) -> str:
    """A case's status as the desk says it in Chinese (in context: claims say "Closed" otherwise)."""
    return _zh().pgettext("parts warranty", code)


def a_stocked_part(office: BackOffice) -> str:
    """Ten sets of brake pads from a qualified supplier on the shelf. Returns the lot."""
    office.post("parts", "/suppliers", "parts_manager",
                {"code": SUPPLIER, "name": "Akebono Brake (Guangzhou)", "qualified": True, "lead_time_days": 5})
    office.post("parts", "/locations", "parts_manager", {"code": "MAIN", "warehouse": "主仓库", "bin": "B-07"})
    office.post("parts", "/parts", "parts_clerk",
                {"part_number": PADS, "name_zh": "前刹车片", "name_en": "Front brake pads", "category": "brakes",
                 "unit": "set", "source": "oem", "list_price": "150.00"})
    receipt = office.post("parts", "/receipts", "parts_clerk",
                          {"supplier": SUPPLIER, "delivery_note": "DN-88120",
                           "lines": [{"part_number": PADS, "quantity": "10", "unit_cost": "92.00", "location": "MAIN",
                                      "supplier_lot": "AKB-2611-03", "inspection": "passed"}]})
    return receipt["lines"][0]["lot"]


def step(office: BackOffice, sale: dict, action: str, body: dict | None = None) -> dict:
    """A step of the sales order against the version just read (If-Match)."""
    response = office.request("POST", "parts", f"/sales/{sale['number']}/{action}", "parts_clerk",
                              json_body=body or {}, headers={"If-Match": f'"{sale["version"]}"'})
    assert response.status_code == 200, f"{action}: {response.status_code} {response.text}"
    return response.json()


def a_completed_sale(office: BackOffice) -> dict:
    """Two sets of pads sold to a walk-in customer: written, confirmed, paid by WeChat Pay, handed over."""
    sale = office.post("parts", "/sales", "parts_clerk",
                       {"customer_kind": "walk_in", "customer_name": "张三丰", "customer_phone": "13812341234",
                        "lines": [{"part_number": PADS, "quantity": "2"}]})
    sale = step(office, sale, "confirm")
    sale = step(office, sale, "payment", {"method": "wechat_pay", "reference": "WX-4420", "amount": sale["total"]})
    sale = step(office, sale, "complete", {"invoice_number": "INV-20261207"})
    assert sale["status"] == "completed"
    return sale


def sold_parts(office: BackOffice, sale: str) -> list[dict]:
    return office.get("warranty", f"/parts-warranty/sold-parts?sale={sale}", CLERK)["items"]


def cases_of(office: BackOffice, sale: str) -> list[dict]:
    return office.get("warranty", f"/parts-warranty/cases?sale={sale}", CLERK)["items"]


def sold_two_years_ago(site, office: BackOffice, lot: str) -> str:
    """A sale the parts service completed two years ago, as its event says: put on the events
    exchange as the relay would have. Returns the sale's number."""
    number = f"SO-OLD-{uuid.uuid4().hex[:6].upper()}"
    sold_at = (datetime.now(timezone.utc) - timedelta(days=730)).isoformat()
    data = {"sale": number, "customer_kind": "walk_in", "customer_id": None, "customer_group": None, "vin": None,
            "invoice_number": "INV-OLD", "payment_method": "cash", "total": "150.00", "currency": "CNY",
            "completed_at": sold_at,
            "lines": [{"part_number": PADS, "location": "MAIN", "quantity": "1.000", "list_price": "150.00",
                       "unit_price": "150.00", "price_source": "list_price", "amount": "150.00",
                       "lots": [{"lot": lot, "supplier": SUPPLIER, "quantity": "1.000"}]}]}
    body = a_cloudevent("parts.sale.completed", data, subject=number, dealer=office.dealer, time=sold_at)
    settings = site.infra.settings(PARTS)
    with broker.connect(settings, confirms=True) as connection:
        producer = Producer(connection.channel(), exchange=broker.Topology(settings).events)
        producer.publish(body, routing_key="parts.sale.completed", content_type="application/cloudevents+json",
                         content_encoding="binary", delivery_mode=2, retry=True)
    assert json.loads(body)["data"]["sale"] == number
    return number


def test_a_sold_part_brought_back_is_assessed_replaced_closed_and_followed_up(
        site, office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    lot = a_stocked_part(office)
    sale = a_completed_sale(office)
    wait_until(lambda: sold_parts(office, sale["number"]), timeout=90,
               what="the sale's pads to reach the parts warranty")
    old_sale = sold_two_years_ago(site, office, lot)

    clerk = desk("demo-warranty-clerk")
    clerk.click(f"nav.desks a:has-text('{zh('Parts warranty')}')")
    expect(clerk.locator("h1")).to_have_text(zh("Parts warranty"))
    expect(clerk.locator("#lookup")).to_be_focused()
    clerk.keyboard.type(sale["number"])
    clerk.keyboard.press("Enter")

    # The pads sold today: two sets, one lot, twelve months of warranty, none in a case yet.
    row = clerk.locator("tr.sold-part")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-lot", lot)
    expect(row.locator("td").nth(3)).to_have_text(SUPPLIER)
    expect(row.locator("td").nth(4)).to_have_text("2")
    [part] = sold_parts(office, sale["number"])
    expect(row.locator("td").nth(8)).to_contain_text(part["expires_on"])
    expect(row.locator("td.days-left")).to_have_text(str(
        (datetime.fromisoformat(part["expires_on"]) - datetime.fromisoformat(part["purchased_on"])).days))
    screenshot(clerk, "sold-parts")

    # One set comes back: the case opened with the customer's report.
    row.locator("a.open-case").click()
    expect(clerk.locator("#report")).to_be_focused()
    expect(clerk.locator("#sale")).to_have_value(sale["number"])
    expect(clerk.locator("#lot")).to_have_value(lot)
    expect(clerk.locator("#sold-part")).to_contain_text(SUPPLIER)
    clerk.fill("#quantity", "1")
    clerk.fill("#report", "刹车时异响, 刹车片背板开裂")
    screenshot(clerk, "open-case")
    clerk.click("#open-case")
    expect(clerk.locator("#done")).to_have_text(zh("The case is opened. Assess the fault when the part has been "
                                                    "looked at."))
    [case] = cases_of(office, sale["number"])
    assert (case["status"], case["quantity"], case["report"], case["lot"]) == ("open", "1.000", "刹车时异响, 刹车片背板开裂", lot)
    expect(clerk.locator("h1 .doc")).to_have_text(case["number"])

    # Assessed: a defect of the supplier's; decided: replaced. The recovery it opened is linked.
    clerk.check("#fault-defect")
    clerk.fill("#assess-findings", "背板与摩擦材料之间脱层, 属材料缺陷")
    expect(clerk.locator("#supplier_at_fault")).to_be_checked()
    clerk.click("#assess-now")
    expect(clerk.locator("#case-status")).to_have_text(status("Assessed"))
    expect(clerk.locator("#case-fault")).to_contain_text(zh("Defect (covered)"))
    clerk.check("#outcome-replace")
    screenshot(clerk, "decide")
    clerk.click("#decide-now")
    expect(clerk.locator("#case-status")).to_have_text(status("Decided"))
    expect(clerk.locator("#recovery-link")).to_contain_text(SUPPLIER)
    expect(clerk.locator("#recovery-link")).to_contain_text("150.00")
    screenshot(clerk, "decided")

    # The parts counter issues the replacement from stock (by event); on the page once reloaded,
    # it is handed over and the case closed.
    wait_until(lambda: office.get("warranty", f"/parts-warranty/cases/{case['number']}", CLERK)[
        "replacement_issued_at"], timeout=90, what="parts to issue the replacement")
    clerk.reload()
    expect(clerk.locator("#replacement")).to_contain_text(zh("Replacement issued"))

    clerk.fill("#complete-note", "已更换新刹车片一套")
    clerk.click("#complete-now")
    expect(clerk.locator("#case-status")).to_have_text(status("Closed"))
    clerk.check("#satisfaction-5")
    clerk.click("#follow_up-now")
    expect(clerk.locator("#done")).to_have_text(zh("The follow-up is recorded."))
    expect(clerk.locator("#case-satisfaction")).to_have_text(zh("5 · very satisfied"))
    expect(clerk.locator("#follow_up-form")).to_have_count(0)
    screenshot(clerk, "closed")

    closed = office.get("warranty", f"/parts-warranty/cases/{case['number']}", CLERK)
    assert (closed["status"], closed["fault"], closed["supplier_at_fault"], closed["outcome"],
            closed["satisfaction"], closed["resolution_note"]) == (
        "closed", "defect", True, "replace", 5, "已更换新刹车片一套")
    recovery = office.get("warranty", f"/supplier-recoveries/{case['number']}", "warranty_manager")
    assert (recovery["supplier"], recovery["part_number"], recovery["lot"], recovery["parts"]) == (
        SUPPLIER, PADS, lot, "150.00")
    clerk.click("#recovery-link a")
    expect(clerk.locator("#supplier")).to_have_text(SUPPLIER)

    # The list: the case among the closed ones.
    clerk.goto("/warranty/parts-warranty?status=closed")
    expect(clerk.locator(f"tr.pw-case[data-case='{case['number']}']")).to_contain_text(zh("Replace"))
    # And the supplier's figures: one case, a defect, replaced, the customer very satisfied.
    expect(clerk.locator(f"#by-supplier tr[data-supplier='{SUPPLIER}'] td")).to_have_text(
        [SUPPLIER, "1", "1", "0", "1", "0", "0", "5.0"])
    screenshot(clerk, "cases")

    # At the parts counter: the same desk, the set counted as brought back, the case readable
    # but its steps the warranty desk's.
    counter = desk("demo-parts-clerk")
    counter.click(f"nav.desks a:has-text('{zh('Parts warranty')}')")
    counter.fill("#lookup", sale["number"])
    counter.press("#lookup", "Enter")
    expect(counter.locator("tr.sold-part td").nth(5)).to_have_text("1")
    counter.goto(f"/warranty/parts-warranty/cases/{case['number']}")
    expect(counter.locator("#case-outcome")).to_contain_text(zh("Replace"))
    expect(counter.locator("form.step")).to_have_count(0)

    # Sold two years ago: expired. The clerk's case is refused next to the part; nothing opened.
    wait_until(lambda: sold_parts(office, old_sale), timeout=90, what="the old sale to reach the parts warranty")
    clerk.goto("/warranty/parts-warranty")
    clerk.fill("#lookup", old_sale)
    clerk.press("#lookup", "Enter")
    old_row = clerk.locator("tr.sold-part")
    expect(old_row).to_have_class("sold-part expired")
    expect(old_row.locator("td.days-left")).to_have_text(zh("Expired"))
    screenshot(clerk, "expired")
    old_row.locator("a.open-case").click()
    clerk.fill("#report", "刹车片磨损异响")
    clerk.click("#open-case")
    [expired] = sold_parts(office, old_sale)
    expect(clerk.locator("#part_number-error")).to_have_text(
        zh("The warranty on %(part_number)s ran out on %(expires_on)s: only a warranty manager may accept it, "
           "saying why.", part_number=PADS, expires_on=expired["expires_on"]))
    expect(clerk.locator("#part_number")).to_have_attribute("aria-invalid", "true")
    expect(clerk.locator("#report")).to_have_value("刹车片磨损异响")
    screenshot(clerk, "expired-refused")
    assert cases_of(office, old_sale) == []


def test_the_manager_sets_the_terms_and_a_rule_out_of_range_is_refused_next_to_it(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    manager = desk("demo-warranty-manager", locale="en-US")
    manager.goto("/warranty/parts-warranty")
    manager.click("#policy-link")
    expect(manager.locator("h1")).to_have_text("Parts warranty terms")
    expect(manager.locator("#default_months")).to_have_value("12")
    manager.fill("#default_months", "12")
    manager.click("#add-rule")
    manager.fill("#rules-0-category", "brakes")
    manager.fill("#rules-0-months", "24")
    manager.click("#add-rule")
    expect(manager.locator("#rules-0-months")).to_have_value("24")
    manager.fill("#rules-1-supplier", SUPPLIER)
    manager.fill("#rules-1-months", "240")
    manager.click("#save-policy")
    expect(manager.locator("#rules-1-months-error")).to_have_text("A term is 1 to 120 months.")
    expect(manager.locator("#rules-1-supplier")).to_have_value(SUPPLIER)
    assert office.get("warranty", "/parts-warranty/policy", "warranty_manager")["version"] == 0
    screenshot(manager, "policy-refused")

    manager.fill("#rules-1-months", "18")
    manager.click("#save-policy")
    expect(manager.locator("#done")).to_be_visible()
    policy = office.get("warranty", "/parts-warranty/policy", "warranty_manager")
    assert (policy["default_months"], policy["rules"]) == (12, [
        {"category": "brakes", "supplier": None, "months": 24}, {"category": None, "supplier": SUPPLIER, "months": 18}])
    expect(manager.locator("#rules-1-months")).to_have_value("18")
    screenshot(manager, "policy-saved")
