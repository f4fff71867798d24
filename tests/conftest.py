"""Cross-service tests: the three services as real processes, started as `make run` starts them."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from complaints.app import COMPLAINTS
from parts.app import PARTS
from tools.stack import Stack
from warranty.app import WARRANTY

ALL = (PARTS, WARRANTY, COMPLAINTS)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def stack_environ() -> dict[str, str]:
    """Extra settings for every process of the stack (a business rule a test needs set low);
    a test module overrides this fixture."""
    return {}


@pytest.fixture
def console_port() -> int | None:
    """The console is started only for the tests that drive it in a browser (tests/console)."""
    return None


@pytest.fixture
def stack(infra, stack_environ, console_port):
    for service in ALL:
        for handlers in service.handlers:
            infra.remember(infra.settings(service), handlers)
    environ = infra.environ(*ALL, LOG_LEVEL="INFO", LOG_FORMAT="json", **stack_environ)
    # One gunicorn worker a service: a stack's start costs 16 s of CPU instead of 20, and the tests
    # that need several workers (tests/test_gunicorn_metrics.py) start their own.
    running = Stack(environ, ports={s.name: _free_port() for s in ALL}, web_workers=1, console_port=console_port)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that ran the stack shows what each process warned about: CI keeps only
    the output, not the logs."""
    report = yield
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and isinstance(stack, Stack):
        for log in sorted(stack.logs.glob("*.log")):
            if lines := _warnings(log):
                report.sections.append((f"{log.stem}: its last warnings and errors", "\n".join(lines)))
    return report


def _warnings(log: Path, keep: int = 15) -> list[str]:
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            level = json.loads(line).get("level")
        except (ValueError, AttributeError):
            # gunicorn's own lines, or a traceback printed before logging was set up
            level = "info" if " [INFO] " in line else "unparsed"
        if level not in ("debug", "info"):
            found.append(line[:600])
    return found[-keep:]
