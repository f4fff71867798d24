"""The console's own doors, through Flask's test client (no service is called on these paths):
the demo sign-in, the way back after a session ends, CSRF, and settings that must not run."""

from __future__ import annotations

import re

import pytest
from console.app import create_app
from console.config import ConsoleMisconfigured, ConsoleSettings


@pytest.fixture
def app():
    return create_app(ConsoleSettings.from_env({"CONSOLE_DEMO_SESSION_SECONDS": "600"}))


@pytest.fixture
def browser(app):
    return app.test_client()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(browser, user="demo-parts-clerk", next_url="/parts/quote"):
    page = browser.get(f"/sign-in?next={next_url}")
    return browser.post("/sign-in/demo", data={"csrf_token": csrf_of(page.text), "user": user, "dealer": "D001",
                                               "next": next_url})


def test_a_page_asks_to_sign_in_and_the_demo_user_lands_back_on_it(browser):
    asked = browser.get("/parts/issue?repair_order=RO-1")
    assert asked.status_code == 303
    assert asked.headers["Location"] == "/sign-in?next=/parts/issue?repair_order%3DRO-1"
    signed = sign_in(browser, next_url="/parts/issue?repair_order=RO-1")
    assert signed.status_code == 302
    assert signed.headers["Location"] == "/parts/issue?repair_order=RO-1"
    with browser.session_transaction() as session:
        assert (session["user"]["sub"], session["user"]["dealer"], session["user"]["roles"]) == (
            "demo-parts-clerk", "D001", ["parts_clerk"])


def test_an_htmx_request_without_a_session_is_sent_to_sign_in_and_back_to_its_page(browser):
    page = browser.get("/sign-in")
    answer = browser.post("/parts/quote", data={"csrf_token": csrf_of(page.text)},
                          headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/parts/quote"})
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"] == "/sign-in?next=/parts/quote"


def test_an_expired_session_is_ended_and_the_sign_in_page_says_why(browser):
    sign_in(browser)
    with browser.session_transaction() as session:
        session["user"] = {**session["user"], "expires_at": 1}
    answer = browser.get("/parts/quote")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/sign-in?next=/parts/quote&expired=1"
    with browser.session_transaction() as session:
        assert "user" not in session
    assert "登录已过期" in browser.get(answer.headers["Location"]).text


def test_a_post_without_its_csrf_token_is_refused(browser):
    sign_in(browser)
    refused = browser.post("/parts/quote/reserve", data={"for_reference": "RO-1"})
    assert refused.status_code == 400
    assert "表单已过期" in refused.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "parts"])
def test_signing_in_never_sends_the_user_to_another_site(browser, target):
    signed = sign_in(browser, next_url=target)
    assert signed.headers["Location"] == "/"


def test_an_unknown_demo_user_or_dealer_code_is_refused(browser):
    page = browser.get("/sign-in")
    for user, dealer in [("demo-root", "D001"), ("demo-parts-clerk", "D 001")]:
        answer = browser.post("/sign-in/demo", data={"csrf_token": csrf_of(page.text), "user": user, "dealer": dealer})
        assert answer.status_code == 400


def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(app):
    over_https = app.test_client()
    page = over_https.get("/sign-in", base_url="https://console.example")
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    plain = app.test_client().get("/sign-in").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "Secure" not in plain


def test_pages_allow_no_inline_script_and_no_framing(browser):
    headers = browser.get("/sign-in").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("environ, missing", [
    ({"JWT_SECRET": "a-real-secret-of-the-dealer-group-0123456789"}, "OIDC_ISSUER"),
    ({"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "console"}, "OIDC_CLIENT_SECRET"),
    ({"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "console", "OIDC_CLIENT_SECRET": "s"},
     "CONSOLE_SECRET_KEY"),
    ({"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "console", "OIDC_CLIENT_SECRET": "s",
      "CONSOLE_SECRET_KEY": "short"}, "CONSOLE_SECRET_KEY"),
])
def test_settings_that_would_be_unsafe_refuse_to_start_and_say_which(environ, missing):
    with pytest.raises(ConsoleMisconfigured, match=missing):
        ConsoleSettings.from_env(environ)


def test_the_demo_sign_in_is_off_next_to_an_identity_provider(app):
    settings = ConsoleSettings.from_env({"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "console",
                                         "OIDC_CLIENT_SECRET": "s", "CONSOLE_SECRET_KEY": "k" * 40})
    assert not settings.demo_sign_in
