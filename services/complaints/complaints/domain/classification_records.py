"""A complaint's classifications as it keeps them (分类记录): the automatic one read from its text,
each person's correction with their reason, and the latest correction with the text as a
labelled example for the next training of the classifier. Reading the text is `classification`."""

from __future__ import annotations

from datetime import datetime

from shared.model import DealerOwned

from complaints.domain.classification import Category, Classification, Severity
from complaints.domain.errors import ClassificationIncomplete, NothingToReclassify, ReasonRequired

# Who an automatic classification is recorded as.
CLASSIFIER = "classifier"


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

    @classmethod
    def by_person(cls, dealer: str, at: datetime, current: ClassificationRecord | None, *,
                  category: Category | None, severity: Severity | None, reason: str, by: str) -> ClassificationRecord:
        """A person's classification, with their reason: what they change, the rest as `current` has it
        (a complaint recorded before classification existed needs both)."""
        if category is None and severity is None:
            raise NothingToReclassify()
        if not reason.strip():
            raise ReasonRequired()
        if current is not None:
            category = category or current.category
            severity = severity or current.severity
        if category is None or severity is None:
            raise ClassificationIncomplete()
        return cls(dealer, at, category=category, severity=severity, actor=by, automatic=False,
                   reason=reason.strip())

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL

    def summary(self, needs_review: bool) -> str:
        """As the timeline says it; an automatic one says whether the desk is to review it."""
        if not self.automatic:
            return f"reclassified {self.category.value}, severity {self.severity.value}: {self.reason}"
        return (f"classified {self.category.value} ({self.confidence:.2f}), severity {self.severity.value}"
                + (f": {', '.join(self.terms)}" if self.terms else "")
                + ("; to be reviewed by the desk" if needs_review else ""))

    def details(self, needs_review: bool) -> dict:
        labels = {"category": self.category.value, "severity": self.severity.value}
        if not self.automatic:
            return labels | {"reason": self.reason}
        return labels | {"confidence": self.confidence, "terms": list(self.terms), "needs_review": needs_review}


class Correction(DealerOwned):
    """A person's correction of a complaint's classification, kept with the text as a labelled
    example for the next training of the classifier (`python -m complaints export-corrections`).
    One per complaint: a later correction replaces it."""

    def __init__(self, dealer: str, *, text: str, channel: str, record: ClassificationRecord):
        self.dealer = dealer
        self.text = text
        self.channel = channel  # the complaint's Channel
        self.correct(record)

    def correct(self, record: ClassificationRecord) -> None:
        """Take the labels of a person's classification, who gave them, when and why."""
        self.category = record.category
        self.severity = record.severity
        self.corrected_by = record.actor
        self.corrected_at = record.at
        self.reason = record.reason

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL
