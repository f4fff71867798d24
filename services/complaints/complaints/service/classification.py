"""Correcting a complaint's automatic classification (人工改分类)."""

from __future__ import annotations

from shared.auth import Caller

from complaints.domain.classification import Category, Severity
from complaints.domain.errors import ComplaintNotFound
from complaints.service.calendar import Changed, calendar_of, reschedule, sla_reading
from complaints.service.ports import ComplaintsUnitOfWork


def reclassify(
    uow: ComplaintsUnitOfWork,
    caller: Caller,
    complaint_id: str,
    *,
    reason: str,
    category: Category | None = None,
    severity: Severity | None = None,
) -> Changed:
    """Set the category and/or severity by hand, saying why; subscribers hear of it again. The
    clocks follow the targets of the new severity."""
    with uow:
        complaint = uow.complaints.get_for_update(complaint_id)
        if complaint is None:
            raise ComplaintNotFound(complaint_id)
        sla = sla_reading(uow, calendar_of(uow), uow.now())  # before the change: see ownership.changing
        complaint.reclassify(
            category=Category(category) if category else None,
            severity=Severity(severity) if severity else None,
            reason=reason,
            by=caller.sub,
            at=sla.now,
        )
        reschedule([complaint], sla)
        uow.commit()
    return Changed(complaint, sla)
