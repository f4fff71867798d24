"""The warranty desk (索赔, issue 10 screens 2 and 4) in Chromium, against the whole stack: the
clerk files a claim from a repair order with its parts prefilled from the issue slip, sees a
line the service refuses marked next to it with everything typed kept, submits, finds it in the
queue; the manager's decision comes through the API, and the manager records a short payment,
first refused for want of a reason. A submission the rules refuse (the customer's own pads on a
safety-critical component) keeps the claim as a draft with the refusal on the line it names;
corrected, it is submitted, rejected, documented with a photo and appealed, in English.

Every claim the screens file or change is checked against the warranty API.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from shared.testing import wait_until
from tests.backoffice import CAMRY_VIN, PADS, BackOffice, a_stocked_safety_part, beijing_today, issue, register
from tests.console.words import zh

CLERK = "warranty_clerk"
SUBMITTED = "Submitted to the manufacturer. It waits in the queue for the decision."


def a_repair_order_with_pads(office: BackOffice, repair_order: str) -> dict:
    """Two sets of brake pads issued to the Camry's repair order; warranty knows the part (it
    is safety-critical). Returns the issue slip."""
    a_stocked_safety_part(office)
    register(office, CAMRY_VIN, "Camry")
    wait_until(lambda: office.find("warranty", f"/catalog/{PADS}", CLERK), timeout=60,
               what="warranty to learn the pads")
    return issue(office, CAMRY_VIN, repair_order, "2")


def claims_of(office: BackOffice, repair_order: str) -> list[dict]:
    return office.get("warranty", f"/claims?repair_order={repair_order}", CLERK)["items"]


def fill_the_repair(page: Page) -> None:
    page.fill("#failure_date", beijing_today())
    page.fill("#odometer", "8400")
    page.select_option("#coverage_plan", "CN-REPAIR")
    page.fill("#complaint", "制动时有异响")
    page.fill("#cause", "刹车片摩擦材料脱层")
    page.fill("#correction", "更换前刹车片")


def a_photo() -> bytes:
    """A 1 x 1 PNG: what a phone's photo of the failed part stands for here."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def test_the_clerk_files_a_claim_from_a_repair_order_and_the_manager_records_a_short_payment(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    repair_order = "RO-26401"
    slip = a_repair_order_with_pads(office, repair_order)
    [issued] = slip["lines"]
    clerk = desk("demo-warranty-clerk")
    clerk.click("a.tile[href$='/warranty/claims']")
    expect(clerk.locator("h1")).to_have_text(zh("Warranty claims"))
    clerk.click("#file-claim")
    expect(clerk.locator("#lookup-repair_order")).to_be_focused()
    clerk.keyboard.type(repair_order)
    clerk.keyboard.press("Enter")

    # The pads issued to the repair order are the first line: part, quantity, catalog price, lot.
    expect(clerk.locator("#prefilled")).to_contain_text(slip["number"])
    expect(clerk.locator("tr.line")).to_have_count(1)
    expect(clerk.locator("#lines-0-kind")).to_have_value("part")
    expect(clerk.locator("#lines-0-part_number")).to_have_value(PADS)
    expect(clerk.locator("#lines-0-quantity")).to_have_value("2")
    expect(clerk.locator("#lines-0-unit_price")).to_have_value("150.00")
    expect(clerk.locator("#lines-0-description")).to_have_value("前刹车片")
    expect(clerk.locator("tr.line").first).to_contain_text(issued["lot"])
    expect(clerk.locator("#vin")).to_have_value(CAMRY_VIN)
    expect(clerk.locator("#repair_date")).to_have_value(beijing_today())
    fill_the_repair(clerk)
    clerk.check("#lines-0-causal")
    clerk.click("#add-labour")
    expect(clerk.locator("tr.line")).to_have_count(2)
    expect(clerk.locator("#lines-1-kind")).to_have_value("labour")
    clerk.fill("#lines-1-quantity", "1.5")
    clerk.fill("#lines-1-unit_price", "200")
    screenshot(clerk, "prefilled")

    # The labour line names no operation: refused next to it, everything typed kept, nothing filed.
    clerk.click("#submit-claim")
    expect(clerk.locator("#lines-1-operation-error")).to_have_text(zh("A labour line names its labour operation."))
    expect(clerk.locator("#lines-1-operation")).to_be_focused()
    expect(clerk.locator("#lines-1-quantity")).to_have_value("1.5")
    expect(clerk.locator("#complaint")).to_have_value("制动时有异响")
    expect(clerk.locator("#lines-0-causal")).to_be_checked()
    assert claims_of(office, repair_order) == []
    screenshot(clerk, "line-refused")

    clerk.fill("#lines-1-operation", "BRAKE-PADS-FRONT")
    clerk.click("#submit-claim")
    expect(clerk.locator("#done")).to_have_text(zh(SUBMITTED))
    [claim] = claims_of(office, repair_order)
    number = claim["claim_number"]
    assert (claim["status"], claim["vin"], claim["coverage_plan"], claim["claimed_amount"]) == (
        "submitted", CAMRY_VIN, "CN-REPAIR", "600.00")
    assert [(line["kind"], line["part_number"] or line["operation"], line["quantity"], line["unit_price"],
             line["causal"]) for line in claim["lines"]] == [
        ("part", PADS, "2.000", "150.00", True), ("labour", "BRAKE-PADS-FRONT", "1.500", "200.00", False)]
    assert claim["flags"] == ["labour_over_standard_time"]  # 1.5 hours against the 1.0 standard
    expect(clerk).to_have_url(re.compile(rf"/warranty/claims/{number}\b"))
    expect(clerk.locator("#claim-status")).to_have_text(zh("Submitted"))
    expect(clerk.locator("#claimed-amount")).to_have_text("¥600.00")
    expect(clerk.locator(".claim-facts")).to_contain_text(zh("Labour over the standard time"))
    expect(clerk.locator("#history tbody tr")).to_have_count(2)
    expect(clerk.locator("#history tr[data-action='submitted']")).to_contain_text("demo-warranty-clerk")
    screenshot(clerk, "submitted")

    # In the queue of submitted claims, 0 days old.
    clerk.click("nav.desks a[href$='/warranty/claims']")
    row = clerk.locator(f"tr[data-claim='{number}']")
    expect(row).to_contain_text(CAMRY_VIN)
    expect(row.locator("td.age")).to_contain_text("0")
    screenshot(clerk, "queue")

    # The manager asks for the photo (through the API): the clerk sees what was asked, answers, resubmits.
    asked = "请补充故障件照片"
    office.post("warranty", f"/claims/{number}/request-info", "warranty_manager", {"reason": asked}, expect=200)
    clerk.click("nav.tabs a[data-status='info_requested']")
    expect(clerk.locator(f"tr[data-claim='{number}'] .asked")).to_contain_text(asked)
    clerk.click(f"tr[data-claim='{number}'] a.doc")
    expect(clerk.locator("#asked")).to_contain_text(asked)
    answer = "照片已上传至厂家系统"
    clerk.fill("#reason", answer)
    clerk.click("#submit-claim")
    expect(clerk.locator("#done")).to_be_visible()
    resubmitted = office.get("warranty", f"/claims/{number}", CLERK)
    assert resubmitted["status"] == "submitted"
    assert [(entry["action"], entry["reason"]) for entry in resubmitted["history"][2:]] == [
        ("info_requested", asked), ("edited", answer), ("resubmitted", None)]

    # The manager approves the labour at the standard time only (through the API).
    decided = office.post("warranty", f"/claims/{number}/decision", "warranty_manager", {
        "lines": [{"number": 1, "approved_amount": "300.00"},
                  {"number": 2, "approved_amount": "200.00", "reason_code": "labour_over_standard_time"}],
        "reason": "工时按定额 1.0 小时"}, expect=200)
    assert (decided["status"], decided["approved_amount"]) == ("partially_approved", "500.00")
    clerk.goto("/warranty/claims?status=partially_approved")
    expect(clerk.locator(f"tr[data-claim='{number}']")).to_be_visible()
    clerk.click(f"tr[data-claim='{number}'] a.doc")
    expect(clerk.locator("#claim-lines tr[data-line='2']")).to_contain_text(zh("Labour over the standard time"))
    expect(clerk.locator("#payment-form")).to_have_count(0)  # the manager records payments

    # The manufacturer pays 450.00 of the 500.00: refused until the manager says why.
    manager = desk("demo-warranty-manager")
    manager.goto(f"/warranty/claims/{number}")
    expect(manager.locator("#paid_amount")).to_have_value("500.00")
    manager.fill("#paid_amount", "450.00")
    manager.fill("#payment_reference", "OEM-PAY-2026-118")
    manager.click("#record-payment")
    expect(manager.locator("#short_payment_reason-error")).to_have_text(zh(
        "%(paid_amount)s paid of %(approved_amount)s approved: say why the manufacturer paid less.",
        paid_amount="450.00", approved_amount="500.00"))
    expect(manager.locator("#paid_amount")).to_have_value("450.00")
    expect(manager.locator("#payment_reference")).to_have_value("OEM-PAY-2026-118")
    assert office.get("warranty", f"/claims/{number}", CLERK)["status"] == "partially_approved"
    screenshot(manager, "short-payment-refused")
    manager.fill("#short_payment_reason", "厂家按区域工时单价结算")
    manager.click("#record-payment")
    expect(manager.locator("#done")).to_have_text(zh("The payment is recorded."))
    paid = office.get("warranty", f"/claims/{number}", CLERK)
    assert (paid["status"], paid["paid_amount"], paid["short_paid_amount"], paid["payment_reference"]) == (
        "paid", "450.00", "50.00", "OEM-PAY-2026-118")
    expect(manager.locator("#claim-status")).to_have_text(zh("Paid"))
    expect(manager.locator("#short-paid")).to_contain_text("¥50.00")
    assert [entry["action"] for entry in paid["history"]] == [
        "filed", "submitted", "info_requested", "edited", "resubmitted", "partially_approved", "paid"]
    expect(manager.locator("#history tbody tr")).to_have_count(7)
    expect(manager.locator("#history tr[data-action='paid']")).to_contain_text("demo-warranty-manager")
    screenshot(manager, "paid")

    # Printed on A4 for the manufacturer's portal.
    manager.click("#print-claim")
    expect(manager.locator(".doc-number")).to_have_text(number)
    expect(manager.locator(".document tbody").first.locator("tr")).to_have_count(2)
    expect(manager.locator(".document")).to_contain_text("¥450.00")
    screenshot(manager, "print")


