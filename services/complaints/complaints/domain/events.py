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
