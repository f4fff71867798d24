"""Reading claims. Sessions are dealer-scoped."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.domain.claim import Claim
from warranty.domain.errors import ClaimNotFound


def claim(session: Session, claim_number: str) -> Claim:
    found = session.scalars(select(Claim).where(Claim.claim_number == claim_number)).first()
    if found is None:
        raise ClaimNotFound(claim_number)
    return found


NEWEST = "newest"
LONGEST_UNCHANGED = "updated_at"  # the claims that have waited longest where they are first
SORTS = (NEWEST, LONGEST_UNCHANGED)


def claims(session: Session, *, limit: int, cursor: str | None = None, status: list[str] | None = None,
           vin: str | None = None, repair_order: str | None = None, repaired_from: date | None = None,
           repaired_to: date | None = None, appealed: bool | None = None, claim_type: str | None = None,
           sort: str = NEWEST) -> Page:
    """Newest first: the latest repairs when a period of repair dates is asked, else the latest
    filed; or, sorted by `updated_at`, the claims unchanged longest first (a step or an edit is a
    change). Each order has its index (dealer, [status,] repair date, id; dealer, status, id;
    dealer, [status,] updated at, id), so a page reads about a page of rows however many claims
    there are."""
    statement = select(Claim)
    if status:
        statement = statement.where(Claim.status.in_(sorted(set(status))))
    statement = statement.where(*repaired_between(repaired_from, repaired_to))
    if vin is not None:
        statement = statement.where(Claim.vin == vin.strip().upper())
    if repair_order is not None:
        statement = statement.where(Claim.repair_order == repair_order)
    if appealed is not None:
        statement = statement.where(Claim.appealed.is_(appealed))
    if claim_type is not None:
        statement = statement.where(Claim.claim_type == claim_type)
    if sort == LONGEST_UNCHANGED:
        return keyset_page(session, statement, [Claim.updated_at, Claim.id], cursor, limit)
    by_repair = repaired_from is not None or repaired_to is not None
    keys = [Claim.repair_date, Claim.id] if by_repair else [Claim.id]
    return keyset_page(session, statement, keys, cursor, limit, descending=True)


def repaired_between(start: date | None, end: date | None) -> list:
    """Claims repaired on or after `start` and on or before `end`, either end open."""
    return [*([Claim.repair_date >= start] if start is not None else []),
            *([Claim.repair_date <= end] if end is not None else [])]
