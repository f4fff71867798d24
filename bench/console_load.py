"""The console's quote screen under gunicorn, against the console's own trivial page, on the
parts service's embedded default and on PostgreSQL.

    .venv/bin/python -m bench.console_load [--seconds 10] [--rounds 5] [--clients 4]
    .venv/bin/python -m bench.console_load --seconds 1 --warmup 0.5 --rounds 1 --workers 1   # smoke run, under a minute

Two back ends, each a parts gunicorn and a console gunicorn (`console.app:create_app()`,
`PARTS_API_URL` pointing at that parts gunicorn), all four with `deploy/gunicorn.conf.py`
(`--workers`, `--threads`) and the development token secret (`shared.config.DEV_JWT_SECRET`:
the console offers the demo sign-in only with it):

- embedded: the parts service on its embedded default, a SQLite file and the filesystem broker
  in a temporary folder;
- postgres: the parts service on a throw-away PostgreSQL database (`BENCH_DATABASE_URL` as the
  other benchmarks), migrated.

Each is given the parts demo data (`python -m parts demo`'s) and six more parts added and
received through the API: twelve stocked parts. Each load client signs in once as a browser
does (the sign-in page's CSRF token, `POST /sign-in/demo` as `demo-parts-clerk` of D001, the
quote page's CSRF token), then posts the 10-line quote to `/parts/quote` as htmx does
(`HX-Request`, the whole form, `action=add` with an empty scan), and counts an answer only if
it is 200 with the quote's total in it. Before the load, one answer of each console is checked
through: ten lines in stock, and the total the parts API gives for the same lines.

The baseline is the console's `GET /health/live` (same hooks, logging and session handling;
no backend call). Windows of live, quote on the embedded back end and quote on PostgreSQL
alternate over `--rounds` rounds, with `--clients` clients (4, the issue's figure) and with one.
Figures: answers per second, p50, p95, p99, and the CPU per request of the console's workers,
the parts workers and the PostgreSQL backends (from /proc); medians over the rounds, and the
ratios quote/live of figures taken in the same round. It prints whether the quote's p95 with
`--clients` clients is within `--target-ms` (150) on each back end.

No relay runs: the broker is not needed to answer. The gunicorns are stopped on exit, Ctrl-C
included; the database, the embedded back end's folder and the logs are removed unless `--keep`
(the logs are also kept when the run fails).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import httpx

from shared.auth import mint
from shared.config import DEV_JWT_SECRET, Settings

from bench import harness, http_load
from bench.harness import Gunicorn

from parts import demo
from parts.app import PARTS

DEALER = demo.DEMO_DEALER
CLERK = "demo-parts-clerk"
DATABASE = "bench_console_parts"
BACKENDS = ("embedded", "postgres")
NAMES = {"embedded": "embedded (SQLite)", "postgres": "PostgreSQL"}
LINES = 10
# The parts added through the API on top of the demo catalog: (number, name, category, unit, price, cost).
EXTRA_PARTS = [
    ("87139-0N010", "Cabin air filter", "filters", "pcs", "128.00", "70.00"),
    ("90919-01253", "Spark plug", "engine", "pcs", "85.00", "41.00"),
    ("04152-YZZA6", "Oil filter element", "filters", "pcs", "62.00", "30.00"),
    ("48510-0K010", "Front shock absorber", "suspension", "pcs", "1250.00", "780.00"),
    ("85222-0K010", "Wiper blade", "body", "pcs", "96.00", "45.00"),
    ("28100-0T030", "Starter motor", "electrical", "pcs", "2680.00", "1700.00"),
]
# What the quote answer holds only when the parts service answered it.
ANSWERED = b'id="quote-total"'


# ---------------------------------------------------------------------------- the back ends

def prepare_parts(settings: Settings) -> None:
    """Migrated, with the demo data (as `python -m parts migrate` and `demo` do)."""
    PARTS.migrate(settings.database_url)
    units = PARTS.units_of_work(settings)
    try:
        PARTS.load_demo(units)
    finally:
        units.database.dispose()


def add_parts(port: int) -> list[str]:
    """The extra parts, added and received (inspection passed) through the parts API; returns
    the numbers of every stocked part, demo ones first."""
    token = mint(DEV_JWT_SECRET, "bench.manager", DEALER, ["parts_manager"], ttl=timedelta(hours=1))
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as api:
        for number, name, category, unit, price, _cost in EXTRA_PARTS:
            _expect(api.post("/parts", json={"part_number": number, "name_en": name, "category": category,
                                             "unit": unit, "source": "oem", "list_price": price}), 201)
        _expect(api.post("/receipts", json={"supplier": "GTMC", "delivery_note": "DN-BENCH-001", "lines": [
            {"part_number": number, "quantity": "20", "unit_cost": cost, "location": "MAIN",
             "supplier_lot": "BENCH-01", "inspection": "passed"}
            for number, _name, _category, _unit, _price, cost in EXTRA_PARTS]}), 201)
    stocked = {number for _supplier, lines in demo.DELIVERIES for number, *_rest, inspection in lines
               if inspection == "passed"}
    return [entry["part_number"] for entry in demo.CATALOG if entry["part_number"] in stocked] + \
        [number for number, *_rest in EXTRA_PARTS]


def _expect(answer: httpx.Response, status: int) -> httpx.Response:
    if answer.status_code != status:
        raise RuntimeError(f"{answer.request.method} {answer.request.url} answered {answer.status_code}: "
                           f"{answer.text[:300]}")
    return answer


# ---------------------------------------------------------------------------- the quote screen

def sign_in(port: int) -> tuple[str, str]:
    """A parts clerk signs in as a browser does: the session cookie and the quote page's CSRF token."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as browser:
        page = _expect(browser.get("/sign-in"), 200)
        landed = _expect(browser.post("/sign-in/demo", follow_redirects=True, data={
            "user": CLERK, "dealer": DEALER, "next": "/parts/quote", "csrf_token": _csrf(page.text)}), 200)
        if landed.url.path != "/parts/quote":
            raise RuntimeError(f"signing in landed on {landed.url}, not the quote screen")
        return browser.cookies["console_session"], _csrf(landed.text)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:
        raise RuntimeError("no CSRF token in the page")
    return found[1]


