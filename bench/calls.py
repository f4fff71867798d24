"""Python function calls per request, counted in one process, against the app's own trivial
endpoint: a measure of a request's work that does not move with the machine's load.

    .venv/bin/python -m bench.calls               # PostgreSQL at BENCH_DATABASE_URL
    .venv/bin/python -m bench.calls --embedded    # SQLite files in a temporary folder

CPU time per request is what a deployment pays, but on a shared machine two runs of the same
code differ by more than a 10 % change does (see the README's benchmark section); the number of
Python calls a request makes does not. This runs the parts and warranty apps in-process on the
demo data (`make run`'s), through Flask's test client with a clerk's token, and counts the calls
(`sys.setprofile`, Python and C functions) of each request after warming up: a 10-line quote, a
reservation, eligibility for the demo's Camry, a page of claims, and `GET /health/live`. The
databases are made for the run and dropped after it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

from flask.testing import FlaskClient

from bench import harness
from shared.auth import mint
from shared.config import Settings
from shared.http.context import EXTENSION
from shared.service import Service

SECRET = "bench-calls-secret-at-least-32-bytes"
DEALER = "D001"
CAMRY_VIN = "LVSHCAMB1CE054249"  # the demo's Camry (warranty/demo.py)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.splitlines()[0])
    parser.add_argument("--embedded", action="store_true", help="SQLite files instead of PostgreSQL")
    parser.add_argument("--warmup", type=int, default=50, help="uncounted calls of each request first")
    parser.add_argument("--calls", type=int, default=20, help="counted calls of each request")
    args = parser.parse_args()
    from parts.app import PARTS
    from warranty.app import WARRANTY

    with ExitStack() as cleanup:
        parts = _app(cleanup, PARTS, args.embedded, "parts_clerk")
        warranty = _app(cleanup, WARRANTY, args.embedded, "warranty_clerk")
        requests = {
            "GET /health/live": parts.live,
            "POST /availability, 10 lines": parts.quote,
            "POST /reservations, one unit": parts.reserve,
            "POST /eligibility, the Camry": warranty.eligibility,
            "GET /claims, a page": warranty.claims,
        }
        counted = {name: calls_per_request(request, args.warmup, args.calls) for name, request in requests.items()}
    live = counted["GET /health/live"]
    print(f"\ncommand: {harness.command_line('bench.calls')}")
    print(f"{'':34}{'calls per request':>18}{'/ live':>8}")
    for name, calls in counted.items():
        print(f"{name:34}{calls:>18,.0f}{calls / live:>8.1f}")


class _App:
    """One service's app in this process, with a clerk's token and the demo data."""

    def __init__(self, client: FlaskClient, token: str):
        self._client = client
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self._reference = 0
        self._lines: list[dict] = []

    def _get(self, path: str) -> dict:
        answer = self._client.get(path, headers=self._headers)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()

    def _post(self, path: str, body: dict, status: int = 200) -> dict:
        answer = self._client.post(path, data=json.dumps(body), headers=self._headers)
        assert answer.status_code == status, answer.get_data(as_text=True)
        return answer.get_json()

    def live(self) -> None:
        assert self._client.get("/health/live").status_code == 200

    def quote(self) -> None:
        if not self._lines:  # the demo catalog's parts, repeated to 10 lines
            numbers = [part["part_number"] for part in self._get("/api/v1/parts?limit=10")["items"]]
            self._lines = [{"part_number": number, "quantity": "1"} for number in (numbers * 10)[:10]]
        self._post("/api/v1/availability", {"lines": self._lines})

    def reserve(self) -> None:
        self._reference += 1
        self._post("/api/v1/reservations", {"part_number": "90915-YZZE1", "quantity": "1", "location": "MAIN",
                                            "for_kind": "repair_order", "for_reference": f"RO-CALLS-{self._reference}"},
                   status=201)

    def eligibility(self) -> None:
        self._post("/api/v1/eligibility", {"vin": CAMRY_VIN, "odometer": 30000, "component_group": "brakes"})

    def claims(self) -> None:
        self._get("/api/v1/claims?limit=50")


def _app(cleanup: ExitStack, service: Service, embedded: bool, role: str) -> _App:
    if embedded:
        folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-calls-")))
        url = f"sqlite:///{folder / (service.name + '.db')}"
    else:
        admin, name = harness.admin_url(), f"bench_calls_{service.name}"
        url = harness.fresh(admin, name)
        cleanup.callback(harness.drop, admin, name)
    settings = Settings.from_env(service.name, {
        f"{service.name.upper()}_DATABASE_URL": url, "JWT_SECRET": SECRET, "LOG_LEVEL": "WARNING",
        "AFTERSALES_DATA_DIR": tempfile.gettempdir(),
    })
    service.migrate(url)
    units = service.units_of_work(settings)
    service.load_demo(units)
    units.database.dispose()
    app = service.create_app(settings)
    cleanup.callback(app.extensions[EXTENSION].database.dispose)
    if service.name == "parts":  # enough of the oil filter for every reservation the run makes
        _receive_oil_filters(app.test_client(), mint(SECRET, "bench", DEALER, ["parts_clerk"]))
    return _App(app.test_client(), mint(SECRET, "bench", DEALER, [role], ttl=timedelta(hours=1)))


def _receive_oil_filters(client: FlaskClient, token: str) -> None:
    body = {"supplier": "GTMC", "delivery_note": "DN-BENCH-CALLS",
            "lines": [{"part_number": "90915-YZZE1", "quantity": "1000", "location": "MAIN", "unit_cost": "20.00",
                       "inspection": "passed"}]}
    answer = client.post("/api/v1/receipts", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.get_data(as_text=True)


def calls_per_request(request: Callable[[], None], warmup: int, counted: int) -> float:
    """Calls of Python and C functions per request, after `warmup` uncounted ones (statements
    compiled, mappers configured, caches filled)."""
    for _ in range(warmup):
        request()
    calls = 0

    def count(_frame, event, _arg) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        for _ in range(counted):
            request()
    finally:
        sys.setprofile(None)
    return calls / counted


if __name__ == "__main__":
    main()
