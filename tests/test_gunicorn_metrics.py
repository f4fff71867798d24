"""/metrics under gunicorn with several workers counts every request, whichever worker
answered the request and whichever answers the scrape."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from shared.auth import mint
from tools.stack import Stack

from parts.app import PARTS

BURST = 16


@pytest.fixture
def parts_under_gunicorn(embedded_infra):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    embedded_infra.database_url(PARTS)
    stack = Stack(embedded_infra.environ(PARTS, LOG_LEVEL="INFO"), ports={"parts": port}, web_workers=4,
                  console_port=None)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def test_every_request_is_counted_once_across_workers(parts_under_gunicorn, embedded_infra):
    stack = parts_under_gunicorn
    secret = embedded_infra.settings(PARTS).jwt_secret
    headers = {"Authorization": "Bearer " + mint(secret, "t", "D001", ["parts_clerk"]), "Connection": "close"}
    samples = stack.data_dir / "metrics" / "parts"

    def get(_):
        return requests.get(f"{stack.url('parts')}/api/v1/parts", headers=headers, timeout=5).status_code

    sent = 0
    with ThreadPoolExecutor(max_workers=BURST) as pool:
        # Keep sending concurrent bursts until more than one worker has answered: the point
        # is a total summed over workers.
        for _ in range(20):
            assert set(pool.map(get, range(BURST))) == {200}
            sent += BURST
            if len(list(samples.glob("counter_*.db"))) >= 2:
                break
    assert len(list(samples.glob("counter_*.db"))) >= 2, "all requests went to one worker"

    line = ('aftersales_http_requests_total{method="GET",route="/api/v1/parts",'
            f'service="parts",status="200"}} {float(sent)}')
    for _ in range(6):
        scrape = requests.get(f"{stack.url('parts')}/metrics", headers={"Connection": "close"}, timeout=5).text
        assert line in scrape
