"""Field failures from warranty and product-quality complaints count against the supplier."""

from __future__ import annotations

from shared.auth import Caller
from shared.events.cloudevents import CloudEvent
from shared.events.consumer import Handlers

from parts.domain.quality import COMPLAINT, FIELD_FAILURE
from parts.handlers.schemas import ApprovedClaimData, ClassifiedComplaintData
from parts.service import quality
from parts.service.ports import PartsUnitOfWork

handlers = Handlers("parts")


@handlers.on("warranty.claim.approved", schema=ApprovedClaimData)
def count_field_failure(event: CloudEvent, data: dict, uow: PartsUnitOfWork) -> None:
    """An approved claim whose causal part came from one of our lots is a field failure."""
    if data["causal_lot"] is None:
        return  # not traceable to a lot, so to no supplier of ours
    quality.record_incident(uow, Caller.for_event(event.source, event.dealer), kind=FIELD_FAILURE,
                            reference=data["claim_number"], lot_code=data["causal_lot"],
                            part_number=data["causal_part_number"], at=event.time)


@handlers.on("complaints.complaint.classified", schema=ClassifiedComplaintData)
def count_quality_complaint(event: CloudEvent, data: dict, uow: PartsUnitOfWork) -> None:
    """A product-quality complaint naming a lot is an incident for that lot's supplier; one
    corrected to another category (or to no lot) is taken back."""
    caller = Caller.for_event(event.source, event.dealer)
    if data["category"] != "product_quality" or data["lot"] is None:
        quality.withdraw_incident(uow, caller, kind=COMPLAINT, reference=data["complaint_number"])
        return
    quality.record_incident(uow, caller, kind=COMPLAINT, reference=data["complaint_number"],
                            lot_code=data["lot"], part_number=data["part_number"], at=event.time)
