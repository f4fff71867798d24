"""Ending a complaint: the resolution, the customer's feedback (反馈) and satisfaction, closing,
reopening within the window, follow-up visits (回访), and merging duplicates."""

from __future__ import annotations

from datetime import date

from shared.auth import Caller

from complaints.domain.errors import ComplaintNotFound
from complaints.service.calendar import Changed, calendar_of, reschedule, sla_reading
from complaints.service.ownership import changing
from complaints.service.ports import ComplaintsUnitOfWork


def resolve(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, resolution: str) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.resolve(
        resolution=resolution, by=caller.sub, at=now))


def record_feedback(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, told: str, accepted: bool,
                    satisfaction: int | None = None, comment: str | None = None) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.record_feedback(
        told=told, accepted=accepted, satisfaction=satisfaction, comment=comment, by=caller.sub, at=now))


def close(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, note: str | None = None,
          reason: str | None = None) -> Changed:
    """Close it; with actions still open, only a service manager's close with a `reason` goes through."""
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.close(
        note=note, by=caller.sub, at=now, reason=reason, roles=caller.roles))


def reopen(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, reason: str) -> Changed:
    """Reopen a closed complaint, within the configured window (COMPLAINT_REOPEN_DAYS)."""
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.reopen(
        reason=reason, by=caller.sub, at=now, window=uow.rules.reopen_window))


def record_follow_up(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, visited_on: date,
                     visited_by: str, note: str, satisfaction: int | None = None) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, calendar: complaint.record_follow_up(
        visited_on=visited_on, visited_by=visited_by, note=note, satisfaction=satisfaction, by=caller.sub, at=now,
        today=calendar.today(now)))


def merge(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, duplicate_id: str,
          reason: str | None = None) -> Changed:
    """Fold the duplicate into this complaint: the duplicate ends, pointing here. Both are
    locked in id order, so two merges of the same pair cannot deadlock."""
    with uow:
        locked = {}
        for each in sorted({complaint_id, duplicate_id}):
            locked[each] = uow.complaints.get_for_update(each)
            if locked[each] is None:
                raise ComplaintNotFound(each)
        original, duplicate = locked[complaint_id], locked[duplicate_id]
        for complaint in locked.values():
            complaint.require_worker(caller.sub, caller.roles)
        sla = sla_reading(uow, calendar_of(uow), uow.now())  # before the change: see ownership.changing
        duplicate.merge_into(original, reason=reason, by=caller.sub, at=sla.now)
        reschedule(locked.values(), sla)
        uow.commit()
    return Changed(original, sla)
