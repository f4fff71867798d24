"""Other services' news about what a complaint names, shown on its timeline."""

from __future__ import annotations

from datetime import datetime

from shared.auth import Caller

from complaints.adapters.unit_of_work import ComplaintsUnitOfWork


def note_claim_event(
    uow: ComplaintsUnitOfWork, caller: Caller, *, claim_number: str, kind: str, summary: str, at: datetime, event_id: str
) -> int:
    """Add the event to every complaint naming the claim; returns how many it was added to."""
    with uow:
        noted = sum(
            complaint.note_related_event(at, kind, summary, caller.sub, event_id)
            for complaint in uow.complaints.naming_claim_for_update(claim_number)
        )
        if noted:
            uow.commit()
    return noted
