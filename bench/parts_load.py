"""The parts service under gunicorn on PostgreSQL: availability, a flat ledger, hot reservations.

    .venv/bin/python -m bench.parts_load [--parts 20000] [--ledger 1000000] [--seconds 10]

Seeds two databases (see `bench.parts_data`) that differ only in their ledger: `--ledger`
rows against `--small-ledger` rows. Starts one gunicorn per database with
`deploy/gunicorn.conf.py` (`--workers`, `--threads`), mints a parts clerk's token, and with
closed-loop keep-alive clients (`bench.http_load`, `--clients` of them) measures, in
alternating rounds so drift hits all alike:

- `GET /health/live`, the app's own trivial JSON endpoint (same hooks, logging and metrics;
  no token to verify and no database);
- `POST /api/v1/availability` with 10 random parts that have stock, on the big ledger;
- the same on the small ledger;
- the same two with one client at a time: the call's own latency, without queueing.

Then `--reserve-clients` clients reserve one unit each of one part, as fast as they can, and
pgbench updates one row of the same table (`part_stocks`) of the same database with as many
clients; then one client reserves that part (its reservations still active) and one client
parts that have none. Figures are throughput (answers/s), p50 and p99, the CPU time per
request of the gunicorn workers and of the PostgreSQL backends (from /proc: steady whatever
else the machine runs), and the ratios. At the end the database must hold exactly as many
reservations of the part as were answered 201, or the run fails.

It also EXPLAINs every statement an availability call runs and says which tables they read.
The broker is not needed to serve requests (events wait in the outbox; no relay runs).
Gunicorn is stopped on exit, Ctrl-C included; the databases are dropped unless `--keep`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, event, make_url, text

from shared.auth import mint
from shared.config import Settings

from bench import cpu, http_load, parts_data
from bench.parts_data import DEALER, FIRST_QUOTED, HOT_PART, LOCATION, PGBENCH_PART, part_number

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-not-for-production-0123456789"


# ---------------------------------------------------------------------------- gunicorn

class Gunicorn:
    """One gunicorn master (and its workers) on a free local port, stopped by `stop()`."""

    def __init__(self, database_url: str, *, workers: int, threads: int, broker_url: str, log: Path):
        self.port = _free_port()
        self.log = log
        self._metrics = tempfile.mkdtemp(prefix="bench-prometheus-")
        self._data = tempfile.mkdtemp(prefix="bench-data-")
        env = {
            **os.environ,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "WEB_THREADS": str(threads),
            "PARTS_DATABASE_URL": database_url,
            "BROKER_URL": broker_url,
            "JWT_SECRET": SECRET,
            "PROMETHEUS_MULTIPROC_DIR": self._metrics,
            "AFTERSALES_DATA_DIR": self._data,
            "LOG_LEVEL": "INFO",
        }
        # Its own control socket: by default every gunicorn of the user shares ~/.gunicorn/gunicorn.ctl.
        self.command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                        "--control-socket", str(Path(self._metrics) / "gunicorn.ctl"), "parts.app:create_app()"]
        with open(log, "wb") as out:
            # Its own session: Ctrl-C reaches only this process, which then stops gunicorn in order.
            self.process = subprocess.Popen(self.command, env=env, cwd=ROOT, stdout=out, stderr=out,
                                            start_new_session=True)

    def workers(self) -> set[int]:
        return cpu.children(self.process.pid)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/live", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        self.wait_stopped()

    def wait_stopped(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the master and its workers
                self.process.wait()
        shutil.rmtree(self._metrics, ignore_errors=True)
        shutil.rmtree(self._data, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------------------- requests

def live(_rng, _label, _n):
    return "GET", "/health/live", None, {}


def availability(token: str, parts: int, lines: int):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(rng, _label, _n):
        numbers = rng.sample(range(FIRST_QUOTED, parts + 1), lines)
        body = {"lines": [{"part_number": part_number(i), "quantity": "1"} for i in numbers]}
        return "POST", "/api/v1/availability", json.dumps(body).encode(), headers

    return request


def reservation(token: str, parts: int | None = None):
    """One unit of the hot part; or, given `parts`, of a random part (to warm the workers up)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def request(rng, label, n):
        number = HOT_PART if parts is None else part_number(rng.randint(FIRST_QUOTED, parts))
        body = {"part_number": number, "quantity": "1", "location": LOCATION,
                "for_kind": "repair_order", "for_reference": f"RO-{label}-{n}"}
        return "POST", "/api/v1/reservations", json.dumps(body).encode(), headers

    return request


