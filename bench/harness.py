"""What every service benchmark shares: throw-away PostgreSQL databases, gunicorn with
`deploy/gunicorn.conf.py` on one of them, measured windows of closed-loop load (`bench.http_load`)
with the CPU each request costs the server, medians over rounds, and EXPLAIN of what a call sent.

A benchmark module seeds its databases, starts a `Gunicorn` per database, measures windows
through a `Bench` and prints medians (`row`) and ratios of figures taken in the same round
(`paired`). `run_context` gives it the ExitStack that stops gunicorn and drops the databases
on exit, Ctrl-C and SIGTERM included.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, text

from bench import cpu, http_load
from shared.testing import run_as_admin, url_for_database

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-not-for-production-0123456789"
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def command_line(module: str) -> str:
    """How this run was started, printed with its figures so it can be run again."""
    return f".venv/bin/python -m {module} " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)


# ---------------------------------------------------------------------------- databases

def fresh(admin_url: str, database: str) -> str:
    """An empty database of that name (dropped first if it was left behind); returns its URL."""
    run_as_admin(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"')
    return url_for_database(admin_url, database)


@contextmanager
def seeding(admin_url: str, database: str, service) -> Iterator[tuple[str, Connection]]:
    """A fresh database migrated for `service`: yields its URL and one connection to seed it
    in a single transaction, committed on leaving."""
    url = fresh(admin_url, database)
    service.migrate(url)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL synchronous_commit = off"))  # a lost seed is seeded again
            yield url, connection
    finally:
        engine.dispose()


def clone(admin_url: str, template: str, database: str) -> str:
    run_as_admin(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
          f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    return url_for_database(admin_url, database)


def finish(admin_url: str, database: str) -> None:
    """Statistics and visibility maps up to date, dirty pages written: nothing left for the run."""
    run_as_admin(url_for_database(admin_url, database), "VACUUM (ANALYZE)", "CHECKPOINT")


def drop(admin_url: str, *databases: str) -> None:
    run_as_admin(admin_url, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in databases))


def counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in tables}
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------- gunicorn

class Gunicorn:
    """One gunicorn master (and its workers) of `service` (`<service>.app:create_app()`) on a
    free local port, stopped by `stop()`.

    With `database_url` and `broker_url` None it runs on the embedded default: its SQLite file
    and filesystem broker in `data_dir` (the caller's, left in place; by default a temporary
    folder of its own, removed on stop). `environ` adds settings (e.g. the console's service URLs)."""

    def __init__(self, service: str, database_url: str | None, *, workers: int, threads: int,
                 broker_url: str | None, log: Path, secret: str = SECRET, data_dir: Path | None = None,
                 environ: Mapping[str, str] | None = None):
        self.port = _free_port()
        self.log = log
        self._metrics = tempfile.mkdtemp(prefix="bench-prometheus-")
        self._data = None if data_dir else tempfile.mkdtemp(prefix="bench-data-")
        settings = {f"{service.upper()}_DATABASE_URL": database_url, "BROKER_URL": broker_url}
        env = {
            **{name: value for name, value in os.environ.items() if name not in settings},
            **{name: value for name, value in settings.items() if value is not None},
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "WEB_THREADS": str(threads),
            "JWT_SECRET": secret,
            "PROMETHEUS_MULTIPROC_DIR": self._metrics,
            "AFTERSALES_DATA_DIR": str(data_dir or self._data),
            "LOG_LEVEL": "INFO",
            **(environ or {}),
        }
        # Its own control socket: by default every gunicorn of the user shares ~/.gunicorn/gunicorn.ctl.
        self.command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                        "--control-socket", str(Path(self._metrics) / "gunicorn.ctl"),
                        f"{service}.app:create_app()"]
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
        if self._data:
            shutil.rmtree(self._data, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_servers(cleanup: ExitStack, service: str, urls: dict[str, str], args, logs: Path,
                  environ: Mapping[str, str] | None = None) -> dict[str, Gunicorn]:
    """One gunicorn per database, stopped when `cleanup` closes; waits until all answer."""
    servers: dict[str, Gunicorn] = {}
    cleanup.callback(stop_all, servers)
    for name, url in urls.items():
        servers[name] = Gunicorn(service, url, workers=args.workers, threads=args.threads,
                                 broker_url=args.broker_url, log=logs / f"gunicorn-{name}.log", environ=environ)
    for server in servers.values():
        server.wait_ready()
    return servers


def stop_all(servers: dict[str, Gunicorn]) -> None:
    for server in servers.values():  # all at once, then wait for each
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
    for server in servers.values():
        server.wait_stopped()


def interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


@contextmanager
def run_context(prefix: str) -> Iterator[tuple[ExitStack, Path, float]]:
    """The run's ExitStack (SIGTERM ends the run like Ctrl-C does, through it), a folder for the
    logs, and the load average before anything started."""
    signal.signal(signal.SIGTERM, interrupt)
    logs = Path(tempfile.mkdtemp(prefix=prefix))
    load_before = os.getloadavg()[0]  # other work on the machine skews every figure; ratios less so
    with ExitStack() as cleanup:
        yield cleanup, logs, load_before


def server_arguments(parser: argparse.ArgumentParser, *, clients: int = 8, rounds_help: str = "rounds") -> None:
    """The options every gunicorn benchmark has, with the same defaults."""
    parser.add_argument("--seconds", type=float, default=10, help="length of each measured window")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured seconds before each window")
    parser.add_argument("--rounds", type=int, default=5, help=rounds_help)
    parser.add_argument("--clients", type=int, default=clients, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--load-processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--broker-url", default=os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"))
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")


