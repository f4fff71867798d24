"""Recording a complaint from any channel, classified from its text as it comes in."""

from __future__ import annotations

from datetime import datetime

from shared.auth import Caller

from complaints.adapters.unit_of_work import ComplaintsUnitOfWork
from complaints.domain.complaint import Channel, Complaint
from complaints.service.calendar import calendar_of


def receive(
    uow: ComplaintsUnitOfWork,
    caller: Caller,
    *,
    channel: Channel,
    text: str,
    received_at: datetime | None = None,
    **details,
) -> Complaint:
    with uow:
        now = uow.now()
        complaint = Complaint(
            caller.dealer,
            channel=channel,
            text=text,
            received_at=received_at or now,
            owner=caller.sub,
            at=now,
            **details,
        )
        rules = uow.rules
        complaint.classify(rules.classifier.classify(complaint.text), at=now, review_below=rules.review_threshold)
        complaint.reschedule(calendar_of(uow), rules.sla, now)
        uow.complaints.add(complaint)
        uow.commit()
    return complaint