# ---------------------------------------------------------------------------- EXPLAIN

def explain_availability(url: str, parts: int, lines: int) -> list[dict]:
    """Run one availability call in-process, then EXPLAIN ANALYZE each statement it sent."""
    from parts.app import PARTS
    from parts.queries import availability as queries

    factory = PARTS.units_of_work(Settings.from_env("parts", {"PARTS_DATABASE_URL": url}))
    database = factory.database
    sent: list[tuple[str, dict]] = []
    listener = lambda _conn, _cursor, statement, parameters, _context, _many: sent.append((statement, parameters))
    event.listen(database.engine, "before_cursor_execute", listener)
    # Parts with an alternate (x5) and superseded ones (x00) take the longest path.
    special = [i for i in (105, 200, 315) if i <= parts][:lines]
    spread = [FIRST_QUOTED + k * (parts - FIRST_QUOTED) // lines for k in range(1, lines - len(special) + 1)]
    asked = [part_number(i) for i in special + spread]
    with database.reading(DEALER) as session:
        answer = queries.quote(session, [{"part_number": n, "quantity": Decimal(1)} for n in asked])
    event.remove(database.engine, "before_cursor_execute", listener)
    assert all(line.found for line in answer)
    plans = []
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in sent:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
            plan = cursor.fetchone()[0][0]
            nodes = list(_nodes(plan["Plan"]))
            plans.append({
                "statement": " ".join(statement.split())[:110],
                "tables": sorted({n["Relation Name"] for n in nodes if "Relation Name" in n}),
                # table -> rows read by sequential scans
                "seq_scans": {n["Relation Name"]: (n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"]
                              for n in nodes if n["Node Type"] == "Seq Scan"},
                "ms": plan["Execution Time"],
            })
        raw.rollback()
    finally:
        raw.close()
        database.dispose()
    return plans


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


# ---------------------------------------------------------------------------- pgbench

def pgbench(database_url: str, *, clients: int, seconds: float, threads: int, folder: Path) -> tuple[float, str]:
    """Transactions per second of a one-row UPDATE of the pgbench part's stock row."""
    url = make_url(database_url)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT id FROM part_stocks WHERE part_number = :p AND location = :l"),
                                 {"p": PGBENCH_PART, "l": LOCATION}).scalar_one()
    engine.dispose()
    script = folder / "one_row_update.sql"
    # What a reservation does to the same row of the same table, and nothing else.
    script.write_text(f"UPDATE part_stocks SET version = version + 1, last_movement_at = now() WHERE id = {row};\n")
    binary = os.environ.get("PGBENCH", "pgbench")
    command = [binary, "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres",
               "-n", "-M", "prepared", "-c", str(clients), "-j", str(threads), "-T", str(int(seconds)),
               "-f", str(script), url.database]
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    tps = next(float(line.split("=")[1].split()[0]) for line in done.stdout.splitlines() if line.startswith("tps ="))
    return tps, " ".join(shlex.quote(part) for part in command)


# ---------------------------------------------------------------------------- report

def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def _cpu_ms(outcome: http_load.Outcome) -> tuple[float, float]:
    """Milliseconds of CPU per answered request: gunicorn workers, PostgreSQL backends."""
    (app_before, db_before), (app_after, db_after) = outcome.probes
    per = 1000 / max(1, outcome.ok)
    return cpu.used_between(app_before, app_after) * per, cpu.used_between(db_before, db_after) * per


def _row(outcomes: list[http_load.Outcome]) -> dict:
    """Medians over the rounds."""
    return {
        "rps": statistics.median(o.per_second for o in outcomes),
        "p50": statistics.median(o.p50 for o in outcomes),
        "p99": statistics.median(o.p99 for o in outcomes),
        "app_ms": statistics.median(_cpu_ms(o)[0] for o in outcomes),
        "db_ms": statistics.median(_cpu_ms(o)[1] for o in outcomes),
        "rounds": [round(o.per_second) for o in outcomes],
    }


def _paired(numerators: list[http_load.Outcome], denominators: list[http_load.Outcome], attribute: str) -> float:
    """Median over the rounds of a ratio of two figures measured in the same round."""
    return statistics.median(getattr(n, attribute) / getattr(d, attribute) for n, d in zip(numerators, denominators))


def _check(outcome: http_load.Outcome, what: str) -> None:
    if outcome.errors:
        print(f"  {what}: {outcome.errors} unexpected answers {dict(outcome.statuses)}: {outcome.unexpected[:2]}")


class Bench:
    """The running servers, and how to measure one window against one of them."""

    def __init__(self, args, admin_url: str, servers: dict[str, Gunicorn], databases: dict[str, str]):
        self.args = args
        self.servers = servers
        self.databases = databases
        self._monitor = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)

    def close(self) -> None:
        self._monitor.dispose()

    def measure(self, server: str, factory, clients: int, *, expected: int = 200, warmup: float | None = None,
                seconds: float | None = None, probe: bool = True) -> http_load.Outcome:
        outcome = http_load.run(
            "127.0.0.1", self.servers[server].port, factory, clients=clients,
            seconds=self.args.seconds if seconds is None else seconds,
            warmup=self.args.warmup if warmup is None else warmup, expected_status=expected,
            processes=self.args.load_processes, probe=self._cpu_probe(server) if probe else None,
        )
        return outcome

    def _cpu_probe(self, server: str):
        """CPU seconds so far of the server's workers and of its database's backends."""
        def probe():
            with self._monitor.connect() as connection:
                backends = set(connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                                  {"d": self.databases[server]}).scalars())
            return cpu.seconds(self.servers[server].workers()), cpu.seconds(backends)
        return probe


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.parts_load")
    parser.add_argument("--parts", type=int, default=20000)
    parser.add_argument("--ledger", type=int, default=1000000, help="ledger rows of the big database")
    parser.add_argument("--small-ledger", type=int, default=1000, help="ledger rows of the baseline database")
    parser.add_argument("--seconds", type=float, default=10, help="length of each measured window")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured seconds before each window")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of live, availability on both ledgers")
    parser.add_argument("--lines", type=int, default=10, help="lines per availability call")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for live and availability")
    parser.add_argument("--reserve-clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--load-processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--broker-url", default=os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"))
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    args = parser.parse_args()
    if not 0 < args.small_ledger < args.ledger or args.parts < 2 + args.lines:
        parser.error("need 0 < --small-ledger < --ledger and --parts of at least --lines + 2")
    return args


def main() -> None:
    args = _arguments()
    admin_url = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    command = ".venv/bin/python -m bench.parts_load " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    databases = {"big": f"bench_parts_l{args.ledger}", "small": f"bench_parts_l{args.small_ledger}"}
    # SIGTERM ends the run like Ctrl-C does: through the ExitStack that stops gunicorn.
    signal.signal(signal.SIGTERM, _interrupt)
    logs = Path(tempfile.mkdtemp(prefix="bench-parts-"))
    load_before = os.getloadavg()[0]  # other work on the machine skews every figure; ratios less so

    with ExitStack() as cleanup:
        if not args.keep:
            cleanup.callback(parts_data.drop, admin_url, *databases.values())
        urls, sizes = _seed(args, admin_url, databases)
        _explain(urls["big"], args)

        servers = {}
        cleanup.callback(_stop_all, servers)
        for name, url in urls.items():
            servers[name] = Gunicorn(url, workers=args.workers, threads=args.threads, broker_url=args.broker_url,
                                     log=logs / f"gunicorn-{name}.log")
        for server in servers.values():
            server.wait_ready()
        bench = Bench(args, admin_url, servers, databases)
        cleanup.callback(bench.close)
        token = mint(SECRET, "bench.clerk", DEALER, ["parts_clerk"], ttl=timedelta(hours=2))

        runs = _availability_rounds(bench, availability(token, args.parts, args.lines))
        servers["small"].stop()
        hot = _reservations(bench, token)
        tps, pgbench_command = pgbench(urls["big"], clients=args.reserve_clients, seconds=args.seconds,
                                       threads=args.load_processes, folder=logs)
        stored = _reserved_in_database(urls["big"])

        print()
        print(f"command: {command}")
        print(f"machine: {os.cpu_count()} cores, load average {load_before:.2f} before the run; gunicorn "
              f"{args.workers} workers x {args.threads} threads (gthread); load from {args.load_processes} client "
              f"processes on the same machine; {args.parts} parts; ledger {sizes['big']} vs {sizes['small']} rows")
        consistent = _report(args, runs, hot, tps, stored)
        print(f"pgbench: {pgbench_command}")
        print(f"gunicorn logs and the pgbench script: {logs}")
    if not consistent:
        sys.exit(1)


def _seed(args, admin_url: str, databases: dict[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """The small database, then the big one cloned from it and given the rest of the ledger."""
    started = time.monotonic()
    small = parts_data.create(admin_url, databases["small"], parts=args.parts, ledger=args.small_ledger)
    parts_data.finish(admin_url, databases["small"])
    big = parts_data.clone(admin_url, databases["small"], databases["big"])
    parts_data.grow_ledger(big, parts=args.parts, first=args.small_ledger + 1, count=args.ledger - args.small_ledger)
    parts_data.finish(admin_url, databases["big"])
    urls = {"big": big, "small": small}
    counted = {name: parts_data.counts(url) for name, url in urls.items()}
    print(f"seeded in {time.monotonic() - started:.0f} s: big {counted['big']}, small ledger "
          f"{counted['small']['stock_movements']}", flush=True)
    return urls, {name: found["stock_movements"] for name, found in counted.items()}


def _explain(url: str, args) -> None:
    plans = explain_availability(url, args.parts, args.lines)
    ledger_read = sum("stock_movements" in p["tables"] for p in plans)
    scans: dict[str, list] = {}
    for plan in plans:
        for table, rows in plan["seq_scans"].items():
            scans.setdefault(table, []).append((rows, plan["ms"]))
    print(f"EXPLAIN ANALYZE, one {args.lines}-line availability call on the big ledger: {len(plans)} statements, "
          f"{sum(p['ms'] for p in plans):.1f} ms in PostgreSQL; statements reading stock_movements: {ledger_read}; "
          "sequential scans: " + ", ".join(
              f"{table} ({max(r for r, _ in found)} rows, in a statement of {max(ms for _, ms in found):.2f} ms)"
              for table, found in sorted(scans.items())), flush=True)


def _availability_rounds(bench: Bench, quote) -> dict[str, list[http_load.Outcome]]:
    args = bench.args
    # Every worker compiles its statements and prepares them on its connections first.
    for name in bench.servers:
        bench.measure(name, quote, args.clients, warmup=0, seconds=args.warmup * 2, probe=False)
    runs: dict[str, list[http_load.Outcome]] = {"live": [], "big": [], "small": [], "big1": [], "small1": []}
    for round_ in range(args.rounds):
        # Big and small take turns going first, so a drift in load favours neither.
        order = ("big", "small") if round_ % 2 == 0 else ("small", "big")
        runs["live"].append(bench.measure("big", live, args.clients))
        for name in order:
            runs[name].append(bench.measure(name, quote, args.clients))
        for name in order:  # one client at a time: the call's own latency, no queueing
            runs[name + "1"].append(bench.measure(name, quote, 1))
        for name, outcomes in runs.items():
            _check(outcomes[-1], f"round {round_ + 1} {name}")
        print(f"  round {round_ + 1}: live {runs['live'][-1].per_second:.0f}/s; availability "
              f"{runs['big'][-1].per_second:.0f}/s (big ledger), {runs['small'][-1].per_second:.0f}/s (small); "
              f"one client p50 {runs['big1'][-1].p50 * 1000:.1f} ms (big), {runs['small1'][-1].p50 * 1000:.1f} ms "
              f"(small)", flush=True)
    return runs


def _reservations(bench: Bench, token: str) -> dict[str, http_load.Outcome]:
    """The hot part from parallel clients; then one client on it (its reservations still active)
    against one client on parts that have none."""
    args = bench.args
    # Warm the workers' reservation path on other parts: the hot part starts with none active.
    warm = bench.measure("big", reservation(token, args.parts), args.reserve_clients, expected=201, warmup=0,
                         seconds=args.warmup, probe=False)
    _check(warm, "reservation warm-up")
    found = {"parallel": bench.measure("big", reservation(token), args.reserve_clients, expected=201, warmup=0)}
    found["hot1"] = bench.measure("big", reservation(token), 1, expected=201, warmup=0, seconds=args.seconds / 2)
    found["fresh1"] = bench.measure("big", reservation(token, args.parts), 1, expected=201, warmup=0,
                                    seconds=args.seconds / 2)
    for name, outcome in found.items():
        _check(outcome, f"reservations {name}")
    return found


def _report(args, runs, hot, tps: float, stored: dict[str, int]) -> bool:
    rows = {name: _row(outcomes) for name, outcomes in runs.items()}
    parallel = hot["parallel"]
    print(f"each figure: the median of {args.rounds} windows of {args.seconds:g} s (reservations: one window); "
          "req/s answers per second; p50, p99 latency in ms; app, db: ms of CPU per request used by the "
          "gunicorn workers and by the PostgreSQL backends")
    print(f"{'':44} {'req/s':>8} {'p50':>8} {'p99':>8} {'app':>7} {'db':>7}")
    lines = [
        (f"GET /health/live, {args.clients} clients", rows["live"]),
        (f"availability, ledger {args.ledger}, {args.clients} clients", rows["big"]),
        (f"availability, ledger {args.small_ledger}, {args.clients} clients", rows["small"]),
        (f"availability, ledger {args.ledger}, 1 client", rows["big1"]),
        (f"availability, ledger {args.small_ledger}, 1 client", rows["small1"]),
        (f"reserve {HOT_PART}, {args.reserve_clients} clients", _row([parallel])),
        (f"reserve {HOT_PART} ({parallel.expected_total}+ active), 1 client", _row([hot["hot1"]])),
        ("reserve a part with none active, 1 client", _row([hot["fresh1"]])),
    ]
    for label, row in lines:
        print(f"{label:44} {row['rps']:8.1f} {_ms(row['p50'])} {_ms(row['p99'])} {row['app_ms']:7.2f} "
              f"{row['db_ms']:7.2f}")
    print(f"{'pgbench one-row UPDATE, ' + str(args.reserve_clients) + ' clients':44} {tps:8.1f}")
    print(f"per round, req/s: live {rows['live']['rounds']}, availability {rows['big']['rounds']} (big), "
          f"{rows['small']['rounds']} (small); reservations per quarter of their window: {_per_window(parallel, 4)}")
    print()
    live_cpu = rows["live"]["app_ms"] + rows["live"]["db_ms"]
    print(f"availability / live, throughput: {_paired(runs['big'], runs['live'], 'per_second'):.4f}  "
          f"(CPU per request: {(rows['big']['app_ms'] + rows['big']['db_ms']) / live_cpu:.1f} times)")
    print(f"availability, ledger {args.ledger} / {args.small_ledger}: 1 client p50 "
          f"{_paired(runs['big1'], runs['small1'], 'p50'):.3f}, p99 {_paired(runs['big1'], runs['small1'], 'p99'):.3f}; "
          f"{args.clients} clients throughput {_paired(runs['big'], runs['small'], 'per_second'):.3f}, "
          f"p50 {_paired(runs['big'], runs['small'], 'p50'):.3f}, p99 {_paired(runs['big'], runs['small'], 'p99'):.3f}; "
          f"CPU per request {(rows['big1']['app_ms'] + rows['big1']['db_ms']) / (rows['small1']['app_ms'] + rows['small1']['db_ms']):.3f}")
    print(f"reservations/s / pgbench one-row updates/s: {parallel.per_second / tps:.4f}")
    answered = parallel.expected_total + hot["hot1"].expected_total
    print(f"reservations of {HOT_PART} answered 201: {answered}; in the database: {stored['reservations']} active "
          f"reservations, {stored['reserved']} units reserved, {stored['movements']} reserve movements; "
          f"{stored['outbox']} events in the outbox; connection errors "
          f"{sum(o.failures for o in hot.values())}")
    consistent = answered == stored["reservations"] == stored["reserved"] == stored["movements"]
    print("consistent" if consistent else "INCONSISTENT")
    return consistent


def _stop_all(servers: dict[str, Gunicorn]) -> None:
    for server in servers.values():  # all at once, then wait for each
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
    for server in servers.values():
        server.wait_stopped()


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _reserved_in_database(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(text("""
                SELECT (SELECT count(*) FROM reservations WHERE part_number = :p AND status = 'active'),
                       (SELECT sum(b.reserved) FROM stock_balances b JOIN part_stocks s ON s.id = b.part_stock_id
                         WHERE s.part_number = :p),
                       (SELECT count(*) FROM stock_movements WHERE part_number = :p AND kind = 'reserve'),
                       (SELECT count(*) FROM outbox)
            """), {"p": HOT_PART}).one()
    finally:
        engine.dispose()
    return {"reservations": row[0], "reserved": int(row[1]), "movements": row[2], "outbox": row[3]}


def _per_window(outcome: http_load.Outcome, parts: int) -> list[int]:
    """Answers per second in each successive slice of the window: does the rate hold up?"""
    width = outcome.seconds / parts
    counts = [0] * parts
    for at in outcome.finished_at:
        counts[min(parts - 1, int((at - outcome.started_at) / width))] += 1
    return [round(c / width) for c in counts]


if __name__ == "__main__":
    main()