def machine_line(args, load_before: float) -> str:
    return (f"machine: {os.cpu_count()} cores, load average {load_before:.2f} before the run; gunicorn "
            f"{args.workers} workers x {args.threads} threads (gthread); load from {args.load_processes} client "
            "processes on the same machine")


# ---------------------------------------------------------------------------- requests

def live(_rng, _label, _n):
    """`GET /health/live`: the app's own trivial JSON endpoint (same hooks, logging and metrics;
    no token to verify and no database)."""
    return "GET", "/health/live", None, {}


# ---------------------------------------------------------------------------- measuring

class Bench:
    """The running servers, and how to measure one window against one of them.

    A server without a database (the embedded default, the console) costs no PostgreSQL CPU; a
    server that calls others (the console) names them in `behind`, and their workers' CPU is
    measured in the same window."""

    def __init__(self, args, admin_url: str, servers: dict[str, Gunicorn], databases: dict[str, str],
                 behind: dict[str, Gunicorn] | None = None):
        self.args = args
        self.servers = servers
        self.databases = databases
        self.behind = behind or {}
        self._monitor = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)

    def close(self) -> None:
        self._monitor.dispose()

    def measure(self, server: str, factory, clients: int, *, expected: int = 200, warmup: float | None = None,
                seconds: float | None = None, probe: bool = True, prepare=None,
                expected_body: bytes | None = None) -> http_load.Outcome:
        return http_load.run(
            "127.0.0.1", self.servers[server].port, factory, clients=clients,
            seconds=self.args.seconds if seconds is None else seconds,
            warmup=self.args.warmup if warmup is None else warmup, expected_status=expected,
            processes=self.args.load_processes, probe=self._cpu_probe(server) if probe else None,
            prepare=prepare, expected_body=expected_body,
        )

    def _cpu_probe(self, server: str):
        """CPU seconds so far of the server's workers and of its database's backends (and of
        the workers of the server behind it, if any)."""
        database = self.databases.get(server)
        behind = self.behind.get(server)

        def probe():
            backends: set[int] = set()
            if database:
                with self._monitor.connect() as connection:
                    backends = set(connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                                      {"d": database}).scalars())
            found = (cpu.seconds(self.servers[server].workers()), cpu.seconds(backends))
            return found + (cpu.seconds(behind.workers()),) if behind else found
        return probe


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def cpu_ms(outcome: http_load.Outcome) -> tuple[float, ...]:
    """Milliseconds of CPU per answered request: gunicorn workers, PostgreSQL backends (and the
    workers of the server behind, when the probe measured one)."""
    opened, closed = outcome.probes
    per = 1000 / max(1, outcome.ok)
    return tuple(cpu.used_between(before, after) * per for before, after in zip(opened, closed))


def row(outcomes: list[http_load.Outcome]) -> dict:
    """Medians over the rounds."""
    figures = {
        "rps": statistics.median(o.per_second for o in outcomes),
        "p50": statistics.median(o.p50 for o in outcomes),
        "p95": statistics.median(o.p95 for o in outcomes),
        "p99": statistics.median(o.p99 for o in outcomes),
        "app_ms": statistics.median(cpu_ms(o)[0] for o in outcomes),
        "db_ms": statistics.median(cpu_ms(o)[1] for o in outcomes),
        "rounds": [round(o.per_second) for o in outcomes],
    }
    if len(outcomes[0].probes[0]) > 2:
        figures["behind_ms"] = statistics.median(cpu_ms(o)[2] for o in outcomes)
    return figures


