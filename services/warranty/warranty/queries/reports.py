"""The warranty desk's reports (索赔统计), over the claims whose repair date falls in a period
(either end open). Plain SQL aggregates that run the same on PostgreSQL and SQLite; medians
and percentiles, which SQLite lacks, are taken from per-claim rows. Sessions are dealer-scoped.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from shared.stats import percentile

from warranty.domain.claim import DECIDED, LIVE, PAYABLE, Claim, ClaimHistoryEntry, ClaimLine, ClaimStatus
from warranty.domain.coverage import CoveragePlan
from warranty.domain.errors import ReportPeriodInvalid
from warranty.domain.installation import InstalledPart
from warranty.domain.recovery import RECOVERY_STATUSES, SupplierRecovery
from warranty.queries.claims import repaired_between

# Age since a claim was filed, in days: (bucket, up to and including).
AGE_BUCKETS = (("0_7", 7), ("8_30", 30), ("31_60", 60), ("61_90", 90))
OVER_90 = "over_90"
# The claims' history keeps statuses as text.
DECISIONS = sorted(status.value for status in DECIDED - {ClaimStatus.PAID})
APPROVALS = sorted(status.value for status in PAYABLE)
APPROVED = PAYABLE | {ClaimStatus.PAID}
STAGES = ("draft_to_submitted", "submitted_to_decided", "decided_to_paid")


def claims_by_status(session: Session, *, start: date | None = None, end: date | None = None,
                     now: datetime) -> list[dict]:
    """How many claims in each status, and how long ago they were filed."""
    age = case(
        *((Claim.created_at > now - timedelta(days=days), bucket) for bucket, days in AGE_BUCKETS),
        else_=OVER_90,
    )
    aged = select(Claim.status.label("status"), age.label("age")).where(*_period(start, end)).subquery()
    rows = session.execute(
        select(aged.c.status, aged.c.age, func.count()).group_by(aged.c.status, aged.c.age)
    ).all()
    by_status: dict[str, dict] = {}
    for status, bucket, count in rows:
        entry = by_status.setdefault(_value(status), {
            "status": _value(status), "count": 0, "age_days": {name: 0 for name, _ in (*AGE_BUCKETS, (OVER_90, 0))},
        })
        entry["count"] += count
        entry["age_days"][bucket] += count
    return [by_status[status.value] for status in ClaimStatus if status.value in by_status]


def cycle_times(session: Session, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """Hours from filing to the first submission, from the first submission to the first
    decision (information requests included), and from the last decision to payment, as the
    claims' history recorded them."""
    entry = ClaimHistoryEntry
    rows = session.execute(
        select(
            func.min(case((entry.action == "filed", entry.at))),
            func.min(case((entry.action == "submitted", entry.at))),
            func.min(case((entry.to_status.in_(DECISIONS), entry.at))),
            func.max(case((entry.to_status.in_(DECISIONS), entry.at))),
            func.min(case((entry.to_status == ClaimStatus.PAID.value, entry.at))),
        )
        .join(Claim, Claim.id == entry.claim_id)
        .where(*_period(start, end))
        .group_by(entry.claim_id)
    ).all()
    spans: dict[str, list[float]] = {stage: [] for stage in STAGES}
    for filed, submitted, first_decision, last_decision, paid in rows:
        for stage, begun, ended in (("draft_to_submitted", filed, submitted),
                                    ("submitted_to_decided", submitted, first_decision),
                                    ("decided_to_paid", last_decision, paid)):
            if begun is not None and ended is not None:
                spans[stage].append((ended - begun).total_seconds() / 3600)
    return [{"stage": stage, "claims": len(spans[stage]), "median_hours": _hours(spans[stage], 0.5),
             "p90_hours": _hours(spans[stage], 0.9)} for stage in STAGES]


def first_pass_approval(session: Session, *, start: date | None = None, end: date | None = None) -> dict:
    """Of the claims decided, those approved (in full or in part) without an information
    request and without an appeal."""
    entry = ClaimHistoryEntry
    per_claim = (
        select(
            func.max(case((entry.action == "info_requested", 1), else_=0)).label("asked"),
            func.max(case((entry.action == "appealed", 1), else_=0)).label("appealed"),
            func.max(case((entry.to_status.in_(APPROVALS), 1), else_=0)).label("approved"),
            func.max(case((entry.to_status.in_(DECISIONS), 1), else_=0)).label("decided"),
        )
        .join(Claim, Claim.id == entry.claim_id)
        .where(*_period(start, end))
        .group_by(entry.claim_id)
        .subquery()
    )
    first_pass = and_(per_claim.c.approved == 1, per_claim.c.asked == 0, per_claim.c.appealed == 0)
    decided, approved, asked, appealed = session.execute(select(
        func.coalesce(func.sum(per_claim.c.decided), 0),
        func.coalesce(func.sum(case((first_pass, 1), else_=0)), 0),
        func.coalesce(func.sum(case((per_claim.c.decided == 1, per_claim.c.asked), else_=0)), 0),
        func.coalesce(func.sum(case((per_claim.c.decided == 1, per_claim.c.appealed), else_=0)), 0),
    )).one()
    return {
        "decided": decided, "first_pass_approved": approved, "info_requested": asked, "appealed": appealed,
        "rate": None if not decided else (Decimal(approved) / Decimal(decided)).quantize(Decimal("0.0001")),
    }


