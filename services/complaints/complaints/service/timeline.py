"""Other services' news about what a complaint names, shown on its timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.auth import Caller

from complaints.domain.complaint import Complaint
from complaints.service.ports import ComplaintsUnitOfWork


def note_claim_event(
    uow: ComplaintsUnitOfWork, caller: Caller, *, claim_number: str, kind: str, summary: str, at: datetime, event_id: str,
    details: dict | None = None,
) -> int:
    """Add the event to every complaint naming the claim; returns how many it was added to."""
    return _note(uow, caller, lambda: uow.complaints.naming_claim_for_update(claim_number), kind=kind,
                 summary=summary, at=at, event_id=event_id, details=details)


def note_lot_event(
    uow: ComplaintsUnitOfWork, caller: Caller, *, lot: str, kind: str, summary: str, at: datetime, event_id: str,
    details: dict | None = None,
) -> int:
    """Add the event to every complaint naming the lot (quarantined, released); returns how many."""
    return _note(uow, caller, lambda: uow.complaints.naming_lot_for_update(lot), kind=kind, summary=summary, at=at,
                 event_id=event_id, details=details)


def _note(uow: ComplaintsUnitOfWork, caller: Caller, naming: Callable[[], list[Complaint]], *, kind: str,
          summary: str, at: datetime, event_id: str, details: dict | None) -> int:
    with uow:
        noted = sum(complaint.note_related_event(at, kind, summary, caller.sub, event_id, details)
                    for complaint in naming())
        if noted:
            uow.commit()
    return noted
