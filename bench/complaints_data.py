"""Bench databases for the complaints service: created, migrated and bulk-seeded in SQL.

N open complaints shared round-robin by 10 dealers (`D001` ...), none closed, every dealer on
the default business calendar (Mon-Fri 09:00-12:00, 13:00-18:00, Asia/Shanghai). Each has the
text of a labelled complaint from `services/complaints/tests/data/*.jsonl` (in turn), the
classification the classifier gives that text (the complaint's category and severity, its
`classifications` row and its "received" and "classified" timeline entries), as intake writes
them. Two kinds, by complaint number:

- overdue (`overdue_share` of them): received 30 to 37 days ago, never acknowledged nor
  answered, so the acknowledge, first-response and escalation clocks have all run out and none
  was escalated; `sla_due_at` is the acknowledge deadline;
- on time: received 10 to 17 days ago, acknowledged after an hour, answered after three, a
  resolution promised 60 days after receipt; only the resolution clock runs, `sla_due_at` is
  its deadline, weeks ahead.

`sla_due_at` is what the domain computes (`Complaint.reschedule`) for each of 1,000 receipt
times per kind, relative to the moment of seeding: computed in Python once per receipt time,
then joined in SQL.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, text

from bench import harness

from complaints.app import COMPLAINTS
from complaints.config import ComplaintsRules
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import classify
from complaints.domain.complaint import Complaint

DATA = harness.ROOT / "services" / "complaints" / "tests" / "data"
DEALERS = 10
SHAPES = 1000  # receipt times per kind
OWNER = "agent.bench"


def texts() -> list[dict]:
    """Every labelled complaint of the test data, in file order: id, channel, text."""
    rows = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({"id": row.get("id"), "channel": row.get("channel", "phone"), "text": row["text"]})
    return rows


def lines() -> list[str]:
    """The raw JSON lines of the same files."""
    return [line for path in sorted(DATA.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def create(admin_url: str, database: str, *, complaints: int, overdue_share: float) -> str:
    """A fresh, migrated and seeded database; returns its URL."""
    with harness.seeding(admin_url, database, COMPLAINTS) as (url, connection):
        connection.execute(text("""
            CREATE TEMP TABLE bench_texts (n int PRIMARY KEY, channel text, body text, category text,
                                           severity text, confidence float, terms json, severity_terms json,
                                           summary text) ON COMMIT DROP"""))
        connection.execute(text("""
            CREATE TEMP TABLE bench_shapes (overdue boolean, k int, received_at timestamptz,
                                            acknowledged_at timestamptz, first_response_at timestamptz,
                                            promised_on date, sla_due_at timestamptz,
                                            PRIMARY KEY (overdue, k)) ON COMMIT DROP"""))
        connection.execute(text("INSERT INTO bench_texts VALUES (:n, :channel, :body, :category, :severity, "
                                ":confidence, :terms, :severity_terms, :summary)"), _classified())
        connection.execute(text("INSERT INTO bench_shapes VALUES (:overdue, :k, :received_at, :acknowledged_at, "
                                ":first_response_at, :promised_on, :sla_due_at)"), _shapes())
        parameters = {"n": complaints, "d": DEALERS, "share": round(overdue_share * 1000), "shapes": SHAPES,
                      "owner": OWNER}
        for statement in _SEED:
            connection.execute(text(statement), parameters)
    return url


def _classified() -> list[dict]:
    rows, seen = [], set()
    for row in texts():
        body = row["text"].strip()  # as the domain keeps it
        if body in seen:
            continue
        seen.add(body)
        n = len(rows)
        result = classify(body)
        summary = (f"classified {result.category.value} ({result.confidence:.2f}), severity {result.severity.value}"
                   + (f": {', '.join(result.terms)}" if result.terms else ""))
        rows.append({"n": n, "channel": row["channel"], "body": body, "category": result.category.value,
                     "severity": result.severity.value, "confidence": result.confidence,
                     "terms": json.dumps(list(result.terms), ensure_ascii=False),
                     "severity_terms": json.dumps(list(result.severity_terms), ensure_ascii=False),
                     "summary": summary[:500]})
    return rows


def _shapes() -> list[dict]:
    """Receipt times and the deadlines the domain gives them, as of now."""
    rules = ComplaintsRules()
    calendar = BusinessCalendar.default("D001", rules.timezone)
    now = datetime.now(timezone.utc)
    rows = []
    for overdue in (True, False):
        for k in range(SHAPES):
            received = now - timedelta(days=30 if overdue else 10, minutes=10 * k)
            complaint = Complaint("D001", number="TS-BENCH", channel="phone", text="x", received_at=received,
                                  owner=OWNER, at=received)
            acknowledged = responded = promised = None
            if not overdue:
                acknowledged, responded = received + timedelta(hours=1), received + timedelta(hours=3)
                promised = (received.astimezone(calendar.zone) + timedelta(days=60)).date()
                complaint.acknowledged_at, complaint.first_response_at = acknowledged, responded
                complaint.promised_resolution_on = promised
            complaint.reschedule(calendar, rules.sla, now)
            states = complaint.clocks(calendar, rules.sla, now)
            assert any(s.overdue for s in states) == overdue and complaint.sla_due_at is not None
            rows.append({"overdue": overdue, "k": k, "received_at": received, "acknowledged_at": acknowledged,
                         "first_response_at": responded, "promised_on": promised, "sla_due_at": complaint.sla_due_at})
    return rows


def counts(url: str) -> dict[str, int]:
    return harness.counts(url, ("complaints", "classifications", "timeline_entries", "escalations", "outbox"))


def overdue_now(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT count(*) FROM complaints WHERE sla_due_at <= now() AND status <> 'closed'")).scalar_one()
    finally:
        engine.dispose()


# Complaint i: dealer (i-1) % d + 1, text i % texts, overdue when i % 1000 < share, shape (i / 1000) % shapes.
_SEED = [
    """INSERT INTO complaints (id, dealer, number, channel, text, received_at, recorded_at, owner, status,
                              customer_name, customer_phone, vin, repair_order, claim_number, part_number, lot, desired_remedy,
                              version, category, severity, department, handler, acknowledged_at, first_response_at,
                              promised_resolution_on, sla_due_at)
       SELECT md5('bench-complaint-' || i)::uuid::text, 'D' || lpad(((i - 1) % :d + 1)::text, 3, '0'),
              'TS-BENCH-' || lpad(i::text, 8, '0'), t.channel,
              t.body, s.received_at, s.received_at + interval '5 minutes', :owner, 'open', 'Customer ' || i,
              NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, t.category, t.severity, NULL, NULL, s.acknowledged_at,
              s.first_response_at, s.promised_on, s.sla_due_at
       FROM generate_series(1, :n) AS i
            JOIN bench_texts t ON t.n = i % (SELECT count(*) FROM bench_texts)
            JOIN bench_shapes s ON s.overdue = (i % 1000 < :share) AND s.k = (i / 1000) % :shapes""",
    """INSERT INTO classifications (dealer, complaint_id, at, category, severity, automatic, actor, confidence, terms,
                                   severity_terms, reason)
       SELECT c.dealer, c.id, c.recorded_at, c.category, c.severity, true, 'classifier', t.confidence, t.terms,
              t.severity_terms, NULL
       FROM complaints c JOIN bench_texts t ON t.body = c.text""",
    """INSERT INTO timeline_entries (dealer, complaint_id, at, kind, summary, actor, event_id)
       SELECT c.dealer, c.id, entry.at, entry.kind, entry.summary, entry.actor, NULL
       FROM complaints c
            JOIN bench_texts t ON t.body = c.text,
            LATERAL (VALUES (1, c.recorded_at, 'received', 'received via ' || c.channel, c.owner, true),
                            (2, c.recorded_at, 'classified', t.summary, 'classifier', true),
                            (3, c.acknowledged_at, 'acknowledged', 'acknowledged to the customer', c.owner,
                             c.acknowledged_at IS NOT NULL),
                            (4, c.first_response_at, 'responded', 'we are looking into it', c.owner,
                             c.first_response_at IS NOT NULL),
                            (5, c.first_response_at, 'resolution_promised',
                             'resolution promised for ' || c.promised_resolution_on, c.owner,
                             c.promised_resolution_on IS NOT NULL))
                AS entry(position, at, kind, summary, actor, happened)
       WHERE entry.happened
       ORDER BY c.received_at, c.id, entry.position""",
]
