"""Keeping a complaint on time: acknowledging it, answering the customer, promising a date,
pausing while waiting for the customer or a supplier, and the escalation sweep (升级)."""

from __future__ import annotations

from datetime import date, datetime

import structlog

from shared.auth import Caller
from shared.db import ALL_DEALERS
from shared.jobs import drain

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.clocks import WaitingFor
from complaints.domain.complaint import Complaint
from complaints.service.calendar import Changed, calendar_of, targets_of
from complaints.service.ownership import changing
from complaints.service.ports import ComplaintsUnitOfWork, UnitsOfWork

log = structlog.get_logger(__name__)
SWEEPER = "system:sla"


def acknowledge(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, note: str | None = None) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.acknowledge(
        note=note, by=caller.sub, at=now))


def respond(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, summary: str) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.respond(
        summary=summary, by=caller.sub, at=now))


def promise_resolution(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, promised_resolution_on: date,
                       reason: str | None = None) -> Changed:
    def promise(complaint: Complaint, now: datetime, calendar: BusinessCalendar) -> None:
        received = complaint.received_at.astimezone(calendar.zone).date()
        complaint.promise_resolution(on=promised_resolution_on, reason=reason, by=caller.sub, at=now,
                                     local_receipt=received)

    return changing(uow, caller, complaint_id, promise)


def pause(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, waiting_for: WaitingFor,
          reason: str) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.pause(
        waiting_for=waiting_for, reason=reason, by=caller.sub, at=now))


def resume(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, reason: str) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.resume(
        reason=reason, by=caller.sub, at=now))


def escalate_overdue(units_of_work: UnitsOfWork, batch: int = 100) -> int:
    """The service's own sweep: escalate every clock that ran out to the service manager, one
    complaint per transaction. A complaint another sweep holds is skipped (it is being handled);
    one escalated meanwhile is seen as such under the lock, so no clock is escalated twice.
    Returns how many clocks it escalated."""

    def find(limit: int) -> list[tuple[str, str]]:
        finder = units_of_work(dealer=ALL_DEALERS, actor=SWEEPER, correlation_id="sla-escalation")
        with finder:
            return list(finder.complaints.overdue(finder.now(), limit=limit))

    def escalate(due: tuple[str, str]) -> int:
        dealer, complaint_id = due
        uow = units_of_work(dealer=dealer, actor=SWEEPER, correlation_id=f"escalation-{complaint_id}")
        with uow:
            complaint = uow.complaints.get_for_update(complaint_id, skip_locked=True)
            if complaint is None:
                return 0  # another sweep has it
            clocks = complaint.escalate_overdue(calendar_of(uow), targets_of(uow), uow.now())
            uow.commit()  # also when nothing was due any more: the next deadline is noted
        if clocks:
            log.info("complaint.escalated", complaint_id=complaint_id, clocks=[c.value for c in clocks])
        return len(clocks)

    return drain(find, escalate, batch)
