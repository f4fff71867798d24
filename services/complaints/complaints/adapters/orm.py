"""Tables of the complaints database and how the domain classes map onto them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry, relationship

from shared.db import UtcDateTime, service_metadata, value_enum

from complaints.domain.calendar import BusinessCalendar
from complaints.domain.classification import Category, Severity
from complaints.domain.classification_records import ClassificationRecord, Correction
from complaints.domain.clocks import Escalation, Pause, WaitingFor
from complaints.domain.complaint import Channel, Complaint, Status
from complaints.domain.investigation import Action, ActionKind, Evidence, EvidenceKind, RootCause
from complaints.domain.notifications import (
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationChannels,
    NotificationKind,
    WebhookKind,
)
from complaints.domain.resolution import Feedback, FollowUp
from complaints.domain.sla import SlaClock, SlaPolicy
from complaints.domain.timeline import TimelineEntry

metadata = service_metadata()
mapper_registry = registry(metadata=metadata)


complaints = Table(
    "complaints",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("dealer", String(32), nullable=False),
    # What the desk reads out (TS-20261206-0001); also found by the API in place of the id.
    Column("number", String(24), nullable=False),
    Column("channel", value_enum(Channel, "complaint_channel"), nullable=False),
    Column("text", Text, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("status", value_enum(Status, "complaint_status"), nullable=False),
    Column("customer_name", String(200), nullable=True),
    Column("customer_phone", String(40), nullable=True),
    Column("vin", String(17), nullable=True),
    Column("plate", String(16), nullable=True),
    Column("repair_order", String(40), nullable=True),
    Column("claim_number", String(40), nullable=True),
    Column("part_number", String(40), nullable=True),
    Column("lot", String(60), nullable=True),
    Column("desired_remedy", String(500), nullable=True),
    Column("version", Integer, nullable=False),
    # The latest classification's; empty for complaints recorded before classification.
    Column("category", value_enum(Category, "complaint_category", 30), nullable=True),
    Column("severity", value_enum(Severity, "complaint_severity", 10), nullable=True),
    # The classifier was unsure of the category; cleared by a person's classification.
    Column("needs_review", Boolean, nullable=False, default=False),
    # Work assigned without changing the owner (首问责任制).
    Column("department", String(200), nullable=True),
    Column("handler", String(200), nullable=True),
    # What stops the SLA clocks.
    Column("acknowledged_at", UtcDateTime(), nullable=True),
    Column("first_response_at", UtcDateTime(), nullable=True),
    Column("promised_resolution_on", Date, nullable=True),
    # The earliest deadline of a clock still running and not yet escalated: what the sweep reads.
    Column("sla_due_at", UtcDateTime(), nullable=True),
    # Investigation, resolution and the customer's word.
    Column("findings", Text, nullable=True),
    Column("root_cause", value_enum(RootCause, "complaint_root_cause"), nullable=True),
    Column("resolution", Text, nullable=True),
    Column("resolved_at", UtcDateTime(), nullable=True),
    Column("resolved_by", String(200), nullable=True),
    Column("accepted_at", UtcDateTime(), nullable=True),
    Column("satisfaction", Integer, nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("merged_into", String(36), nullable=True),
    Index(None, "dealer", "received_at", "id"),
    Index(None, "sla_due_at"),
    Index(None, "dealer", "claim_number"),
    Index(None, "dealer", "category"),
    Index(None, "dealer", "needs_review"),
    # Parts' news about a lot goes to every complaint naming it.
    Index(None, "dealer", "lot"),
    UniqueConstraint("dealer", "number"),
)

# The last complaint number given per dealer and day of receipt; bumped in the intake's
# transaction, so two intakes at once wait for each other instead of taking the same number.
complaint_number_counters = Table(
    "complaint_number_counters",
    metadata,
    Column("dealer", String(32), primary_key=True),
    Column("received_on", Date, primary_key=True),
    Column("last", Integer, nullable=False),
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
    Column("details", JSON, nullable=True),  # the values the summary is made of; none on old rows
)

classifications = Table(
    "classifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("category", value_enum(Category, "classification_category", 30), nullable=False),
    Column("severity", value_enum(Severity, "classification_severity", 10), nullable=False),
    Column("automatic", Boolean, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("confidence", Float, nullable=True),
    Column("terms", JSON, nullable=False),
    Column("severity_terms", JSON, nullable=False),
    Column("reason", String(500), nullable=True),
)

# A person's correction of a complaint's classification, kept as a labelled training example.
corrections = Table(
    "classification_corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("channel", value_enum(Channel, "correction_channel"), nullable=False),
    Column("category", value_enum(Category, "correction_category", 30), nullable=False),
    Column("severity", value_enum(Severity, "correction_severity", 10), nullable=False),
    Column("corrected_by", String(200), nullable=False),
    Column("corrected_at", UtcDateTime(), nullable=False),
    Column("reason", String(500), nullable=False),
    Index(None, "corrected_at", "id"),
)

pauses = Table(
    "complaint_pauses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, index=True),
    Column("paused_at", UtcDateTime(), nullable=False),
    Column("waiting_for", value_enum(WaitingFor, "pause_waiting_for"), nullable=False),
    Column("reason", String(400), nullable=False),
    Column("paused_by", String(200), nullable=False),
    Column("resumed_at", UtcDateTime(), nullable=True),
    Column("resume_reason", String(400), nullable=True),
    Column("resumed_by", String(200), nullable=True),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False),
    Column("clock", value_enum(SlaClock, "escalation_clock"), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    # Never the same clock twice, whatever two sweeps do.
    UniqueConstraint("complaint_id", "clock"),
)

business_calendars = Table(
    "business_calendars",
    metadata,
    Column("dealer", String(32), primary_key=True),
    Column("timezone", String(64), nullable=False),
    Column("hours", JSON, nullable=False),
    Column("holidays", JSON, nullable=False),
    Column("make_up_days", JSON, nullable=False),
    Column("make_up_hours", JSON, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)

# A dealer's SLA targets per severity: {"critical": {"acknowledge": 30, ...}, ...} in business minutes.
sla_policies = Table(
    "sla_policies",
    metadata,
    Column("dealer", String(32), primary_key=True),
    Column("targets", JSON, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)

# What the service manager is told at once (escalations, safety complaints), and its delivery
# through each channel the dealer configured; `key` keeps one notification per happening.
notifications = Table(
    "notifications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("key", String(120), nullable=False),
    Column("kind", value_enum(NotificationKind, "notification_kind"), nullable=False),
    Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, index=True),
    Column("complaint_number", String(24), nullable=True),
    Column("severity", String(10), nullable=True),
    Column("clocks", JSON, nullable=False),
    Column("summary", String(500), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("read_at", UtcDateTime(), nullable=True),
    Column("read_by", String(200), nullable=True),
    UniqueConstraint("dealer", "key"),
    # The console's list, newest first, and its unread count.
    Index(None, "dealer", "created_at", "id"),
    Index(None, "dealer", "read_at"),
)

notification_deliveries = Table(
    "notification_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("notification_id", String(36), ForeignKey("notifications.id"), nullable=False),
    Column("channel", value_enum(ChannelKind, "notification_channel", 10), nullable=False),
    Column("target", JSON, nullable=False),
    Column("status", value_enum(DeliveryStatus, "delivery_status", 10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", String(500), nullable=True),
    Column("sent_at", UtcDateTime(), nullable=True),
    # One delivery per channel: a replayed event never sends twice.
    UniqueConstraint("notification_id", "channel"),
    # What the delivery job looks for.
    Index(None, "status", "next_attempt_at"),
)

notification_channels = Table(
    "notification_channels",
    metadata,
    Column("dealer", String(32), primary_key=True),
    Column("email_recipients", JSON, nullable=False),
    Column("webhook_url", String(1000), nullable=True),
    Column("webhook_kind", value_enum(WebhookKind, "webhook_kind", 10), nullable=True),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)


def _of_a_complaint(name: str, *columns, key: Column | None = None) -> Table:
    """A table of one complaint's records: its key, the dealer, the complaint, then `columns`."""
    return Table(
        name,
        metadata,
        key if key is not None else Column("id", Integer, primary_key=True),
        Column("dealer", String(32), nullable=False),
        Column("complaint_id", String(36), ForeignKey("complaints.id"), nullable=False, index=True),
        *columns,
    )


