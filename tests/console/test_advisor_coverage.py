"""The service advisor's coverage check at write-up (保修判定, issue 10 screen 1) in Chromium,
against the whole stack: a VIN scanned (the vehicle shows as soon as it is in), the odometer,
the component and an estimate; at one glance every plan covered or not and why, time and km
left, deductible and pre-authorisation with its limit, the lot recall of a part fitted to the
vehicle, and its lemon-law (三包) exposure, whose claims open (to read) from it. A VIN the
dealer does not have is said under the field with what was typed kept. The same screen in English.

Every plan's verdict on screen is checked against the warranty API's own answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from playwright.sync_api import Page, expect

from shared.testing import wait_until
from tests.backoffice import CAMRY_VIN, PADS, BackOffice, a_stocked_safety_part, beijing_today, issue, register
from tests.console.words import zh
from warranty.domain.vin import check_digit

REPAIR_ORDER = "RO-26301"


def a_camry_with_recalled_pads(office: BackOffice) -> str:
    """The Camry has had brake pads fitted here, from a lot the parts manager then put on hold
    (a supplier notice): warranty lists the vehicle under the lot's recall. Returns the lot."""
    lot = a_stocked_safety_part(office)
    register(office, CAMRY_VIN, "Camry")
    wait_until(lambda: office.find("warranty", f"/catalog/{PADS}", "warranty_clerk"), timeout=60,
               what="warranty to learn the pads")
    issue(office, CAMRY_VIN, REPAIR_ORDER, "2")
    wait_until(lambda: office.get("warranty", f"/vehicles/{CAMRY_VIN}/installed-parts", "warranty_clerk")["items"],
               timeout=60, what="warranty to see the pads fitted")
    office.post("parts", f"/lots/{lot}/quarantine", "parts_manager", {"reason": "供应商通知：摩擦材料脱层"}, expect=200)
    wait_until(lambda: office.find("warranty", f"/lot-recalls/{lot}", "warranty_clerk"), timeout=60,
               what="warranty to list the lot's recall")
    return lot


def a_submitted_pads_claim(office: BackOffice) -> str:
    """The pads fitted on the repair order, claimed by the warranty clerk and submitted."""
    filed = office.post("warranty", "/claims", "warranty_clerk", {
        "vin": CAMRY_VIN, "repair_order": REPAIR_ORDER, "repair_date": beijing_today(),
        "failure_date": beijing_today(), "odometer": 8400, "coverage_plan": "CN-REPAIR",
        "lines": [{"kind": "part", "part_number": PADS, "quantity": "2", "unit_price": "150.00", "causal": True}]})
    office.post("warranty", f"/claims/{filed['claim_number']}/submit", "warranty_clerk", expect=200)
    return filed["claim_number"]


def eligibility(office: BackOffice, **question) -> dict:
    return office.post("warranty", "/eligibility", "service_advisor", {"vin": CAMRY_VIN, **question}, expect=200)


def money(amount: str) -> str:
    return f"¥{Decimal(amount):,.2f}"


