"""A complaint's timeline: what happened to it, who did it and when, said in English with the
values it is made of, so that a desk can say it in its own language."""

from __future__ import annotations

from datetime import datetime, timezone

from shared.model import DealerOwned

SUMMARY_LENGTH = 500

# The timeline details people type (or another service sent as text): masked like the summary
# for readers who may not see personal data.
FREE_TEXT_DETAILS = frozenset({"reason", "note", "comment", "description", "findings", "resolution", "answer",
                               "asked", "reference"})


class TimelineEntry(DealerOwned):
    """Something that happened to a complaint: who, when, what. `summary` says it in English;
    `details` holds the values it is made of (codes, numbers, ISO dates, the text typed), so a
    desk can say it in its own language. Entries written before details were kept have none."""

    def __init__(self, dealer: str, at: datetime, kind: str, summary: str, actor: str,
                 event_id: str | None = None, details: dict | None = None):
        self.dealer = dealer
        self.at = at
        self.kind = kind
        self.summary = summary if len(summary) <= SUMMARY_LENGTH else summary[:SUMMARY_LENGTH - 1] + "…"
        self.actor = actor
        self.event_id = event_id
        self.details = None if details is None else {key: value for key, value in details.items() if value is not None}


def moment(at: datetime) -> str:
    """A moment as an English summary says it: to the minute, in UTC (the summary knows no dealer)."""
    return f"{at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


def iso(at: datetime) -> str:
    """A moment in the details: ISO 8601 in UTC, as the API writes its times."""
    return at.astimezone(timezone.utc).isoformat()