def _rated() -> list[Column]:
    """The customer's rating and who recorded it when."""
    return [Column("satisfaction", Integer, nullable=True), Column("recorded_by", String(200), nullable=False),
            Column("recorded_at", UtcDateTime(), nullable=False)]


evidence = _of_a_complaint(
    "complaint_evidence",
    Column("kind", value_enum(EvidenceKind, "evidence_kind"), nullable=False),
    Column("reference", String(500), nullable=False),
    Column("note", String(1000), nullable=True),
    Column("added_by", String(200), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
)

actions = _of_a_complaint(
    "complaint_actions",
    Column("number", Integer, nullable=False),
    Column("kind", value_enum(ActionKind, "action_kind", 30), nullable=False),
    Column("description", String(1000), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("planned_by", String(200), nullable=False),
    Column("planned_at", UtcDateTime(), nullable=False),
    Column("done_on", Date, nullable=True),
    Column("done_by", String(200), nullable=True),
    Column("done_note", String(1000), nullable=True),
    # The rectification list across complaints, by due date (overdue first).
    Index(None, "dealer", "due_on", "id"),
    UniqueConstraint("complaint_id", "number"),
    key=Column("id", String(36), primary_key=True),
)

feedback = _of_a_complaint(
    "customer_feedback",
    Column("told", String(2000), nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("comment", String(1000), nullable=True),
    *_rated(),
)

follow_ups = _of_a_complaint(
    "follow_up_visits",
    Column("visited_on", Date, nullable=False),
    Column("visited_by", String(200), nullable=False),
    Column("note", String(1000), nullable=False),
    *_rated(),
)

mapper_registry.map_imperatively(TimelineEntry, timeline_entries)
mapper_registry.map_imperatively(Evidence, evidence)
mapper_registry.map_imperatively(Action, actions)
mapper_registry.map_imperatively(Feedback, feedback)
mapper_registry.map_imperatively(FollowUp, follow_ups)
mapper_registry.map_imperatively(
    Pause, pauses, properties={"since": pauses.c.paused_at, "until": pauses.c.resumed_at})
mapper_registry.map_imperatively(Escalation, escalations)
mapper_registry.map_imperatively(BusinessCalendar, business_calendars,
                                 version_id_col=business_calendars.c.version)
mapper_registry.map_imperatively(SlaPolicy, sla_policies, version_id_col=sla_policies.c.version)
mapper_registry.map_imperatively(ClassificationRecord, classifications)
mapper_registry.map_imperatively(Delivery, notification_deliveries)
mapper_registry.map_imperatively(
    Notification, notifications,
    properties={"deliveries": relationship(Delivery, order_by=notification_deliveries.c.id, lazy="selectin",
                                           cascade="all, delete-orphan", backref="notification")})
mapper_registry.map_imperatively(NotificationChannels, notification_channels,
                                 version_id_col=notification_channels.c.version)
mapper_registry.map_imperatively(Correction, corrections)
mapper_registry.map_imperatively(
    Complaint,
    complaints,
    version_id_col=complaints.c.version,
    properties={
        "timeline": relationship(TimelineEntry, order_by=timeline_entries.c.id, lazy="selectin",
                                 cascade="all, delete-orphan"),
        "classifications": relationship(ClassificationRecord, order_by=classifications.c.id, lazy="selectin",
                                        cascade="all, delete-orphan"),
        # Read only when a person reclassifies, inside that unit of work: not loaded with every complaint.
        "correction": relationship(Correction, uselist=False, lazy="select", cascade="all, delete-orphan"),
        "pauses": relationship(Pause, order_by=pauses.c.id, lazy="selectin", cascade="all, delete-orphan"),
        "escalations": relationship(Escalation, order_by=escalations.c.id, lazy="selectin",
                                    cascade="all, delete-orphan"),
        "evidence": relationship(Evidence, order_by=evidence.c.id, lazy="selectin", cascade="all, delete-orphan"),
        "actions": relationship(Action, order_by=actions.c.number, lazy="selectin",
                                cascade="all, delete-orphan"),
        "feedback": relationship(Feedback, order_by=feedback.c.id, lazy="selectin", cascade="all, delete-orphan"),
        "follow_ups": relationship(FollowUp, order_by=follow_ups.c.id, lazy="selectin",
                                   cascade="all, delete-orphan"),
    },
)
