"""How a complaint ends (处理结果与反馈): the resolution, the customer's word on it and how
satisfied they are, closing once they accepted it, reopening within the window when they come
back, and the follow-up visits (回访) after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.model import DealerOwned

from complaints.domain.errors import (
    AcceptedFeedbackRequired,
    ActionsStillOpen,
    DateInFuture,
    InvalidSatisfaction,
    ReopenWindowPassed,
    RootCauseRequired,
)
from complaints.domain.investigation import Action, RootCause, optional_text, required_text
from complaints.domain.timeline import iso, moment

LOWEST_SATISFACTION, HIGHEST_SATISFACTION = 1, 5
# Who may close a complaint whose actions (整改) are not all done, giving the reason.
SUPERVISOR_ROLES = frozenset({"service_manager", "admin"})


def satisfaction_score(value: int | None) -> int | None:
    """1 (very dissatisfied) to 5 (very satisfied); None when the customer gave none."""
    if value is not None and not LOWEST_SATISFACTION <= value <= HIGHEST_SATISFACTION:
        raise InvalidSatisfaction(value)
    return value


def _rated(satisfaction: int | None) -> str:
    return f", satisfaction {satisfaction}/5" if satisfaction is not None else ""


@dataclass(frozen=True)
class Resolution:
    """How the desk dealt with the complaint, once the investigation found the root cause."""

    text: str
    root_cause: RootCause

    @classmethod
    def given(cls, text: str, *, root_cause: RootCause | None) -> Resolution:
        text = required_text(text, "resolution")
        if root_cause is None:
            raise RootCauseRequired()
        return cls(text, root_cause)

    @property
    def summary(self) -> str:
        return f"resolved (root cause {self.root_cause.value}): {self.text}"

    @property
    def details(self) -> dict:
        return {"root_cause": self.root_cause.value, "resolution": self.text}


class Feedback(DealerOwned):
    """What the customer was told of the resolution and what they said: accepted or not, how
    satisfied (1–5), in their words."""

    def __init__(self, dealer: str, *, told: str, accepted: bool, satisfaction: int | None, comment: str | None,
                 by: str, at: datetime):
        self.dealer = dealer
        self.told = required_text(told, "told")
        self.accepted = accepted
        self.satisfaction = satisfaction_score(satisfaction)
        self.comment = optional_text(comment)
        self.recorded_by = by
        self.recorded_at = at

    @property
    def summary(self) -> str:
        heard = _rated(self.satisfaction) + (f": {self.comment}" if self.comment else "")
        if self.accepted:
            return f"customer accepted{heard}"
        return f"customer rejected the resolution{heard}; back in progress"

    @property
    def details(self) -> dict:
        return {"satisfaction": self.satisfaction, "comment": self.comment}


class FollowUp(DealerOwned):
    """A follow-up visit or call after the resolution (回访), on a day that has come."""

    def __init__(self, dealer: str, *, visited_on: date, visited_by: str, note: str, satisfaction: int | None,
                 by: str, at: datetime, today: date):
        if visited_on > today:
            raise DateInFuture("visited_on")
        self.dealer = dealer
        self.visited_on = visited_on
        self.visited_by = required_text(visited_by, "visited_by")
        self.note = required_text(note, "note")
        self.satisfaction = satisfaction_score(satisfaction)
        self.recorded_by = by
        self.recorded_at = at

    @property
    def summary(self) -> str:
        return (f"follow-up by {self.visited_by} on {self.visited_on.isoformat()}{_rated(self.satisfaction)}: "
                f"{self.note}")

    @property
    def details(self) -> dict:
        return {"visited_by": self.visited_by, "visited_on": self.visited_on.isoformat(),
                "satisfaction": self.satisfaction, "note": self.note}


@dataclass(frozen=True)
class Closure:
    """Closing a complaint the customer accepted: once its actions are done, or with actions still
    open by a supervisor who says why (kept on the timeline)."""

    note: str | None
    open_actions: tuple[Action, ...]
    reason: str | None  # only when actions are still open

    @classmethod
    def asked(cls, *, accepted_at: datetime | None, note: str | None, reason: str | None, roles: frozenset[str],
              open_actions: Sequence[Action]) -> Closure:
        if accepted_at is None:
            raise AcceptedFeedbackRequired()
        reason = optional_text(reason)
        if open_actions and not (reason and not roles.isdisjoint(SUPERVISOR_ROLES)):
            raise ActionsStillOpen(list(open_actions))
        return cls(optional_text(note), tuple(open_actions), reason if open_actions else None)

    @property
    def summary(self) -> str:
        said = "closed" + (f": {self.note}" if self.note else "")
        if self.open_actions:
            numbers = ", ".join(f"#{action.number}" for action in self.open_actions)
            said += f"; with actions {numbers} not done yet, because: {self.reason}"
        return said

    @property
    def details(self) -> dict:
        return {"note": self.note, "reason": self.reason,
                "open_actions": [action.number for action in self.open_actions] or None}


@dataclass(frozen=True)
class Reopening:
    """The customer came back about a closed complaint, within the window after it was closed."""

    reason: str
    closed_at: datetime

    @classmethod
    def asked(cls, *, reason: str, closed_at: datetime, at: datetime, window: timedelta) -> Reopening:
        reason = required_text(reason, "reason")
        if at > closed_at + window:
            raise ReopenWindowPassed(closed_at, window.days)
        return cls(reason, closed_at)

    @property
    def summary(self) -> str:
        return f"reopened (closed {moment(self.closed_at)}): {self.reason}"

    @property
    def details(self) -> dict:
        return {"closed_at": iso(self.closed_at), "reason": self.reason}
