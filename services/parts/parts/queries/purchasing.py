"""Reading purchase orders. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from parts.domain.errors import PurchaseOrderNotFound
from parts.domain.purchasing import PurchaseOrder


def order(session: Session, number: str) -> PurchaseOrder:
    found = session.scalars(select(PurchaseOrder).where(PurchaseOrder.number == number)).first()
    if found is None:
        raise PurchaseOrderNotFound(number)
    return found


def orders(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
           supplier: str | None = None) -> Page:
    statement = select(PurchaseOrder)
    if status is not None:
        statement = statement.where(PurchaseOrder.status == status)
    if supplier is not None:
        statement = statement.where(PurchaseOrder.supplier == supplier)
    return keyset_page(session, statement, [PurchaseOrder.id], cursor, limit, descending=True)
