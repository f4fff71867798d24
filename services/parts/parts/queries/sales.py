"""Reading counter sales and customer groups. A sale's customer name and phone are personal
data: masked for every role that does not sell (`privacy.PERSONAL_DATA_ROLES`)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from parts.domain.errors import CustomerGroupNotFound, SaleNotFound
from parts.domain.privacy import PERSONAL_DATA_ROLES, mask_name, mask_phone
from parts.domain.sales import CustomerGroup, SalesOrder


class SaleView:
    """A sales order as its viewer may see it: the customer's name and phone masked unless
    their role needs them. Everything else reads through to the order (never written)."""

    def __init__(self, order: SalesOrder, viewer: Caller):
        self._order = order
        self._masked = not viewer.has_any(PERSONAL_DATA_ROLES)

    @property
    def customer_name(self) -> str | None:
        name = self._order.customer_name
        return mask_name(name) if self._masked else name

    @property
    def customer_phone(self) -> str | None:
        phone = self._order.customer_phone
        return mask_phone(phone) if self._masked else phone

    def __getattr__(self, name: str):
        return getattr(self._order, name)


def sale(session: Session, number: str, *, viewer: Caller) -> SaleView:
    order = session.scalars(select(SalesOrder).where(SalesOrder.number == number)).first()
    if order is None:
        raise SaleNotFound(number)
    return SaleView(order, viewer)


def sales(session: Session, *, viewer: Caller, limit: int, cursor: str | None = None, status: str | None = None,
          customer_account: str | None = None) -> Page:
    """Newest first."""
    statement = select(SalesOrder)
    if status is not None:
        statement = statement.where(SalesOrder.status == status)
    if customer_account is not None:
        statement = statement.where(SalesOrder.customer_account == customer_account)
    page = keyset_page(session, statement, [SalesOrder.id], cursor, limit, descending=True)
    return replace(page, items=[SaleView(order, viewer) for order in page.items])


def customer_groups(session: Session) -> list[CustomerGroup]:
    return list(session.scalars(select(CustomerGroup).order_by(CustomerGroup.code)))


def customer_group(session: Session, code: str) -> CustomerGroup:
    group = session.scalars(select(CustomerGroup).where(CustomerGroup.code == code)).first()
    if group is None:
        raise CustomerGroupNotFound(code)
    return group
