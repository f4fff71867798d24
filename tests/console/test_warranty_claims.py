"""The warranty desk (索赔, issue 10 screens 2 and 4) in Chromium, against the whole stack: the
clerk files a claim from a repair order with its parts (and their lots) prefilled from the issue
slip, sees a line the service refuses marked next to it with everything typed kept, picks the
labour operation from the list (its standard hours filled in), saves the draft and sees every
problem submitting would meet marked where it is and the flag the manager will see; corrected,
submits, finds it in the queue with the count of each status; the manager's decision comes
through the API, and the clerk finds the claim waiting for payment and records a short payment,
first refused for want of a reason. In English: the customer's own pads on a safety-critical
component are marked by the check; corrected, the submission is still refused while the same
repair is claimed twice; submitted, rejected, documented with a photo and appealed.

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
from tests.console.paper import WITHIN_THE_PAGE, broken_across_lines
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


def test_the_clerk_files_checks_and_submits_a_claim_and_records_a_short_payment(
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
    clerk.select_option("#lines-0-supplied_by", "customer")  # not so: corrected below
    clerk.click("#add-labour")
    expect(clerk.locator("tr.line")).to_have_count(2)
    expect(clerk.locator("#lines-1-kind")).to_have_value("labour")
    expect(clerk.locator("#lines-1-quantity")).to_have_value("")  # left for the operation's standard hours
    expect(clerk.locator(".htmx-request")).to_have_count(0)  # typed into the lines the answer left
    clerk.wait_for_load_state("networkidle")  # and no request of any kind still on its way (CI once lost the 1.5)
    clerk.fill("#lines-1-quantity", "1.5")
    clerk.fill("#lines-1-unit_price", "200")
    expect(clerk.locator("#lines-1-quantity")).to_have_value("1.5")
    screenshot(clerk, "prefilled")

    # The labour line names no operation: refused next to it, everything typed kept, nothing filed.
    clerk.click("#save-claim")
    expect(clerk.locator("#lines-1-operation-error")).to_have_text(zh("A labour line names its labour operation."))
    expect(clerk.locator("#lines-1-operation")).to_be_focused()
    expect(clerk.locator("#lines-1-quantity")).to_have_value("1.5")
    expect(clerk.locator("#complaint")).to_have_value("制动时有异响")
    expect(clerk.locator("#lines-0-supplied_by")).to_have_value("customer")
    assert claims_of(office, repair_order) == []
    screenshot(clerk, "line-refused")

    # The operation picked from the list fills in its standard hours (1.0) where the hours are
    # empty; 1.5 were worked.
    operation = clerk.locator("#labour-operations option[value='BRAKE-PADS-FRONT']")
    expect(operation).to_have_attribute("data-fill", "1")
    expect(operation).to_have_text(re.compile("更换前刹车片"))
    clerk.fill("#lines-1-quantity", "")
    clerk.fill("#lines-1-operation", "BRAKE-PADS-FRONT")
    clerk.press("#lines-1-operation", "Tab")
    expect(clerk.locator("#lines-1-quantity")).to_have_value("1")
    clerk.fill("#lines-1-quantity", "1.5")

    # Saved as a draft and checked: both problems marked where they are, the flag the manager
    # will see, and no submitting yet.
    clerk.click("#save-claim")
    expect(clerk.locator("#check-result li")).to_have_count(2)
    [claim] = claims_of(office, repair_order)
    number = claim["claim_number"]
    expect(clerk).to_have_url(re.compile(rf"/warranty/claims/{number}\b"))
    assert (claim["status"], [line["lot"] for line in claim["lines"]]) == ("draft", [issued["lot"], None])
    expect(clerk.locator("#lines-error")).to_have_text(zh(
        "A warranty claim needs one part line marked causal (the part that failed)."))
    expect(clerk.locator("#lines-0-part_number-error")).to_contain_text(PADS)
    expect(clerk.locator("#check-flags")).to_contain_text(zh("Labour over the standard time"))
    expect(clerk.locator("#submit-claim")).to_be_disabled()
    expect(clerk.locator("#lines-1-quantity")).to_have_value("1.5")
    screenshot(clerk, "checked")

    # Corrected and saved again: nothing stops it, submitted.
    clerk.check("#lines-0-causal")
    clerk.select_option("#lines-0-supplied_by", "dealer")
    clerk.click("#save-claim")
    expect(clerk.locator("#check-result")).to_have_text(zh("Checked: nothing stops the submission."))
    expect(clerk.locator("#check-flags")).to_contain_text(zh("Labour over the standard time"))
    clerk.click("#submit-claim")
    expect(clerk.locator("#done")).to_have_text(zh(SUBMITTED))
    claim = office.get("warranty", f"/claims/{number}", CLERK)
    assert (claim["status"], claim["vin"], claim["coverage_plan"], claim["claimed_amount"]) == (
        "submitted", CAMRY_VIN, "CN-REPAIR", "600.00")
    assert [(line["kind"], line["part_number"] or line["operation"], line["quantity"], line["unit_price"],
             line["causal"], line["lot"]) for line in claim["lines"]] == [
        ("part", PADS, "2.000", "150.00", True, issued["lot"]),
        ("labour", "BRAKE-PADS-FRONT", "1.500", "200.00", False, None)]
    assert claim["flags"] == ["labour_over_standard_time"]  # 1.5 hours against the 1.0 standard
    expect(clerk.locator("#claim-status")).to_have_text(zh("Submitted"))
    expect(clerk.locator("#claimed-amount")).to_have_text("¥600.00")
    expect(clerk.locator(".claim-facts")).to_contain_text(zh("Labour over the standard time"))
    expect(clerk.locator("#claim-lines tr[data-line='1'] .lot")).to_contain_text(issued["lot"])
    expect(clerk.locator("#history tbody tr")).to_have_count(3)
    expect(clerk.locator("#history tr[data-action='submitted']")).to_contain_text("demo-warranty-clerk")
    screenshot(clerk, "submitted")

    # In the queue of submitted claims, 0 days old; each status tab says how many it holds.
    clerk.click("nav.desks a[href$='/warranty/claims']")
    row = clerk.locator(f"tr[data-claim='{number}']")
    expect(row).to_contain_text(CAMRY_VIN)
    expect(row.locator("td.age")).to_contain_text("0")
    counts = {item["status"]: item["count"] for item in office.get(
        "warranty", "/reports/claims-by-status", CLERK)["items"]}
    expect(clerk.locator("nav.tabs a[data-status='submitted'] .tab-count")).to_have_text(str(counts["submitted"]))
    expect(clerk.locator("nav.tabs a[data-status='all'] .tab-count")).to_have_text(str(sum(counts.values())))
    expect(clerk.locator("nav.tabs a[data-status='appealed'] .tab-count")).to_have_count(0)
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
    assert [(entry["action"], entry["reason"]) for entry in resubmitted["history"][3:]] == [
        ("info_requested", asked), ("edited", answer), ("resubmitted", None)]

    # The manager approves the labour at the standard time only (through the API).
    decided = office.post("warranty", f"/claims/{number}/decision", "warranty_manager", {
        "lines": [{"number": 1, "approved_amount": "300.00"},
                  {"number": 2, "approved_amount": "200.00", "reason_code": "labour_over_standard_time"}],
        "reason": "工时按定额 1.0 小时"}, expect=200)
    assert (decided["status"], decided["approved_amount"]) == ("partially_approved", "500.00")
    clerk.goto("/warranty/claims")
    clerk.click("nav.tabs a[data-status='waiting_for_payment']")
    clerk.click(f"tr[data-claim='{number}'] a.doc")
    expect(clerk.locator("#claim-lines tr[data-line='2']")).to_contain_text(zh("Labour over the standard time"))

    # The manufacturer pays 450.00 of the 500.00: the clerk records it, refused until saying why.
    expect(clerk.locator("#paid_amount")).to_have_value("500.00")
    clerk.fill("#paid_amount", "450.00")
    clerk.fill("#payment_reference", "OEM-PAY-2026-118")
    clerk.click("#record-payment")
    expect(clerk.locator("#short_payment_reason-error")).to_have_text(zh(
        "%(paid_amount)s paid of %(approved_amount)s approved: say why the manufacturer paid less.",
        paid_amount="450.00", approved_amount="500.00"))
    expect(clerk.locator("#paid_amount")).to_have_value("450.00")
    expect(clerk.locator("#payment_reference")).to_have_value("OEM-PAY-2026-118")
    assert office.get("warranty", f"/claims/{number}", CLERK)["status"] == "partially_approved"
    screenshot(clerk, "short-payment-refused")
    clerk.fill("#short_payment_reason", "厂家按区域工时单价结算")
    clerk.click("#record-payment")
    expect(clerk.locator("#done")).to_have_text(zh("The payment is recorded."))
    paid = office.get("warranty", f"/claims/{number}", CLERK)
    assert (paid["status"], paid["paid_amount"], paid["short_paid_amount"], paid["payment_reference"]) == (
        "paid", "450.00", "50.00", "OEM-PAY-2026-118")
    expect(clerk.locator("#claim-status")).to_have_text(zh("Paid"))
    expect(clerk.locator("#short-paid")).to_contain_text("¥50.00")
    assert [entry["action"] for entry in paid["history"]] == [
        "filed", "edited", "submitted", "info_requested", "edited", "resubmitted", "partially_approved", "paid"]
    expect(clerk.locator("#history tbody tr")).to_have_count(8)
    expect(clerk.locator("#history tr[data-action='paid']")).to_contain_text("demo-warranty-clerk")
    screenshot(clerk, "paid")

    # Printed on A4 for the manufacturer's portal, with the pads' lot.
    clerk.click("#print-claim")
    expect(clerk.locator(".doc-number")).to_have_text(number)
    expect(clerk.locator(".document tbody").first.locator("tr")).to_have_count(2)
    expect(clerk.locator(".document tbody").first.locator("tr").first).to_contain_text(issued["lot"])
    expect(clerk.locator(".document")).to_contain_text("¥450.00")
    # Codes, lots, names and who did what are read whole: none breaks across lines, and the lines
    # stay within the page's width.
    assert broken_across_lines(clerk, ".document .pn, .document .lot, .document td.kind, "
                                      ".document td.description, .document .history td:nth-child(-n+3)") == {}
    assert clerk.locator(".document table").first.evaluate(WITHIN_THE_PAGE)
    screenshot(clerk, "print")
    # In English the amounts are wider (CN¥) and the headings longer: the lines still fit.
    english = desk("demo-warranty-clerk", locale="en-US")
    english.goto(clerk.url)
    expect(english.locator("h1")).to_have_text("Warranty claim")
    assert english.locator(".document table").first.evaluate(WITHIN_THE_PAGE)
    screenshot(english, "print-en")


def test_a_checked_draft_is_corrected_refused_as_a_twin_then_submitted_rejected_and_appealed(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    repair_order = "RO-26402"
    a_repair_order_with_pads(office, repair_order)
    clerk = desk("demo-warranty-clerk", locale="en")
    clerk.goto(f"/warranty/claims/new?repair_order={repair_order}")
    expect(clerk.locator("h1")).to_have_text("File a warranty claim")
    fill_the_repair(clerk)
    clerk.check("#lines-0-causal")
    clerk.select_option("#lines-0-supplied_by", "customer")  # pads the customer brought
    clerk.click("#save-claim")

    # Saved as a draft, and checked: the customer's pads are not covered, said on their line.
    expect(clerk).to_have_url(re.compile(r"/warranty/claims/WC-[\w-]+\?done=filed$"))
    number = re.search(r"/claims/(WC-[\w-]+)", clerk.url)[1]
    expect(clerk.locator("#done")).to_have_text("Saved as a draft. Correct what is marked, then submit.")
    expect(clerk.locator("#lines-0-part_number-error")).to_contain_text(PADS)
    expect(clerk.locator("#lines-0-part_number-error")).to_contain_text("not covered")
    expect(clerk.locator("#check-result a[href='#lines-0-part_number']")).to_contain_text("not covered")
    expect(clerk.locator("#lines-0-supplied_by")).to_have_value("customer")
    expect(clerk.locator("#submit-claim")).to_be_disabled()
    draft = office.get("warranty", f"/claims/{number}", CLERK)
    assert (draft["status"], draft["lines"][0]["supplied_by"]) == ("draft", "customer")
    screenshot(clerk, "checked")

    # The pads were the dealer's after all: corrected, nothing stops it. Meanwhile the same repair
    # is claimed through the API, so the submission is refused after all, said above the lines.
    clerk.select_option("#lines-0-supplied_by", "dealer")
    clerk.click("#save-claim")
    expect(clerk.locator("#check-result")).to_have_text("Checked: nothing stops the submission.")
    twin = office.post("warranty", "/claims", CLERK, {
        "vin": CAMRY_VIN, "repair_order": f"{repair_order}-B", "repair_date": beijing_today(),
        "failure_date": beijing_today(), "odometer": 8400, "coverage_plan": "CN-REPAIR",
        "lines": [{"kind": "part", "part_number": PADS, "quantity": "2", "unit_price": "150.00", "causal": True}],
    })["claim_number"]
    office.post("warranty", f"/claims/{twin}/submit", CLERK, expect=200)
    clerk.click("#submit-claim")
    expect(clerk.locator("#lines-error")).to_have_text(f"This repeats claim {twin}.")
    expect(clerk.locator("#submit-claim")).to_be_disabled()
    assert office.get("warranty", f"/claims/{number}", CLERK)["status"] == "draft"

    # The twin withdrawn, checked again and submitted.
    office.post("warranty", f"/claims/{twin}/cancel", CLERK, {"reason": "filed twice"}, expect=200)
    clerk.click("#save-claim")
    expect(clerk.locator("#check-result")).to_have_text("Checked: nothing stops the submission.")
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
    # A file that only calls itself a PNG is refused next to the form, what was typed kept, nothing attached.
    clerk.set_input_files("#file", files=[{"name": "pads.png", "mimeType": "image/png", "buffer": b"not a picture"}])
    clerk.select_option("#attachment-kind", "photo")
    clerk.fill("#attachment-description", "Friction material delaminated")
    clerk.click("#attach-now")
    expect(clerk.get_by_text("Only JPEG, PNG, WebP and PDF files can be attached.").first).to_be_visible()
    expect(clerk.locator("#attachment-description")).to_have_value("Friction material delaminated")
    assert office.get("warranty", f"/claims/{number}/attachments", CLERK)["items"] == []
    screenshot(clerk, "attachment-refused")
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
