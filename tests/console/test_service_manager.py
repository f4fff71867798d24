"""The service manager's screens (服务经理, issue 11 screen 4) in Chromium, against the whole
stack: the escalations inbox lists the complaint whose clocks ran out (the complaints service's
own sweep escalated it), with which clocks and how long ago, and leads to the complaint; the
complaints reports draw SLA compliance per clock, root causes, satisfaction and the complaints
per part, lot and supplier, each beside a table whose figures are the API's; the supplier
scorecard joins, for the brake pads' supplier, parts' field failures per thousand issued and
rejected lots, warranty's recovery and the complaints naming its lot. A period that ends before
it starts is refused next to its field, in English too.

Everything is seeded through the services' APIs and every figure checked against them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from babel.support import Translations
from playwright.sync_api import Page, expect

from shared.testing import wait_until
from tests.backoffice import PADS, SUPPLIER, BackOffice, beijing_today
from tests.console.conftest import ROOT
from tests.console.test_warranty_manager import a_submitted_claim, claim_of
from tests.console.words import CATALOG

AGENT, MANAGER = "complaints_agent", "service_manager"
CLOCK_WORDS = {"acknowledge": "Acknowledge", "first_response": "First response", "escalation": "Escalation",
               "resolution": "Resolution"}


@cache
def _catalog() -> Translations:
    return Translations.load(str(CATALOG), ["zh"])


def zh_manager(msgid: str, **facts) -> str:
    """The desk's Chinese for its own words (context "manager" in the catalog)."""
    words = _catalog().pgettext("manager", msgid)
    return words % facts if facts else words


def a_complaint(office: BackOffice, lot: str, text: str, days_ago: int | None = None) -> dict:
    """Received now, or by letter (a plain date) `days_ago`: a letter's clocks run from that
    morning, so one dated today could already be late by the time of day the test runs."""
    received = {} if days_ago is None else {
        "received_at": (date.fromisoformat(beijing_today()) - timedelta(days=days_ago)).isoformat()}
    return office.post("complaints", "/complaints", AGENT, {
        "channel": "phone", "text": text, **received, "customer_name": "王先生",
        "customer_phone": "13812341234", "part_number": PADS, "lot": lot})


