"""Tables of the complaints database and how the domain classes map onto them."""

from __future__ import annotations

from sqlalchemy import Column, Enum, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import registry, relationship

from shared.db import UtcDateTime, service_metadata

from complaints.domain.complaint import Channel, Complaint, TimelineEntry

metadata = service_metadata()
mapper_registry = registry(metadata=metadata)

complaints = Table(
    "complaints",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("channel", Enum(Channel, name="complaint_channel", values_callable=lambda e: [m.value for m in e],
                           native_enum=False, length=20), nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("customer_name", String(200), nullable=True),
    Column("customer_phone", String(40), nullable=True),
    Column("vin", String(17), nullable=True),
    Column("repair_order", String(40), nullable=True),
    Column("claim_number", String(40), nullable=True),
    Column("part_number", String(40), nullable=True),
    Column("lot", String(60), nullable=True),
    Column("desired_remedy", String(500), nullable=True),
    Column("version", Integer, nullable=False),
    Index(None, "dealer", "received_at", "id"),
    Index(None, "dealer", "claim_number"),
)

timeline_entries = Table(
    "timeline_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(60), nullable=False),
    Column("summary", String(500), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("event_id", String(64), nullable=True),
)

mapper_registry.map_imperatively(TimelineEntry, timeline_entries)
mapper_registry.map_imperatively(
    Complaint,
    complaints,
    version_id_col=complaints.c.version,
    properties={
        "timeline": relationship(TimelineEntry, order_by=timeline_entries.c.id, lazy="selectin",
                                 cascade="all, delete-orphan"),
    },
)
