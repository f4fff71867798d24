"""The relay and consumer processes stop cleanly on the signals a terminal and a supervisor
send, even both at once (Ctrl-C's SIGINT to the process group next to SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from shared.testing import wait_until
from tests.conftest import ALL

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("command", ["relay", "consume"])
@pytest.mark.parametrize("service", ["warranty", "complaints"])
def test_a_process_stops_promptly_on_sigint_and_sigterm_together(embedded_infra, tmp_path, service, command):
    environ = {**os.environ, **embedded_infra.environ(*ALL, LOG_LEVEL="INFO", LOG_FORMAT="json")}
    log = tmp_path / "process.log"
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", service, command], env=environ, cwd=ROOT,
                                   stdout=output, stderr=subprocess.STDOUT)
    try:
        ready = "consumer.all_ready" if command == "consume" else "relay.connected"
        wait_until(lambda: ready in log.read_text(), timeout=30, what=f"{service} {command} to start")
        for _ in range(3):
            process.send_signal(signal.SIGINT)
            process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "process.stopping" in log.read_text()
