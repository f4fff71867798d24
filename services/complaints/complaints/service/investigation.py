"""Finding out what happened (调查) and putting it right (整改清单): evidence, findings and root
cause, and the actions with their owners and due dates."""

from __future__ import annotations

from datetime import date, datetime

from shared.auth import Caller

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.complaint import Complaint
from complaints.domain.investigation import ActionKind, EvidenceKind, RootCause
from complaints.service.calendar import Changed
from complaints.service.ownership import changing
from complaints.service.ports import ComplaintsUnitOfWork


def add_evidence(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, kind: EvidenceKind, reference: str,
                 note: str | None = None) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.add_evidence(
        kind=EvidenceKind(kind), reference=reference, note=note, by=caller.sub, at=now))


def investigate(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, findings: str | None = None,
                root_cause: RootCause | None = None) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.investigate(
        findings=findings, root_cause=RootCause(root_cause) if root_cause else None, by=caller.sub, at=now))


def plan_action(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, *, kind: ActionKind, description: str,
                owner: str, due_on: date) -> Changed:
    return changing(uow, caller, complaint_id, lambda complaint, now, _calendar: complaint.plan_action(
        kind=ActionKind(kind), description=description, owner=owner, due_on=due_on, by=caller.sub, at=now))


def complete_action(uow: ComplaintsUnitOfWork, caller: Caller, complaint_id: str, action_id: str, *,
                    done_on: date | None = None, note: str | None = None) -> Changed:
    """Mark an action done, on `done_on` (default today in the dealer's calendar)."""
    def complete(complaint: Complaint, now: datetime, calendar: BusinessCalendar) -> None:
        local_today = calendar.today(now)
        complaint.complete_action(action_id, done_on=done_on or local_today, note=note, by=caller.sub, at=now,
                                  today=local_today)

    return changing(uow, caller, complaint_id, complete)
