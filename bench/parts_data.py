"""Bench databases for the parts service: created, migrated and bulk-seeded in SQL.

One dealer (`D001`) with one location (`MAIN`), two qualified suppliers, N parts (every 10th
lists an alternate, every 100th is superseded by the next number), one passed lot per part
received on one of N/100 receipts, the part's stock row at MAIN and the lot's balance, and the
supplier's part number for each part. The rows are those the domain writes (dealer column,
versions 1, decimal quantities, FIFO dates).

The ledger (`stock_movements`) gets L rows of history: reserve/release pairs of one unit on
the parts' lots over the past year. Each pair nets to zero, so the balances stay what the
lots brought in (the opening stock predates the ledger's history).

Two parts are set aside: `P000001` with a million units for the reservation run, `P000002`
whose stock row pgbench updates.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from parts.app import PARTS

from bench import harness

DEALER = "D001"
LOCATION = "MAIN"
HOT_PART = "P000001"  # reserved by the parallel clients
PGBENCH_PART = "P000002"  # its part_stocks row is what pgbench updates
FIRST_QUOTED = 3  # availability calls pick among P000003 and up


def part_number(i: int) -> str:
    return f"P{i:06d}"


def create(admin_url: str, database: str, *, parts: int, ledger: int) -> str:
    """A fresh, migrated and seeded database; returns its URL."""
    with harness.seeding(admin_url, database, PARTS) as (url, connection):
        for statement in _SEED:
            connection.execute(text(statement), {"dealer": DEALER, "location": LOCATION, "n": parts})
        add_ledger(connection, parts=parts, first=1, count=ledger)
    return url


def grow_ledger(url: str, *, parts: int, first: int, count: int) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL synchronous_commit = off"))
            add_ledger(connection, parts=parts, first=first, count=count)
    finally:
        engine.dispose()


def add_ledger(connection, *, parts: int, first: int, count: int) -> None:
    """Ledger rows first .. first+count-1: row j belongs to pair (j+1)/2, odd rows reserve one
    unit, even rows release it; pairs go round the parts from P000003 on, 30 s apart."""
    if count <= 0:
        return
    connection.execute(text("""
        INSERT INTO stock_movements (dealer, at, kind, part_number, location, lot, on_hand_change,
                                     reserved_change, quarantined_change, reference, actor, reason)
        SELECT :dealer,
               timestamptz '2025-11-25 08:00:00+08' + (j / 2) * interval '30 seconds',
               CASE WHEN j % 2 = 1 THEN 'reserve' ELSE 'release' END,
               'P' || lpad(k::text, 6, '0'),
               :location,
               'LOT-251125-' || lpad(k::text, 6, '0'),
               0,
               CASE WHEN j % 2 = 1 THEN 1 ELSE -1 END,
               0,
               'RV-251125-' || upper(lpad(to_hex((j + 1) / 2), 6, '0')),
               'bench.clerk',
               CASE WHEN j % 2 = 1 THEN NULL ELSE 'released' END
        FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS j,
             LATERAL (SELECT 3 + ((j + 1) / 2 * 7919) % (:n - 2) AS k) AS pick
    """), {"dealer": DEALER, "location": LOCATION, "n": parts, "first": first, "last": first + count - 1})


def counts(url: str) -> dict[str, int]:
    return harness.counts(url, ("parts", "lots", "stock_balances", "stock_movements"))


# Part i: group g = (i-1)/100 is one receipt from one supplier (every 4th group aftermarket).
_PART = "'P' || lpad(i::text, 6, '0')"
_SOURCE = "CASE WHEN ((i - 1) / 100) % 4 = 3 THEN 'aftermarket' ELSE 'oem' END"
_SUPPLIER = "CASE WHEN ((i - 1) / 100) % 4 = 3 THEN 'SUP-AM' ELSE 'SUP-OEM' END"
_STOCK = "CASE WHEN i <= 2 THEN 1000000 ELSE 20 + i % 200 END"
_RECEIVED = "timestamptz '2025-11-01 09:00:00+08' + ((i - 1) / 100) * interval '1 day'"
_RECEIPT = "'RC-251101-' || lpad(((i - 1) / 100 + 1)::text, 6, '0')"

_SEED = [
    """INSERT INTO locations (dealer, code, warehouse, bin, created_at)
       VALUES (:dealer, :location, 'Main store', NULL, now())""",
    """INSERT INTO suppliers (dealer, code, name, qualified, lead_time_days, created_at, version)
       VALUES (:dealer, 'SUP-OEM', 'OEM distribution centre', true, 7, now(), 1),
              (:dealer, 'SUP-AM', 'Aftermarket wholesaler', true, 3, now(), 1)""",
    f"""INSERT INTO parts (dealer, part_number, name_zh, name_en, category, unit, source, safety_critical,
                          list_price, currency, superseded_by, created_at, updated_at, version, number_key)
        SELECT :dealer, {_PART}, '配件' || i, 'Part ' || i,
               (ARRAY['brakes', 'filters', 'engine', 'electrical', 'body', 'suspension'])[1 + i % 6],
               'pcs', {_SOURCE}, i % 50 = 0, 10.50 + (i * 37) % 3000, 'CNY',
               CASE WHEN i % 100 = 0 AND i < :n THEN 'P' || lpad((i + 1)::text, 6, '0') END,
               timestamptz '2025-10-01 09:00:00+08', timestamptz '2025-10-01 09:00:00+08', 1, lower({_PART})
        FROM generate_series(1, :n) AS i""",
    """INSERT INTO part_alternates (dealer, part_id, part_number)
       SELECT dealer, id, 'P' || lpad((substr(part_number, 2)::int + 1)::text, 6, '0')
       FROM parts WHERE substr(part_number, 2)::int % 10 = 5 AND substr(part_number, 2)::int < :n""",
    f"""INSERT INTO supplier_part_numbers (dealer, supplier_id, part_number, supplier_part_number)
        SELECT :dealer, s.id, {_PART}, 'S-' || {_PART}
        FROM generate_series(1, :n) AS i JOIN suppliers s ON s.code = {_SUPPLIER}""",
    f"""INSERT INTO receipts (dealer, number, supplier, delivery_note, received_at, received_by)
        SELECT :dealer, {_RECEIPT}, {_SUPPLIER}, 'DN-' || i, {_RECEIVED}, 'bench.clerk'
        FROM generate_series(1, :n, 100) AS i""",
    f"""INSERT INTO lots (dealer, code, part_number, supplier, supplier_lot, receipt, received_at, quantity,
                         unit_cost, inspection, inspected_at, on_hold, hold_reason, version)
        SELECT :dealer, 'LOT-251125-' || lpad(i::text, 6, '0'), {_PART}, {_SUPPLIER}, 'B' || ((i - 1) / 100),
               {_RECEIPT}, {_RECEIVED}, {_STOCK}, round((10.50 + (i * 37) % 3000) * 0.6, 2), 'passed',
               {_RECEIVED}, false, NULL, 1
        FROM generate_series(1, :n) AS i""",
    """INSERT INTO receipt_lines (dealer, receipt_id, part_number, asked_part_number, location, lot, quantity,
                                  unit_cost, inspection, name_zh, name_en, bin)
        SELECT :dealer, r.id, l.part_number, l.part_number, :location, l.code, l.quantity, l.unit_cost, 'passed',
               p.name_zh, p.name_en, NULL
        FROM lots l JOIN receipts r ON r.number = l.receipt JOIN parts p ON p.part_number = l.part_number""",
    f"""INSERT INTO part_stocks (dealer, part_number, location, last_movement_at, safety_stock, reorder_point,
                                max_stock, version)
        SELECT :dealer, {_PART}, :location, {_RECEIVED},
               CASE WHEN i % 7 = 0 THEN 10 ELSE 0 END, CASE WHEN i % 7 = 0 THEN 15 ELSE 0 END,
               CASE WHEN i % 7 = 0 THEN 60 ELSE 0 END, 1
        FROM generate_series(1, :n) AS i""",
    """INSERT INTO stock_balances (dealer, part_stock_id, lot, received_at, supplier, on_hand, reserved, quarantined)
       SELECT l.dealer, s.id, l.code, l.received_at, l.supplier, l.quantity, 0, 0
       FROM lots l JOIN part_stocks s ON s.part_number = l.part_number AND s.location = :location""",
]
