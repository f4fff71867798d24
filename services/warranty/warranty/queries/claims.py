"""Reading claims and supplier recoveries. Sessions are dealer-scoped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.domain.claim import Claim
from warranty.domain.errors import ClaimNotFound
from warranty.domain.recovery import SupplierRecovery


def claim(session: Session, claim_number: str) -> Claim:
    found = session.scalars(select(Claim).where(Claim.claim_number == claim_number)).first()
    if found is None:
        raise ClaimNotFound(claim_number)
    return found


def claims(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
           vin: str | None = None, repair_order: str | None = None, repaired_from: date | None = None,
           repaired_to: date | None = None) -> Page:
    """Newest first: the latest repairs when a period of repair dates is asked, else the latest
    filed. Each order has its index (dealer, [status,] repair date, id or dealer, status, id),
    so a page reads about a page of rows however many claims there are."""
    statement = select(Claim)
    if status is not None:
        statement = statement.where(Claim.status == status)
    statement = statement.where(*repaired_between(repaired_from, repaired_to))
    if vin is not None:
        statement = statement.where(Claim.vin == vin.strip().upper())
    if repair_order is not None:
        statement = statement.where(Claim.repair_order == repair_order)
    by_repair = repaired_from is not None or repaired_to is not None
    keys = [Claim.repair_date, Claim.id] if by_repair else [Claim.id]
    return keyset_page(session, statement, keys, cursor, limit, descending=True)


def repaired_between(start: date | None, end: date | None) -> list:
    """Claims repaired on or after `start` and on or before `end`, either end open."""
    return [*([Claim.repair_date >= start] if start is not None else []),
            *([Claim.repair_date <= end] if end is not None else [])]


def recoveries(session: Session, *, limit: int, cursor: str | None = None, supplier: str | None = None,
               claim_number: str | None = None) -> Page:
    """Newest first."""
    statement = select(SupplierRecovery)
    if supplier is not None:
        statement = statement.where(SupplierRecovery.supplier == supplier)
    if claim_number is not None:
        statement = statement.where(SupplierRecovery.claim_number == claim_number)
    return keyset_page(session, statement, [SupplierRecovery.id], cursor, limit, descending=True)
