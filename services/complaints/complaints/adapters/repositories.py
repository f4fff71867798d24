"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.domain.complaint import Complaint


class ComplaintRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, complaint: Complaint) -> None:
        self._session.add(complaint)

    def get_for_update(self, complaint_id: str) -> Complaint | None:
        return self._session.scalars(
            select(Complaint).where(Complaint.id == complaint_id).with_for_update()
        ).first()

    def naming_claim_for_update(self, claim_number: str) -> list[Complaint]:
        return list(self._session.scalars(
            select(Complaint)
            .where(Complaint.claim_number == claim_number)
            .order_by(Complaint.id)
            .with_for_update()
        ))