class Desk:
    """The clerks at one console's quote screen: each load client signs in once (`sign_in`, the
    load's `prepare`), then posts the same quote again and again (`quote`, its request factory)."""

    def __init__(self, port: int, numbers: list[str]):
        self.port = port
        self.fields = [(f"lines.{i}.{name}", value) for i, number in enumerate(numbers)
                       for name, value in (("part_number", number), ("quantity", "1"))]
        self.fields += [("scan", ""), ("scan_quantity", "1"), ("location", ""), ("action", "add")]
        self._signed_in: dict[str, tuple[bytes, dict[str, str]]] = {}  # per load process

    def sign_in(self, label: str) -> None:
        cookie, token = sign_in(self.port)
        body = urlencode([("csrf_token", token), *self.fields]).encode()
        # What htmx sends for the "Add line" button of the form.
        headers = {"Cookie": f"console_session={cookie}", "Content-Type": "application/x-www-form-urlencoded",
                   "HX-Request": "true", "HX-Trigger": "add-line", "HX-Target": "quote-form",
                   "HX-Current-URL": f"http://127.0.0.1:{self.port}/parts/quote", "X-CSRFToken": token}
        self._signed_in[label] = (body, headers)

    def quote(self, _rng, label: str, _n: int) -> http_load.Request:
        body, headers = self._signed_in[label]
        return "POST", "/parts/quote", body, headers

    def check(self, parts_port: int) -> str:
        """One answer, read through: the ten lines in stock and the parts API's total for them."""
        self.sign_in("check")
        body, headers = self._signed_in.pop("check")
        answer = _expect(httpx.post(f"http://127.0.0.1:{self.port}/parts/quote", content=body, headers=headers,
                                    timeout=30), 200)
        html = answer.text
        rows = re.findall(r'<tr class="line([^"]*)" data-line="\d+">', html)
        in_stock = html.count('class="badge ok"')
        shown = re.search(r'id="quote-total">([^<]*)<', html)
        numbers = [value for name, value in self.fields if name.endswith(".part_number")]
        token = mint(DEV_JWT_SECRET, "bench.clerk", DEALER, ["parts_clerk"], ttl=timedelta(minutes=5))
        expected = _expect(httpx.post(f"http://127.0.0.1:{parts_port}/api/v1/availability", timeout=30,
                                      headers={"Authorization": f"Bearer {token}"},
                                      json={"lines": [{"part_number": n, "quantity": "1"} for n in numbers]}),
                           200).json()["total"]
        if not html.lstrip().startswith('<div id="quote-answer"'):
            raise RuntimeError("the quote answer is not the fragment htmx swaps in (#quote-answer)")
        if len(rows) != len(numbers) or any(rows) or in_stock != len(numbers):
            raise RuntimeError(f"the quote shows {len(rows)} lines (classes {rows}), {in_stock} in stock; "
                               f"expected {len(numbers)} in stock")
        if shown is None or Decimal(re.sub(r"[^\d.]", "", shown[1]) or "0") != Decimal(expected):
            raise RuntimeError(f"the quote's total is {shown[1] if shown else None!r}; the parts API says {expected}")
        return shown[1].strip()


