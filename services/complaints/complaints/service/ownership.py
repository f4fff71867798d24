"""Who owns a complaint and who works on it (首问责任制): the receiver owns it until it is closed;
work goes to a handling department without changing the owner; a new owner needs a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.auth import Caller

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import Complaint
from complaints.domain.errors import ComplaintNotFound
from complaints.service.calendar import Changed, calendar_of, reschedule, sla_reading
from complaints.service.ports import ComplaintsUnitOfWork


def changing(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str,
             change: Callable[[Complaint, datetime, BusinessCalendar], None]) -> Changed:
    """Load and lock the complaint, check the caller may work it, apply one change, note its next
    SLA deadline, commit. The change gets the moment and the dealer's calendar, loaded once for both."""
    with uow:
        complaint = uow.complaints.get_for_update(complaint_id)
        if complaint is None:
            raise ComplaintNotFound(complaint_id)
        complaint.require_worker(caller.sub, caller.roles)
        # Read before the change: a query after it would flush it, and the commit would then
        # write the complaint a second time (its version, the ETag, going up by two).
        sla = sla_reading(uow, calendar_of(uow), uow.now())
        change(complaint, sla.now, sla.calendar)
        reschedule([complaint], sla)
        uow.commit()
    return Changed(complaint, sla)


def assign(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, department: str,
           handler: str | None = None, note: str | None = None) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.assign(
        department=department, handler=handler, note=note, by=caller.sub, at=now))


def transfer_ownership(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, owner: str,
                       reason: str) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.transfer_ownership(
        owner=owner, reason=reason, by=caller.sub, at=now))
