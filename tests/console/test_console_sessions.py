"""The console's doors (issue 9): a form posted without its CSRF token is refused and changes
nothing; every counter page has one heading and every input a label, in Chinese and in English.
(Another dealer's lot: test_stock_screens.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.console.test_parts_counter import PADS, a_stocked_counter, scan


def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(office, desk):
    a_stocked_counter(office)
    clerk = desk("demo-parts-clerk")
    form = {"lines.0.part_number": PADS, "lines.0.quantity": "1", "for_kind": "repair_order",
            "for_reference": "RO-CSRF", "action": "reserve"}
    # The clerk's own cookies, a request from elsewhere: no token.
    refused = clerk.request.post("/parts/quote/reserve", form=form)
    assert refused.status == 400
    assert "表单已过期" in refused.text()
    # A token from another session does not do either.
    other = desk("demo-parts-clerk-2")
    other.goto("/parts/quote")
    foreign_token = other.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = clerk.request.post("/parts/quote/reserve", form={**form, "csrf_token": foreign_token})
    assert refused.status == 400
    assert office.get("parts", "/reservations?for_reference=RO-CSRF", "parts_clerk")["items"] == []

    # With the page's own token the same post goes through.
    clerk.goto("/parts/quote")
    token = clerk.locator("input[name=csrf_token]").first.get_attribute("value")
    accepted = clerk.request.post("/parts/quote/reserve", form={**form, "csrf_token": token})
    assert accepted.status == 200
    [reservation] = office.get("parts", "/reservations?for_reference=RO-CSRF", "parts_clerk")["items"]
    assert reservation["part_number"] == PADS


COUNTER_PAGES = ["/", "/parts/quote", "/parts/issue", "/parts/issue?repair_order=RO-1", "/parts/receive",
                 "/parts/stock", "/parts/ledger", "/parts/trace", "/parts/counts", "/parts/reorder",
                 "/parts/purchase-orders"]


def unlabelled(page: Page) -> list[str]:
    """Every visible input, select and textarea without a label or an accessible name."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea'))
        .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
        .map(el => el.outerHTML.slice(0, 120))""")


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_every_page_has_one_heading_and_every_input_a_label(office, desk, locale):
    a_stocked_counter(office)
    manager = desk("demo-parts-manager", locale=locale)
    manager.goto("/parts/quote")
    scan(manager, PADS, "1")
    assert unlabelled(manager) == []
    for path in COUNTER_PAGES:
        manager.goto(path)
        assert manager.locator("h1").count() == 1, path
        assert unlabelled(manager) == [], path
    manager.goto("/sign-in")
    assert manager.locator("h1").count() == 1
    assert unlabelled(manager) == []
