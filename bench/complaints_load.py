"""The complaints service: classification on one core, recording complaints under gunicorn on
PostgreSQL, and the escalation sweep over a big open backlog.

    .venv/bin/python -m bench.complaints_load [--complaints 100000] [--scale 10] [--overdue-share 0.05]
                                              [--classify-texts 20000] [--seconds 10] [--rounds 5]

1. Classification, in this process (one core): the texts of
   `services/complaints/tests/data/*.jsonl` repeated to `--classify-texts`, each given to the
   domain's `classify` (the learned model: features, three weighted sums, the explanation), and
   the same for the corpus's training texts (`corpus/train/*.jsonl`, longer: letters and emails).
   The baseline, in the same rounds, is the same loop doing only the text normalisation
   `classify` starts with (NFKC, traditional to simplified, lower case: one pass over every
   character that any reading of the text needs), so the ratio says what reading the features
   and weighing them costs on top of touching the text at all. `json.loads` of the raw lines is
   printed too, as the price of merely receiving a complaint. Rates are per CPU second of this
   process (steady whatever else the machine runs) and per wall-clock second. Loading the model
   (what a process does once at start) is timed first. `--classification-only` stops there.
2. The escalation sweep, run as `python -m complaints job escalate-overdue` runs it
   (`shared.jobs.run_once` of the service's job, in this process), on two databases (see
   `bench.complaints_data`): `--complaints` open complaints and a `--scale`-th of that, of which
   `--overdue-share` are overdue. Figures: a plain `SELECT count(*)` of the open complaints (the
   baseline) and the sweep's own finder query alone, alternating between the databases for
   `--sweep-rounds` rounds, then one run of the job on each, which works off the whole backlog a
   batch of 100 at a time: time and CPU per complaint, big against small.
3. `POST /api/v1/complaints` (a complaints agent recording one of the texts) under gunicorn
   with `deploy/gunicorn.conf.py` on the big database, against `GET /health/live` of the same
   app, `--clients` closed-loop keep-alive clients, and one client at a time, in alternating
   rounds; throughput, p50, p99 and the CPU per request of the gunicorn workers and the
   PostgreSQL backends.

It also EXPLAINs the sweep's finder query on the big database. No relay runs: events stay in
the outbox, the broker is not needed. Gunicorn is stopped on exit, Ctrl-C included; the
databases are dropped unless `--keep`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, text

from shared.auth import mint
from shared.config import Settings
from shared.db import ALL_DEALERS
from shared.jobs import run_once
from shared.logs import configure

from bench import complaints_data, cpu, harness, http_load
from bench.harness import SECRET

from complaints.app import COMPLAINTS
from complaints.domain import classification
from complaints.domain.text import normalise
from complaints.training.corpus import read, training_files

DEALER = "D001"
JOB = "escalate-overdue"


# ---------------------------------------------------------------------------- classification

def model_loading() -> tuple[float, float]:
    """(seconds, CPU seconds) to read the classifier's artefact, as a process does once at start."""
    wall, cpu = time.perf_counter(), time.process_time()
    classification.Classifier.load()
    return time.perf_counter() - wall, time.process_time() - cpu


def classification_rounds(args) -> dict[str, list[dict]]:
    """Rounds of the loops over the same texts, alternating so drift hits all alike."""
    rows = complaints_data.texts()
    texts = [row["text"] for row in rows]
    corpus = [example.text for path in training_files() for example in read(path)]
    count = args.classify_texts
    batch, long_batch, lines = (_repeated(items, count) for items in (texts, corpus, complaints_data.lines()))
    loops = {
        "classify": lambda: [classification.classify(t) for t in batch],
        # What classify does first, and nothing else.
        "normalise": lambda: [normalise(t) for t in batch],
        "json.loads": lambda: [json.loads(line) for line in lines],
        "classify corpus": lambda: [classification.classify(t) for t in long_batch],
    }
    for loop in loops.values():  # warm: the matchers' dictionaries, the interpreter's caches
        loop()
    found: dict[str, list[dict]] = {name: [] for name in loops}
    for round_ in range(args.rounds):
        names = list(loops) if round_ % 2 == 0 else list(reversed(loops))
        for name in names:
            wall, cpu = time.perf_counter(), time.process_time()
            loops[name]()
            found[name].append({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall})
        print(f"  classification round {round_ + 1}: "
              + ", ".join(f"{name} {count / found[name][-1]['cpu']:,.0f}/CPU s" for name in loops), flush=True)
    return found


