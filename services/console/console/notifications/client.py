"""The complaints service's notifications, one function per call."""

from __future__ import annotations

from console import backend


def notifications(*, unread_only: bool = False, cursor: str | None = None, limit: int = 25) -> dict:
    """The dealer's notifications, newest first, with how many are unread."""
    return backend.get("complaints", "/notifications",
                       {"unread": "true" if unread_only else None, "cursor": cursor, "limit": limit})


def read(notification_id: str) -> dict:
    return backend.post("complaints", f"/notifications/{backend.segment(notification_id)}/read")


def read_all() -> dict:
    return backend.post("complaints", "/notifications/read-all")
