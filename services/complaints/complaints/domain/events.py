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
    """An SLA clock ran out: the complaint goes to the service manager. Once per clock."""

    type: ClassVar[str] = "complaints.complaint.escalated"
    version: ClassVar[int] = 1
    complaint_id: str
    clock: str  # acknowledge, first_response, escalation, resolution
    due_at: datetime
    escalated_at: datetime
    escalated_to: str
    owner: str
    severity: str | None
