"""What the desk finds out about a complaint and what it does about it: evidence, the root cause,
the actions of the rectification list (整改清单), the customer's feedback and the follow-up
visits (回访)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum

from shared.model import DealerOwned

from complaints.domain.errors import BlankField, InvalidSatisfaction

LOWEST_SATISFACTION, HIGHEST_SATISFACTION = 1, 5


class EvidenceKind(str, Enum):
    PHOTO = "photo"
    REPAIR_RECORD = "repair_record"
    CALL_RECORDING = "call_recording"
    DOCUMENT = "document"


class RootCause(str, Enum):
    DESIGN = "design"
    PRODUCTION = "production"
    SUPPLIER = "supplier"
    SERVICE_PROCESS = "service_process"
    STAFF = "staff"
    LOGISTICS = "logistics"
    CUSTOMER_USE = "customer_use"
    UNFOUNDED = "unfounded"  # investigated: nothing was wrong


class ActionKind(str, Enum):
    REPLACE = "replace"
    REPAIR = "repair"
    REFUND = "refund"
    GOODWILL = "goodwill"
    SUPPLIER_ACCOUNTABILITY = "supplier_accountability"
    STAFF_ACCOUNTABILITY = "staff_accountability"
    PROCESS_CHANGE = "process_change"


def required_text(value: str, field: str) -> str:
    if not value.strip():
        raise BlankField(field)
    return value.strip()


def optional_text(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def satisfaction_score(value: int | None) -> int | None:
    """1 (very dissatisfied) to 5 (very satisfied); None when the customer gave none."""
    if value is not None and not LOWEST_SATISFACTION <= value <= HIGHEST_SATISFACTION:
        raise InvalidSatisfaction(value)
    return value


class Evidence(DealerOwned):
    """A reference to something that shows what happened (a photo, a repair record, a call
    recording, a document) and what it shows."""

    def __init__(self, dealer: str, *, kind: EvidenceKind, reference: str, note: str | None, by: str, at: datetime):
        self.dealer = dealer
        self.kind = EvidenceKind(kind)
        self.reference = required_text(reference, "reference")
        self.note = optional_text(note)
        self.added_by = by
        self.added_at = at


class Action(DealerOwned):
    """One line of the rectification list (整改清单): what is done, by whom, by when."""

    def __init__(self, dealer: str, *, number: int, kind: ActionKind, description: str, owner: str, due_on: date,
                 by: str, at: datetime):
        self.id = str(uuid.uuid4())
        self.dealer = dealer
        self.number = number  # its place on the complaint's list: 1, 2, …
        self.kind = ActionKind(kind)
        self.description = required_text(description, "description")
        self.owner = required_text(owner, "owner")
        self.due_on = due_on
        self.planned_by = by
        self.planned_at = at
        self.done_on: date | None = None
        self.done_by: str | None = None
        self.done_note: str | None = None

    def overdue(self, today: date) -> bool:
        """Not done and its due date has passed."""
        return self.done_on is None and self.due_on < today


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


class FollowUp(DealerOwned):
    """A follow-up visit or call after the resolution (回访)."""

    def __init__(self, dealer: str, *, visited_on: date, visited_by: str, note: str, satisfaction: int | None,
                 by: str, at: datetime):
        self.dealer = dealer
        self.visited_on = visited_on
        self.visited_by = required_text(visited_by, "visited_by")
        self.note = required_text(note, "note")
        self.satisfaction = satisfaction_score(satisfaction)
        self.recorded_by = by
        self.recorded_at = at
