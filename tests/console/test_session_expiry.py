"""An expired session (issue 9) takes the clerk to sign in and back to the page they were on,
whether it ends under an htmx action or a page load. The test's console (its own, beside the
shared stack's services) makes demo sessions that last seconds."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.conftest import _free_port
from tests.console.conftest import Site
from tests.console.test_parts_counter import PADS, a_stocked_counter
from tools.stack import Stack

SESSION_SECONDS = 6


@pytest.fixture
def site(shared_site, tmp_path) -> Iterator[Site]:
    """The shared stack's services with a console of this test's own, whose demo sessions are
    short enough to outlive in a test (too short to share)."""
    environ = {**shared_site.stack.environ, "AFTERSALES_DATA_DIR": str(tmp_path),
               "CONSOLE_DEMO_SESSION_SECONDS": str(SESSION_SECONDS)}
    console = Stack(environ, ports=shared_site.stack.ports, web_workers=1, console_port=_free_port())
    try:
        console.start_console()
        yield Site(console, shared_site.infra)
    finally:
        console.stop()


def test_an_expired_session_signs_in_again_and_comes_back_to_the_page(office, desk, dealer, screenshot):
    a_stocked_counter(office)
    clerk = desk("demo-parts-clerk")
    clerk.goto("/parts/issue?repair_order=RO-5")
    expect(clerk.locator("h1")).to_have_text("按维修工单领料")
    time.sleep(SESSION_SECONDS + 1)  # the session's own lifetime, not a timing assertion

    # An htmx action after expiry: to the sign-in page, saying why, with the way back.
    clerk.fill("#scan", PADS)
    clerk.press("#scan", "Enter")
    clerk.wait_for_url(re.compile(r"/sign-in\?"))
    expect(clerk.locator(".notice")).to_contain_text("登录已过期")
    expect(clerk.locator("#dealer")).to_have_value(dealer)  # the dealer they were working for
    screenshot(clerk, "expired")
    clerk.click("button[data-sub='demo-parts-clerk']")
    clerk.wait_for_url(re.compile(r"/parts/issue\?repair_order=RO-5$"))
    expect(clerk.locator("h1")).to_have_text("按维修工单领料")
    expect(clerk.locator(".user")).to_contain_text(dealer)

    # A plain page load after expiry does the same.
    time.sleep(SESSION_SECONDS + 1)
    clerk.goto("/parts/quote")
    clerk.wait_for_url(re.compile(r"/sign-in\?next=/parts/quote"))
    clerk.click("button[data-sub='demo-parts-clerk']")
    clerk.wait_for_url(re.compile(r"/parts/quote$"))


