"""The console's production sign-in, end to end in Chromium: OpenID Connect (authorization
code + PKCE) against a real provider (tests/oidc_provider.py), whose RS256 access tokens the
services verify through its JWKS. The stack runs as production would: identity provider set,
a real token secret (so no demo sign-in), a session key of its own: one such stack per kind
for the module's tests, which run in the screen tests' process of that kind."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator

import pytest
import requests
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import _free_port
from tests.console.conftest import Site, started_site
from tests.oidc_provider import Account, OidcProvider, RegisteredClient
from tools.stack import Stack

AUDIENCE = "aftersales-api"
WANG = Account("wang.fang", "counter-2024!", "Wang Fang", "D001", ("parts_clerk",))
LI = Account("li.lei", "second-dealer-pw", "Li Lei", "D002", ("parts_manager",))
REFUSED = "Signing in with your dealer group account did not succeed. Try again."
LOCATIONS = {"D001": [("A-01", "Main store"), ("A-02", "Main store")], "D002": [("B-07", "North depot")]}


@pytest.fixture(scope="module")
def console_port() -> int:
    return _free_port()


@pytest.fixture(scope="module")
def provider(console_port) -> Iterator[OidcProvider]:
    client = RegisteredClient("aftersales-console", secrets.token_urlsafe(24),
                              (f"http://127.0.0.1:{console_port}/auth/callback",))
    with OidcProvider(client, (WANG, LI), audience=AUDIENCE) as running:
        yield running


@pytest.fixture(autouse=True)
def provider_books(provider) -> None:
    """What the provider issued and whose sessions it ended, from this test's start: the tests
    share the provider (and the stack) of their module."""
    provider.issued.clear()
    provider.ended.clear()


@pytest.fixture(scope="module", params=["real", "embedded"])
def site_of_the_module(request, tmp_path_factory, provider, console_port) -> Iterator[Site]:
    """The stack as production runs it: services verify the provider's tokens; the console signs
    people in there. One per kind for this module's tests."""
    production = {
        "JWT_JWKS_URL": provider.jwks_url,
        "JWT_ISSUER": provider.issuer,
        "JWT_AUDIENCE": AUDIENCE,
        "JWT_SECRET": secrets.token_urlsafe(32),  # not the development secret: the demo sign-in is off
        "AFTERSALES_DEMO": "off",
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": provider.client.client_id,
        "OIDC_CLIENT_SECRET": provider.client.client_secret,
        "CONSOLE_SECRET_KEY": secrets.token_urlsafe(32),
    }
    with started_site(request, tmp_path_factory, request.param, console_port=console_port, **production) as site:
        yield site


@pytest.fixture(scope="module")
def stack(site_of_the_module) -> Stack:
    return site_of_the_module.stack


@pytest.fixture(scope="module")
def locations(stack, provider) -> dict[str, list[str]]:
    """Each dealer's locations, added over the parts API with a token of the provider's."""
    for dealer, places in LOCATIONS.items():
        token = provider.mint(f"seed-{dealer}", dealer, ["parts_manager"])
        for code, warehouse in places:
            answer = requests.post(f"{stack.url('parts')}/api/v1/locations",
                                   json={"code": code, "warehouse": warehouse},
                                   headers={"Authorization": f"Bearer {token}"}, timeout=30)
            assert answer.status_code == 201, answer.text
    return {dealer: [code for code, _ in places] for dealer, places in LOCATIONS.items()}


