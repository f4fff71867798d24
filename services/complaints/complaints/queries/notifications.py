"""Reading the dealer's notifications (newest first, with how many are unread) and its channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.paging import keyset_page

from complaints.domain.notifications import Notification, NotificationChannels


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None
    unread: int


@dataclass(frozen=True)
class ChannelsView:
    email_recipients: list[str]
    webhook_url: str | None
    webhook_kind: str | None
    updated_by: str | None
    updated_at: datetime | None
    version: int


def notifications(session: Session, *, unread_only: bool, cursor: str | None, limit: int) -> NotificationPage:
    statement = select(Notification)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    page = keyset_page(session, statement, [Notification.created_at, Notification.id], cursor, limit,
                       descending=True)
    return NotificationPage(page.items, page.next_cursor, unread(session))


def unread(session: Session) -> int:
    return session.scalar(select(func.count(Notification.id)).where(Notification.read_at.is_(None)))


def channels(session: Session) -> ChannelsView:
    """Where notifications go besides the console (version 0, nowhere, until the dealer sets it)."""
    configured = session.scalars(select(NotificationChannels)).first()
    if configured is None:
        return ChannelsView([], None, None, None, None, 0)
    return ChannelsView(list(configured.email_recipients), configured.webhook_url,
                        configured.webhook_kind.value if configured.webhook_kind else None,
                        configured.updated_by, configured.updated_at, configured.version)
