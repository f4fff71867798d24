"""The warranty manager's screens (索赔审核, 供应商索赔, 索赔统计; issue 10 screen 3) in Chromium,
against the whole stack: the manager asks the clerk for information, then decides a claim line
by line (the pads approved, the labour cut to the standard time, first refused for want of a
reason); the clerk sees the decision. The approval opened a recovery against the pads' supplier,
which the manager refuses to charge without a reason (the input kept), adjusts with a handling
charge, charges, records the supplier's dispute and the amount recovered, with the history
shown. The reports page draws each report beside its table, whose figures are the API's. In
English: the queue's appealed and pre-authorisation tabs, a claim rejected and decided again on
appeal, and a report period the service refuses, said next to its field.

Every decision and step the screens take is checked against the warranty API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from shared.testing import wait_until
from tests.backoffice import (
    CAMRY_VIN,
    PADS,
    SUPPLIER,
    BackOffice,
    a_stocked_safety_part,
    beijing_today,
    issue,
    register,
)
from tests.console.words import zh

CLERK, MANAGER = "warranty_clerk", "warranty_manager"
FIRST_FITTING = "RO-26500"  # the pads that failed were fitted on this repair order
REPORTS = ("claims-by-status", "cycle-times", "first-pass-approval", "rejection-reasons", "cost-by-coverage-type",
           "supplier-failure-rates", "supplier-recoveries")


def a_submitted_claim(office: BackOffice, repair_order: str, claim_type: str = "warranty", days_ago: int = 0) -> str:
    """The Camry's brake pads, fitted here earlier (warranty has seen them fitted, so an approval
    traces their lot to the supplier), failed: two new pads and 1.5 hours of labour, claimed and
    submitted: 300.00 + 300.00. Two claims on one day would repeat each other (the same VIN,
    causal part and repair date)."""
    if office.find("warranty", f"/vehicles/{CAMRY_VIN}", CLERK) is None:
        a_stocked_safety_part(office)
        register(office, CAMRY_VIN, "Camry")
        wait_until(lambda: office.find("warranty", f"/catalog/{PADS}", CLERK), timeout=60,
                   what="warranty to learn the pads")
        a_fitting(office, FIRST_FITTING)
    a_fitting(office, repair_order)
    day = (date.fromisoformat(beijing_today()) - timedelta(days=days_ago)).isoformat()
    filed = office.post("warranty", "/claims", CLERK, {
        "vin": CAMRY_VIN, "repair_order": repair_order, "repair_date": day, "failure_date": day,
        "odometer": 8400, "coverage_plan": "CN-REPAIR", "claim_type": claim_type,
        "complaint": "制动时有异响", "cause": "刹车片摩擦材料脱层", "correction": "更换前刹车片",
        "lines": [{"kind": "part", "part_number": PADS, "quantity": "2", "unit_price": "150.00", "causal": True},
                  {"kind": "labour", "operation": "BRAKE-PADS-FRONT", "quantity": "1.5", "unit_price": "200.00"}]})
    number = filed["claim_number"]
    office.post("warranty", f"/claims/{number}/submit", CLERK, expect=200)
    return number


def a_fitting(office: BackOffice, repair_order: str) -> None:
    issue(office, CAMRY_VIN, repair_order, "2")
    fitted = f"/vehicles/{CAMRY_VIN}/installed-parts"
    wait_until(lambda: [part for part in office.get("warranty", fitted, CLERK)["items"]
                        if part["repair_order"] == repair_order], timeout=60, what="warranty to see the pads fitted")


def claim_of(office: BackOffice, number: str) -> dict:
    return office.get("warranty", f"/claims/{number}", CLERK)


def recovery_of(office: BackOffice, number: str) -> dict:
    return office.get("warranty", f"/supplier-recoveries/{number}", MANAGER)


def take_step(page: Page, step: str, reason: str, reference: str = "") -> None:
    page.fill("#reason", reason)
    page.fill("#reference", reference)
    page.click(f"#step-{step}")
    expect(page.locator("#done")).to_be_visible()


def the_reports_match_the_api(page: Page, office: BackOffice, period: str = "", yuan: str = "¥") -> dict:
    """Every report is a chart (an SVG with its title) beside a table whose figures are the API's
    (amounts in yuan as the page's language writes them: ¥ in Chinese, CN¥ in English)."""

    def money(amount: str) -> str:
        whole, _, cents = amount.partition(".")
        return f"{yuan}{int(whole):,}.{cents or '00'}"

    answers = {name: office.get("warranty", f"/reports/{name}{period}", MANAGER) for name in REPORTS}
    for name in REPORTS:
        chart = page.locator(f"#chart-{name}")
        expect(chart).to_be_visible()
        expect(chart.locator("title").first).not_to_be_empty()
    by_status = page.locator("#report-claims-by-status tbody tr")
    expect(by_status).to_have_count(len(answers["claims-by-status"]["items"]))
    for item in answers["claims-by-status"]["items"]:
        row = page.locator(f"#report-claims-by-status tr[data-row='{item['status']}'] td")
        expect(row.first).to_have_text(str(item["count"]))
        expect(row.nth(1)).to_have_text(str(item["age_days"]["0_7"]))
    first_pass = answers["first-pass-approval"]
    for key in ("decided", "first_pass_approved", "info_requested", "appealed"):
        expect(page.locator(f"#report-first-pass-approval tr[data-row='{key}'] td")).to_have_text(str(first_pass[key]))
    for item in answers["rejection-reasons"]["items"]:
        cells = page.locator(f"#report-rejection-reasons tr[data-row='{item['reason_code']}'] td")
        expect(cells.first).to_have_text(str(item["lines"]))
        expect(cells.nth(2)).to_have_text(money(item["amount_refused"]))
    for item in answers["cost-by-coverage-type"]["items"]:
        row = f"{item['coverage_type']}-{item['currency']}"
        cells = page.locator(f"#report-cost-by-coverage-type tr[data-row='{row}'] td")
        expect(cells.nth(2)).to_have_text(money(item["approved"]))
        expect(cells.nth(3)).to_have_text(money(item["paid"]))
        expect(cells.nth(5)).to_have_text(money(item["short_paid"]))
    for item in answers["supplier-failure-rates"]["items"]:
        expect(page.locator(f"#report-supplier-failure-rates tr[data-row='{item['supplier']}'] td").first).to_have_text(
            str(item["failures"]))
    for item in answers["supplier-recoveries"]["items"]:
        cells = page.locator(f"#report-supplier-recoveries tr[data-row='{item['supplier']}-{item['currency']}'] td")
        expect(cells.nth(1)).to_have_text(money(item["opened"]))
        expect(cells.nth(5)).to_have_text(money(item["recovered"]))
    return answers


def test_the_manager_asks_then_decides_per_line_and_recovers_the_cost_from_the_supplier(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    number = a_submitted_claim(office, "RO-26501")
    manager = desk("demo-warranty-manager")
    manager.click("a.tile[href$='/warranty/claims']")
    expect(manager.locator("nav.tabs a[aria-current='page']")).to_have_attribute("data-status", "submitted")
    manager.click(f"tr[data-claim='{number}'] a.doc")
    expect(manager.locator("#decision-form")).to_be_visible()
    expect(manager.locator("#lines-0-outcome")).to_be_focused()
    screenshot(manager, "to-decide")

    # Asked for the photo: back to the clerk, who answers and submits again (through the API).
    asked = "请补充故障件照片"
    manager.fill("#request_info-reason", asked)
    manager.click("#request-info-now")
    expect(manager.locator("#done")).to_have_text(zh("Sent back to the clerk with your question."))
    expect(manager.locator("#claim-status")).to_have_text(zh("Information requested"))
    sent_back = claim_of(office, number)
    assert (sent_back["status"], sent_back["history"][-1]["action"], sent_back["history"][-1]["reason"]) == (
        "info_requested", "info_requested", asked)
    office.post("warranty", f"/claims/{number}/submit", CLERK, expect=200)

    # The labour cut to the standard hour without saying why: refused on its line, all kept.
    manager.reload()
    manager.select_option("#lines-0-outcome", "approve")
    manager.select_option("#lines-1-outcome", "cut")
    manager.fill("#lines-1-approved_amount", "200.00")
    manager.fill("#decide-reason", "工时按定额 1.0 小时")
    manager.click("#decide-now")
    expect(manager.locator("#lines-1-error")).to_have_text(zh(
        "The decision is not complete: decide every line, saying why when less is approved."))
    expect(manager.locator("#lines-1-outcome")).to_have_value("cut")
    expect(manager.locator("#lines-1-approved_amount")).to_have_value("200.00")
    expect(manager.locator("#decide-reason")).to_have_value("工时按定额 1.0 小时")
    assert claim_of(office, number)["status"] == "submitted"
    screenshot(manager, "decision-refused")

    manager.select_option("#lines-1-reason_code", "labour_over_standard_time")
    manager.click("#decide-now")
    expect(manager.locator("#done")).to_have_text(zh("The decision is recorded."))
    decided = claim_of(office, number)
    assert (decided["status"], decided["approved_amount"]) == ("partially_approved", "500.00")
    assert [(line["approved_amount"], line["reason_code"]) for line in decided["lines"]] == [
        ("300.00", None), ("200.00", "labour_over_standard_time")]
    assert (decided["history"][-1]["by"], decided["history"][-1]["reason"]) == (
        "demo-warranty-manager", "工时按定额 1.0 小时")

    # What the clerk sees of it.
    clerk = desk("demo-warranty-clerk")
    clerk.goto(f"/warranty/claims/{number}")
    expect(clerk.locator("#claim-status")).to_have_text(zh("Partially approved"))
    expect(clerk.locator("#approved-amount")).to_have_text("¥500.00")
    expect(clerk.locator("#claim-lines tr[data-line='1'] td.strong")).to_have_text("¥300.00")
    expect(clerk.locator("#claim-lines tr[data-line='2']")).to_contain_text(zh("Labour over the standard time"))
    expect(clerk.locator("#decision-form")).to_have_count(0)
    screenshot(clerk, "clerk-sees-decision")

    # The approval opened a recovery against the pads' supplier, for what was approved.
    opened = recovery_of(office, number)
    assert (opened["status"], opened["supplier"], opened["parts"], opened["labour"], opened["amount"]) == (
        "open", SUPPLIER, "300.00", "200.00", "500.00")
    manager.click("nav.desks a[href$='/warranty/recoveries']")
    manager.click("nav.tabs a[data-status='open']")
    row = manager.locator(f"tr[data-claim='{number}']")
    expect(row).to_contain_text(SUPPLIER)
    expect(row.locator("td.strong")).to_have_text("¥500.00")
    screenshot(manager, "recoveries")
    row.locator("a.doc").click()
    expect(manager.locator("#recovery-status")).to_have_text(zh("Open"))

    # Charging without a reason is refused next to it, the debit note's number kept.
    manager.fill("#reference", "DN-2026-031")
    manager.click("#step-charge")
    expect(manager.locator("#reason-error")).to_have_text(zh("Missing data for required field."))
    expect(manager.locator("#reference")).to_have_value("DN-2026-031")
    assert recovery_of(office, number)["status"] == "open"
    screenshot(manager, "charge-refused")

    # The handling charge added, then charged, disputed and recovered.
    manager.fill("#handling", "30.00")
    manager.fill("#amount-reason", "管理费 6%")
    manager.click("#adjust-now")
    expect(manager.locator("#done")).to_have_text(zh("The amount is adjusted."))
    expect(manager.locator("#amount")).to_have_text("¥530.00")
    take_step(manager, "charge", "发出索赔通知单", "DN-2026-031")
    expect(manager.locator("#recovery-status")).to_have_text(zh("Charged"))
    take_step(manager, "dispute", "供应商要求提供故障件")
    expect(manager.locator("#recovery-status")).to_have_text(zh("Disputed"))
    take_step(manager, "recover", "供应商已开具贷项通知单", "CN-88120")
    expect(manager.locator("#recovery-status")).to_have_text(zh("Recovered"))
    expect(manager.locator("#step-form")).to_have_count(0)
    recovered = recovery_of(office, number)
    assert [recovered[key] for key in ("status", "parts", "labour", "handling", "amount")] == [
        "recovered", "300.00", "200.00", "30.00", "530.00"]
    assert [(entry["action"], entry["reference"]) for entry in recovered["history"]] == [
        ("opened", None), ("adjusted", None), ("charged", "DN-2026-031"), ("disputed", None), ("recovered", "CN-88120")]
    history = manager.locator("#history tbody tr")
    expect(history).to_have_count(5)
    expect(manager.locator("#history tr[data-action='charged']")).to_contain_text("DN-2026-031")
    expect(manager.locator("#history tr[data-action='adjusted']")).to_contain_text("管理费 6%")
    expect(manager.locator("#history tr[data-action='recovered']")).to_contain_text("demo-warranty-manager")
    screenshot(manager, "recovered")

    # The reports: every chart beside its table, the figures the API's.
    manager.click("nav.desks a[href$='/warranty/reports']")
    expect(manager.locator("h1")).to_have_text(zh("Warranty reports"))
    answers = the_reports_match_the_api(manager, office)
    assert answers["first-pass-approval"]["info_requested"] == 1
    [pads] = answers["supplier-recoveries"]["items"]
    assert (pads["supplier"], pads["recovered"]) == (SUPPLIER, "530.00")
    expect(manager.locator("#first-pass-rate")).to_have_text("0%")
    screenshot(manager, "reports")


def test_appeals_and_pre_authorisations_have_their_tabs_and_a_refused_report_period_is_said_in_english(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    number = a_submitted_claim(office, "RO-26502")
    request = a_submitted_claim(office, "RO-26503", claim_type="pre_authorisation", days_ago=1)
    manager = desk("demo-warranty-manager", locale="en")

    # Pre-authorisation requests on a tab of their own (the API keeps only them); a status tab
    # says how many claims it holds, this one, a part of a status, does not.
    manager.goto("/warranty/claims?status=pre_authorisation")
    expect(manager.locator(f"tr[data-claim='{request}']")).to_contain_text("Pre-authorisation")
    expect(manager.locator(f"tr[data-claim='{number}']")).to_have_count(0)
    requests = office.get("warranty", "/claims?status=submitted&claim_type=pre_authorisation", MANAGER)["items"]
    expect(manager.locator("tr.claim-row")).to_have_count(len(requests))
    submitted = next(item["count"] for item in office.get("warranty", "/reports/claims-by-status", MANAGER)["items"]
                     if item["status"] == "submitted")
    expect(manager.locator("nav.tabs a[data-status='submitted'] .tab-count")).to_have_text(str(submitted))
    expect(manager.locator("nav.tabs a[data-status='pre_authorisation'] .tab-count")).to_have_count(0)

    # Rejected line by line for want of evidence.
    manager.goto(f"/warranty/claims/{number}")
    for line in (0, 1):
        manager.select_option(f"#lines-{line}-outcome", "reject")
        manager.select_option(f"#lines-{line}-reason_code", "insufficient_evidence")
    manager.click("#decide-now")
    expect(manager.locator("#claim-status")).to_have_text("Rejected")
    rejected = claim_of(office, number)
    assert (rejected["status"], rejected["approved_amount"]) == ("rejected", "0.00")
    assert office.find("warranty", f"/supplier-recoveries/{number}", MANAGER) is None

    # Appealed by the clerk: on the appealed tab, marked; approved in full this time.
    office.post("warranty", f"/claims/{number}/appeal", CLERK, {"reason": "Photo of the delaminated pads attached"},
                expect=200)
    manager.goto("/warranty/claims?status=appealed")
    row = manager.locator(f"tr[data-claim='{number}']")
    expect(row).to_contain_text("appealed")
    expect(row).to_contain_text("Photo of the delaminated pads attached")
    screenshot(manager, "appealed")
    row.locator("a.doc").click()
    expect(manager.locator("#lines-0-approved_amount")).to_have_value("300.00")
    manager.click("#decide-now")
    expect(manager.locator("#done")).to_have_text("The decision is recorded.")
    approved = claim_of(office, number)
    assert (approved["status"], approved["approved_amount"], approved["appealed"]) == ("approved", "600.00", True)
    assert recovery_of(office, number)["amount"] == "600.00"

    # The recovery charged, then written off; a negative handling charge is refused next to it.
    manager.goto(f"/warranty/recoveries/{number}")
    manager.fill("#handling", "-5")
    manager.fill("#amount-reason", "handling")
    manager.click("#adjust-now")
    expect(manager.locator("#handling-error")).to_be_visible()
    expect(manager.locator("#handling")).to_have_value("-5")
    expect(manager.locator("#amount-reason")).to_have_value("handling")
    take_step(manager, "charge", "Debit note sent", "DN-2026-032")
    take_step(manager, "write_off", "Supplier insolvent")
    expect(manager.locator("#recovery-status")).to_have_text("Written off")
    assert [entry["action"] for entry in recovery_of(office, number)["history"]] == ["opened", "charged", "written_off"]
    screenshot(manager, "written-off")

    # A period that ends before it starts: said next to its end, both dates kept.
    today = date.fromisoformat(beijing_today())
    manager.goto("/warranty/reports")
    manager.fill("#from", today.isoformat())
    manager.fill("#to", (today - timedelta(days=7)).isoformat())
    manager.click("#show-period")
    expect(manager.locator("#to-error")).to_be_visible()
    expect(manager.locator("#to")).to_have_value((today - timedelta(days=7)).isoformat())
    expect(manager.locator("#from")).to_have_value(today.isoformat())
    expect(manager.locator("svg.chart")).to_have_count(0)
    screenshot(manager, "period-refused")
    manager.fill("#to", today.isoformat())
    manager.click("#show-period")
    expect(manager).to_have_url(re.compile(r"from=.*&to="))
    answers = the_reports_match_the_api(manager, office, f"?from={today.isoformat()}&to={today.isoformat()}", "CN¥")
    assert answers["first-pass-approval"]["appealed"] == 1
    expect(manager.locator("#report-claims-by-status tr[data-row='approved'] th")).to_have_text("Approved")
    screenshot(manager, "reports")
