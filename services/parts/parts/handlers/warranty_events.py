"""The warranty desk's decisions that move parts stock."""

from __future__ import annotations

from shared.auth import Caller
from shared.events.cloudevents import CloudEvent
from shared.events.consumer import Handlers

from parts.handlers.schemas import ReplacementApprovedData
from parts.service import warranty_exchanges
from parts.service.ports import PartsUnitOfWork

handlers = Handlers("parts")


@handlers.on("warranty.parts_warranty.replacement_approved", schema=ReplacementApprovedData)
def issue_warranty_exchange(event: CloudEvent, data: dict, uow: PartsUnitOfWork) -> None:
    """A replacement was approved for a parts-warranty case: the exchange is issued from stock
    now if it is there, else it waits for a clerk (保修换件)."""
    warranty_exchanges.approve(uow, Caller.for_event(event.source, event.dealer), **data, at=event.time)