def _repeated(items: list, count: int) -> list:
    """`items` over and over, cut at `count`."""
    return (items * (count // max(len(items), 1) + 1))[:count]


# ---------------------------------------------------------------------------- the sweep

class Sweep:
    """The service's escalation job on one database, run as the CLI runs it."""

    def __init__(self, url: str, database: str):
        self.url = url
        self.database = database
        self.units = COMPLAINTS.units_of_work(Settings.from_env("complaints", {"COMPLAINTS_DATABASE_URL": url}))
        self.job = next(job for job in COMPLAINTS.jobs if job.name == JOB)
        self._engine = create_engine(url, pool_size=1)

    def close(self) -> None:
        self.units.database.dispose()
        self._engine.dispose()

    def run(self) -> tuple[int, int, float, float]:
        """One run of the job: (complaints escalated, clocks escalated, seconds, CPU seconds of this
        process and of the database's backends)."""
        before = self._escalated_complaints()
        backends = self._backends()
        cpu_before, process_before = cpu.seconds(backends), time.process_time()
        started = time.perf_counter()
        clocks = run_once(self.job, self.units)
        took = time.perf_counter() - started
        used = time.process_time() - process_before + cpu.used_between(cpu_before, cpu.seconds(self._backends()))
        return self._escalated_complaints() - before, clocks, took, used

    def _backends(self) -> set[int]:
        with self._engine.connect() as connection:
            return set(connection.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d AND "
                                               "pid <> pg_backend_pid()"), {"d": self.database}).scalars())

    def count_open(self) -> float:
        """Seconds of the baseline: a plain count of the open complaints."""
        with self._engine.connect() as connection:
            started = time.perf_counter()
            connection.execute(text("SELECT count(*) FROM complaints WHERE status <> 'closed'")).scalar_one()
            return time.perf_counter() - started

    def find(self) -> float:
        """Seconds of the sweep's finder query alone (what the job runs first)."""
        with self.units(dealer=ALL_DEALERS, actor="bench", correlation_id="bench") as uow:
            started = time.perf_counter()
            uow.complaints.overdue(uow.now(), limit=100)
            return time.perf_counter() - started

    def _escalated_complaints(self) -> int:
        with self._engine.connect() as connection:
            return connection.execute(text("SELECT count(DISTINCT complaint_id) FROM escalations")).scalar_one()


def explain_finder(url: str) -> None:
    units = COMPLAINTS.units_of_work(Settings.from_env("complaints", {"COMPLAINTS_DATABASE_URL": url}))
    try:
        with harness.statements_sent(units.database.engine) as sent, \
                units(dealer=ALL_DEALERS, actor="bench", correlation_id="bench") as uow:
            due = uow.complaints.overdue(uow.now(), limit=100)
        plans = harness.explain(units.database.engine, sent)
    finally:
        units.database.dispose()
    for plan in plans:
        print(f"EXPLAIN ANALYZE, the sweep's finder on the big database ({len(due)} due found): {plan['ms']:.2f} ms; "
              f"sequential scans {', '.join(plan['seq_scans']) or 'none'}")
        for line in harness.outline(plan["plan"]):
            print(f"    {line}")


def sweep_backlogs(sweeps: dict[str, Sweep], args) -> dict[str, dict]:
    """The baselines in alternating rounds, then one run of the job on each database: a run
    works off the whole backlog, a batch of 100 at a time."""
    found: dict[str, dict] = {name: {"count": [], "find": []} for name in sweeps}
    for _ in range(3):  # warm the caches and the statement cache of each
        for each in sweeps.values():
            each.count_open()
            each.find()
    for round_ in range(args.sweep_rounds):
        for name in ("big", "small") if round_ % 2 == 0 else ("small", "big"):
            found[name]["count"].append(sweeps[name].count_open())
            found[name]["find"].append(sweeps[name].find())
    for name in ("small", "big"):
        found[name]["run"] = sweeps[name].run()
        done, clocks, seconds, used = found[name]["run"]
        print(f"  sweep of {name}: {done} complaints, {clocks} clocks in {seconds:.1f} s ({used:.1f} s CPU)", flush=True)
    return found


# ---------------------------------------------------------------------------- the API

