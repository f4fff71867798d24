"""The complaint page (issue 11, screen 3) in Chromium, against the whole stack: a complaint
naming a parts lot hears of the lot's quarantine through the events and shows it on its
timeline; the complaints desk works it from the keyboard in Chinese — acknowledges, adds
evidence, records the root cause, plans an action, resolves, records the customer's acceptance;
closing with the action open is refused next to the reason with what was typed kept; the action
done, it closes; a follow-up visit; reopened; a duplicate merged in by its number. A service
advisor who does not own a complaint is refused; the service manager, in English, hands it to
another owner and closes it with an action open, giving the reason. Every outcome is checked
through the complaints API as well as on the screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from babel.support import Translations
from playwright.sync_api import Page, expect

from shared.testing import wait_until
from tests.backoffice import CAMRY_VIN, PADS, BackOffice, a_stocked_safety_part, beijing_today
from tests.console.words import CATALOG, zh

AGENT = "complaints_agent"


def zh_complaint(msgid: str) -> str:
    """Words the page says in the complaint's context (msgctxt "complaint"): other desks say
    "Open" and "Closed" otherwise."""
    return Translations.load(str(CATALOG), ["zh"]).pgettext("complaint", msgid)
TEXT = "刹车片更换后一周刹车异响，踩刹车时有抖动，担心安全。"


def record(office: BackOffice, text: str, **facts) -> dict:
    return office.post("complaints", "/complaints", AGENT, {"channel": "phone", "text": text, "customer_name": "王先生",
                                                          "customer_phone": "13812341234", **facts})


def read(office: BackOffice, complaint: dict) -> dict:
    return office.get("complaints", f"/complaints/{complaint['id']}", AGENT)


def resolved_with_an_open_action(office: BackOffice, complaint: dict) -> dict:
    """Through the API: root cause, one action not done, resolved, the customer accepts."""
    path = f"/complaints/{complaint['id']}"
    office.post("complaints", f"{path}/investigation", AGENT, {"root_cause": "service_process"}, expect=200)
    office.post("complaints", f"{path}/actions", AGENT, {"kind": "process_change", "description": "前台接待流程培训",
                                                         "owner": "前台主管", "due_on": beijing_today()}, expect=200)
    office.post("complaints", f"{path}/resolution", AGENT, {"resolution": "已致歉并改进接待流程"}, expect=200)
    return office.post("complaints", f"{path}/feedback", AGENT, {"told": "已改进", "accepted": True}, expect=200)


def test_the_desk_works_a_complaint_from_the_page_to_closed_and_back(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    lot = a_stocked_safety_part(office)
    complaint = record(office, TEXT, vin=CAMRY_VIN, plate="沪A12345", part_number=PADS, lot=lot,
                       desired_remedy="免费检查并更换刹车片")
    duplicate = record(office, "刹车异响，之前已经投诉过一次。", vin=CAMRY_VIN)
    office.post("parts", f"/lots/{lot}/quarantine", "parts_manager", {"reason": "供应商通知：摩擦材料脱层"}, expect=200)
    wait_until(lambda: any(e["kind"] == "lot_quarantined" for e in read(office, complaint)["timeline"]), timeout=90,
               what="the complaint's timeline to hear of the lot's quarantine")

    # Found by the number read out to the customer; the lot's news is on the timeline, newest first.
    agent = desk("demo-complaints-agent")
    agent.goto(f"/complaints/{complaint['number']}")
    expect(agent.locator("#complaint-number")).to_have_text(complaint["number"])
    expect(agent.locator("#complaint-status")).to_have_text(zh_complaint("Open"))
    expect(agent.locator("#complaint-text")).to_have_text(TEXT)
    news = agent.locator("#timeline li[data-kind='lot_quarantined']")
    expect(news).to_contain_text(zh("Parts lot quarantined"))
    expect(news.locator(".badge.news")).to_have_text(zh("Parts"))
    expect(news).to_contain_text(lot)
    expect(agent.locator("#timeline li").last).to_have_attribute("data-kind", "received")  # oldest at the bottom
    expect(agent.locator("#clocks tbody tr")).to_have_count(4)
    screenshot(agent, "opened")

    # Acknowledge, then evidence, findings and root cause — each form sent with Enter.
    agent.press("#acknowledge-note", "Enter")
    expect(agent.locator("#done")).to_have_text(zh("The acknowledgement is recorded."))
    expect(agent.locator("#acknowledge-form")).to_have_count(0)
    assert read(office, complaint)["acknowledged_at"] is not None

    agent.select_option("#evidence-kind", "photo")
    agent.fill("#evidence-reference", "IMG_2031.jpg")
    agent.fill("#evidence-note", "刹车片表面脱层")
    agent.press("#evidence-note", "Enter")
    expect(agent.locator("#evidence tbody tr")).to_contain_text("IMG_2031.jpg")
    agent.fill("#investigate-findings", "批次摩擦材料脱层导致异响")
    agent.select_option("#investigate-root_cause", "supplier")
    agent.click("#investigate-submit")
    expect(agent.locator("#root-cause")).to_have_text(zh("Supplier"))
    worked = read(office, complaint)
    assert [(e["kind"], e["reference"], e["note"]) for e in worked["evidence"]] == [
        ("photo", "IMG_2031.jpg", "刹车片表面脱层")]
    assert (worked["findings"], worked["root_cause"], worked["status"]) == (
        "批次摩擦材料脱层导致异响", "supplier", "in_progress")

    # An action on the rectification list, with its owner and due date.
    due = (date.fromisoformat(beijing_today()) + timedelta(days=3)).isoformat()
    agent.select_option("#action-kind", "replace")
    agent.fill("#action-description", "免费更换同型号其他批次刹车片")
    agent.fill("#action-owner", "售后主管")
    agent.fill("#action-due_on", due)
    agent.press("#action-owner", "Enter")
    expect(agent.locator("#action-1")).to_contain_text("售后主管")
    [action] = read(office, complaint)["actions"]
    assert (action["kind"], action["owner"], action["due_on"], action["done_on"]) == ("replace", "售后主管", due, None)

    # Resolved, and the customer accepts it with a rating.
    agent.fill("#resolve-resolution", "已更换刹车片并试车，异响消除")
    agent.click("#resolve-submit")
    expect(agent.locator("#complaint-status")).to_have_text(zh("Resolved, awaiting feedback"))
    agent.fill("#feedback-told", "已更换刹车片，异响消除")
    agent.select_option("#feedback-accepted", "true")
    agent.select_option("#feedback-satisfaction", "5")
    agent.click("#feedback-submit")
    expect(agent.locator("#done")).to_have_text(zh("The customer's feedback is recorded."))
    assert read(office, complaint)["accepted_at"] is not None

    # Closing with the action open: refused next to the reason, the note kept, nothing closed.
    agent.fill("#close-note", "客户满意")
    agent.click("#close-submit")
    expect(agent.locator("#close-reason-error")).to_have_text(zh(
        "Some actions are not done yet. Mark them done, or a service manager closes the complaint giving the "
        "reason here."))
    expect(agent.locator("#close-reason")).to_have_attribute("aria-invalid", "true")
    expect(agent.locator("#close-reason")).to_be_focused()
    expect(agent.locator("#close-note")).to_have_value("客户满意")
    assert read(office, complaint)["status"] == "resolved"
    screenshot(agent, "refused")

    # The action done, the complaint closes.
    agent.click(f"#done-{action['id']}-submit")
    expect(agent.locator("#action-1.done")).to_have_count(1)
    assert read(office, complaint)["actions"][0]["done_on"] == beijing_today()
    agent.fill("#close-note", "客户满意")
    agent.press("#close-note", "Enter")
    expect(agent.locator("#complaint-status")).to_have_text(zh_complaint("Closed"))
    closed = read(office, complaint)
    assert (closed["status"], closed["closed_by"]) == ("closed", "demo-complaints-agent")

    # A follow-up visit after closing, then the customer comes back: reopened.
    agent.fill("#follow_up-note", "电话回访，刹车正常")
    agent.select_option("#follow_up-satisfaction", "4")
    agent.press("#follow_up-note", "Enter")
    expect(agent.locator("#follow-up-list")).to_contain_text("电话回访，刹车正常")
    [visit] = read(office, complaint)["follow_ups"]
    assert (visit["note"], visit["satisfaction"], visit["visited_on"]) == ("电话回访，刹车正常", 4, beijing_today())
    agent.fill("#reopen-reason", "客户反映异响再次出现")
    agent.press("#reopen-reason", "Enter")
    expect(agent.locator("#complaint-status")).to_have_text(zh("Reopened"))
    assert read(office, complaint)["status"] == "reopened"

    # A number that is no complaint is refused next to it; the duplicate's number merges it in.
    agent.fill("#merge-duplicate_id", "TS-20000101-9999")
    agent.press("#merge-duplicate_id", "Enter")
    expect(agent.locator("#merge-duplicate_id-error")).to_have_text(zh("The complaint was not found."))
    expect(agent.locator("#merge-duplicate_id")).to_have_value("TS-20000101-9999")
    agent.fill("#merge-duplicate_id", duplicate["number"])
    agent.fill("#merge-reason", "同一客户同一问题")
    agent.press("#merge-reason", "Enter")
    expect(agent.locator("#done")).to_have_text(zh("The duplicate is merged into this complaint."))
    expect(agent.locator("#timeline li").first).to_have_attribute("data-kind", "duplicate_merged")
    # The timeline in the clerk's words, from what each entry is made of: the duplicate by its number
    # (a link to it), the resolution with the root cause's name, no English and no ids.
    taken = agent.locator("#timeline li[data-kind='duplicate_merged'] .timeline-what")
    expect(taken).to_have_text(zh("%(what)s: %(text)s", text="同一客户同一问题", what=zh(
        "%(number)s merged into this one as a duplicate", number=duplicate["number"])))
    expect(taken.locator("a")).to_have_attribute("href", f"/complaints/{duplicate['id']}")
    resolved = agent.locator("#timeline li[data-kind='resolved']")
    expect(resolved.locator(".timeline-head")).to_have_text(zh("Resolved"))
    expect(resolved.locator(".timeline-what")).to_have_text(zh(
        "%(resolution)s (root cause: %(cause)s)", resolution="已更换刹车片并试车，异响消除", cause=zh("Supplier")))
    expect(agent.locator("#timeline li[data-kind='feedback_accepted'] .timeline-what")).to_have_text(zh(
        "Satisfaction %(score)s/5", score=5))
    expect(agent.locator("#timeline li[data-kind='action_planned'] .timeline-what")).to_have_text(zh(
        "%(what)s: %(text)s", text="免费更换同型号其他批次刹车片", what=zh(
            "#%(number)s %(kind)s, by %(owner)s, due %(due)s", number=1, kind=zh("Replace"), owner="售后主管",
            due=due)))
    expect(agent.locator("#timeline li[data-kind='lot_quarantined'] .timeline-what")).to_contain_text(
        zh("Lot %(lot)s of part %(part)s", lot=lot, part=PADS))
    expect(agent.locator("#timeline li[data-kind='reopened'] .timeline-what")).to_contain_text("客户反映异响再次出现")
    expect(agent.locator("#timeline")).not_to_contain_text(complaint["id"])
    expect(agent.locator("#timeline")).not_to_contain_text("resolved (")
    merged = read(office, duplicate)
    assert (merged["status"], merged["merged_into"]) == ("merged", complaint["id"])
    screenshot(agent, "worked")

    # The duplicate's page sends the desk to the original and offers no step.
    agent.goto(f"/complaints/{duplicate['number']}")
    expect(agent.locator("#merged-into a")).to_have_attribute("href", f"/complaints/{complaint['id']}")
    expect(agent.locator("form.step")).to_have_count(0)


def test_the_service_manager_hands_over_and_closes_with_an_action_open(
        desk, office: BackOffice, screenshot: Callable[[Page, str], object]):
    complaint = record(office, "预约保养到店后等了两个小时没人接待。")
    resolved_with_an_open_action(office, complaint)

    # A service advisor who neither owns it nor works at the complaints desk is refused.
    advisor = desk("demo-service-advisor")
    advisor.goto(f"/complaints/{complaint['id']}")
    advisor.fill("#respond-summary", "已电话致歉")
    advisor.press("#respond-summary", "Enter")
    expect(advisor.locator("#respond-problem")).to_have_text(zh(
        "Only the complaint's owner (%(owner)s) or the complaints desk may work on it.", owner=complaint["owner"]))
    expect(advisor.locator("#respond-summary")).to_have_value("已电话致歉")
    expect(advisor.locator("#owner-form")).to_have_count(0)  # only the service manager hands complaints over
    assert read(office, complaint)["first_response_at"] is not None  # set by the resolution, not by the advisor
    assert all(e["actor"] != "demo-service-advisor" for e in read(office, complaint)["timeline"])

    manager = desk("demo-service-manager", locale="en")
    manager.goto(f"/complaints/{complaint['number']}")
    expect(manager.locator("#complaint-status")).to_have_text("Resolved, awaiting feedback")
    manager.fill("#owner-owner", "demo-service-advisor")
    manager.fill("#owner-reason", "Front desk complaint: the advisor follows it up")
    manager.press("#owner-reason", "Enter")
    expect(manager.locator("#owner")).to_have_text("demo-service-advisor")
    assert read(office, complaint)["owner"] == "demo-service-advisor"

    manager.fill("#close-reason", "Training is booked for next month; the customer is satisfied")
    manager.press("#close-reason", "Enter")
    expect(manager.locator("#complaint-status")).to_have_text("Closed")
    expect(manager.locator("#action-1 .badge.ok")).to_have_count(0)  # the action stays open, on the list
    closed = read(office, complaint)
    assert (closed["status"], closed["closed_by"], closed["actions"][0]["done_on"]) == (
        "closed", "demo-service-manager", None)
    assert "Training is booked" in closed["timeline"][-1]["summary"]
    expect(manager.locator("#timeline li[data-kind='closed'] .timeline-what")).to_have_text(
        "Action #1 not done yet, because: Training is booked for next month; the customer is satisfied")
    screenshot(manager, "closed-en")
