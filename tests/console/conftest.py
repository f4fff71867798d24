"""The console in a real browser: Debian's Chromium driven by Playwright, against the whole
stack started as `make run` starts it (three services, their relays and consumers, and the
console under gunicorn), on PostgreSQL + RabbitMQ and on the embedded default.

Starting a stack takes most of a minute, so the screen tests share one stack per kind for the
whole session, and all the screen tests of one kind run in one pytest-xdist process (so the
stack starts once a run). Each test works as a dealer of its own (`dealer`): what one test adds,
another never sees, as with two dealers on one deployment. A test that needs the services set
up differently (an identity provider) starts a stack per kind for its module (`started_site`);
one that needs only the console set up differently (short sessions) starts a console of its own
beside them.

Each screen a test reaches is saved under `reports/screens/` for people to look at.
"""

from __future__ import annotations

import itertools
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from shared.testing import Infra, committed_catalog, run_as_admin, url_for_database
from tests.backoffice import BackOffice
from tests.conftest import ALL, _free_port
from tools.stack import Stack

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "reports" / "screens"
# Debian's headless shell (the headless browser Playwright runs by default) took two fifths of the
# CPU `chromium --headless` took for the same screen tests (65 against 162 CPU-seconds, the
# embedded half alone); the screens render alike. CHROMIUM=/usr/bin/chromium for the full browser.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
# As root in a container Chromium needs --no-sandbox; the others keep it off the network it
# would otherwise try to reach at start (this machine has none).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
_dealers = itertools.count(1)


@dataclass(frozen=True)
class Site:
    """A running stack with its console, and where its services keep their data."""

    stack: Stack
    infra: Infra

    @property
    def url(self) -> str:
        return self.stack.console_url


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items) -> None:
    """The screen tests of one kind run in one pytest-xdist process (`--dist loadgroup`), so
    each kind's stacks of the session or the module start once a run, not once in every process
    (16 s of CPU each)."""
    for item in items:
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if kind := next((value for value in params.values() if value in ("real", "embedded")), None):
            item.add_marker(pytest.mark.xdist_group(f"screens-{kind}"))


@contextmanager
def started_site(request, tmp_path_factory, kind: str, *, console_port: int, **environ) -> Iterator[Site]:
    """A stack of `kind` with its console, on databases of its own, for the screen tests of the
    session (`shared_site`) or of a module that needs the services set up otherwise."""
    data_dir = tmp_path_factory.mktemp(f"console-{kind}")
    namespace = f"c{uuid.uuid4().hex[:10]}"
    created: list[str] = []
    if kind == "real":
        admin = request.getfixturevalue("postgres_server")
        broker_url = request.getfixturevalue("rabbitmq_server").url

        def database_for(service) -> str:
            name = f"test_console_{service.name}_{namespace}"
            run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
            created.append(name)
            url = url_for_database(admin, name)
            service.migrate(url)
            return url
    else:
        broker_url = "filesystem://"

        def database_for(service) -> str:
            url = f"sqlite:///{data_dir / (service.name + '.db')}"
            service.migrate(url)
            return url

    infra = Infra(kind=kind, broker_url=broker_url, data_dir=data_dir, namespace=namespace,
                  _database_for=database_for, demo=True)
    for service in ALL:
        for handlers in service.handlers:
            infra.remember(infra.settings(service), handlers)
    # Relays (and the embedded broker's consumers) that look for new events every 0.2 s when
    # idle, as deployed, not every 0.05 s as the other test stacks do: these live for the session
    # (or the module), mostly waiting for a browser, and idle at 0.05 s each relay took 2.4 % of
    # a core (0.8 % at 0.2 s), each embedded consumer 1.3 % (0.4 %).
    environ = infra.environ(*ALL, LOG_LEVEL="INFO", LOG_FORMAT="json", RELAY_IDLE_SECONDS="0.2",
                            BROKER_POLL_SECONDS="0.2", **environ)
    stack = Stack(environ, ports={s.name: _free_port() for s in ALL}, web_workers=1, console_port=console_port)
    try:
        stack.start()
        yield Site(stack, infra)
    finally:
        stack.stop()
        problems = infra.events_off_the_catalog() if committed_catalog() else []
        infra.tear_down()
        if created:
            run_as_admin(admin, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in created))
        assert problems == [], "events that do not match docs/asyncapi.yaml:\n" + "\n".join(problems[:20])


@pytest.fixture(scope="session", params=["real", "embedded"])
def shared_site(request, tmp_path_factory) -> Iterator[Site]:
    """One stack per kind for every screen test of the session."""
    with started_site(request, tmp_path_factory, request.param, console_port=_free_port()) as site:
        yield site


@pytest.fixture
def site(shared_site) -> Site:
    return shared_site


@pytest.fixture
def dealer() -> str:
    """A dealer of this test's own on the shared stack."""
    return f"T{os.getpid() % 1000:03d}{next(_dealers):04d}"


@pytest.fixture
def office(site, dealer) -> BackOffice:
    """The dealer's desks over the APIs: to set up what the screens work on and to check what
    they did."""
    return BackOffice(site.stack, site.infra, dealer=dealer)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium-headless-shell fonts-noto-cjk"
        if os.environ.get("AFTERSALES_REQUIRE_INTEGRATION"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def desk(browser, site, dealer) -> Iterator[Callable[..., Page]]:
    """desk("demo-parts-clerk", locale="zh-CN") -> a page signed in as that demo user of the
    test's dealer, each in a browser context of its own (its own cookies: two clerks at two PCs)."""
    contexts = []

    def open_as(user: str, *, locale: str = "zh-CN", as_dealer: str | None = None) -> Page:
        context = browser.new_context(base_url=site.url, locale=locale, viewport={"width": 1366, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/sign-in")
        page.fill("#dealer", as_dealer or dealer)
        page.click(f"button[data-sub='{user}']")
        page.wait_for_url(re.compile(r".*/$"))
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request) -> Callable[[Page, str], Path]:
    """screenshot(page, "quote") saves reports/screens/<test>[<kind>]-<name>.png."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w\[\]-]+", "_", request.node.name.removeprefix("test_"))

    def take(page: Page, name: str) -> Path:
        path = SCREENS / f"{test}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
