"""A supplier's quality record as the parts manager reads it, and every supplier's over a
period as the service manager's scorecard reads it. Sessions are dealer-scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parts.adapters.repositories import QualityRepository
from parts.domain.documents import IssueLine, IssueSlip
from parts.domain.quality import COMPLAINT, FIELD_FAILURE, QualityFigures, QualityIncident
from parts.domain.supply import Inspection, Lot, Supplier
from parts.queries.stock import supplier as find_supplier


def supplier_quality(session: Session, code: str) -> dict:
    supplier = find_supplier(session, code)
    figures = QualityRepository(session).figures(supplier)
    recent = session.scalars(
        select(QualityIncident).where(QualityIncident.supplier == code)
        .order_by(QualityIncident.id.desc()).limit(50)
    ).all()
    return {
        "supplier": code,
        "units_issued": figures.units_issued,
        "field_failures": figures.field_failures,
        "failures_per_thousand": figures.failures_per_thousand,
        "incidents": figures.incidents,
        "lots_inspected": figures.lots_inspected,
        "lots_rejected": figures.lots_rejected,
        "rejection_rate": figures.rejection_rate,
        "recent": recent,
    }


@dataclass(frozen=True)
class Period:
    """From the start of `start` to the end of `end`, dealer's dates (either may be open)."""

    start: date | None
    end: date | None
    zone: tzinfo

    @property
    def since(self) -> datetime | None:
        return None if self.start is None else datetime.combine(self.start, time(0), self.zone)

    @property
    def until(self) -> datetime | None:
        return None if self.end is None else datetime.combine(self.end + timedelta(days=1), time(0), self.zone)

    def of(self, column) -> list:
        return [condition for condition in (
            None if self.since is None else column >= self.since,
            None if self.until is None else column < self.until) if condition is not None]


def supplier_quality_report(session: Session, period: Period) -> list[dict]:
    """Every supplier's record for the period, by code: the field failures and product-quality
    complaints traced to its lots in the period, per thousand of its units issued up to the
    period's end (returns deducted), and its lots inspected in the period and how many failed."""
    incidents: dict[tuple[str, str], int] = {
        (supplier, kind): count for supplier, kind, count in session.execute(
            select(QualityIncident.supplier, QualityIncident.kind, func.count())
            .where(*period.of(QualityIncident.at)).group_by(QualityIncident.supplier, QualityIncident.kind))}
    until = [] if period.until is None else [IssueSlip.issued_at < period.until]
    issued = dict(session.execute(
        select(IssueLine.supplier, func.sum(IssueLine.quantity - IssueLine.returned))
        .join(IssueSlip, IssueSlip.id == IssueLine.issue_slip_id).where(*until).group_by(IssueLine.supplier)).all())
    inspected = {supplier: (count, failed) for supplier, count, failed in session.execute(
        select(Lot.supplier, func.count(), func.count().filter(Lot.inspection == Inspection.FAILED))
        .where(Lot.inspection != Inspection.PENDING, *period.of(Lot.inspected_at)).group_by(Lot.supplier))}
    items = []
    for supplier in session.scalars(select(Supplier).order_by(Supplier.code)):
        lots = inspected.get(supplier.code, (0, 0))
        figures = QualityFigures(
            units_issued=Decimal(issued.get(supplier.code) or 0),
            field_failures=incidents.get((supplier.code, FIELD_FAILURE), 0),
            incidents=incidents.get((supplier.code, COMPLAINT), 0), lots_inspected=lots[0], lots_rejected=lots[1])
        items.append({"supplier": supplier.code, "name": supplier.name, "units_issued": figures.units_issued,
                      "field_failures": figures.field_failures, "failures_per_thousand": figures.failures_per_thousand,
                      "incidents": figures.incidents, "lots_inspected": figures.lots_inspected,
                      "lots_rejected": figures.lots_rejected, "rejection_rate": figures.rejection_rate})
    return items
