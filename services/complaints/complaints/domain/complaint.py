"""A customer complaint (客户投诉) and its timeline.

Whoever receives a complaint owns it until it is closed (首问责任制).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import Enum

from shared.model import Aggregate, DealerOwned

from complaints.domain.errors import EmptyComplaint, ReceivedInFuture
from complaints.domain.events import ComplaintReceived

# A letter's date or a phone system's clock may run a little ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


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
        self.summary = summary
        self.actor = actor
        self.event_id = event_id


class Complaint(Aggregate):
    version: int
    timeline: list[TimelineEntry]

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

    def note_related_event(self, at: datetime, kind: str, summary: str, actor: str, event_id: str) -> bool:
        """Show another service's event on the timeline, once."""
        if any(entry.event_id == event_id for entry in self.timeline):
            return False
        self.timeline.append(TimelineEntry(self.dealer, at, kind, summary, actor, event_id))
        return True
