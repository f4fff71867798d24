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


# ---------------------------------------------------------------- working a complaint (the complaint page)
# Each step posts the form's fields as typed to the step's own path; the service answers with
# the complaint as it is now, or refuses with problem details.


def _step(complaint_id: str, path: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return backend.post(SERVICE, f"/complaints/{segment(complaint_id)}/{path}", dict(body),
                        idempotency_key=idempotency_key)


def assign(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """Give the work to a handling department and handler; the owner stays."""
    return _step(complaint_id, "assignment", body, idempotency_key)


def change_owner(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """Hand the complaint to another owner, with the reason (service manager)."""
    return _step(complaint_id, "owner", body, idempotency_key)


def acknowledge(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "acknowledgement", body, idempotency_key)


def respond(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "responses", body, idempotency_key)


def promise(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "promise", body, idempotency_key)


def pause(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "pause", body, idempotency_key)


def resume(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "resume", body, idempotency_key)


def add_evidence(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "evidence", body, idempotency_key)


def investigate(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """The findings and/or the root cause (what is left out is kept)."""
    return _step(complaint_id, "investigation", body, idempotency_key)


def plan_action(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """Put an action on the rectification list (整改), with its owner and due date."""
    return _step(complaint_id, "actions", body, idempotency_key)


def complete_action(complaint_id: str, action_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, f"actions/{segment(action_id)}/done", body, idempotency_key)


def resolve(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "resolution", body, idempotency_key)


def record_feedback(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "feedback", body, idempotency_key)


def close(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "closure", body, idempotency_key)


def reopen(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "reopening", body, idempotency_key)


def record_follow_up(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    return _step(complaint_id, "follow-ups", body, idempotency_key)


def merge_duplicate(complaint_id: str, body: Mapping[str, Any], idempotency_key: str) -> dict:
    """`duplicate_id`: the complaint that repeats this one; it ends, merged into this one."""
    return _step(complaint_id, "duplicates", body, idempotency_key)


def receive(body: Mapping[str, Any], idempotency_key: str) -> dict:
    """Record a complaint; the caller owns it (首问责任制) and it comes back with its number."""
    return backend.post(SERVICE, "/complaints", dict(body), idempotency_key=idempotency_key)


def classification(text: str) -> dict:
    """How intake would read this text now: category, severity and the words that decided them."""
    return backend.post(SERVICE, "/classifications", {"text": text})
