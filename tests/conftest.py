"""Cross-service tests: the three services as real processes, started as `make run` starts them."""

from __future__ import annotations

import socket

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
def stack(infra, stack_environ):
    for service in ALL:
        for handlers in service.handlers:
            infra.remember(infra.settings(service), handlers)
    environ = infra.environ(*ALL, LOG_LEVEL="INFO", LOG_FORMAT="json", **stack_environ)
    running = Stack(environ, ports={s.name: _free_port() for s in ALL}, web_workers=2)
    try:
        running.start()
        yield running
    finally:
        running.stop()
