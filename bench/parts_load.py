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
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from shared.auth import Caller, mint
from shared.config import Settings

from bench import harness, http_load, parts_data
from bench.harness import SECRET
from bench.parts_data import DEALER, FIRST_QUOTED, HOT_PART, LOCATION, PGBENCH_PART, part_number

# ---------------------------------------------------------------------------- requests

live = harness.live


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
    # Parts with an alternate (x5) and superseded ones (x00) take the longest path.
    special = [i for i in (105, 200, 315) if i <= parts][:lines]
    spread = [FIRST_QUOTED + k * (parts - FIRST_QUOTED) // lines for k in range(1, lines - len(special) + 1)]
    asked = [part_number(i) for i in special + spread]
    with harness.statements_sent(database.engine) as sent, database.reading(DEALER) as session:
        answer = queries.quote(session, [{"part_number": n, "quantity": Decimal(1)} for n in asked],
                               viewer=Caller("bench.clerk", DEALER, frozenset({"parts_clerk"})),
                               default_lead_time_days=factory.rules.default_lead_time_days)
    assert all(line.found for line in answer.lines)
    try:
        plans = harness.explain(database.engine, sent)
    finally:
        database.dispose()
    for plan in plans:
        plan["statement"] = plan["statement"][:110]
    return plans


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



def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.parts_load")
    parser.add_argument("--parts", type=int, default=20000)
    parser.add_argument("--ledger", type=int, default=1000000, help="ledger rows of the big database")
    parser.add_argument("--small-ledger", type=int, default=1000, help="ledger rows of the baseline database")
    parser.add_argument("--lines", type=int, default=10, help="lines per availability call")
    parser.add_argument("--reserve-clients", type=int, default=32)
    harness.server_arguments(parser, rounds_help="rounds of live, availability on both ledgers")
    args = parser.parse_args()
    if not 0 < args.small_ledger < args.ledger or args.parts < 2 + args.lines:
        parser.error("need 0 < --small-ledger < --ledger and --parts of at least --lines + 2")
    return args


def main() -> None:
    args = _arguments()
    admin_url = harness.admin_url()
    command = harness.command_line("bench.parts_load")
    databases = {"big": f"bench_parts_l{args.ledger}", "small": f"bench_parts_l{args.small_ledger}"}

    with harness.run_context("bench-parts-") as (cleanup, logs, load_before):
        if not args.keep:
            cleanup.callback(harness.drop, admin_url, *databases.values())
        urls, sizes = _seed(args, admin_url, databases)
        _explain(urls["big"], args)

        servers = harness.start_servers(cleanup, "parts", urls, args, logs)
        bench = harness.Bench(args, admin_url, servers, databases)
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
        print(f"{harness.machine_line(args, load_before)}; {args.parts} parts; ledger {sizes['big']} vs "
              f"{sizes['small']} rows")
        consistent = _report(args, runs, hot, tps, stored)
        print(f"pgbench: {pgbench_command}")
        print(f"gunicorn logs and the pgbench script: {logs}")
    if not consistent:
        sys.exit(1)


def _seed(args, admin_url: str, databases: dict[str, str]) -> tuple[dict[str, str], dict[str, int]]:
    """The small database, then the big one cloned from it and given the rest of the ledger."""
    started = time.monotonic()
    small = parts_data.create(admin_url, databases["small"], parts=args.parts, ledger=args.small_ledger)
    harness.finish(admin_url, databases["small"])
    big = harness.clone(admin_url, databases["small"], databases["big"])
    parts_data.grow_ledger(big, parts=args.parts, first=args.small_ledger + 1, count=args.ledger - args.small_ledger)
    harness.finish(admin_url, databases["big"])
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


def _availability_rounds(bench: harness.Bench, quote) -> dict[str, list[http_load.Outcome]]:
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
            harness.check(outcomes[-1], f"round {round_ + 1} {name}")
        print(f"  round {round_ + 1}: live {runs['live'][-1].per_second:.0f}/s; availability "
              f"{runs['big'][-1].per_second:.0f}/s (big ledger), {runs['small'][-1].per_second:.0f}/s (small); "
              f"one client p50 {runs['big1'][-1].p50 * 1000:.1f} ms (big), {runs['small1'][-1].p50 * 1000:.1f} ms "
              f"(small)", flush=True)
    return runs


def _reservations(bench: harness.Bench, token: str) -> dict[str, http_load.Outcome]:
    """The hot part from parallel clients; then one client on it (its reservations still active)
    against one client on parts that have none."""
    args = bench.args
    # Warm the workers' reservation path on other parts: the hot part starts with none active.
    warm = bench.measure("big", reservation(token, args.parts), args.reserve_clients, expected=201, warmup=0,
                         seconds=args.warmup, probe=False)
    harness.check(warm, "reservation warm-up")
    found = {"parallel": bench.measure("big", reservation(token), args.reserve_clients, expected=201, warmup=0)}
    found["hot1"] = bench.measure("big", reservation(token), 1, expected=201, warmup=0, seconds=args.seconds / 2)
    found["fresh1"] = bench.measure("big", reservation(token, args.parts), 1, expected=201, warmup=0,
                                    seconds=args.seconds / 2)
    for name, outcome in found.items():
        harness.check(outcome, f"reservations {name}")
    return found


def _report(args, runs, hot, tps: float, stored: dict[str, int]) -> bool:
    rows = {name: harness.row(outcomes) for name, outcomes in runs.items()}
    parallel = hot["parallel"]
    print(f"each figure: the median of {args.rounds} windows of {args.seconds:g} s (reservations: one window); "
          "req/s answers per second; p50, p99 latency in ms; app, db: ms of CPU per request used by the "
          "gunicorn workers and by the PostgreSQL backends")
    harness.print_header()
    lines = [
        (f"GET /health/live, {args.clients} clients", rows["live"]),
        (f"availability, ledger {args.ledger}, {args.clients} clients", rows["big"]),
        (f"availability, ledger {args.small_ledger}, {args.clients} clients", rows["small"]),
        (f"availability, ledger {args.ledger}, 1 client", rows["big1"]),
        (f"availability, ledger {args.small_ledger}, 1 client", rows["small1"]),
        (f"reserve {HOT_PART}, {args.reserve_clients} clients", harness.row([parallel])),
        (f"reserve {HOT_PART} ({parallel.expected_total}+ active), 1 client", harness.row([hot["hot1"]])),
        ("reserve a part with none active, 1 client", harness.row([hot["fresh1"]])),
    ]
    for label, row in lines:
        harness.print_row(label, row)
    print(f"{'pgbench one-row UPDATE, ' + str(args.reserve_clients) + ' clients':44} {tps:8.1f}")
    print(f"per round, req/s: live {rows['live']['rounds']}, availability {rows['big']['rounds']} (big), "
          f"{rows['small']['rounds']} (small); reservations per quarter of their window: {harness.per_window(parallel, 4)}")
    print()
    live_cpu = rows["live"]["app_ms"] + rows["live"]["db_ms"]
    print(f"availability / live, throughput: {harness.paired(runs['big'], runs['live'], 'per_second'):.4f}  "
          f"(CPU per request: {(rows['big']['app_ms'] + rows['big']['db_ms']) / live_cpu:.1f} times)")
    print(f"availability, ledger {args.ledger} / {args.small_ledger}: 1 client p50 "
          f"{harness.paired(runs['big1'], runs['small1'], 'p50'):.3f}, p99 {harness.paired(runs['big1'], runs['small1'], 'p99'):.3f}; "
          f"{args.clients} clients throughput {harness.paired(runs['big'], runs['small'], 'per_second'):.3f}, "
          f"p50 {harness.paired(runs['big'], runs['small'], 'p50'):.3f}, p99 {harness.paired(runs['big'], runs['small'], 'p99'):.3f}; "
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


if __name__ == "__main__":
    main()