def test_a_refused_submission_stays_a_draft_then_is_corrected_rejected_documented_and_appealed(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    repair_order = "RO-26402"
    a_repair_order_with_pads(office, repair_order)
    clerk = desk("demo-warranty-clerk", locale="en")
    clerk.goto(f"/warranty/claims/new?repair_order={repair_order}")
    expect(clerk.locator("h1")).to_have_text("File a warranty claim")
    fill_the_repair(clerk)
    clerk.check("#lines-0-causal")
    clerk.select_option("#lines-0-supplied_by", "customer")  # pads the customer brought
    clerk.click("#submit-claim")

    # Filed, but the rules refuse it: the draft's own page, the refusal on the customer's pads.
    expect(clerk.locator("#kept-as-draft")).to_be_visible()
    expect(clerk).to_have_url(re.compile(r"/warranty/claims/WC-[\w-]+$"))
    number = clerk.url.rsplit("/", 1)[1]
    expect(clerk.locator("#lines-0-part_number-error")).to_contain_text(PADS)
    expect(clerk.locator("#lines-0-part_number-error")).to_contain_text("not covered")
    expect(clerk.locator("#lines-0-supplied_by")).to_have_value("customer")
    draft = office.get("warranty", f"/claims/{number}", CLERK)
    assert (draft["status"], draft["lines"][0]["supplied_by"]) == ("draft", "customer")
    screenshot(clerk, "kept-as-draft")

    # The pads were the dealer's after all: corrected and submitted from the same form.
    clerk.select_option("#lines-0-supplied_by", "dealer")
    clerk.click("#submit-claim")
    expect(clerk.locator("#done")).to_have_text(SUBMITTED)
    submitted = office.get("warranty", f"/claims/{number}", CLERK)
    assert (submitted["status"], submitted["lines"][0]["supplied_by"]) == ("submitted", "dealer")
    assert [entry["action"] for entry in submitted["history"]] == ["filed", "edited", "submitted"]

    # Rejected for want of evidence; the clerk attaches the photo and appeals.
    office.post("warranty", f"/claims/{number}/decision", "warranty_manager", {
        "lines": [{"number": 1, "approved_amount": "0.00", "reason_code": "insufficient_evidence"}],
        "reason": "no photo of the failed pads"}, expect=200)
    clerk.reload()
    expect(clerk.locator("#claim-status")).to_have_text("Rejected")
    photo = a_photo()
    clerk.set_input_files("#file", files=[{"name": "pads.png", "mimeType": "image/png", "buffer": photo}])
    clerk.select_option("#attachment-kind", "photo")
    clerk.fill("#attachment-description", "Friction material delaminated")
    clerk.click("#attach-now")
    expect(clerk.locator("#done")).to_have_text("The file is attached.")
    [attached] = office.get("warranty", f"/claims/{number}/attachments", CLERK)["items"]
    assert (attached["file_name"], attached["kind"], attached["content_type"], attached["size_bytes"]) == (
        "pads.png", "photo", "image/png", len(photo))
    expect(clerk.locator("#attachments tbody tr")).to_contain_text("Photo of the failed part")
    with clerk.expect_download() as download:
        clerk.click("#attachments a")
    assert download.value.suggested_filename == "pads.png"
    with open(download.value.path(), "rb") as file:
        assert file.read() == photo

    # An appeal without a reason is refused next to it; with one the claim is back in the queue.
    clerk.click("#appeal-now")
    expect(clerk.locator("#appeal-reason-error")).to_be_visible()
    assert office.get("warranty", f"/claims/{number}", CLERK)["appealed"] is False
    clerk.fill("#appeal-reason", "Photo attached: the friction material came off the backing plate")
    clerk.press("#appeal-reason", "Enter")
    expect(clerk.locator("#done")).to_have_text("Appealed: the claim is decided again.")
    appealed = office.get("warranty", f"/claims/{number}", CLERK)
    assert (appealed["status"], appealed["appealed"], Decimal(appealed["claimed_amount"])) == (
        "submitted", True, Decimal("300.00"))
    clerk.goto("/warranty/claims?status=appealed")
    row = clerk.locator(f"tr[data-claim='{number}']")
    expect(row).to_contain_text("Appeal:")
    expect(row).to_contain_text("the friction material came off")
    screenshot(clerk, "appealed")
