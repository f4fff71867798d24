"""Recording a complaint from any channel, classified from its text as it comes in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from shared.auth import Caller

from complaints.config import ComplaintsRules
from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Category, Classification, Severity
from complaints.domain.complaint import Channel, Complaint, complaint_number
from complaints.domain.errors import EmptyComplaint
from complaints.service.calendar import Changed, calendar_of, reschedule, sla_reading
from complaints.service.ports import ComplaintsUnitOfWork


@dataclass(frozen=True)
class Reading:
    """What intake would read from a text: the classification, and whether the desk would be
    asked to review it."""

    category: Category
    confidence: float
    terms: tuple[str, ...]
    severity: Severity
    severity_terms: tuple[str, ...]
    safety_related: bool
    needs_review: bool


def receive(
    uow: ComplaintsUnitOfWork,
    caller: Caller,
    *,
    channel: Channel,
    text: str,
    received_at: datetime | date | None = None,
    **details,
) -> Changed:
    with uow:
        now = uow.now()
        calendar = calendar_of(uow)
        received_at = _moment(received_at, calendar) or now
        received_on = received_at.astimezone(calendar.zone).date()
        complaint = Complaint(
            caller.dealer,
            number=complaint_number(received_on, uow.complaints.next_sequence(caller.dealer, received_on)),
            channel=channel,
            text=text,
            received_at=received_at,
            owner=caller.sub,
            at=now,
            **details,
        )
        rules = uow.rules
        complaint.classify(_read(rules, complaint.text), at=now, review_below=rules.review_threshold)
        sla = sla_reading(uow, calendar, now)
        reschedule([complaint], sla)
        uow.complaints.add(complaint)
        uow.commit()
    return Changed(complaint, sla)


def preview(rules: ComplaintsRules, text: str) -> Reading:
    """The classification `receive` would give this text (分类预览), for the desk while it types
    the complaint in: nothing is recorded, nobody hears of it."""
    text = text.strip()
    if not text:
        raise EmptyComplaint()
    result = _read(rules, text)
    return Reading(
        category=result.category, confidence=result.confidence, terms=result.terms, severity=result.severity,
        severity_terms=result.severity_terms, safety_related=result.safety_related,
        needs_review=result.needs_review(rules.review_threshold),
    )


def _read(rules: ComplaintsRules, text: str) -> Classification:
    """The one reading of a complaint's text, at intake and in its preview."""
    return rules.classifier.classify(text)


def _moment(received: datetime | date | None, calendar: BusinessCalendar) -> datetime | None:
    """In UTC, as read back. A letter dated without an hour counts from the start (00:00) of that
    day in the dealer's calendar; its clocks only run from the first working hour anyway."""
    if received is None:
        return None
    if not isinstance(received, datetime):
        received = calendar.start_of(received)
    return received.astimezone(timezone.utc)
