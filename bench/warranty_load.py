"""The warranty service under gunicorn on PostgreSQL: eligibility at write-up, the claims list,
and whether both stay flat as the tables grow tenfold.

    .venv/bin/python -m bench.warranty_load [--vehicles 200000] [--installed 1000000] [--claims 500000]
                                            [--scale 10] [--seconds 10] [--rounds 5]

Seeds two databases (see `bench.warranty_data`): the big one with `--vehicles`, `--installed`
parts and `--claims`, the small one with a `--scale`-th of each (same 10 dealers, same catalog
and plans). Starts one gunicorn per database with `deploy/gunicorn.conf.py` (`--workers`,
`--threads`), mints a warranty clerk's token for dealer D001, and with closed-loop keep-alive
clients (`bench.http_load`, `--clients` of them) measures, in alternating rounds so drift hits
all alike:

- `GET /health/live`, the app's own trivial JSON endpoint (same hooks, logging and metrics;
  no token to verify and no database);
- `POST /api/v1/eligibility` for a random vehicle of the dealer and a part fitted to it, on the
  big database and on the small one;
- `GET /api/v1/claims?status=submitted&limit=50` with a random 180-day repair-date range (when
  the API takes one: `--date-params`, else the two date fields of `ClaimQuery`; a full page on
  both databases), the dealer from the token, on both databases;
- the same four calls with one client at a time: the call's own latency, without queueing.

Figures are throughput (answers/s), p50 and p99, and the CPU time per request of the gunicorn
workers and of the PostgreSQL backends (from /proc: steady whatever else the machine runs),
with the ratios eligibility/live and big/small. Before that it EXPLAINs every statement a
claims-list call runs on the big database (and the date-range variant the list is meant to
take) and says whether any reads `claims` sequentially or throws most of what it reads away.

The broker is not needed (nothing is written). Gunicorn is stopped on exit, Ctrl-C included;
the databases are dropped unless `--keep`.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, timedelta
from urllib.parse import urlencode

import marshmallow as ma
from sqlalchemy import select

from shared.auth import mint
from shared.config import Settings

from bench import harness, http_load, warranty_data
from bench.harness import SECRET
from bench.warranty_data import FIRST_REPAIR, REPAIR_SPAN_DAYS, dealer_code, part_of_installation, vin

DEALER = dealer_code(1)
ODOMETER = 90_000  # above every seeded reading: no rollback suspected
RANGE_DAYS = 180  # the repair-date window of a claims list: a full page on both databases


# ---------------------------------------------------------------------------- requests

def eligibility(token: str, *, vehicles: int, installed: int, dealers: int, catalog: int):
    """A random vehicle of D001 and one of the parts fitted to it (its replaced-part cover)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    per_vehicle = max(1, installed // vehicles)

    def request(rng, _label, _n):
        n = 1 + dealers * rng.randrange((vehicles - 1) // dealers + 1)
        j = n + vehicles * rng.randrange(per_vehicle)
        body = {"vin": vin(n), "odometer": ODOMETER, "part_number": warranty_data.part_number(part_of_installation(j, catalog))}
        return "POST", "/api/v1/eligibility", json.dumps(body).encode(), headers

    return request


def claims_list(token: str, status: str, date_filter: tuple[str, str] | None):
    """A page of the dealer's claims in one status (and a 180-day repair-date window somewhere in
    the three years of claims, when the API takes a date range)."""
    headers = {"Authorization": f"Bearer {token}"}

    def request(rng, _label, _n):
        query = {"status": status, "limit": 50}
        if date_filter is not None:
            start = date.fromisoformat(FIRST_REPAIR) + timedelta(days=rng.randrange(REPAIR_SPAN_DAYS - RANGE_DAYS))
            query[date_filter[0]] = start.isoformat()
            query[date_filter[1]] = (start + timedelta(days=RANGE_DAYS - 1)).isoformat()
        return "GET", "/api/v1/claims?" + urlencode(query), None, headers

    return request


def date_filter_of_api(asked: str | None) -> tuple[str, str] | None:
    """The (from, to) query parameters of a repair-date range on `GET /claims`: as asked with
    `--date-params`, else the two date fields of `ClaimQuery` if it has them, else None."""
    if asked:
        first, second = asked.split(",")
        return first.strip(), second.strip()
    from warranty.api.schemas import ClaimQuery

    dated = [name for name, field in ClaimQuery().fields.items() if isinstance(field, (ma.fields.Date, ma.fields.DateTime))]
    if len(dated) != 2:
        return None
    lower = [name for name in dated if any(word in name for word in ("from", "after", "since", "start", "min"))]
    return (lower[0], next(name for name in dated if name != lower[0])) if len(lower) == 1 else None


# ---------------------------------------------------------------------------- EXPLAIN

def explain_claims(url: str, status: str, date_filter: tuple[str, str] | None) -> None:
    """EXPLAIN ANALYZE what a claims-list call sends, as served now, and the statement a
    repair-date range would add (the list's filters, then `repair_date BETWEEN`)."""
    from shared.paging import keyset_page

    from warranty.app import WARRANTY
    from warranty.domain.claim import Claim
    from warranty.queries import claims as queries

    database = WARRANTY.units_of_work(Settings.from_env("warranty", {"WARRANTY_DATABASE_URL": url})).database
    start = date.fromisoformat(FIRST_REPAIR) + timedelta(days=REPAIR_SPAN_DAYS // 3)  # a year in
    window = (start, start + timedelta(days=RANGE_DAYS - 1))
    try:
        with harness.statements_sent(database.engine) as served, database.reading(DEALER) as session:
            page = queries.claims(session, limit=50, status=[status])
        variants = [(f"GET /claims?status={status}&limit=50 as served", served, len(page.items))]
        if date_filter is not None:
            with harness.statements_sent(database.engine) as ranged, database.reading(DEALER) as session:
                page = queries.claims(session, limit=50, status=[status],
                                      **{date_filter[0]: window[0], date_filter[1]: window[1]})
            variants.append((f"GET /claims?status={status}&{date_filter[0]}={window[0]}&{date_filter[1]}={window[1]}"
                             "&limit=50 as served", ranged, len(page.items)))
        else:
            with harness.statements_sent(database.engine) as ranged, database.reading(DEALER) as session:
                statement = select(Claim).where(Claim.status == status, Claim.repair_date >= window[0],
                                                Claim.repair_date <= window[1])
                page = keyset_page(session, statement, [Claim.id], None, 50, descending=True)
            variants.append((f"the same with repair_date {window[0]}..{window[1]} (not in the API yet: "
                             "the statement the list would send)", ranged, len(page.items)))
        for title, sent, items in variants:
            plans = harness.explain(database.engine, sent)
            print(f"EXPLAIN ANALYZE, {title}: {len(plans)} statements, {items} claims, "
                  f"{sum(p['ms'] for p in plans):.1f} ms in PostgreSQL")
            for plan in plans:
                scans = plan["seq_scans"]
                thrown = {f"{table} via {index}": rows for (index, table), rows in plan["filtered"].items()}
                print(f"  {plan['ms']:8.2f} ms  tables {', '.join(plan['tables'])}; indexes "
                      f"{', '.join(plan['indexes']) or 'none'}; sequential scans "
                      f"{', '.join(f'{t} ({r} rows)' for t, r in scans.items()) or 'none'}; rows read and "
                      f"removed by a filter {', '.join(f'{k}: {r}' for k, r in thrown.items()) or 'none'}")
                if "claims" in plan["tables"]:
                    for line in harness.outline(plan["plan"]):
                        print(f"            {line}")
            seq = any("claims" in plan["seq_scans"] for plan in plans)
            print(f"  sequential scan of claims: {'YES' if seq else 'no'}", flush=True)
    finally:
        database.dispose()


# ---------------------------------------------------------------------------- the run

def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.warranty_load")
    parser.add_argument("--vehicles", type=int, default=200_000, help="vehicles of the big database")
    parser.add_argument("--installed", type=int, default=1_000_000, help="installed-part rows of the big database")
    parser.add_argument("--claims", type=int, default=500_000, help="claims of the big database")
    parser.add_argument("--scale", type=int, default=10, help="the small database has a scale-th of each")
    parser.add_argument("--dealers", type=int, default=10, help="dealers sharing the rows (the token's is D001)")
    parser.add_argument("--catalog", type=int, default=2000, help="catalog part numbers per dealer")
    parser.add_argument("--status", default="submitted", help="the claims list's status filter")
    parser.add_argument("--date-params", help="FROM,TO: the claims list's repair-date range parameters "
                                              "(default: the two date fields of ClaimQuery, if it has them)")
    harness.server_arguments(parser, rounds_help="rounds of live, eligibility and claims on both databases")
    args = parser.parse_args()
    if args.scale < 2 or args.vehicles // args.scale < args.dealers or args.installed < args.vehicles:
        parser.error("need --scale of 2 or more, --vehicles / --scale of at least --dealers, and "
                     "--installed of at least --vehicles")
    return args


def main() -> None:
    args = _arguments()
    admin_url = harness.admin_url()
    command = harness.command_line("bench.warranty_load")
    small = {"vehicles": args.vehicles // args.scale, "installed": args.installed // args.scale,
             "claims": args.claims // args.scale}
    sizes = {"big": {"vehicles": args.vehicles, "installed": args.installed, "claims": args.claims}, "small": small}
    databases = {name: f"bench_warranty_v{size['vehicles']}" for name, size in sizes.items()}
    date_filter = date_filter_of_api(args.date_params)

    with harness.run_context("bench-warranty-") as (cleanup, logs, load_before):
        if not args.keep:
            cleanup.callback(harness.drop, admin_url, *databases.values())
        started = time.monotonic()
        urls = {}
        for name in ("small", "big"):
            urls[name] = warranty_data.create(admin_url, databases[name], **sizes[name], dealers=args.dealers,
                                              catalog=args.catalog)
            harness.finish(admin_url, databases[name])
        counted = {name: warranty_data.counts(url) for name, url in urls.items()}
        print(f"seeded in {time.monotonic() - started:.0f} s: big {counted['big']}, small {counted['small']}", flush=True)
        if date_filter is None:
            print("GET /api/v1/claims takes no repair-date range (ClaimQuery: "
                  f"{', '.join(_claim_query_fields())}): the list is measured with its status filter only",
                  flush=True)
        explain_claims(urls["big"], args.status, date_filter)

        # The seeded VINs are made by a formula in SQL, without their check digit: with the
        # check on (the default) eligibility would answer 422 to nearly every call.
        servers = harness.start_servers(cleanup, "warranty", urls, args, logs, environ={"VIN_CHECK_DIGIT": "off"})
        bench = harness.Bench(args, admin_url, servers, databases)
        cleanup.callback(bench.close)
        token = mint(SECRET, "bench.clerk", DEALER, ["warranty_clerk"], ttl=timedelta(hours=2))
        calls = {
            name: {"eligibility": eligibility(token, vehicles=sizes[name]["vehicles"], installed=sizes[name]["installed"],
                                          dealers=args.dealers, catalog=args.catalog),
                   "claims": claims_list(token, args.status, date_filter)}
            for name in sizes
        }
        runs = _rounds(bench, calls)

        print()
        print(f"command: {command}")
        print(f"{harness.machine_line(args, load_before)}; {args.dealers} dealers, the token's D001 holds a "
              f"{args.dealers}th of each table")
        _report(args, runs, sizes, date_filter)
        print(f"gunicorn logs: {logs}")


def _claim_query_fields() -> list[str]:
    from warranty.api.schemas import ClaimQuery

    return list(ClaimQuery().fields)


WINDOWS = ("eligibility big", "eligibility small", "claims big", "claims small")


def _rounds(bench: harness.Bench, calls) -> dict[str, list[http_load.Outcome]]:
    args = bench.args
    # Every worker compiles its statements and prepares them on its connections first.
    for name in bench.servers:
        for factory in calls[name].values():
            bench.measure(name, factory, args.clients, warmup=0, seconds=args.warmup * 2, probe=False)
    runs: dict[str, list[http_load.Outcome]] = {"live": []}
    for window in WINDOWS:
        runs[window] = []
        runs[window + " 1"] = []
    for round_ in range(args.rounds):
        # Big and small take turns going first, so a drift in load favours neither.
        order = ("big", "small") if round_ % 2 == 0 else ("small", "big")
        runs["live"].append(bench.measure("big", harness.live, args.clients))
        for call in ("eligibility", "claims"):
            for name in order:
                runs[f"{call} {name}"].append(bench.measure(name, calls[name][call], args.clients))
            for name in order:  # one client at a time: the call's own latency, no queueing
                runs[f"{call} {name} 1"].append(bench.measure(name, calls[name][call], 1, seconds=args.seconds / 2))
        for name, outcomes in runs.items():
            harness.check(outcomes[-1], f"round {round_ + 1} {name}")
        print(f"  round {round_ + 1}: live {runs['live'][-1].per_second:.0f}/s; eligibility "
              f"{runs['eligibility big'][-1].per_second:.0f}/s (big), {runs['eligibility small'][-1].per_second:.0f}/s "
              f"(small); claims {runs['claims big'][-1].per_second:.0f}/s (big), "
              f"{runs['claims small'][-1].per_second:.0f}/s (small)", flush=True)
    return runs


def _report(args, runs, sizes, date_filter) -> None:
    rows = {name: harness.row(outcomes) for name, outcomes in runs.items()}
    big, small = sizes["big"], sizes["small"]

    def size(name: str) -> str:
        s = sizes[name]
        return f"{s['vehicles'] // 1000}k veh/{s['installed'] // 1000}k parts/{s['claims'] // 1000}k claims"

    listing = f"claims ?status={args.status}" + (" + dates" if date_filter else "")
    print(f"each figure: the median of {args.rounds} windows of {args.seconds:g} s (one client: "
          f"{args.seconds / 2:g} s); req/s answers per second; p50, p99 latency in ms; app, db: ms of CPU per "
          "request used by the gunicorn workers and by the PostgreSQL backends")
    width = 62
    harness.print_header(width)
    lines = [(f"GET /health/live, {args.clients} clients", rows["live"])]
    for call, label in (("eligibility", "POST /eligibility"), ("claims", listing)):
        for name in ("big", "small"):
            lines.append((f"{label}, {size(name)}, {args.clients} clients", rows[f"{call} {name}"]))
        for name in ("big", "small"):
            lines.append((f"{label}, {size(name)}, 1 client", rows[f"{call} {name} 1"]))
    for label, figures in lines:
        harness.print_row(label, figures, width)
    print(f"per round, req/s: live {rows['live']['rounds']}, eligibility {rows['eligibility big']['rounds']} (big), "
          f"{rows['eligibility small']['rounds']} (small); claims {rows['claims big']['rounds']} (big), "
          f"{rows['claims small']['rounds']} (small)")
    print()
    live_cpu = rows["live"]["app_ms"] + rows["live"]["db_ms"]
    cpu = {name: figures["app_ms"] + figures["db_ms"] for name, figures in rows.items()}
    print(f"eligibility / live, {args.clients} clients: throughput "
          f"{harness.paired(runs['eligibility big'], runs['live'], 'per_second'):.4f}, p50 "
          f"{harness.paired(runs['eligibility big'], runs['live'], 'p50'):.1f}, p99 "
          f"{harness.paired(runs['eligibility big'], runs['live'], 'p99'):.1f} (CPU per request "
          f"{cpu['eligibility big'] / live_cpu:.1f} times)")
    print(f"claims list / live, {args.clients} clients: throughput "
          f"{harness.paired(runs['claims big'], runs['live'], 'per_second'):.4f} (CPU per request "
          f"{cpu['claims big'] / live_cpu:.1f} times)")
    scale = f"{big['vehicles'] // small['vehicles']}x"
    for call in ("eligibility", "claims"):
        one_big, one_small = runs[f"{call} big 1"], runs[f"{call} small 1"]
        many_big, many_small = runs[f"{call} big"], runs[f"{call} small"]
        print(f"{call}, big / small ({scale} the rows): 1 client p50 {harness.paired(one_big, one_small, 'p50'):.3f}, "
              f"p99 {harness.paired(one_big, one_small, 'p99'):.3f}; {args.clients} clients throughput "
              f"{harness.paired(many_big, many_small, 'per_second'):.3f}, p50 "
              f"{harness.paired(many_big, many_small, 'p50'):.3f}, p99 {harness.paired(many_big, many_small, 'p99'):.3f}; "
              f"CPU per request {cpu[f'{call} big 1'] / cpu[f'{call} small 1']:.3f}")


if __name__ == "__main__":
    main()