def resolved_and_rated(office: BackOffice, complaint: dict, satisfaction: int) -> None:
    """Told, answered, investigated (the supplier's batch), resolved and rated by the customer."""
    path = f"/complaints/{complaint['id']}"
    office.post("complaints", f"{path}/acknowledgement", AGENT, {}, expect=200)
    office.post("complaints", f"{path}/responses", AGENT, {"summary": "已安排检查刹车片"}, expect=200)
    office.post("complaints", f"{path}/investigation", AGENT,
                {"findings": "刹车片摩擦材料脱层", "root_cause": "supplier"}, expect=200)
    office.post("complaints", f"{path}/resolution", AGENT, {"resolution": "免费更换前刹车片"}, expect=200)
    office.post("complaints", f"{path}/feedback", AGENT,
                {"told": "已更换刹车片", "accepted": True, "satisfaction": satisfaction}, expect=200)


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def sweep_escalations(office: BackOffice) -> None:
    """The complaints service's escalation sweep, once, as its consumer runs it on a timer."""
    result = subprocess.run([sys.executable, "-m", "complaints", "job", "escalate-overdue"],
                            env={**os.environ, **office.stack.environ}, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_service_manager_reads_escalations_reports_and_the_supplier_scorecard(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    # Warranty approves a claim on the pads: a recovery against their supplier, a field failure at parts.
    claim = a_submitted_claim(office, "RO-27001")
    office.post("warranty", f"/claims/{claim}/decision", "warranty_manager",
                {"lines": [{"number": 1, "approved_amount": "300.00"}, {"number": 2, "approved_amount": "300.00"}],
                 "reason": "covered defect"}, expect=200)
    lot = claim_of(office, claim)["causal_lot"]
    assert lot and claim_of(office, claim)["causal_supplier"] == SUPPLIER
    wait_until(lambda: office.get("parts", "/reports/supplier-quality", MANAGER)["items"][0]["field_failures"] == 1,
               timeout=60, what="parts to count the field failure")

    # Two complaints name the lot: one ten days old nobody answered, one resolved and rated 4.
    late = a_complaint(office, lot, "刹车片更换后仍有异响，十天了没人联系我。", days_ago=10)
    done = a_complaint(office, lot, "刹车时有异响，上周刚换的刹车片。")
    resolved_and_rated(office, done, satisfaction=4)
    sweep_escalations(office)
    escalated = office.get("complaints", "/complaints?escalated=true", MANAGER)["items"]
    assert [item["number"] for item in escalated] == [late["number"]]
    ran_out = {escalation["clock"] for escalation in escalated[0]["escalations"]}
    assert "acknowledge" in ran_out

    # The inbox: the late complaint, which clocks ran out and how long ago, a link to the complaint.
    manager = desk("demo-service-manager")
    manager.click("nav.desks a[href$='/manager/escalations']")
    expect(manager.locator("h1")).to_have_text(zh_manager("Escalated complaints"))
    rows = manager.locator("#escalations tbody tr")
    expect(rows).to_have_count(1)
    row = manager.locator(f"#escalations tr[data-complaint='{late['number']}']")
    for clock in ran_out:
        expect(row.locator(f"li[data-clock='{clock}'] strong")).to_have_text(zh_manager(CLOCK_WORDS[clock]))
        expect(row.locator(f"li[data-clock='{clock}'] .ago")).to_contain_text("前")  # "…天前": days ago
    link = row.locator("a").first
    expect(link).to_be_focused()  # keyboard first: Enter opens the first complaint
    expect(link).to_have_attribute("href", f"/complaints/{late['id']}")
    screenshot(manager, "escalations")

    # The reports: every chart beside its table, the figures the API's.
    manager.click("nav.desks a[href$='/manager/reports']")
    expect(manager.locator("h1")).to_have_text(zh_manager("Complaints reports"))
    sla = office.get("complaints", "/reports/sla", MANAGER)["clocks"]
    for name in ("sla", "root-causes", "satisfaction", "by-part", "by-lot", "by-supplier"):
        expect(manager.locator(f"#chart-{name}")).to_be_visible()
        expect(manager.locator(f"#chart-{name} title").first).not_to_be_empty()
    for clock in sla:
        cells = manager.locator(f"#report-sla tr[data-row='{clock['clock']}'] td")
        expect(cells).to_have_text([str(clock["met"]), str(clock["missed"]), str(clock["running"]),
                                    str(clock["not_set"]), f"{round(clock['met_rate'] * 100)}%"
                                    if clock["met_rate"] is not None else "—"])
    acknowledge = next(clock for clock in sla if clock["clock"] == "acknowledge")
    assert (acknowledge["met"], acknowledge["missed"]) == (1, 1)
    causes = office.get("complaints", "/reports/root-causes", MANAGER)["items"]
    assert causes == [{"root_cause": "supplier", "complaints": 1}]
    expect(manager.locator("#report-root-causes tr[data-row='supplier'] th")).to_have_text(zh_manager("Supplier"))
    expect(manager.locator("#report-root-causes tr[data-row='supplier'] td")).to_have_text("1")
    rated = office.get("complaints", "/reports/satisfaction", MANAGER)
    assert (rated["rated"], rated["mean"], rated["distribution"]["4"]) == (1, 4.0, 1)
    expect(manager.locator("#satisfaction-mean")).to_have_text("4.00")
    expect(manager.locator("#report-satisfaction tr[data-row='4'] td")).to_have_text(["1", "100%"])
    expect(manager.locator("#report-satisfaction tr[data-row='rated'] td").first).to_have_text("1")
    named = office.get("complaints", "/reports/parts", MANAGER)
    assert named["by_part"] == [{"part_number": PADS, "complaints": 2}]
    assert named["by_lot"] == [{"lot": lot, "part_number": PADS, "complaints": 2}]
    expect(manager.locator(f"#report-by-part tr[data-row='{PADS}'] td")).to_have_text("2")
    expect(manager.locator(f"#report-by-lot tr[data-row='{lot}'] td")).to_have_text([PADS, SUPPLIER, "2"])
    expect(manager.locator(f"#report-by-supplier tr[data-row='{SUPPLIER}'] td")).to_have_text(["2", lot])
    screenshot(manager, "reports")

    # The scorecard: the supplier's row joins the three services' figures.
    manager.click("nav.desks a[href$='/manager/scorecard']")
    expect(manager.locator("h1")).to_have_text(zh_manager("Supplier scorecard"))
    [quality] = [item for item in office.get("parts", "/reports/supplier-quality", MANAGER)["items"]
                 if item["supplier"] == SUPPLIER]
    assert (quality["field_failures"], quality["units_issued"]) == (1, "4.000")  # pads fitted on two orders
    [recovery] = office.get("warranty", "/reports/supplier-recoveries", MANAGER)["items"]
    assert (recovery["supplier"], recovery["recoveries"], recovery["recovered"]) == (SUPPLIER, 1, "0.00")
    assert Decimal(recovery["open"]) > 0
    still = sum(Decimal(recovery[key]) for key in ("open", "charged", "disputed"))
    cells = manager.locator(f"#scorecard tr[data-row='{SUPPLIER}'] td")
    expect(cells).to_have_text(["4", "1", quality["failures_per_thousand"], str(quality["lots_inspected"]),
                                str(quality["lots_rejected"]), "1", "¥0.00", yuan(still), "—", "—", "2", lot])
    assert office.get("warranty", "/parts-warranty/reports/by-supplier", MANAGER)["items"] == []  # none sold back
    assert Decimal(quality["failures_per_thousand"]) == Decimal("250.00")
    for name in ("rates", "incidents", "recoveries"):
        expect(manager.locator(f"#chart-{name}")).to_be_visible()
    screenshot(manager, "scorecard")


def test_a_period_that_ends_before_it_starts_is_refused_next_to_its_end_in_english(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    manager = desk("demo-service-manager", locale="en-US")
    manager.goto("/manager/reports")
    expect(manager.locator("#report-sla")).to_be_visible()  # no period: every complaint
    manager.fill("#from", "2026-12-01")
    manager.fill("#to", "2026-11-01")
    manager.press("#to", "Enter")
    expect(manager.locator("#to-error")).to_have_text("the period ends before it starts")
    expect(manager.locator("#to")).to_have_value("2026-11-01")  # what was typed is kept
    expect(manager.locator("#report-sla")).to_have_count(0)
    screenshot(manager, "reports-refused")

    manager.goto("/manager/scorecard?from=2026-12-01&to=2026-11-01")
    expect(manager.locator("#to-error")).to_have_text("the period ends before it starts")
    manager.goto("/manager/scorecard")
    expect(manager.locator("#scorecard")).to_be_visible()
    expect(manager.locator("#scorecard tbody tr")).to_have_count(1)
    expect(manager.locator("#scorecard .empty")).to_have_text("No supplier yet.")
    manager.goto("/manager/escalations")
    expect(manager.locator("#no-escalations")).to_have_text("No complaint has been escalated to you.")
