"""The rectification list (整改清单) across complaints: who does what by when, and what is overdue."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_, not_, select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from complaints.domain.investigation import Action
from complaints.domain.privacy import mask_personal_data, may_see_personal_data
from complaints.queries.complaints import ActionView, ClockReading, calendar


def actions(
    session: Session,
    *,
    viewer: Caller,
    reading: ClockReading,
    limit: int,
    cursor: str | None = None,
    overdue: bool | None = None,
    done: bool | None = None,
    owner: str | None = None,
    kind: str | None = None,
    complaint_id: str | None = None,
) -> Page:
    """Earliest due first; `overdue`: not done and due before today in the dealer's calendar."""
    today = calendar(session, reading.timezone).today(reading.now)
    statement = select(Action)
    if overdue is not None:
        is_overdue = and_(Action.done_on.is_(None), Action.due_on < today)
        statement = statement.where(is_overdue if overdue else not_(is_overdue))
    if done is not None:
        statement = statement.where(Action.done_on.is_not(None) if done else Action.done_on.is_(None))
    if owner is not None:
        statement = statement.where(Action.owner == owner)
    if kind is not None:
        statement = statement.where(Action.kind == kind)
    if complaint_id is not None:
        statement = statement.where(Action.complaint_id == complaint_id)
    page = keyset_page(session, statement, [Action.due_on, Action.id], cursor, limit)
    shown = [ActionView.of(action, today) for action in page.items]
    if not may_see_personal_data(viewer.roles):
        shown = [replace(a, description=mask_personal_data(a.description), done_note=mask_personal_data(a.done_note))
                 for a in shown]
    return Page(shown, page.next_cursor)
