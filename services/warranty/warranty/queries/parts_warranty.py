"""Reading the parts warranty (配件保修): the policy, the parts sold under it, the cases and
their outcome per supplier. Sessions are dealer-scoped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.domain.errors import PartsWarrantyCaseNotFound, ReportPeriodInvalid
from warranty.domain.parts_warranty import (
    CLOSED,
    REFUSE,
    REPAIR,
    REPLACE,
    PartsWarrantyCase,
    PartsWarrantyPolicy,
    SoldPart,
)


def policy(session: Session, dealer: str) -> PartsWarrantyPolicy:
    """The saved policy, or the standard one (version 0) until a manager saves one."""
    return session.scalars(select(PartsWarrantyPolicy)).first() or PartsWarrantyPolicy.standard(dealer)


def sold_parts(session: Session, *, limit: int, cursor: str | None = None, sale: str | None = None,
               part_number: str | None = None, customer_id: str | None = None, vin: str | None = None) -> Page:
    """What the desk looks up when a customer walks in with a part; the latest sold first."""
    statement = select(SoldPart)
    for column, value in ((SoldPart.sale, sale), (SoldPart.part_number, part_number),
                          (SoldPart.customer_id, customer_id), (SoldPart.vin, vin.upper() if vin else None)):
        if value is not None:
            statement = statement.where(column == value)
    return keyset_page(session, statement, [SoldPart.id], cursor, limit, descending=True)


def cases(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
          supplier: str | None = None, sale: str | None = None, start: date | None = None,
          end: date | None = None) -> Page:
    """Newest first, opened in the period (either end open)."""
    statement = select(PartsWarrantyCase).where(*_period(start, end))
    for column, value in ((PartsWarrantyCase.status, status), (PartsWarrantyCase.supplier, supplier),
                          (PartsWarrantyCase.sale, sale)):
        if value is not None:
            statement = statement.where(column == value)
    return keyset_page(session, statement, [PartsWarrantyCase.id], cursor, limit, descending=True)


def case(session: Session, number: str) -> PartsWarrantyCase:
    found = session.scalars(select(PartsWarrantyCase).where(PartsWarrantyCase.number == number)).first()
    if found is None:
        raise PartsWarrantyCaseNotFound(number)
    return found


def by_supplier(session: Session, *, start: date | None = None, end: date | None = None) -> list[dict]:
    """Per supplier, the cases opened in the period and how they went, for its quality figures:
    covered (a defect), repaired, replaced, refused, still open, and the customers' mean
    satisfaction (1–5) where followed up."""
    c = PartsWarrantyCase

    def count_of(condition):
        return func.coalesce(func.sum(when((condition, 1), else_=0)), 0)

    rows = session.execute(
        select(
            c.supplier, func.count(), count_of(c.covered.is_(True)), count_of(c.outcome == REPAIR),
            count_of(c.outcome == REPLACE), count_of(c.outcome == REFUSE), count_of(c.status != CLOSED),
            func.avg(c.satisfaction),
        ).where(*_period(start, end)).group_by(c.supplier).order_by(func.count().desc(), c.supplier)
    ).all()
    return [
        {"supplier": supplier, "cases": cases_, "covered": covered, "repaired": repaired, "replaced": replaced,
         "refused": refused, "open": open_,
         "satisfaction": None if satisfaction is None else round(float(satisfaction), 2)}
        for supplier, cases_, covered, repaired, replaced, refused, open_, satisfaction in rows
    ]


def _period(start: date | None, end: date | None) -> list:
    if start is not None and end is not None and end < start:
        raise ReportPeriodInvalid()
    conditions = []
    if start is not None:
        conditions.append(PartsWarrantyCase.opened_on >= start)
    if end is not None:
        conditions.append(PartsWarrantyCase.opened_on <= end)
    return conditions
