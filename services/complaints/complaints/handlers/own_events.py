"""Reacting to the service's own events: the service manager hears at once of an escalation and
of a critical (safety) complaint. Read from the broker after the complaint's transaction
committed, so telling never holds a complaint up; the inbox and the notification's key keep it
to one notice per happening however often the event comes."""

from __future__ import annotations

from shared.events.cloudevents import CloudEvent
from shared.events.consumer import Handlers

from complaints.handlers.schemas import ComplaintClassifiedData, ComplaintEscalatedData
from complaints.service import notifications
from complaints.service.ports import ComplaintsUnitOfWork

handlers = Handlers("complaints")


@handlers.on("complaints.complaint.escalated", schema=ComplaintEscalatedData)
def notify_escalation(event: CloudEvent, data: dict, uow: ComplaintsUnitOfWork) -> None:
    """SLA clocks of a complaint ran out: the service manager is told, in the console and through the dealer's
    channels, once per escalation."""
    notifications.notify_escalation(uow, data["complaint_id"], data["clocks"] or [data["clock"]])


@handlers.on("complaints.complaint.classified", schema=ComplaintClassifiedData)
def notify_critical(event: CloudEvent, data: dict, uow: ComplaintsUnitOfWork) -> None:
    """A complaint was classified critical (safety): the service manager is told at once, once per complaint."""
    if data["severity"] == "critical":
        notifications.notify_critical(uow, data["complaint_number"])  # the classified event's name for the id
