"""Reading stock counts. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from parts.domain.counting import CountStatus, StockCount
from parts.domain.errors import CountNotFound


def count(session: Session, number: str) -> StockCount:
    found = session.scalars(select(StockCount).where(StockCount.number == number)).first()
    if found is None:
        raise CountNotFound(number)
    return found


def counts(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
           location: str | None = None) -> Page:
    statement = select(StockCount)
    if status is not None:
        statement = statement.where(StockCount.status == CountStatus(status))
    if location is not None:
        statement = statement.where(StockCount.location == location)
    return keyset_page(session, statement, [StockCount.id], cursor, limit, descending=True)
