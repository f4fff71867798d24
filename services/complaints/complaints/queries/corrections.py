"""The desk's corrections of classifications, as labelled examples for the next training of the
classifier, in the corpus format (`corpus/GUIDE.md`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.domain.classification_records import Correction
from complaints.domain.hanzi import to_simplified
from complaints.domain.text import is_chinese

# Who wrote an exported example: the customers, as the desk recorded them. Never a corpus
# writer, so cross-validation never holds these out: they only ever add to training.
WRITER = "desk"


def examples(session: Session) -> list[dict]:
    """Every correction in the session's scope (a dealer, or all of them), oldest first."""
    found = session.scalars(select(Correction).order_by(Correction.corrected_at, Correction.id))
    return [
        {
            "id": f"C-{correction.complaint_id}",
            "lang": language(correction.text),
            "channel": correction.channel.value,
            "text": correction.text,
            "category": correction.category.value,
            "severity": correction.severity.value,
            "safety_related": correction.safety_related,
            "kinds": [],
            "writer": WRITER,
            "dealer": correction.dealer,
            "corrected_at": correction.corrected_at.isoformat(),
            "reason": correction.reason,
        }
        for correction in found
    ]


def language(text: str) -> str:
    """zh-Hant when the text has traditional characters, zh-Hans when it has only simplified
    ones, en otherwise (the corpus's `lang`)."""
    if not is_chinese(text):
        return "en"
    return "zh-Hans" if to_simplified(text) == text else "zh-Hant"
