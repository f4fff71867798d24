"""My complaints (我的投诉, 首问责任制) and my work (issue 11, screen 2) in Chromium, against the whole
stack: each complaint's four SLA clocks as countdowns in business time, coloured by how close they
are (the dealer works round the clock here, so business time is the clock's time); the filters and
the text search are the list API's; another person's complaints are not on the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from playwright.sync_api import Page, expect

from shared.auth import mint
from tests.backoffice import BackOffice
from tests.console.words import zh

ME = "demo-complaints-agent"
BRAKES = "高速上刹车踩下去没反应，差点追尾，上个月刚换的刹车总泵。"
COFFEE = "Suggestion: the customer lounge could use a better coffee machine."
ROUND_THE_CLOCK = {day: [{"start": "00:00", "end": "24:00"}] for day in (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}


def as_person(office: BackOffice, sub: str, role: str = "complaints_agent") -> dict:
    return {"Authorization": "Bearer " + mint(office._secret, sub, office.dealer, [role])}


def record(office: BackOffice, sub: str, text: str, received: datetime, **details) -> dict:
    body = {"channel": "phone", "text": text, "received_at": received.isoformat(), **details}
    return office.post("complaints", "/complaints", "complaints_agent", body, headers=as_person(office, sub))


def test_my_complaints_count_down_each_clock_in_colour_and_filter(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    office.request("PUT", "complaints", "/calendar", "service_manager", json_body={"hours": ROUND_THE_CLOCK},
                   headers={"If-Match": '"0"'}).raise_for_status()
    now = datetime.now(timezone.utc)
    brakes = record(office, ME, BRAKES, now - timedelta(days=3), customer_name="赵女士", plate="沪B54321")
    coffee = record(office, ME, COFFEE, now - timedelta(minutes=100), customer_name="钱先生")
    others = record(office, "agent-qian", "等了两个小时没人接待。", now - timedelta(minutes=5))
    assert brakes["severity"] == "critical" and coffee["severity"] != "critical"

    agent = desk(ME)
    agent.click("nav.desks a[href$='/complaints/mine']")
    expect(agent.locator("h1")).to_have_text(zh("My complaints"))
    rows = agent.locator("table.worklist tbody tr")
    expect(rows).to_have_count(2)
    expect(agent.locator(f"#row-{others['id']}")).to_have_count(0)

    # Three days late: every clock that runs is overdue. 100 minutes of the 2 hours to acknowledge: near.
    late = agent.locator(f"#row-{brakes['id']}")
    expect(late).to_contain_text(brakes["number"])
    expect(late.locator(".badge.severity-critical")).to_have_text(zh("Critical (safety)"))
    for clock in ("acknowledge", "first_response", "escalation"):
        expect(late.locator(f"td[data-clock='{clock}']")).to_have_class("clock clock-overdue")
        expect(late.locator(f"td[data-clock='{clock}']")).to_contain_text(zh("Overdue %(time)s", time=""))
    soon = agent.locator(f"#row-{coffee['id']}")
    expect(soon.locator("td[data-clock='acknowledge']")).to_have_class("clock clock-near")
    ack = {c["clock"]: c for c in office.get("complaints", f"/complaints/{coffee['id']}", "complaints_agent")["clocks"]}
    assert ack["acknowledge"]["target_minutes"] - ack["acknowledge"]["used_minutes"] in range(15, 21)
    expect(soon.locator("td[data-clock='first_response']")).to_have_class("clock clock-ok")
    expect(soon.locator("td[data-clock='first_response']")).to_contain_text(zh("%(time)s left", time="").strip())
    expect(soon.locator("td[data-clock='resolution']")).to_have_class("clock clock-none")
    screenshot(agent, "mine")

    # Severity, then words, then the period: each answered by the API's filters.
    agent.select_option("#severity", "critical")
    agent.click("form.filters button[type='submit']")
    expect(rows).to_have_count(1)
    expect(agent.locator(f"#row-{brakes['id']}")).to_be_visible()
    expect(agent.locator("#severity")).to_have_value("critical")
    agent.goto("/complaints/mine")
    agent.fill("#q", "coffee")
    agent.press("#q", "Enter")
    expect(rows).to_have_count(1)
    expect(agent.locator(f"#row-{coffee['id']}")).to_be_visible()
    agent.goto("/complaints/mine")
    agent.fill("#received_to", (now - timedelta(days=2)).date().isoformat())
    agent.press("#received_to", "Enter")
    expect(rows).to_have_count(1)
    expect(agent.locator(f"#row-{brakes['id']}")).to_be_visible()
    agent.goto("/complaints/mine?received_from=2026-13-45")
    expect(agent.locator("#received_from-error")).to_have_text(zh("Not a valid date."))
    expect(agent.locator(".problem")).to_have_count(1)
    screenshot(agent, "period-refused")

    # My work: only what was assigned to me to handle.
    office.post("complaints", f"/complaints/{others['id']}/assignment", "complaints_agent",
                {"department": "售后服务部", "handler": ME}, expect=200, headers=as_person(office, "agent-qian"))
    agent.click("nav.desks a[href$='/complaints/work']")
    expect(agent.locator("h1")).to_have_text(zh("My work"))
    expect(rows).to_have_count(1)
    expect(agent.locator(f"#row-{others['id']}")).to_contain_text(others["number"])
    screenshot(agent, "work")
