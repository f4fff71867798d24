"""What the complaints service tells the world. No customer personal data goes in events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from shared.model import Event


@dataclass(frozen=True)
class ComplaintReceived(Event):
    type: ClassVar[str] = "complaints.complaint.received"
    version: ClassVar[int] = 1
    complaint_id: str
    channel: str
    received_at: datetime
    owner: str
    vin: str | None
    repair_order: str | None
    claim_number: str | None
    part_number: str | None
    lot: str | None
    number: str | None = None  # what the desk reads out to the customer, e.g. TS-20261206-0001


@dataclass(frozen=True)
class ComplaintClassified(Event):
    """The complaint was classified, from its text or by a person (`overridden`). Parts counts
    a product-quality complaint naming a lot against the lot's supplier, once per complaint."""

    type: ClassVar[str] = "complaints.complaint.classified"
    version: ClassVar[int] = 1
    complaint_number: str  # the complaint's id
    category: str
    severity: str
    safety_related: bool
    confidence: float | None  # None when a person set it
    terms: tuple[str, ...]  # the words in the text that decided the category
    overridden: bool
    vin: str | None
    part_number: str | None
    lot: str | None
    needs_review: bool = False  # the classifier was unsure: the desk is to check the category


@dataclass(frozen=True)
class ComplaintAssigned(Event):
    """Work was assigned to a handling department / handler (the owner unchanged:
    `previous_owner` is None), or the owner itself was changed, with the reason."""

    type: ClassVar[str] = "complaints.complaint.assigned"
    version: ClassVar[int] = 1
    complaint_id: str
    owner: str
    previous_owner: str | None
    department: str | None
    handler: str | None
    reason: str | None
    assigned_by: str


@dataclass(frozen=True)
class ComplaintEscalated(Event):
    """SLA clocks ran out: the complaint goes to the service manager, once per sweep that finds
    clocks newly run out (`clocks` names them all), never twice for one clock. Alert once per event."""

    type: ClassVar[str] = "complaints.complaint.escalated"
    version: ClassVar[int] = 1
    complaint_id: str
    clock: str  # the first of `clocks` to run out: acknowledge, first_response, escalation, resolution
    due_at: datetime  # when that first one ran out
    escalated_at: datetime
    escalated_to: str
    owner: str
    severity: str | None
    clocks: tuple[str, ...] = ()  # every clock this escalation is for, in the order they are shown
    number: str | None = None  # the complaint's number, e.g. TS-20261206-0001


@dataclass(frozen=True)
class ComplaintResolved(Event):
    """The desk resolved the complaint: the root cause found and the actions planned. The
    customer's feedback follows; a rejection puts it back in progress."""

    type: ClassVar[str] = "complaints.complaint.resolved"
    version: ClassVar[int] = 1
    complaint_id: str
    resolved_at: datetime
    resolved_by: str
    root_cause: str  # design, production, supplier, service_process, staff, logistics, customer_use, unfounded
    actions: tuple[str, ...]  # the kinds of the actions on its rectification list (整改清单)
    category: str | None
    severity: str | None
    vin: str | None
    part_number: str | None
    lot: str | None


@dataclass(frozen=True)
class ComplaintClosed(Event):
    """The complaint is closed: the customer accepted the resolution, or it was merged into
    another complaint as a duplicate (`merged_into`)."""

    type: ClassVar[str] = "complaints.complaint.closed"
    version: ClassVar[int] = 1
    complaint_id: str
    closed_at: datetime
    closed_by: str
    root_cause: str | None
    satisfaction: int | None  # 1 to 5, as the customer rated it; None if they gave none
    merged_into: str | None  # the complaint this duplicate was merged into


@dataclass(frozen=True)
class ComplaintReopened(Event):
    """A closed complaint was reopened within the reopening window; it is worked on again."""

    type: ClassVar[str] = "complaints.complaint.reopened"
    version: ClassVar[int] = 1
    complaint_id: str
    reopened_at: datetime
    reopened_by: str
    reason: str
    closed_at: datetime  # when it had been closed