@pytest.fixture
def pc(browser, stack) -> Iterator[BrowserContext]:
    """One PC at the counter: a browser context with its own cookies, no one signed in."""
    context = browser.new_context(base_url=stack.console_url, locale="en-US",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _sign_in_at_provider(page: Page, provider: OidcProvider, account: Account, password: str) -> None:
    """From the console's sign-in page, through the provider's login form."""
    page.get_by_role("link", name="Sign in with your dealer group account").click()
    page.wait_for_url(f"{provider.issuer}/authorize?*")
    page.fill("#username", account.username)
    page.fill("#password", password)
    page.click("#log-in")


def _location_codes(page: Page) -> list[str]:
    values = page.locator("#location option").evaluate_all("options => options.map(o => o.value)")
    return [value for value in values if value]


def test_signing_in_with_the_identity_provider(pc, provider, stack, locations, screenshot: Callable):
    page = pc.new_page()
    page.goto("/parts/quote")
    page.wait_for_url(re.compile(r"/sign-in\?next=/parts/quote"))
    expect(page.locator("button[data-sub]")).to_have_count(0)  # no demo users next to a provider
    screenshot(page, "sign-in")

    page.get_by_role("link", name="Sign in with your dealer group account").click()
    page.wait_for_url(f"{provider.issuer}/authorize?*")
    expect(page.get_by_role("heading", name="Dealer group identity provider")).to_be_visible()
    page.fill("#username", WANG.username)
    page.fill("#password", WANG.password)
    screenshot(page, "provider-login")
    page.click("#log-in")

    page.wait_for_url(f"{stack.console_url}/parts/quote")  # back on the page first asked for
    expect(page.locator(".who .user")).to_have_text("Wang Fang · D001")
    # The quote page's locations come from the parts API, called with the provider's token.
    assert _location_codes(page) == locations["D001"]
    assert [(token["sub"], token["dealer"], token["aud"]) for token in provider.issued] == [
        ("wang.fang", "D001", AUDIENCE)]
    screenshot(page, "quote")

    # The demo sign-in stays shut, even with a valid form from a signed-in page.
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = pc.request.post("/sign-in/demo", form={"csrf_token": csrf, "user": "demo-parts-manager",
                                                     "dealer": "D002", "next": "/"}, max_redirects=0)
    assert refused.status == 403
    page.reload()
    expect(page.locator(".who .user")).to_have_text("Wang Fang · D001")
    assert _location_codes(page) == locations["D001"]

    # Signing out ends the provider's session too, and comes back to the console's sign-in page.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in$"))
    assert provider.ended == ["wang.fang"]
    screenshot(page, "signed-out")
    page.goto("/parts/quote")
    page.wait_for_url(re.compile(r"/sign-in\?next=/parts/quote"))
    expect(page.locator(".who")).to_have_count(0)


def test_a_wrong_password_or_a_cancel_signs_nobody_in_and_another_dealer_sees_only_its_data(
        browser, pc, provider, stack, locations, screenshot: Callable):
    page = pc.new_page()
    page.goto("/parts/quote")
    page.wait_for_url(re.compile(r"/sign-in\?next="))
    _sign_in_at_provider(page, provider, LI, "not-" + LI.password)
    expect(page.locator("#failed")).to_have_text("Wrong user name or password.")
    assert page.url.startswith(f"{provider.issuer}/authorize")
    screenshot(page, "wrong-password")

    with page.expect_response(re.compile(r"/auth/callback\?error=access_denied")) as cancelled:
        page.click("#cancel")
    assert cancelled.value.status == 403
    expect(page.locator(".problem")).to_have_text(REFUSED)
    screenshot(page, "cancelled")
    assert provider.issued == []
    page.goto("/parts/quote")
    page.wait_for_url(re.compile(r"/sign-in\?next=/parts/quote"))  # still nobody signed in

    with page.expect_request(re.compile(r"/auth/callback\?code=")) as callback:
        _sign_in_at_provider(page, provider, LI, LI.password)
    page.wait_for_url(f"{stack.console_url}/parts/quote")
    expect(page.locator(".who .user")).to_have_text("Li Lei · D002")
    assert _location_codes(page) == locations["D002"]  # none of D001's
    screenshot(page, "other-dealer")

    # The callback's address is no key: another browser replaying it signs nobody in.
    other_pc = browser.new_context(base_url=stack.console_url, locale="en-US")
    try:
        replayed = other_pc.new_page()
        assert replayed.goto(callback.value.url).status == 403
        expect(replayed.locator(".problem")).to_have_text(REFUSED)
        replayed.goto("/parts/quote")
        replayed.wait_for_url(re.compile(r"/sign-in\?next=/parts/quote"))
    finally:
        other_pc.close()
    assert [token["sub"] for token in provider.issued] == ["li.lei"]  # the code was exchanged once