# Column: (heading, how its figure prints). `print_row` and `print_header` take the same columns.
COLUMNS = {
    "rps": ("req/s", lambda v: f"{v:8.1f}"),
    "p50": ("p50", ms), "p95": ("p95", ms), "p99": ("p99", ms),
    "app_ms": ("app", lambda v: f"{v:7.2f}"),
    "behind_ms": ("behind", lambda v: f"{v:7.2f}"),
    "db_ms": ("db", lambda v: f"{v:7.2f}"),
}
DEFAULT_COLUMNS = ("rps", "p50", "p99", "app_ms", "db_ms")


def print_row(label: str, figures: dict, width: int = 44, columns: tuple[str, ...] = DEFAULT_COLUMNS) -> None:
    print(f"{label:{width}} " + " ".join(COLUMNS[c][1](figures[c]) for c in columns))


def print_header(width: int = 44, columns: tuple[str, ...] = DEFAULT_COLUMNS,
                 headings: Mapping[str, str] | None = None) -> None:
    """`headings` renames columns (the console's "app" is the console's workers)."""
    names = {c: (headings or {}).get(c, COLUMNS[c][0]) for c in columns}
    print(f"{'':{width}} " + " ".join(f"{names[c]:>{7 if c.endswith('_ms') else 8}}" for c in columns))


def paired(numerators: list[http_load.Outcome], denominators: list[http_load.Outcome], attribute: str) -> float:
    """Median over the rounds of a ratio of two figures measured in the same round."""
    return statistics.median(getattr(n, attribute) / getattr(d, attribute) for n, d in zip(numerators, denominators))


def check(outcome: http_load.Outcome, what: str) -> None:
    if outcome.errors:
        print(f"  {what}: {outcome.errors} unexpected answers {dict(outcome.statuses)}: {outcome.unexpected[:2]}")


def per_window(outcome: http_load.Outcome, parts: int) -> list[int]:
    """Answers per second in each successive slice of the window: does the rate hold up?"""
    width = outcome.seconds / parts
    counts_ = [0] * parts
    for at in outcome.finished_at:
        counts_[min(parts - 1, int((at - outcome.started_at) / width))] += 1
    return [round(c / width) for c in counts_]


# ---------------------------------------------------------------------------- EXPLAIN

@contextmanager
def statements_sent(engine) -> Iterator[list[tuple[str, object]]]:
    """Every (statement, parameters) the engine sends inside the block."""
    sent: list[tuple[str, object]] = []
    listener = lambda _conn, _cursor, statement, parameters, _context, _many: sent.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def explain(engine, sent: list[tuple[str, object]]) -> list[dict]:
    """EXPLAIN ANALYZE each statement (in a transaction rolled back): the tables it read, the
    rows each sequential scan read, the rows index scans read and threw away, and its time."""
    plans = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in sent:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
            plan = cursor.fetchone()[0][0]
            found = list(nodes(plan["Plan"]))
            plans.append({
                "statement": " ".join(statement.split()),
                "tables": sorted({n["Relation Name"] for n in found if "Relation Name" in n}),
                # table -> rows read by sequential scans
                "seq_scans": {n["Relation Name"]: (n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"]
                              for n in found if n["Node Type"] == "Seq Scan"},
                # (index, table) -> rows the index scan read but the filter removed
                "filtered": {(n.get("Index Name"), n["Relation Name"]): n.get("Rows Removed by Filter", 0) * n["Actual Loops"]
                             for n in found if "Index" in n["Node Type"] and n.get("Rows Removed by Filter")},
                "indexes": sorted({n["Index Name"] for n in found if n.get("Index Name")}),
                "ms": plan["Execution Time"],
                "plan": plan["Plan"],
            })
        raw.rollback()
    finally:
        raw.close()
    return plans


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def outline(node: dict, depth: int = 0) -> Iterator[str]:
    """A plan as indented lines: node, table and index, rows out, rows removed by the filter, loops."""
    what = node["Node Type"]
    if "Relation Name" in node:
        what += f" on {node['Relation Name']}"
    if node.get("Index Name"):
        what += f" using {node['Index Name']}"
    extra = []
    for key in ("Index Cond", "Filter", "Sort Key", "Presorted Key"):
        if key in node:
            extra.append(f"{key.lower()}: {node[key]}")
    if node.get("Rows Removed by Filter"):
        extra.append(f"removed by filter: {node['Rows Removed by Filter']}")
    yield (f"{'  ' * depth}-> {what} (rows {node.get('Actual Rows')}, loops {node.get('Actual Loops')}, "
           f"{node.get('Actual Total Time', 0):.2f} ms)" + (f" [{'; '.join(extra)}]" if extra else ""))
    for child in node.get("Plans", []):
        yield from outline(child, depth + 1)