# ---------------------------------------------------------------------------- the rounds

def rounds(bench: harness.Bench, desks: dict[str, Desk]) -> dict[str, list[http_load.Outcome]]:
    args = bench.args
    # Every worker of both tiers loads its templates and opens its connections first.
    for name, desk in desks.items():
        warm = bench.measure(name, desk.quote, args.clients, warmup=0, seconds=args.warmup * 2, probe=False,
                             prepare=desk.sign_in, expected_body=ANSWERED)
        harness.check(warm, f"warm-up {name}")
    names = ("live", *BACKENDS)
    runs: dict[str, list[http_load.Outcome]] = {f"{name}{suffix}": [] for suffix in ("", "1") for name in names}
    for round_ in range(args.rounds):
        # Each takes its turn going first, so a drift in load favours none.
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for clients, suffix, seconds in ((args.clients, "", args.seconds), (1, "1", args.seconds / 2)):
            for name in order:
                if name == "live":  # the console's own page; either console would do
                    outcome = bench.measure(BACKENDS[0], harness.live, clients, seconds=seconds)
                else:
                    outcome = bench.measure(name, desks[name].quote, clients, seconds=seconds,
                                            prepare=desks[name].sign_in, expected_body=ANSWERED)
                runs[name + suffix].append(outcome)
                harness.check(outcome, f"round {round_ + 1} {name}{suffix}")
        print(f"  round {round_ + 1}: live {runs['live'][-1].per_second:.0f}/s; quote "
              + ", ".join(f"{name} {runs[name][-1].per_second:.1f}/s p95 {runs[name][-1].p95 * 1000:.0f} ms"
                          for name in BACKENDS)
              + "; one client p50 " + ", ".join(f"{name} {runs[name + '1'][-1].p50 * 1000:.1f} ms" for name in BACKENDS),
              flush=True)
    return runs


# ---------------------------------------------------------------------------- the run

def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.console_load")
    parser.add_argument("--target-ms", type=float, default=150, help="the quote's p95 to meet with --clients")
    harness.server_arguments(parser, clients=4, rounds_help="rounds of live and the quote on both back ends")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    admin_url = harness.admin_url()
    command = harness.command_line("bench.console_load")

    with harness.run_context("bench-console-") as (cleanup, logs, load_before):
        cleanup.enter_context(_logs_kept_on_failure(logs, args.keep))
        embedded = Path(tempfile.mkdtemp(prefix="bench-console-embedded-"))
        if not args.keep:
            cleanup.callback(harness.drop, admin_url, DATABASE)
            cleanup.callback(shutil.rmtree, embedded, ignore_errors=True)
        started = time.monotonic()
        url = harness.fresh(admin_url, DATABASE)
        settings = {"embedded": Settings.from_env("parts", {"AFTERSALES_DATA_DIR": str(embedded)}),
                    "postgres": Settings.from_env("parts", {"PARTS_DATABASE_URL": url})}
        for each in settings.values():
            prepare_parts(each)

        servers: dict[str, Gunicorn] = {}
        cleanup.callback(harness.stop_all, servers)
        tiers = {"workers": args.workers, "threads": args.threads, "secret": DEV_JWT_SECRET}
        servers["parts-embedded"] = Gunicorn("parts", None, broker_url=None, data_dir=embedded,
                                             log=logs / "gunicorn-parts-embedded.log", **tiers)
        # A demo on PostgreSQL: the console's demo sign-in mints with the development secret.
        servers["parts-postgres"] = Gunicorn("parts", url, broker_url=args.broker_url,
                                             log=logs / "gunicorn-parts-postgres.log",
                                             environ={"AFTERSALES_DEMO": "on"}, **tiers)
        for name in BACKENDS:  # the console calls the parts service only when asked: all four start at once
            servers[name] = Gunicorn("console", None, broker_url=None, log=logs / f"gunicorn-console-{name}.log",
                                     environ={"PARTS_API_URL": f"http://127.0.0.1:{servers[f'parts-{name}'].port}"},
                                     **tiers)
        for server in servers.values():
            server.wait_ready()
        stocked = {name: add_parts(servers[f"parts-{name}"].port) for name in BACKENDS}
        harness.finish(admin_url, DATABASE)
        desks = {name: Desk(servers[name].port, stocked[name][:LINES]) for name in BACKENDS}
        totals = {name: desk.check(servers[f"parts-{name}"].port) for name, desk in desks.items()}
        print(f"ready in {time.monotonic() - started:.0f} s: {len(stocked['embedded'])} stocked parts on each back end; "
              f"the {LINES}-line quote shows {totals['embedded']} (embedded), {totals['postgres']} (PostgreSQL)",
              flush=True)

        bench = harness.Bench(args, admin_url, {name: servers[name] for name in BACKENDS}, {"postgres": DATABASE},
                              behind={name: servers[f"parts-{name}"] for name in BACKENDS})
        cleanup.callback(bench.close)
        runs = rounds(bench, desks)

        print()
        print(f"command: {command}")
        print(f"{harness.machine_line(args, load_before)}; four gunicorns (a console and a parts service per back "
              f"end), each with those settings")
        _report(args, runs)
        print(f"gunicorn logs: {logs}" + (f"; kept: the database {DATABASE}, the embedded back end in {embedded}"
                                          if args.keep else " (removed on exit; --keep keeps them)"))


