"""Tables of the complaints database and how the domain classes map onto them."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Enum, Float, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import registry, relationship

from shared.db import UtcDateTime, service_metadata

from complaints.domain.classification import Category, Severity
from complaints.domain.complaint import Channel, ClassificationRecord, Complaint, TimelineEntry

metadata = service_metadata()
mapper_registry = registry(metadata=metadata)


def _values(name: str, enum: type, length: int) -> Enum:
    return Enum(enum, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False, length=length)


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
    # The latest classification's; empty for complaints recorded before classification.
    Column("category", _values("complaint_category", Category, 30), nullable=True),
    Column("severity", _values("complaint_severity", Severity, 10), nullable=True),
    Index(None, "dealer", "received_at", "id"),
    Index(None, "dealer", "claim_number"),
    Index(None, "dealer", "category"),
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

classifications = Table(
    "classifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("category", _values("classification_category", Category, 30), nullable=False),
    Column("severity", _values("classification_severity", Severity, 10), nullable=False),
    Column("automatic", Boolean, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("confidence", Float, nullable=True),
    Column("terms", JSON, nullable=False),
    Column("severity_terms", JSON, nullable=False),
    Column("reason", String(500), nullable=True),
)

mapper_registry.map_imperatively(TimelineEntry, timeline_entries)
mapper_registry.map_imperatively(ClassificationRecord, classifications)
mapper_registry.map_imperatively(
    Complaint,
    complaints,
    version_id_col=complaints.c.version,
    properties={
        "timeline": relationship(TimelineEntry, order_by=timeline_entries.c.id, lazy="selectin",
                                 cascade="all, delete-orphan"),
        "classifications": relationship(ClassificationRecord, order_by=classifications.c.id, lazy="selectin",
                                        cascade="all, delete-orphan"),
    },
)
