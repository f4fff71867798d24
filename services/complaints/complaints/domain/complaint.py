"""A customer complaint (客户投诉) and its timeline.

Whoever receives a complaint owns it until it is closed (首问责任制).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import Enum

from shared.model import Aggregate, DealerOwned

from complaints.domain.classification import Category, Classification, Severity
from complaints.domain.errors import (
    ClassificationIncomplete,
    EmptyComplaint,
    NothingToReclassify,
    ReasonRequired,
    ReceivedInFuture,
)
from complaints.domain.events import ComplaintClassified, ComplaintReceived

# A letter's date or a phone system's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# Who an automatic classification is recorded as.
CLASSIFIER = "classifier"
SUMMARY_LENGTH = 500


class Channel(str, Enum):
    PHONE = "phone"
    WEB = "web"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    WECHAT = "wechat"


class TimelineEntry(DealerOwned):
    """Something that happened to a complaint: who, when, what."""

    def __init__(self, dealer: str, at: datetime, kind: str, summary: str, actor: str,
                 event_id: str | None = None):
        self.dealer = dealer
        self.at = at
        self.kind = kind
        self.summary = summary if len(summary) <= SUMMARY_LENGTH else summary[:SUMMARY_LENGTH - 1] + "…"
        self.actor = actor
        self.event_id = event_id


class ClassificationRecord(DealerOwned):
    """One classification of a complaint: the automatic one from its text, or a person's
    correction with their reason. All are kept; the latest is the complaint's."""

    def __init__(self, dealer: str, at: datetime, *, category: Category, severity: Severity,
                 actor: str, automatic: bool, confidence: float | None = None,
                 terms: tuple[str, ...] = (), severity_terms: tuple[str, ...] = (),
                 reason: str | None = None):
        self.dealer = dealer
        self.at = at
        self.category = Category(category)
        self.severity = Severity(severity)
        self.actor = actor
        self.automatic = automatic
        self.confidence = confidence
        self.terms = list(terms)
        self.severity_terms = list(severity_terms)
        self.reason = reason

    @classmethod
    def from_text(cls, dealer: str, at: datetime, result: Classification) -> ClassificationRecord:
        return cls(dealer, at, category=result.category, severity=result.severity, actor=CLASSIFIER,
                   automatic=True, confidence=result.confidence, terms=result.terms,
                   severity_terms=result.severity_terms)

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL


class Complaint(Aggregate):
    version: int
    timeline: list[TimelineEntry]
    classifications: list[ClassificationRecord]
    category: Category | None  # the latest classification's, kept here to filter and count by
    severity: Severity | None

    def __init__(
        self,
        dealer: str,
        *,
        channel: Channel,
        text: str,
        received_at: datetime,
        owner: str,
        at: datetime,
        customer_name: str | None = None,
        customer_phone: str | None = None,
        vin: str | None = None,
        repair_order: str | None = None,
        claim_number: str | None = None,
        part_number: str | None = None,
        lot: str | None = None,
        desired_remedy: str | None = None,
    ):
        if not text.strip():
            raise EmptyComplaint()
        if received_at > at + CLOCK_SKEW:
            raise ReceivedInFuture()
        self.id = str(uuid.uuid4())
        self.dealer = dealer
        self.channel = Channel(channel)
        self.text = text.strip()
        self.received_at = received_at
        self.recorded_at = at
        self.owner = owner
        self.status = "open"
        self.customer_name = customer_name
        self.customer_phone = customer_phone
        self.vin = vin
        self.repair_order = repair_order
        self.claim_number = claim_number
        self.part_number = part_number
        self.lot = lot
        self.desired_remedy = desired_remedy
        self.category = None
        self.severity = None
        self.classifications = []
        self.timeline = [
            TimelineEntry(dealer, at, "received", f"received via {self.channel.value}", actor=owner)
        ]
        self.events.append(
            ComplaintReceived(
                self.id, self.channel.value, received_at, owner, vin, repair_order,
                claim_number, part_number, lot,
            )
        )

    @property
    def subject(self) -> str:
        return self.id

    @property
    def classification(self) -> ClassificationRecord | None:
        return self.classifications[-1] if self.classifications else None

    def classify(self, result: Classification, at: datetime) -> None:
        """Take the classification read from the text (自动分类)."""
        record = ClassificationRecord.from_text(self.dealer, at, result)
        summary = (f"classified {record.category.value} ({record.confidence:.2f}), severity "
                   f"{record.severity.value}" + (f": {', '.join(record.terms)}" if record.terms else ""))
        self._take(record, kind="classified", summary=summary)

    def reclassify(self, *, category: Category | None, severity: Severity | None, reason: str, by: str,
                   at: datetime) -> None:
        """A person corrects the category or severity; who and why are kept with the earlier
        classifications, the automatic one included."""
        if category is None and severity is None:
            raise NothingToReclassify()
        if not reason.strip():
            raise ReasonRequired()
        current = self.classification
        if current is not None:
            category = category or current.category
            severity = severity or current.severity
        if category is None or severity is None:
            raise ClassificationIncomplete()
        record = ClassificationRecord(self.dealer, at, category=category, severity=severity, actor=by,
                                      automatic=False, reason=reason.strip())
        summary = f"reclassified {record.category.value}, severity {record.severity.value}: {record.reason}"
        self._take(record, kind="reclassified", summary=summary)

    def _take(self, record: ClassificationRecord, *, kind: str, summary: str) -> None:
        self.classifications.append(record)
        self.category = record.category
        self.severity = record.severity
        self.timeline.append(TimelineEntry(self.dealer, record.at, kind, summary, actor=record.actor))
        self.events.append(
            ComplaintClassified(
                complaint_number=self.id, category=record.category.value, severity=record.severity.value,
                safety_related=record.safety_related, confidence=record.confidence,
                terms=tuple(record.terms), overridden=not record.automatic, vin=self.vin,
                part_number=self.part_number, lot=self.lot,
            )
        )

    def note_related_event(self, at: datetime, kind: str, summary: str, actor: str, event_id: str) -> bool:
        """Show another service's event on the timeline, once."""
        if any(entry.event_id == event_id for entry in self.timeline):
            return False
        self.timeline.append(TimelineEntry(self.dealer, at, kind, summary, actor, event_id))
        return True