@contextmanager
def _logs_kept_on_failure(logs: Path, keep: bool) -> Iterator[None]:
    """The logs folder is removed on leaving, Ctrl-C included, unless `keep` or the run failed."""
    failed = False
    try:
        yield
    except Exception:
        failed = True
        print(f"the run failed: gunicorn logs kept in {logs}", file=sys.stderr)
        raise
    finally:
        if not (keep or failed):
            shutil.rmtree(logs, ignore_errors=True)


def _report(args, runs: dict[str, list[http_load.Outcome]]) -> bool:
    rows = {name: harness.row(outcomes) for name, outcomes in runs.items()}
    columns = ("rps", "p50", "p95", "p99", "app_ms", "behind_ms", "db_ms")
    width = 48
    print(f"each figure: the median of {args.rounds} windows of {args.seconds:g} s (one client: {args.seconds / 2:g} s); "
          "req/s answers per second; p50, p95, p99 latency in ms; console, parts, db: ms of CPU per request used "
          "by the console's gunicorn workers, the parts service's and the PostgreSQL backends")
    harness.print_header(width, columns, {"app_ms": "console", "behind_ms": "parts"})
    for suffix, clients in (("", args.clients), ("1", 1)):
        who = f"{clients} client{'s' if clients > 1 else ''}"
        harness.print_row(f"GET /health/live (console), {who}", rows["live" + suffix], width, columns)
        for name in BACKENDS:
            harness.print_row(f"quote, {LINES} lines, {NAMES[name]}, {who}", rows[name + suffix], width, columns)
    print("per round, req/s: " + "; ".join(f"{name} {rows[name]['rounds']}" for name in ("live", *BACKENDS)))
    print()
    live_cpu = rows["live"]["app_ms"] + rows["live"]["behind_ms"] + rows["live"]["db_ms"]
    for name in BACKENDS:
        quote, live = runs[name], runs["live"]
        quote1, live1 = runs[name + "1"], runs["live1"]
        cpu_total = rows[name]["app_ms"] + rows[name]["behind_ms"] + rows[name]["db_ms"]
        print(f"quote / live, {NAMES[name]}: {args.clients} clients throughput "
              f"{harness.paired(quote, live, 'per_second'):.4f}, p50 {harness.paired(quote, live, 'p50'):.1f}, "
              f"p95 {harness.paired(quote, live, 'p95'):.1f}; 1 client p50 {harness.paired(quote1, live1, 'p50'):.1f}; "
              f"CPU per request {cpu_total / live_cpu:.1f} times (console {rows[name]['app_ms'] / rows['live']['app_ms']:.1f} "
              f"times its own live)")
    print(f"quote, PostgreSQL / embedded: {args.clients} clients p95 "
          f"{harness.paired(runs['postgres'], runs['embedded'], 'p95'):.2f}, throughput "
          f"{harness.paired(runs['postgres'], runs['embedded'], 'per_second'):.2f}")
    met = True
    for name in BACKENDS:
        p95 = rows[name]["p95"] * 1000
        ok = p95 <= args.target_ms
        met &= ok
        print(f"target: p95 of the {LINES}-line quote with {args.clients} clients <= {args.target_ms:g} ms on "
              f"{NAMES[name]}: {p95:.1f} ms, {'met' if ok else 'MISSED'} (rounds: "
              f"{', '.join(f'{o.p95 * 1000:.0f}' for o in runs[name])} ms)")
    return met


if __name__ == "__main__":
    main()
