"""Reading the replacements for parts-warranty cases (保修换件): what the counter has to issue."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from parts.domain.errors import WarrantyExchangeNotFound
from parts.domain.warranty_exchange import WarrantyExchange


def warranty_exchanges(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
                       part_number: str | None = None) -> Page:
    """Oldest approval first: the customer who has waited longest is served first."""
    statement = select(WarrantyExchange)
    if status is not None:
        statement = statement.where(WarrantyExchange.status == status)
    if part_number is not None:
        statement = statement.where(WarrantyExchange.part_number == part_number)
    return keyset_page(session, statement, [WarrantyExchange.id], cursor, limit)


def warranty_exchange(session: Session, case: str) -> WarrantyExchange:
    exchange = session.scalars(select(WarrantyExchange).where(WarrantyExchange.case == case)).first()
    if exchange is None:
        raise WarrantyExchangeNotFound(case)
    return exchange
