"""The service manager's notifications (通知, issue 11) in Chromium, against the whole stack: a
safety complaint recorded at the desk reaches the complaints service's own consumer through the
broker; the top bar's badge (loaded by htmx after the page) shows it unread, the list shows it
with a link to the complaint, and marking it read clears the badge. The complaints agent has no
badge. Seeded and checked through the APIs.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from shared.testing import wait_until
from tests.backoffice import BackOffice
from tests.console.words import zh

AGENT, MANAGER = "complaints_agent", "service_manager"


def test_a_safety_complaint_reaches_the_manager_s_badge_and_list_and_is_marked_read(
        office: BackOffice, desk, screenshot: Callable[[Page, str], object]):
    critical = office.post("complaints", "/complaints", AGENT, {
        "channel": "phone", "text": "高速上刹车突然失灵，差点追尾，请尽快联系 13812341234", "customer_name": "王先生"})
    ordinary = office.post("complaints", "/complaints", AGENT, {"channel": "phone", "text": "保养后车内有异味"})
    assert ordinary["severity"] != "critical"
    notices = wait_until(lambda: office.get("complaints", "/notifications", MANAGER)["items"], timeout=90,
                         what="the complaints consumer to tell the manager of the safety complaint")
    assert [(n["kind"], n["complaint_id"]) for n in notices] == [("critical", critical["id"])]
    assert "13812341234" not in notices[0]["summary"]

    manager = desk("demo-service-manager")
    badge = manager.locator("header #notices")
    expect(badge.locator(".count")).to_have_text("1")
    screenshot(manager, "badge")

    badge.click()
    expect(manager.locator("h1")).to_have_text(zh("Notifications"))
    row = manager.locator(f"#notifications tr[data-complaint='{critical['number']}']")
    expect(manager.locator("#notifications tbody tr")).to_have_count(1)
    expect(row).to_have_class("kind-critical unread")
    expect(row.locator(".kind")).to_have_text(zh("Safety complaint"))
    expect(row.locator("th a")).to_have_attribute("href", f"/complaints/{critical['id']}")
    expect(row.locator(".summary")).not_to_contain_text("13812341234")
    expect(row.locator(".deliveries")).to_have_text(zh("console only"))
    screenshot(manager, "list")

    row.locator("button.mark-read").click()
    expect(row.locator(".was-read")).to_contain_text("demo-service-manager")
    expect(manager.locator("header #notices .count")).to_have_count(0)
    assert office.get("complaints", "/notifications", MANAGER)["unread"] == 0
    screenshot(manager, "read")

    # The complaint itself opens from the list.
    row.locator("th a").click()
    expect(manager).to_have_url(f"{office.stack.console_url}/complaints/{critical['id']}")

    # In English too; the agent, who is not told, has no badge.
    english = desk("demo-service-manager", locale="en-US")
    english.goto("/notifications")
    expect(english.locator("h1")).to_have_text("Notifications")
    expect(english.locator("#notifications tr .kind")).to_have_text("Safety complaint")
    agent = desk("demo-complaints-agent")
    expect(agent.locator("header .who")).to_be_visible()
    expect(agent.locator("header #notices")).to_have_count(0)
