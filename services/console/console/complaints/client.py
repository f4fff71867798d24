"""The complaints service's API as the desk uses it: one function per call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console import backend
from console.backend import segment

SERVICE = "complaints"


def complaints(filters: Mapping[str, Any], cursor: str | None = None, limit: int = 25) -> dict:
    return backend.get(SERVICE, "/complaints", {**filters, "cursor": cursor, "limit": limit})


def to_review(cursor: str | None = None, limit: int = 25) -> dict:
    """The complaints whose classification the classifier asks the desk to check."""
    return complaints({"needs_review": "true"}, cursor, limit)


def complaint(complaint_id: str) -> dict:
    return backend.get(SERVICE, f"/complaints/{segment(complaint_id)}")


def reclassify(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """Confirm or correct the category and/or severity, with the reason (clears `needs_review`)."""
    return backend.post(SERVICE, f"/complaints/{segment(complaint_id)}/classification", dict(body),
                        idempotency_key=idempotency_key)
