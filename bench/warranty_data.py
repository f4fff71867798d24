"""Bench databases for the warranty service: created, migrated and bulk-seeded in SQL.

`dealers` dealers (`D001` ...) share V vehicles, I installed parts and C claims round-robin:
vehicle v belongs to dealer (v-1) % dealers + 1, so each dealer has V/dealers of everything and
every query also has the dealer filter to apply. The rows are those the domain writes (dealer
column, versions 1, JSON lists, the history entries each status passed through).

- vehicles: VIN `LBENCH` + 11 digits, four makes, in service between 2021-01-01 and 2024-10;
  two odometer readings each (pre-delivery at 10 km, then one for a repair order);
- the dealer's default coverage plans (China's family-car defaults), loaded by the service's
  own use case as a dealer's first vehicle loads them;
- a catalog of `catalog` part numbers per dealer (`WP00001` ...): eight component groups,
  every 5th aftermarket, every 20th safety-critical;
- installed parts: part j is fitted to vehicle (j-1) % V + 1 (I/V per vehicle), 30 to 420 days
  after its in-service date, with odometer, lot and supplier; every 50th was returned in full;
- claims: claim c is on vehicle (c-1) % V + 1, repair dates rising with c from 2023-12-01 over
  three years (the newest claims have the highest ids, as in life); statuses in fixed shares
  for every dealer (half paid, 10 % submitted, 8 % draft ...), spread evenly over time; two
  lines each (the causal part and labour) and the history entries of every step to its status.
"""

from __future__ import annotations

from sqlalchemy import text

from bench import harness

from warranty.app import WARRANTY

SUB = "bench.clerk"
MAKES = ("Geely", "BYD", "Chery", "Haval")
COMPONENTS = ("engine", "transmission", "brakes", "electrical", "body", "suspension", "emissions", "filters")

# Share of claims in each status, out of 100: the dealer's k-th claim (k = (c-1) / dealers) has
# bucket k % 100, so every dealer has every status in these shares.
STATUS_BUCKETS = [
    (0, 49, "paid"), (50, 59, "approved"), (60, 64, "partially_approved"), (65, 71, "rejected"),
    (72, 81, "submitted"), (82, 84, "info_requested"), (85, 92, "draft"), (93, 97, "cancelled"),
    (98, 99, "appealed"),  # stored as the domain has it: submitted again, `appealed` true
]
FIRST_REPAIR = "2023-12-01"
REPAIR_SPAN_DAYS = 1080  # the last claim's repair is on 2026-11-15


def dealer_code(number: int) -> str:
    return f"D{number:03d}"


def vin(v: int) -> str:
    return f"LBENCH{v:011d}"


def part_number(k: int) -> str:
    return f"WP{k:05d}"


def vehicles_of(dealer: int, *, vehicles: int, dealers: int) -> range:
    """The vehicle numbers of dealer 1, 2, ..."""
    return range(dealer, vehicles + 1, dealers)


def part_of_installation(j: int, catalog: int) -> int:
    return 1 + (j * 7919) % catalog


def create(admin_url: str, database: str, *, vehicles: int, installed: int, claims: int, dealers: int,
           catalog: int) -> str:
    """A fresh, migrated and seeded database; returns its URL."""
    parameters = {"v": vehicles, "i": installed, "c": claims, "d": dealers, "p": catalog, "sub": SUB,
                  "first_repair": FIRST_REPAIR, "span": REPAIR_SPAN_DAYS}
    with harness.seeding(admin_url, database, WARRANTY) as (url, connection):
        for statement in _SEED:
            connection.execute(text(statement), parameters)
    _load_default_plans(url, dealers)
    return url


def _load_default_plans(url: str, dealers: int) -> None:
    """What registering each dealer's first vehicle does: the service's own use case."""
    from shared.config import Settings

    from warranty.service.coverage import load_defaults_once

    units = WARRANTY.units_of_work(Settings.from_env("warranty", {"WARRANTY_DATABASE_URL": url}))
    try:
        for number in range(1, dealers + 1):
            with units(dealer=dealer_code(number), actor=SUB, correlation_id="bench-seed") as uow:
                load_defaults_once(uow)
                uow.commit()
    finally:
        units.database.dispose()


def counts(url: str) -> dict[str, int]:
    return harness.counts(url, ("vehicles", "odometer_readings", "catalog_parts", "coverage_plans",
                                "installed_parts", "claims", "claim_lines", "claim_history"))


