"""The complaints desk's classification review (分类复核, issue 12, item 4) in Chromium, against
the whole stack: the complaints the committed classifier is unsure of (`needs_review`) are on the
screen with its reading; a correction without a reason is refused next to the field with what
was chosen kept, and changes nothing; with a reason it is saved, the complaints API holds the
corrected category and severity with the flag cleared, and the complaint has left the screen.
A service manager confirms the other one from the keyboard alone and the list is empty."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.backoffice import BackOffice
from tests.console.words import zh

# Texts the committed model (complaints/domain/classifier.json) is unsure of, and one it is sure of.
VAGUE = "请联系我，上次说的事情到现在还没有个说法。"
BRAKES = "刹车时有异响，上周刚换的刹车片。"  # unsure of the category, sure it is a safety matter
CLEAR = "预约了周六保养，到店后等了两个小时没人接待。"
AGENT = "complaints_agent"


def record(office: BackOffice, channel: str, text: str) -> dict:
    return office.post("complaints", "/complaints", AGENT, {"channel": channel, "text": text,
                                                          "customer_name": "王先生", "customer_phone": "13812341234"})


def flagged(office: BackOffice) -> list[str]:
    return [item["id"] for item in office.get("complaints", "/complaints?needs_review=true&limit=100", AGENT)["items"]]


def test_the_desk_corrects_an_unsure_classification_and_it_leaves_the_review_list(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    vague = record(office, "wechat", VAGUE)
    brakes = record(office, "phone", BRAKES)
    clear = record(office, "web", CLEAR)
    assert (vague["needs_review"], brakes["needs_review"], clear["needs_review"]) == (True, True, False), \
        "the committed classifier reads these texts differently: pick others for this test"
    assert brakes["classification"]["safety_related"] is True
    assert set(flagged(office)) == {vague["id"], brakes["id"]}

    # The agent's home page leads to the review; the flagged two are there, the clear one not.
    agent = desk("demo-complaints-agent")
    agent.click("a.tile[href$='/complaints/review']")
    expect(agent.locator("h1")).to_have_text(zh("Complaints to review"))
    rows = agent.locator("tbody.review-item")
    expect(rows).to_have_count(2)
    expect(agent.locator(f"#review-{clear['id']}")).to_have_count(0)
    row = agent.locator(f"#review-{vague['id']}")
    expect(row).to_contain_text(VAGUE)
    expect(row).to_contain_text(zh("WeChat"))
    expect(row.locator(".reading strong")).to_have_text(zh("After-sales service"))  # the model's category
    assert vague["classification"]["category"] == "after_sales_service"
    assert row.locator(".terms").first.locator(".badge").all_inner_texts() == vague["classification"]["terms"]
    expect(row.locator(".badge.safety")).to_have_count(0)
    brake_row = agent.locator(f"#review-{brakes['id']}")
    expect(brake_row.locator(".badge.safety")).to_have_count(1)
    expect(brake_row).to_contain_text(zh("Critical (safety)"))
    screenshot(agent, "review")

    # A correction without a reason: refused next to the reason, the choices kept, nothing changed.
    agent.select_option(f"#category-{vague['id']}", "contract_dispute")
    agent.select_option(f"#severity-{vague['id']}", "high")
    agent.press(f"#reason-{vague['id']}", "Enter")
    expect(agent.locator(f"#reason-{vague['id']}-error")).to_have_text(zh("Field may not be null."))
    expect(agent.locator(f"#reason-{vague['id']}")).to_have_attribute("aria-invalid", "true")
    expect(agent.locator(f"#reason-{vague['id']}")).to_be_focused()
    expect(agent.locator(f"#category-{vague['id']}")).to_have_value("contract_dispute")
    expect(agent.locator(f"#severity-{vague['id']}")).to_have_value("high")
    unchanged = office.get("complaints", f"/complaints/{vague['id']}", AGENT)
    assert (unchanged["category"], unchanged["severity"], unchanged["needs_review"]) == (
        "after_sales_service", vague["severity"], True)
    assert len(unchanged["classifications"]) == 1
    screenshot(agent, "refused")

    # With the reason it is saved and leaves the list; the API holds the agent's classification.
    reason = "客户追问上次约定的退款，属于合同纠纷"
    agent.fill(f"#reason-{vague['id']}", reason)
    agent.press(f"#reason-{vague['id']}", "Enter")
    expect(agent.locator("#saved")).to_contain_text(vague["id"][:8])
    expect(agent.locator(f"#review-{vague['id']}")).to_have_count(0)
    expect(rows).to_have_count(1)
    expect(agent.locator(f"#category-{brakes['id']}")).to_be_focused()  # on to the next one
    corrected = office.get("complaints", f"/complaints/{vague['id']}", AGENT)
    assert (corrected["category"], corrected["severity"], corrected["needs_review"]) == (
        "contract_dispute", "high", False)
    latest = corrected["classification"]
    assert (latest["automatic"], latest["actor"], latest["reason"]) == (False, "demo-complaints-agent", reason)
    assert flagged(office) == [brakes["id"]]
    screenshot(agent, "saved")

    # The service manager, in English, confirms the brake complaint as read from the keyboard alone.
    manager = desk("demo-service-manager", locale="en")
    manager.click("nav.desks a[href$='/complaints/review']")
    expect(manager.locator("h1")).to_have_text("Complaints to review")
    expect(manager.locator(f"#review-{brakes['id']}")).to_contain_text("Critical (safety)")
    screenshot(manager, "review-en")
    expect(manager.locator(f"#category-{brakes['id']}")).to_be_focused()
    manager.keyboard.press("Tab")
    manager.keyboard.press("Tab")
    expect(manager.locator(f"#reason-{brakes['id']}")).to_be_focused()
    manager.keyboard.type("Brake noise on new pads: product quality, a safety matter")
    manager.keyboard.press("Enter")
    expect(manager.locator("#saved")).to_be_visible()
    expect(manager.locator(".empty")).to_have_text("No complaint is waiting for review.")
    confirmed = office.get("complaints", f"/complaints/{brakes['id']}", AGENT)
    assert (confirmed["category"], confirmed["severity"], confirmed["needs_review"]) == (
        brakes["category"], "critical", False)
    assert [(c["automatic"], c["actor"]) for c in confirmed["classifications"]] == [
        (True, "classifier"), (False, "demo-service-manager")]
    assert flagged(office) == []
    screenshot(manager, "empty-en")
