"""Reacting to the warranty service."""

from __future__ import annotations

from shared.auth import Caller
from shared.events.cloudevents import CloudEvent
from shared.events.consumer import Handlers

from complaints.handlers.schemas import ClaimEventData
from complaints.service import timeline
from complaints.service.ports import ComplaintsUnitOfWork

handlers = Handlers("complaints")


@handlers.on("warranty.claim.*", schema=ClaimEventData)
def show_claim_news(event: CloudEvent, data: dict, uow: ComplaintsUnitOfWork) -> None:
    """A claim a complaint names moved on: the complaint's timeline shows it, with what was asked
    for or why, when the event says."""
    happening = event.type.rsplit(".", 1)[-1]
    said = f": {data['reason']}" if data.get("reason") else ""
    # An information request's reason is what the manufacturer asked for; any other's is why.
    asked = happening == "info_requested"
    timeline.note_claim_event(
        uow,
        Caller.for_event(event.source, event.dealer),
        claim_number=data["claim_number"],
        kind=f"claim_{happening}",
        summary=f"warranty claim {data['claim_number']} {happening.replace('_', ' ')}{said}",
        at=event.time,
        event_id=event.id,
        details={"claim_number": data["claim_number"], "happening": happening,
                 "asked" if asked else "reason": data.get("reason") or None},
    )
