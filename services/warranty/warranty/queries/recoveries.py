"""Reading supplier recoveries. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from shared.paging import Page, keyset_page

from warranty.domain.errors import RecoveryNotFound
from warranty.domain.recovery import SupplierRecovery


def recoveries(session: Session, *, limit: int, cursor: str | None = None, supplier: str | None = None,
               claim_number: str | None = None, status: str | None = None) -> Page:
    """Newest first."""
    statement = select(SupplierRecovery)
    if supplier is not None:
        statement = statement.where(SupplierRecovery.supplier == supplier)
    if claim_number is not None:
        statement = statement.where(SupplierRecovery.claim_number == claim_number)
    if status is not None:
        statement = statement.where(SupplierRecovery.status == status)
    return keyset_page(session, statement, [SupplierRecovery.id], cursor, limit, descending=True)


def recovery(session: Session, claim_number: str) -> SupplierRecovery:
    """One recovery with its history."""
    found = session.scalars(
        select(SupplierRecovery).where(SupplierRecovery.claim_number == claim_number)
        .options(selectinload(SupplierRecovery.history))
    ).first()
    if found is None:
        raise RecoveryNotFound(claim_number)
    return found