def rejection_reasons(session: Session, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """The reason codes of lines approved for less than claimed (or not at all)."""
    rows = session.execute(
        select(ClaimLine.reason_code, func.count(), func.count(func.distinct(ClaimLine.claim_id)),
               func.sum(ClaimLine.amount - ClaimLine.approved_amount))
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(*_period(start, end), ClaimLine.reason_code.is_not(None), ClaimLine.approved_amount.is_not(None))
        .group_by(ClaimLine.reason_code)
    ).all()
    items = [{"reason_code": code, "lines": lines, "claims": claims, "amount_refused": _money(refused)}
             for code, lines, claims, refused in rows]
    return sorted(items, key=lambda item: (-item["lines"], item["reason_code"]))


def cost_by_coverage_type(session: Session, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """Claimed (every claim filed with the manufacturer), approved and paid, per plan type; the
    approved amount splits into what awaits payment, what was paid and what was short paid."""
    lines = (
        select(ClaimLine.claim_id.label("claim_id"), func.sum(ClaimLine.amount).label("claimed"),
               func.sum(ClaimLine.approved_amount).label("approved"))
        .group_by(ClaimLine.claim_id)
        .subquery()
    )
    is_paid = Claim.status == ClaimStatus.PAID
    rows = session.execute(
        select(CoveragePlan.type, Claim.currency, func.count(Claim.id), func.sum(lines.c.claimed),
               func.sum(case((Claim.status.in_(APPROVED), lines.c.approved), else_=0)),
               func.sum(Claim.paid_amount),
               func.sum(case((Claim.status.in_(PAYABLE), lines.c.approved), else_=0)),
               func.sum(case((is_paid, lines.c.approved - Claim.paid_amount), else_=0)),
               func.sum(case((and_(is_paid, Claim.paid_amount < lines.c.approved), 1), else_=0)))
        .join(lines, lines.c.claim_id == Claim.id)
        .join(CoveragePlan, CoveragePlan.code == Claim.coverage_plan)
        .where(*_period(start, end), Claim.status.in_(sorted(LIVE)))
        .group_by(CoveragePlan.type, Claim.currency)
    ).all()
    items = [{"coverage_type": _value(kind), "currency": currency, "claims": count, "claimed": _money(claimed),
              "approved": _money(approved), "paid": _money(paid), "awaiting_payment": _money(awaiting),
              "short_paid": _money(short), "short_paid_claims": int(short_claims or 0)}
             for kind, currency, count, claimed, approved, paid, awaiting, short, short_claims in rows]
    return sorted(items, key=lambda item: (item["coverage_type"], item["currency"]))


def supplier_failure_rates(session: Session, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """Approved claims whose causal part was traced to a supplier's lot, and per thousand
    units of that supplier fitted (every fitting warranty knows of up to the period's end)."""
    failures = dict(session.execute(
        select(Claim.causal_supplier, func.count())
        .where(*_period(start, end), Claim.status.in_(APPROVED), Claim.causal_supplier.is_not(None))
        .group_by(Claim.causal_supplier)
    ).all())
    fitted_until = [InstalledPart.installed_on <= end] if end is not None else []
    installed = dict(session.execute(
        select(InstalledPart.supplier, func.sum(InstalledPart.issued_quantity - InstalledPart.returned_quantity))
        .where(InstalledPart.supplier.is_not(None), InstalledPart.installed_on.is_not(None), *fitted_until)
        .group_by(InstalledPart.supplier)
    ).all())
    items = []
    for supplier in sorted({*failures, *installed}):
        count = failures.get(supplier, 0)
        units = installed.get(supplier)
        units = None if units is None else Decimal(units).quantize(Decimal("0.001"))
        rate = None if not units else (Decimal(count) * 1000 / units).quantize(Decimal("0.01"))
        items.append({"supplier": supplier, "failures": count, "units_installed": units, "per_thousand_installed": rate})
    return sorted(items, key=lambda item: (-item["failures"], item["supplier"]))


def supplier_recoveries(session: Session, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """Per supplier and currency, the recoveries of the claims repaired in the period: how many,
    the amount opened (as adjusted since), and where that amount stands now. `opened` is the
    sum of open, charged, disputed, recovered and written_off."""
    rows = session.execute(
        select(SupplierRecovery.supplier, SupplierRecovery.currency, SupplierRecovery.status, func.count(),
               func.sum(SupplierRecovery.amount))
        .join(Claim, and_(Claim.dealer == SupplierRecovery.dealer,
                          Claim.claim_number == SupplierRecovery.claim_number))
        .where(*_period(start, end))
        .group_by(SupplierRecovery.supplier, SupplierRecovery.currency, SupplierRecovery.status)
    ).all()
    totals: dict[tuple[str, str], dict] = {}
    for supplier, currency, status, count, amount in rows:
        entry = totals.setdefault((supplier, currency), {
            "supplier": supplier, "currency": currency, "recoveries": 0, "opened": _money(0),
            **{name: _money(0) for name in RECOVERY_STATUSES},
        })
        entry["recoveries"] += count
        entry["opened"] += _money(amount)
        entry[status] += _money(amount)
    return [totals[key] for key in sorted(totals)]


def _period(start: date | None, end: date | None) -> list:
    if start is not None and end is not None and end < start:
        raise ReportPeriodInvalid()
    return repaired_between(start, end)


def _hours(values: list[float], fraction: float) -> float | None:
    found = percentile(values, fraction)
    return None if found is None else round(found, 1)


def _money(amount) -> Decimal:
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def _value(member) -> str:
    return getattr(member, "value", member)