_DEALER = "'D' || lpad(((n - 1) % :d + 1)::text, 3, '0')"
_VIN = "'LBENCH' || lpad(n::text, 11, '0')"
_IN_SERVICE = "(date '2021-01-01' + (n % 1400))"
_SOURCE = "CASE WHEN k % 5 = 4 THEN 'aftermarket' ELSE 'oem' END"
_STATUS = "CASE " + " ".join(
    f"WHEN (c - 1) / :d % 100 BETWEEN {low} AND {high} THEN '{status}'" for low, high, status in STATUS_BUCKETS) + " END"
_REPAIR = "(CAST(:first_repair AS date) + ((c - 1)::bigint * :span / :c)::int)"
_AT = "(CAST({day} AS timestamp) + time '10:00') AT TIME ZONE 'Asia/Shanghai'"

_SEED = [
    # Vehicles; their latest reading is the repair order's, 300 days after the in-service date.
    f"""INSERT INTO vehicles (dealer, vin, make, model, model_year, in_service_date, owner_count, title_status,
                             registered_at, version, odometer_km, odometer_read_on, rollback_suspected)
        SELECT {_DEALER}, {_VIN}, (ARRAY{list(MAKES)})[1 + n % 4], 'Model ' || (n % 7),
               2020 + n % 5, {_IN_SERVICE}, CASE WHEN n % 10 = 0 THEN 2 ELSE 1 END, 'clean',
               {_AT.format(day=_IN_SERVICE)}, 1, 5000 + (n * 37) % 40000, {_IN_SERVICE} + 300, false
        FROM generate_series(1, :v) AS n""",
    f"""INSERT INTO odometer_readings (dealer, vehicle_id, read_on, km, source, reference, rollback_suspected,
                                      recorded_at, recorded_by)
        SELECT v.dealer, v.id, r.read_on, r.km, r.source, r.reference, false, {_AT.format(day='r.read_on')}, :sub
        FROM vehicles v,
             LATERAL (SELECT substr(v.vin, 7)::int AS n) AS number,
             LATERAL (VALUES (v.in_service_date, 10, 'pre_delivery', NULL),
                             (v.in_service_date + 300, v.odometer_km, 'repair_order',
                              'RO-' || number.n || '-R')) AS r(read_on, km, source, reference)""",
    f"""INSERT INTO catalog_parts (dealer, part_number, name, category, source, safety_critical, sequence, updated_at)
        SELECT 'D' || lpad(d::text, 3, '0'), 'WP' || lpad(k::text, 5, '0'), 'Part ' || k,
               (ARRAY{list(COMPONENTS)})[1 + k % 8], {_SOURCE}, k % 20 = 0, 1,
               timestamptz '2025-10-01 09:00:00+08'
        FROM generate_series(1, :d) AS d, generate_series(1, :p) AS k""",
    # Installed part j on vehicle n = (j-1) % V + 1, the m-th of that vehicle.
    f"""INSERT INTO installed_parts (dealer, issue, part_number, lot, vin, repair_order, supplier, location, source,
                                    technician, installed_at, installed_on, odometer, issued_quantity,
                                    returned_quantity)
        SELECT {_DEALER}, 'IS-' || j, 'WP' || lpad(k::text, 5, '0'), 'LOT-' || lpad((k * 31 % 997)::text, 4, '0'),
               {_VIN}, 'RO-' || n || '-' || m, CASE WHEN k % 5 = 4 THEN 'SUP-AM' ELSE 'SUP-OEM' END, 'MAIN',
               {_SOURCE}, 'tech.' || (j % 40), {_AT.format(day='installed')}, installed,
               CASE WHEN j % 7 = 0 THEN NULL ELSE 1000 + m * 9000 + j % 5000 END, 1.000,
               CASE WHEN j % 50 = 0 THEN 1.000 ELSE 0.000 END
        FROM generate_series(1, :i) AS j,
             LATERAL (SELECT (j - 1) % :v + 1 AS n, (j - 1) / :v AS m, 1 + (j::bigint * 7919) % :p AS k) AS pick,
             LATERAL (SELECT {_IN_SERVICE} + 30 + m * 90 + j % 30 AS installed) AS day""",
    f"""INSERT INTO claims (dealer, claim_number, vin, status, claim_type, coverage_plan, currency, repair_order,
                           repair_date, odometer, failure_date, complaint, cause, correction, attachments, flags,
                           causal_lot, causal_supplier, appealed, submitted_at, decided_at, paid_amount, paid_on,
                           payment_reference, created_at, created_by, updated_at, version)
        SELECT {_DEALER}, 'WC-' || lpad(c::text, 8, '0'), {_VIN},
               CASE WHEN status = 'appealed' THEN 'submitted' ELSE status END, 'warranty', 'CN-REPAIR', 'CNY',
               'RO-C' || c, repair, 20000 + (c * 53) % 60000, repair - 1,
               'Customer reports a noise from the front axle', 'Worn bearing', 'Replaced the bearing',
               '[]', '[]',
               CASE WHEN decided AND status <> 'rejected' THEN 'LOT-' || lpad((c % 997)::text, 4, '0') END,
               CASE WHEN decided AND status <> 'rejected' THEN 'SUP-OEM' END,
               status = 'appealed',
               CASE WHEN status <> 'draft' THEN {_AT.format(day='repair + 1')} END,
               CASE WHEN decided THEN {_AT.format(day='repair + 10')} END,
               CASE WHEN status = 'paid' THEN 480.00 + c % 500 END,
               CASE WHEN status = 'paid' THEN repair + 30 END,
               CASE WHEN status = 'paid' THEN 'PAY-' || c END,
               {_AT.format(day='repair')}, :sub, {_AT.format(day='repair + 10')}, 1
        FROM generate_series(1, :c) AS c,
             LATERAL (SELECT (c - 1) % :v + 1 AS n, {_REPAIR} AS repair, {_STATUS} AS status) AS pick,
             LATERAL (SELECT status IN ('paid', 'approved', 'partially_approved', 'rejected', 'appealed')
                             AS decided) AS outcome""",
    # The causal part (300 + c % 500) and 1.5 h of labour at 120: the amounts add up to the paid one.
    """INSERT INTO claim_lines (dealer, claim_id, number, kind, description, operation, part_number, quantity,
                               unit_price, amount, causal, supplied_by, repair_order_line, approved_amount,
                               reason_code)
       SELECT c.dealer, c.id, line.number, line.kind, line.description, line.operation, line.part_number, line.quantity,
              line.unit_price, line.quantity * line.unit_price, line.number = 1, 'dealer', c.repair_order || '-' || line.number,
              CASE WHEN c.status IN ('paid', 'approved') THEN line.quantity * line.unit_price
                   WHEN c.status = 'partially_approved' AND line.number = 1 THEN line.quantity * line.unit_price
                   WHEN c.status IN ('partially_approved', 'rejected') OR c.appealed THEN 0 END,
              CASE WHEN c.status = 'partially_approved' AND line.number = 2 THEN 'labour_over_standard_time'
                   WHEN c.status = 'rejected' OR c.appealed THEN 'not_covered' END
       FROM claims c,
            LATERAL (SELECT substr(c.claim_number, 4)::int AS number) AS claim,
            LATERAL (VALUES (1, 'part', 'Front wheel bearing', NULL, 'WP' || lpad((1 + claim.number % 2000)::text, 5, '0'),
                             1.000, 300.00 + claim.number % 500),
                            (2, 'labour', 'Replace bearing', 'OP-AXLE-01', NULL, 1.500, 120.00))
                AS line(number, kind, description, operation, part_number, quantity, unit_price)""",
    # Every step to the claim's status, in order.
    f"""INSERT INTO claim_history (dealer, claim_id, action, from_status, to_status, at, by, reason)
        SELECT c.dealer, c.id, step.action, step.from_status, step.to_status, step.at, :sub, step.reason
        FROM claims c,
             LATERAL (VALUES
                 (1, 'filed', NULL, 'draft', c.created_at, NULL, true),
                 (2, 'submitted', 'draft', 'submitted', c.submitted_at, NULL, c.status <> 'draft'),
                 (3, 'cancelled', 'submitted', 'cancelled', c.updated_at, 'customer withdrew', c.status = 'cancelled'),
                 (3, 'info_requested', 'submitted', 'info_requested', c.updated_at, 'photos of the part',
                  c.status = 'info_requested'),
                 (3, CASE WHEN c.status IN ('paid', 'approved') THEN 'approved' ELSE c.status END, 'submitted',
                  CASE WHEN c.status IN ('paid', 'approved') THEN 'approved' ELSE c.status END,
                  c.decided_at, NULL, c.status IN ('paid', 'approved', 'partially_approved', 'rejected')),
                 (3, 'rejected', 'submitted', 'rejected', c.decided_at, NULL, c.appealed),
                 (4, 'appealed', 'rejected', 'submitted', c.decided_at + interval '2 days', 'bearing was faulty',
                  c.appealed),
                 (4, 'paid', 'approved', 'paid', {_AT.format(day='c.paid_on')}, c.payment_reference,
                  c.status = 'paid')
             ) AS step(position, action, from_status, to_status, at, reason, happened)
        WHERE step.happened
        ORDER BY c.id, step.position""",
]
