"""Reading complaints, with customer personal data masked for roles that do not need it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from complaints.domain.complaint import ClassificationRecord, Complaint, TimelineEntry
from complaints.domain.errors import ComplaintNotFound
from complaints.domain.privacy import mask_name, mask_phone, may_see_personal_data


@dataclass(frozen=True)
class ComplaintView:
    id: str
    channel: str
    status: str
    owner: str
    text: str
    received_at: datetime
    recorded_at: datetime
    customer_name: str | None
    customer_phone: str | None
    vin: str | None
    repair_order: str | None
    claim_number: str | None
    part_number: str | None
    lot: str | None
    desired_remedy: str | None
    category: str | None
    severity: str | None
    classification: ClassificationRecord | None
    classifications: tuple[ClassificationRecord, ...]
    version: int
    timeline: tuple[TimelineEntry, ...]


def view(complaint: Complaint, viewer: Caller) -> ComplaintView:
    """The complaint as this viewer may see it: personal data masked unless their role needs it."""
    shown = ComplaintView(
        id=complaint.id,
        channel=complaint.channel.value,
        status=complaint.status,
        owner=complaint.owner,
        text=complaint.text,
        received_at=complaint.received_at,
        recorded_at=complaint.recorded_at,
        customer_name=complaint.customer_name,
        customer_phone=complaint.customer_phone,
        vin=complaint.vin,
        repair_order=complaint.repair_order,
        claim_number=complaint.claim_number,
        part_number=complaint.part_number,
        lot=complaint.lot,
        desired_remedy=complaint.desired_remedy,
        category=complaint.category.value if complaint.category else None,
        severity=complaint.severity.value if complaint.severity else None,
        classification=complaint.classification,
        classifications=tuple(complaint.classifications),
        version=complaint.version,
        timeline=tuple(complaint.timeline),
    )
    if may_see_personal_data(viewer.roles):
        return shown
    return replace(
        shown,
        customer_name=mask_name(shown.customer_name),
        customer_phone=mask_phone(shown.customer_phone),
    )


def complaint(session: Session, complaint_id: str, *, viewer: Caller) -> ComplaintView:
    found = session.scalars(select(Complaint).where(Complaint.id == complaint_id)).first()
    if found is None:
        raise ComplaintNotFound(complaint_id)
    return view(found, viewer)


def complaints(
    session: Session,
    *,
    viewer: Caller,
    limit: int,
    cursor: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    claim_number: str | None = None,
    category: str | None = None,
    severity: str | None = None,
) -> Page:
    """Newest received first."""
    statement = select(Complaint)
    if category is not None:
        statement = statement.where(Complaint.category == category)
    if severity is not None:
        statement = statement.where(Complaint.severity == severity)
    if status is not None:
        statement = statement.where(Complaint.status == status)
    if channel is not None:
        statement = statement.where(Complaint.channel == channel)
    if claim_number is not None:
        statement = statement.where(Complaint.claim_number == claim_number)
    page = keyset_page(
        session, statement, [Complaint.received_at, Complaint.id], cursor, limit, descending=True
    )
    return Page([view(c, viewer) for c in page.items], page.next_cursor)
