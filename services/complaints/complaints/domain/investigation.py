"""What the desk finds out about a complaint and what it does about it (调查与整改): evidence,
the findings and root cause, and the actions of the rectification list (整改清单). The
customer's word on the outcome is in `resolution`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from shared.model import DealerOwned

from complaints.domain.errors import ActionAlreadyDone, BlankField, DateInFuture, NothingToRecord


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

    @property
    def summary(self) -> str:
        return f"{self.kind.value.replace('_', ' ')} {self.reference}" + (f": {self.note}" if self.note else "")

    @property
    def details(self) -> dict:
        return {"kind": self.kind.value, "reference": self.reference, "note": self.note}


@dataclass(frozen=True)
class Investigation:
    """One record of what the investigation found and/or the root cause: it replaces what it
    gives, the rest stays as recorded before."""

    findings: str | None
    root_cause: RootCause | None

    @classmethod
    def recorded(cls, *, findings: str | None, root_cause: RootCause | None) -> Investigation:
        if findings is None and root_cause is None:
            raise NothingToRecord()
        return cls(None if findings is None else required_text(findings, "findings"),
                   None if root_cause is None else RootCause(root_cause))

    @property
    def summary(self) -> str:
        said = [] if self.root_cause is None else [f"root cause {self.root_cause.value}"]
        if self.findings is not None:
            said.append(f"findings: {self.findings}")
        return "; ".join(said)

    @property
    def details(self) -> dict:
        return {"root_cause": self.root_cause.value if self.root_cause else None, "findings": self.findings}


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

    def complete(self, *, done_on: date, note: str | None, by: str, today: date) -> None:
        """Done on `done_on`, today at the latest; only once."""
        if self.done_on is not None:
            raise ActionAlreadyDone(self.id, self.done_on)
        if done_on > today:
            raise DateInFuture("done_on")
        self.done_on, self.done_by, self.done_note = done_on, by, optional_text(note)

    @property
    def summary(self) -> str:
        """The action as the timeline says it: planned, or done once it is."""
        if self.done_on is None:
            return (f"action #{self.number}: {self.kind.value} for {self.owner}, due {self.due_on.isoformat()}: "
                    f"{self.description}")
        return (f"action #{self.number}: {self.kind.value} done on {self.done_on.isoformat()}: {self.description}"
                + (f" ({self.done_note})" if self.done_note else ""))

    @property
    def details(self) -> dict:
        said = {"number": self.number, "kind": self.kind.value}
        if self.done_on is None:
            return said | {"owner": self.owner, "due_on": self.due_on.isoformat(), "description": self.description}
        return said | {"done_on": self.done_on.isoformat(), "description": self.description, "note": self.done_note}