def new_complaint(token: str):
    """A complaints agent records one of the labelled texts, received a little earlier."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    rows = complaints_data.texts()

    def request(rng, _label, _n):
        row = rng.choice(rows)
        received = datetime.now(timezone.utc) - timedelta(minutes=rng.randrange(1, 240))
        body = {"channel": row["channel"], "text": row["text"], "received_at": received.isoformat(),
                "customer_name": "Bench customer", "customer_phone": "+86 138 0000 0000"}
        return "POST", "/api/v1/complaints", json.dumps(body, ensure_ascii=False).encode(), headers

    return request


def api_rounds(bench: harness.Bench, factory) -> dict[str, list[http_load.Outcome]]:
    args = bench.args
    bench.measure("big", factory, args.clients, expected=201, warmup=0, seconds=args.warmup * 2, probe=False)
    runs: dict[str, list[http_load.Outcome]] = {"live": [], "create": [], "create 1": []}
    for round_ in range(args.rounds):
        if round_ % 2 == 0:
            runs["live"].append(bench.measure("big", harness.live, args.clients))
            runs["create"].append(bench.measure("big", factory, args.clients, expected=201))
        else:
            runs["create"].append(bench.measure("big", factory, args.clients, expected=201))
            runs["live"].append(bench.measure("big", harness.live, args.clients))
        runs["create 1"].append(bench.measure("big", factory, 1, expected=201, seconds=args.seconds / 2))
        for name, outcomes in runs.items():
            harness.check(outcomes[-1], f"round {round_ + 1} {name}")
        print(f"  API round {round_ + 1}: live {runs['live'][-1].per_second:.0f}/s; create "
              f"{runs['create'][-1].per_second:.0f}/s, one client p50 {runs['create 1'][-1].p50 * 1000:.1f} ms",
              flush=True)
    return runs


# ---------------------------------------------------------------------------- the run

def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.complaints_load")
    parser.add_argument("--complaints", type=int, default=100_000, help="open complaints of the big database")
    parser.add_argument("--scale", type=int, default=10, help="the small database has a scale-th of them")
    parser.add_argument("--overdue-share", type=float, default=0.05, help="share of the open complaints overdue")
    parser.add_argument("--classify-texts", type=int, default=20_000, help="texts classified per round")
    parser.add_argument("--classification-only", action="store_true",
                        help="measure the classification and stop (no database, no server)")
    parser.add_argument("--sweep-rounds", type=int, default=4,
                        help="rounds of the baselines (count(*), the finder) on each database")
    harness.server_arguments(parser, rounds_help="rounds of classification, and of live and create")
    args = parser.parse_args()
    if args.scale < 2 or args.complaints // args.scale < 1000 or not 0 < args.overdue_share <= 1:
        parser.error("need --scale of 2 or more, --complaints / --scale of at least 1000, and "
                     "0 < --overdue-share <= 1")
    return args


def main() -> None:
    args = _arguments()
    admin_url = harness.admin_url()
    configure("complaints", "WARNING", True)  # the sweep logs every escalation at INFO
    command = harness.command_line("bench.complaints_load")
    sizes = {"big": args.complaints, "small": args.complaints // args.scale}
    databases = {name: f"bench_complaints_{size}" for name, size in sizes.items()}

    if args.classification_only:
        loading = model_loading()
        classified = classification_rounds(args)
        print()
        print(f"command: {command}")
        _report_classification(args, classified, loading)
        return
    with harness.run_context("bench-complaints-") as (cleanup, logs, load_before):
        loading = model_loading()
        classified = classification_rounds(args)
        if not args.keep:
            cleanup.callback(harness.drop, admin_url, *databases.values())
        started = time.monotonic()
        urls = {}
        for name, size in sizes.items():
            urls[name] = complaints_data.create(admin_url, databases[name], complaints=size,
                                                overdue_share=args.overdue_share)
            harness.finish(admin_url, databases[name])
        overdue = {name: complaints_data.overdue_now(url) for name, url in urls.items()}
        print(f"seeded in {time.monotonic() - started:.0f} s: big {complaints_data.counts(urls['big'])}, "
              f"small {complaints_data.counts(urls['small'])}; overdue {overdue}", flush=True)
        explain_finder(urls["big"])

        sweeps = {name: Sweep(url, databases[name]) for name, url in urls.items()}
        for sweep in sweeps.values():
            cleanup.callback(sweep.close)
        swept = sweep_backlogs(sweeps, args)

        servers = harness.start_servers(cleanup, "complaints", {"big": urls["big"]}, args, logs)
        bench = harness.Bench(args, admin_url, servers, databases)
        cleanup.callback(bench.close)
        token = mint(SECRET, "bench.agent", DEALER, ["complaints_agent"], ttl=timedelta(hours=2))
        runs = api_rounds(bench, new_complaint(token))

        print()
        print(f"command: {command}")
        print(f"{harness.machine_line(args, load_before)}; {complaints_data.DEALERS} dealers")
        _report_classification(args, classified, loading)
        _report_sweep_and_api(args, swept, runs, sizes, overdue)
        print(f"gunicorn logs: {logs}")


def _report_classification(args, classified, loading) -> None:
    count = args.classify_texts
    print(f"loading the classifier: {loading[0]:.2f} s ({loading[1]:.2f} s CPU), once per process")
    print(f"classification, one core, {count} texts a round, median of {args.rounds} rounds:")
    rates = {}
    for name, rounds in classified.items():
        cpu = statistics.median(r["cpu"] for r in rounds)
        wall = statistics.median(r["wall"] for r in rounds)
        rates[name] = count / cpu
        print(f"  {name:15} {count / cpu:12,.0f} texts per CPU second {count / wall:12,.0f} per wall second "
              f"{cpu / count * 1e6:9.1f} us each")
    paired = statistics.median(c["cpu"] / n["cpu"] for c, n in zip(classified["classify"], classified["normalise"]))
    print(f"  classify / normalise, CPU time per text: {paired:.2f} (throughput ratio {1 / paired:.3f}); "
          f"classify / json.loads: {rates['json.loads'] / rates['classify']:.1f}")
    print()


def _report_sweep_and_api(args, swept, runs, sizes, overdue) -> None:
    print(f"escalation sweep (`{JOB}`): one run works off the whole backlog; count(*) and the finder: "
          f"median of {args.sweep_rounds} rounds")
    figures = {}
    for name in ("big", "small"):
        found = swept[name]
        done, clocks, seconds, used = found["run"]
        figures[name] = {
            "count": statistics.median(found["count"]),
            "find": statistics.median(found["find"]),
            "run": seconds,
            "per_complaint": seconds / max(1, done),
            "cpu_per_complaint": used / max(1, done),
        }
        f = figures[name]
        print(f"  {sizes[name]:>7} open, {overdue[name]:>6} overdue: count(*) {f['count'] * 1000:8.2f} ms; finder "
              f"{f['find'] * 1000:7.2f} ms; the run {seconds:8.1f} s for {done} complaints ({clocks} clocks; "
              f"{f['per_complaint'] * 1000:.1f} ms each, {f['cpu_per_complaint'] * 1000:.1f} ms CPU: job + PostgreSQL)")
    big, small = figures["big"], figures["small"]
    print(f"  big / small ({sizes['big'] // sizes['small']}x the open complaints): per complaint "
          f"{big['per_complaint'] / small['per_complaint']:.3f} (CPU "
          f"{big['cpu_per_complaint'] / small['cpu_per_complaint']:.3f}), finder {big['find'] / small['find']:.3f}, "
          f"count(*) {big['count'] / small['count']:.2f}")
    print(f"  finder / count(*) on the big database: {big['find'] / big['count']:.3f}")
    print()
    rows = {name: harness.row(outcomes) for name, outcomes in runs.items()}
    print(f"POST /api/v1/complaints on the big database, median of {args.rounds} windows of {args.seconds:g} s "
          f"(one client: {args.seconds / 2:g} s); req/s, p50, p99 ms; app, db: ms of CPU per request")
    width = 44
    harness.print_header(width)
    harness.print_row(f"GET /health/live, {args.clients} clients", rows["live"], width)
    harness.print_row(f"POST /complaints, {args.clients} clients", rows["create"], width)
    harness.print_row("POST /complaints, 1 client", rows["create 1"], width)
    print(f"per round, req/s: live {rows['live']['rounds']}, create {rows['create']['rounds']}")
    live_cpu = rows["live"]["app_ms"] + rows["live"]["db_ms"]
    print(f"create / live: throughput {harness.paired(runs['create'], runs['live'], 'per_second'):.4f}, p99 "
          f"{harness.paired(runs['create'], runs['live'], 'p99'):.1f} (CPU per request "
          f"{(rows['create']['app_ms'] + rows['create']['db_ms']) / live_cpu:.1f} times)")


if __name__ == "__main__":
    main()
