"""What the automatic dealer scoping costs per query, as a ratio to the same query unscoped.

    .venv/bin/python -m bench.dealer_scope [--queries 5000]

Runs against PostgreSQL at BENCH_DATABASE_URL (default: this machine's local server, a
throw-away database it creates and drops). Both variants run in the same process, same
connection pool and same statement, alternating rounds so drift hits both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from sqlalchemy import select

from shared.config import Settings
from shared.db import ALL_DEALERS
from shared.testing import PostgresDatabases

from parts.app import PARTS
from parts.domain.catalog import Part


def per_query(database, scope, statement, queries: int) -> float:
    with database.reading(scope) as session:
        started = time.perf_counter()
        for _ in range(queries):
            session.execute(statement).all()
        return (time.perf_counter() - started) / queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    admin = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    databases = PostgresDatabases(admin)
    try:
        url = databases.clean(PARTS)
        database = PARTS.units_of_work(Settings.from_env("parts", {"PARTS_DATABASE_URL": url})).database
        statement = select(Part).where(Part.part_number == "04465-33450")
        per_query(database, "D001", statement, 500)  # warm the statement cache
        per_query(database, ALL_DEALERS, statement, 500)
        scoped, unscoped = [], []
        for _ in range(args.rounds):
            scoped.append(per_query(database, "D001", statement, args.queries))
            unscoped.append(per_query(database, ALL_DEALERS, statement, args.queries))
        s, u = statistics.median(scoped), statistics.median(unscoped)
        print(f"scoped   {s * 1e6:7.1f} us/query (median of {args.rounds} rounds of {args.queries})")
        print(f"unscoped {u * 1e6:7.1f} us/query")
        print(f"ratio scoped/unscoped: {s / u:.2f}")
        database.dispose()
    finally:
        databases.drop_all()


if __name__ == "__main__":
    main()
