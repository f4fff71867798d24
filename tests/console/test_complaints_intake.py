"""Complaint intake (投诉登记, issue 11, screen 1) in Chromium, against the whole stack: the
customer's open complaint shows when their phone is typed, the text is classified as it is typed
(a brake failure: critical, with the words that decided it), saving shows the number to read out,
and the clerk can merge the new complaint into the open one. Everything the form can send wrong
is refused next to its field with what was typed kept, and nothing is recorded."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.backoffice import BackOffice
from tests.console.words import zh

AGENT = "complaints_agent"
PHONE = "13812341234"
EARLIER = "上周保养后刹车有异响，到现在还没人回电话。"
BRAKES = "高速上刹车踩下去没反应，差点追尾 😡 上个月刚换的刹车总泵。"
REMEDY = "免费检修刹车系统，并书面说明原因"
NUMBER = re.compile(r"^TS-\d{8}-\d{4}$")


def complaints(office: BackOffice) -> list[dict]:
    return office.get("complaints", "/complaints?limit=100", AGENT)["items"]


def test_the_desk_records_a_complaint_sees_its_reading_and_reads_out_its_number(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    earlier = office.post("complaints", "/complaints", AGENT, {
        "channel": "phone", "text": EARLIER, "customer_name": "王先生", "customer_phone": PHONE, "plate": "沪A12345"})

    agent = desk("demo-complaints-agent")
    agent.click("nav.desks a[href$='/complaints/new']")
    expect(agent.locator("h1")).to_have_text(zh("New complaint"))
    expect(agent.locator("#customer_phone")).to_be_focused()

    # The phone finds the customer's open complaint.
    agent.keyboard.type(PHONE)
    found = agent.locator(f"#open-{earlier['id']}")
    expect(found).to_contain_text(earlier["number"])
    expect(found.locator(".badge.status-open")).to_have_count(1)
    agent.keyboard.press("Enter")  # on to the plate
    expect(agent.locator("#plate")).to_be_focused()
    agent.fill("#customer_name", "王先生")

    # The text is read as it is typed: a brake failure is critical, and the words say why.
    preview = office.post("complaints", "/classifications", AGENT, {"text": BRAKES}, expect=200)
    assert (preview["severity"], preview["category"]) == ("critical", "product_quality")
    agent.click("#text")
    agent.keyboard.type(BRAKES)
    reading = agent.locator("#reading .intake-reading")
    expect(reading.locator(".badge.severity-critical")).to_have_text(zh("Critical (safety)"))
    expect(reading.locator(".category")).to_have_text(zh("Product quality"))
    assert reading.locator(".severity-terms .badge").all_inner_texts() == preview["severity_terms"]
    assert reading.locator(".category-terms .badge").all_inner_texts() == preview["terms"]
    agent.fill("#desired_remedy", REMEDY)
    agent.fill("#part_number", "04465-33471")
    agent.fill("#lot", "LOT-BRAKES-7")
    screenshot(agent, "typed")
    assert [c["id"] for c in complaints(office)] == [earlier["id"]]  # reading it recorded nothing

    # Saved: the number, big, to read out; the API has it as typed, owned by the agent.
    agent.click("#save")
    number = agent.locator("#number")
    expect(number).to_have_text(NUMBER)
    shown = number.inner_text()
    recorded = office.get("complaints", f"/complaints/{shown}", AGENT)
    assert (recorded["owner"], recorded["channel"], recorded["status"]) == ("demo-complaints-agent", "phone", "open")
    assert (recorded["text"], recorded["desired_remedy"], recorded["customer_phone"], recorded["severity"]) == (
        BRAKES, REMEDY, PHONE, "critical")
    assert (recorded["part_number"], recorded["lot"]) == ("04465-33471", "LOT-BRAKES-7")
    expect(agent.locator("#open-complaint")).to_have_attribute("href", re.compile(recorded["id"]))
    screenshot(agent, "number")

    # The clerk sees it is the customer's earlier complaint again: merged into that one.
    agent.click(f"#same-{earlier['id']} button.merge")
    expect(agent.locator("#merged")).to_contain_text(earlier["number"])
    expect(agent.locator("#number")).to_have_text(earlier["number"])
    merged = office.get("complaints", f"/complaints/{recorded['id']}", AGENT)
    assert (merged["status"], merged["merged_into"]) == ("merged", earlier["id"])
    screenshot(agent, "merged")


def test_what_the_form_can_send_wrong_is_refused_next_to_its_field_and_nothing_is_recorded(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    agent = desk("demo-complaints-agent")
    agent.goto("/complaints/new")
    long_text = "刹车异响。" * 2000  # 10,000 characters

    def refused(field: str, message: str, **typed: str) -> None:
        agent.goto("/complaints/new")
        values = {"customer_phone": PHONE, "customer_name": "李女士", "text": "空调不制冷", **typed}
        for name, value in values.items():
            agent.fill(f"#{name}", value)
        agent.click("#save")
        expect(agent.locator(f"#{field}-error")).to_have_text(message)
        expect(agent.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
        expect(agent.locator(f"#{field}")).to_be_focused()
        for name, value in values.items():
            expect(agent.locator(f"#{name}")).to_have_value(value)
        assert complaints(office) == []

    refused("received_on", zh("A complaint cannot be received after now."), received_on="2999-01-01")
    refused("text", zh("Say what the customer complains about."), text="")
    refused("text", zh("Say what the customer complains about."), text="   \n  ")
    refused("text", zh("At most %(most)s characters: %(typed)s typed.", most=5000, typed=10000), text=long_text)
    screenshot(agent, "too-long")
    refused("customer_phone", zh("Type the phone number in digits, such as 138 1234 5678 or +86 21 5555 0000."),
            customer_phone="138-abc-1234")
    refused("customer_phone", zh("Type the phone number in digits, such as 138 1234 5678 or +86 21 5555 0000."),
            customer_phone="📞13812341234")
    screenshot(agent, "bad-phone")

    # Emoji in what the customer says is kept as typed.
    agent.goto("/complaints/new")
    agent.fill("#text", "车内异味 🤢🤢 空调一开就难闻")
    agent.click("#save")
    expect(agent.locator("#number")).to_have_text(NUMBER)
    [kept] = complaints(office)
    assert kept["text"] == "车内异味 🤢🤢 空调一开就难闻"
