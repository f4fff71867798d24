"""A supplier's quality record as the parts manager reads it. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parts.adapters.repositories import QualityRepository
from parts.domain.quality import QualityIncident
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
