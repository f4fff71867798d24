"""Reading claims. Sessions are dealer-scoped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from sqlalchemy import Integer, Select, bindparam, inspect, select, tuple_
from sqlalchemy.orm import Session

from shared.paging import Page, decode_cursor, encode_cursor

from warranty.domain.claim import Claim, ClaimFigures, ClaimHistoryEntry, ClaimLine
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
    there are.

    Three statements, each built once per set of filters and order: the page of claims as rows,
    then the lines and the history of those claims by id; each claim is a `ClaimView`, not an
    aggregate."""
    filters = {name: value for name, value in (
        ("status", sorted(set(status)) if status else None), ("repaired_from", repaired_from),
        ("repaired_to", repaired_to), ("vin", None if vin is None else vin.strip().upper()),
        ("repair_order", repair_order), ("claim_type", claim_type)) if value is not None}
    by_repair = repaired_from is not None or repaired_to is not None
    order = LONGEST_UNCHANGED if sort == LONGEST_UNCHANGED else (_BY_REPAIR if by_repair else NEWEST)
    keys = _KEYS[order]
    after = decode_cursor(cursor, keys)
    statement = _page(tuple(filters), appealed, order, after is not None)
    parameters = {**filters, "limit": limit + 1}
    if after is not None:
        parameters.update({f"after_{i}": value for i, value in enumerate(after)})
    rows = _records(session.execute(statement, parameters), ClaimView)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([getattr(rows[-1], key.key) for key in keys])
    return Page(_views(session, rows), next_cursor)


class ClaimView(ClaimFigures):
    """A claim of the list as read: its columns, its lines and its history as plain records,
    with what they add up to as the aggregate says it (`ClaimFigures`)."""

    lines: list
    history: list


class _Record:
    """A line or a history entry as read: attributes, nothing else."""


def _records(result, cls: type = _Record) -> list:
    keys = list(result.keys())
    records = []
    for row in result:
        record = cls.__new__(cls)
        record.__dict__ = dict(zip(keys, row))
        records.append(record)
    return records


def _views(session: Session, rows: list[ClaimView]) -> list[ClaimView]:
    """The claims with their lines and history. By the ids read, not by the page's filters
    again: a claim filed or moved on between the statements must not change what a claim shown
    has (one transaction reads each statement's own committed state)."""
    if not rows:
        return rows
    ids = [view.id for view in rows]
    lines: dict[int, list] = {claim_id: [] for claim_id in ids}
    history: dict[int, list] = {claim_id: [] for claim_id in ids}
    for line in _records(session.execute(_children().lines, {"ids": ids})):
        lines[line.claim_id].append(line)
    for entry in _records(session.execute(_children().history, {"ids": ids})):
        history[entry.claim_id].append(entry)
    for view in rows:
        view.lines = lines[view.id]
        view.history = history[view.id]
    return rows


_BY_REPAIR = "repair_date"
_KEYS = {NEWEST: (Claim.id,), _BY_REPAIR: (Claim.repair_date, Claim.id),
         LONGEST_UNCHANGED: (Claim.updated_at, Claim.id)}
_FILTERS = {
    "status": lambda: Claim.status.in_(bindparam("status", expanding=True)),
    "repaired_from": lambda: Claim.repair_date >= bindparam("repaired_from"),
    "repaired_to": lambda: Claim.repair_date <= bindparam("repaired_to"),
    "vin": lambda: Claim.vin == bindparam("vin"),
    "repair_order": lambda: Claim.repair_order == bindparam("repair_order"),
    "claim_type": lambda: Claim.claim_type == bindparam("claim_type"),
}


def _columns(cls) -> list:
    return [attribute.class_attribute for attribute in inspect(cls).column_attrs]


@lru_cache(maxsize=512)
def _page(filters: tuple[str, ...], appealed: bool | None, order: str, after: bool) -> Select:
    """One page of claims as rows, for one set of filters and one order: built once, so the
    dealer scoping and SQLAlchemy's cache key are worked out once, not on every call."""
    statement = select(*_columns(Claim)).where(*(_FILTERS[name]() for name in filters))
    if appealed is not None:
        statement = statement.where(Claim.appealed.is_(appealed))
    keys = _KEYS[order]
    ascending = order == LONGEST_UNCHANGED
    if after:
        # Typed as the keys, as literals compared with them would be (a timestamp's bind to UTC).
        start = tuple_(*(bindparam(f"after_{i}", type_=key.type) for i, key in enumerate(keys)))
        position = tuple_(*keys)
        statement = statement.where(position > start if ascending else position < start)
    return (statement.order_by(*(keys if ascending else (key.desc() for key in keys)))
            .limit(bindparam("limit", type_=Integer)))


@dataclass(frozen=True)
class _Children:
    lines: Select  # of the claims :ids, in each claim's order
    history: Select  # of the claims :ids, in each claim's order


@cache
def _children() -> _Children:
    ids = bindparam("ids", expanding=True)
    return _Children(
        lines=select(*_columns(ClaimLine)).where(ClaimLine.claim_id.in_(ids))
        .order_by(ClaimLine.claim_id, ClaimLine.number),
        history=select(*_columns(ClaimHistoryEntry)).where(ClaimHistoryEntry.claim_id.in_(ids))
        .order_by(ClaimHistoryEntry.claim_id, ClaimHistoryEntry.id),
    )


def repaired_between(start: date | None, end: date | None) -> list:
    """Claims repaired on or after `start` and on or before `end`, either end open."""
    return [*([Claim.repair_date >= start] if start is not None else []),
            *([Claim.repair_date <= end] if end is not None else [])]