def test_the_advisor_sees_every_plan_the_recall_and_the_lemon_law_exposure_at_one_glance(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    lot = a_camry_with_recalled_pads(office)
    page = desk("demo-service-advisor")
    page.click("a.tile[href$='/advisor/coverage']")
    expect(page.locator("h1")).to_have_text(zh("Is this repair covered?"))
    expect(page.locator("#vin")).to_be_focused()
    expect(page.locator("#date")).to_have_value(beijing_today())

    # Scanned: the vehicle shows as soon as the VIN is in, before anything else is asked.
    page.keyboard.type(CAMRY_VIN)
    page.keyboard.press("Enter")
    expect(page.locator("#vehicle-facts")).to_contain_text("Toyota Camry 2025")
    expect(page.locator("#odometer")).to_be_focused()
    page.keyboard.type("8400")
    page.fill("#component_group", "brakes")
    page.fill("#estimated_cost", "6000")
    page.press("#estimated_cost", "Enter")

    answer = eligibility(office, odometer=8400, component_group="brakes", estimated_cost="6000.00")
    expect(page.locator("#verdict")).to_contain_text(zh("Covered") if answer["covered"] else zh("Not covered"))
    assert answer["covered"] is True
    plans = {plan["plan"]: plan for plan in answer["plans"]}
    expect(page.locator("tr.plan")).to_have_count(len(plans))
    for code, plan in plans.items():
        row = page.locator(f"tr.plan[data-plan='{code}']")
        expect(row.locator("td").first).to_have_text(zh("Covered") if plan["covered"] else zh("Not covered"))
        expect(row).to_contain_text(money(plan["deductible"]))
        if plan["pre_authorisation_required"]:
            expect(row.locator(".pre-authorisation")).to_contain_text(zh("Needed"))
    # Brakes are not powertrain: not covered, and the screen says why.
    assert plans["CN-POWERTRAIN"]["reasons"] == ["component_not_covered"]
    expect(page.locator("tr.plan[data-plan='CN-POWERTRAIN'] .reason")).to_have_text(zh("Component not covered"))
    # The repair warranty covers it: 3 years from 2025-06-18, up to 60,000 km, 51,600 km left;
    # a 6,000 estimate is above the 5,000 limit, so the manufacturer must approve it first.
    repair = plans["CN-REPAIR"]
    assert (repair["covered"], repair["covered_until"], repair["km_left"]) == (True, "2028-06-17", 51_600)
    assert repair["pre_authorisation_required"] is True
    repair_row = page.locator("tr.plan[data-plan='CN-REPAIR']")
    expect(repair_row).to_contain_text(zh("until %(day)s", day="2028-06-17"))
    expect(repair_row).to_contain_text(zh("%(km)s km left", km="51,600"))
    expect(repair_row.locator(".pre-authorisation")).to_contain_text(zh("above %(limit)s", limit="¥5,000.00"))
    # Goodwill always needs the manufacturer's word first.
    expect(page.locator("tr.plan[data-plan='CN-GOODWILL'] .pre-authorisation")).to_contain_text(
        zh("for every repair"))

    # The recalled lot fitted to the vehicle, to book in on the same visit.
    [recall] = [campaign for campaign in answer["open_campaigns"] if campaign["kind"] == "lot_recall"]
    assert (recall["code"], recall["part_number"]) == (lot, PADS)
    campaigns = page.locator("#campaigns")
    expect(campaigns).to_contain_text(lot)
    expect(campaigns).to_contain_text(zh("Lot recall"))
    expect(campaigns).to_contain_text(PADS)

    # The lemon-law exposure: in the period, nothing counted yet, every threshold listed.
    exposure = office.get("warranty", f"/vehicles/{CAMRY_VIN}/lemon-law", "service_advisor")
    assert exposure["period_open"] is True
    lemon = page.locator("#lemon-law")
    expect(lemon).to_contain_text(zh("In the period"))
    expect(lemon.locator("tbody tr")).to_have_count(len(exposure["thresholds"]))
    expect(lemon.locator("tr[data-threshold='days_out_of_service'] td.num").nth(1)).to_have_text(
        str(next(t["limit"] for t in exposure["thresholds"] if t["threshold"] == "days_out_of_service")))
    screenshot(page, "answer")

    # The answer is in the address: reloaded, it is the same.
    page.reload()
    expect(page.locator("tr.plan")).to_have_count(len(plans))
    expect(page.locator("#vin")).to_have_value(CAMRY_VIN)

    # The pads claimed (through the API) count as a safety repair: the claim opens from the
    # table, to read only.
    number = a_submitted_pads_claim(office)
    page.reload()
    counted = page.locator("#lemon-law tr[data-threshold='serious_safety_fault_repairs']")
    expect(counted.locator("td.num").first).to_have_text("1")
    counted.locator(f"a.doc:text-is('{number}')").click()
    expect(page.locator("h1 .doc")).to_have_text(number)
    expect(page.locator("#claim-status")).to_have_text(zh("Submitted"))
    expect(page.locator("#claim-lines tr.line")).to_have_count(1)
    expect(page.locator("#claim-form, .steps, #attachments, #decision-form")).to_have_count(0)
    screenshot(page, "claim-read-only")


def test_a_vin_the_dealer_does_not_have_is_said_under_the_field_in_english(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    register(office, CAMRY_VIN, "Camry")
    page = desk("demo-service-advisor", locale="en")
    page.goto("/advisor/coverage")
    expect(page.locator("h1")).to_have_text("Is this repair covered?")

    # One character off, so its check digit is wrong: said as soon as it is typed, and again when asked.
    wrong = CAMRY_VIN[:8] + ("2" if CAMRY_VIN[8] != "2" else "3") + CAMRY_VIN[9:]
    assert check_digit(wrong) != wrong[8]
    page.fill("#vin", wrong)
    page.press("#vin", "Enter")
    message = f"{wrong} is not a valid VIN."
    expect(page.locator("#vin-lookup-error")).to_have_text(message)
    page.fill("#odometer", "70000")
    page.fill("#component_group", "brakes")
    page.click("#check-coverage")
    expect(page.locator("#vin-error")).to_have_text(message)
    expect(page.locator("#vin")).to_have_value(wrong)
    expect(page.locator("#vin")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#vin")).to_be_focused()
    expect(page.locator("#odometer")).to_have_value("70000")
    expect(page.locator("#coverage-answer")).to_have_count(0)
    screenshot(page, "unknown-vin")

    # Corrected: at 70,000 km the repair warranty (60,000 km) has run out, and says so.
    page.fill("#vin", CAMRY_VIN)
    page.click("#check-coverage")
    answer = eligibility(office, odometer=70_000, component_group="brakes")
    repair = next(plan for plan in answer["plans"] if plan["plan"] == "CN-REPAIR")
    assert (repair["covered"], repair["reasons"]) == (False, ["expired_distance"])
    row = page.locator("tr.plan[data-plan='CN-REPAIR']")
    expect(row.locator("td").first).to_have_text("Not covered")
    expect(row.locator(".reason")).to_have_text("Expired by distance")
    expect(page.locator("#verdict")).to_contain_text("Covered" if answer["covered"] else "Not covered")
    expect(page.locator("#vin-error")).to_have_count(0)
    screenshot(page, "expired-by-distance")

    # An appointment may be asked about ahead of time, but not half a year ahead.
    later = (date.fromisoformat(beijing_today()) + timedelta(days=200)).isoformat()
    page.fill("#date", later)
    page.click("#check-coverage")
    expect(page.locator("#date-error")).to_contain_text("days ahead")
    expect(page.locator("#date")).to_have_value(later)
    expect(page.locator("#coverage-answer")).to_have_count(0)
