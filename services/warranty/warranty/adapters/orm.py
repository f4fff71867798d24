"""Tables of the warranty database and how the domain classes map onto them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import composite, registry, relationship

from shared.db import UtcDateTime, service_metadata, value_enum

from warranty.domain.attachment import Attachment
from warranty.domain.catalog import CatalogPart
from warranty.domain.claim import (
    HEADER_NAMES,
    Claim,
    ClaimHeader,
    ClaimHistoryEntry,
    ClaimLine,
    ClaimStatus,
    ClaimType,
    LineKind,
)
from warranty.domain.coverage import CoveragePlan, PlanType
from warranty.domain.installation import InstalledPart
from warranty.domain.lot_recall import AffectedVehicle, LotRecall
from warranty.domain.parts_warranty import PartsWarrantyCase, PartsWarrantyPolicy, SoldPart, SoldPartReturn
from warranty.domain.recovery import RecoveryHistoryEntry, SupplierRecovery
from warranty.domain.vehicle import OdometerReading, Vehicle

metadata = service_metadata()
mapper_registry = registry(metadata=metadata)

vehicles = Table(
    "vehicles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("vin", String(17), nullable=False),
    Column("make", String(60), nullable=False),
    Column("model", String(60), nullable=False),
    Column("model_year", Integer, nullable=False),
    Column("in_service_date", Date, nullable=False),
    Column("owner_count", Integer, nullable=False),
    Column("title_status", String(20), nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    # The latest reading and whether any reading contradicted an earlier one.
    Column("odometer_km", Integer, nullable=True),
    Column("odometer_read_on", Date, nullable=True),
    Column("rollback_suspected", Boolean, nullable=False, server_default=sa_false()),
    # The lemon-law thresholds already announced for the vehicle (each once).
    Column("lemon_law_reported", JSON, nullable=False, server_default=text("'[]'")),
    UniqueConstraint("dealer", "vin"),
)

odometer_readings = Table(
    "odometer_readings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("vehicle_id", Integer, ForeignKey("vehicles.id"), nullable=False, index=True),
    Column("read_on", Date, nullable=False),
    Column("km", Integer, nullable=False),
    Column("source", String(20), nullable=False),
    Column("reference", String(40), nullable=True),
    Column("rollback_suspected", Boolean, nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

catalog_parts = Table(
    "catalog_parts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("name", String(200), nullable=True),
    Column("category", String(50), nullable=False),
    Column("source", String(20), nullable=False),
    Column("safety_critical", Boolean, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("dealer", "part_number"),
)

coverage_plans = Table(
    "coverage_plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("origin", String(10), nullable=False),
    Column("make", String(60), nullable=False),
    Column("name", String(200), nullable=False),
    Column("type", value_enum(PlanType, "plan_type"), nullable=False),
    Column("months", Integer, nullable=True),
    Column("km", Integer, nullable=True),
    Column("components", JSON, nullable=False),
    Column("exclusions", JSON, nullable=False),
    Column("deductible", Numeric(12, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("transferable", Boolean, nullable=False),
    Column("pre_authorisation_above", Numeric(12, 2), nullable=True),
    Column("models", JSON, nullable=False),
    Column("vin_from", String(17), nullable=True),
    Column("vin_to", String(17), nullable=True),
    Column("ends_on", Date, nullable=True),
    Column("replaces", String(40), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "code"),
    Index(None, "dealer", "make"),
)

installed_parts = Table(
    "installed_parts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("issue", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("vin", String(17), nullable=True),  # unknown while only the return has arrived
    Column("repair_order", String(40), nullable=True),
    Column("supplier", String(40), nullable=True),
    Column("location", String(40), nullable=True),
    Column("source", String(20), nullable=True),
    Column("technician", String(200), nullable=True),
    Column("installed_at", UtcDateTime(), nullable=True),
    Column("installed_on", Date, nullable=True),
    Column("odometer", Integer, nullable=True),
    Column("issued_quantity", Numeric(14, 3), nullable=False),
    Column("returned_quantity", Numeric(14, 3), nullable=False),
    UniqueConstraint("dealer", "issue", "part_number", "lot"),
    Index(None, "dealer", "vin"),
    Index(None, "dealer", "lot"),
)

lot_recalls = Table(
    "lot_recalls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("supplier_lot", String(40), nullable=True),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=True),
    Column("quarantined_at", UtcDateTime(), nullable=True),
    Column("quarantined_by", String(200), nullable=True),
    Column("release_reason", Text, nullable=True),
    Column("released_at", UtcDateTime(), nullable=True),
    Column("released_by", String(200), nullable=True),
    Column("sequence", BigInteger, nullable=False),
    UniqueConstraint("dealer", "lot"),
    Index(None, "dealer", "status", "lot"),
)

lot_recall_vehicles = Table(
    "lot_recall_vehicles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("lot_recall_id", Integer, ForeignKey("lot_recalls.id"), nullable=False),
    Column("vin", String(17), nullable=False),
    UniqueConstraint("lot_recall_id", "vin"),
    Index(None, "dealer", "vin"),
)


claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("claim_number", String(40), nullable=False),
    Column("vin", String(17), nullable=False),
    Column("status", value_enum(ClaimStatus, "claimstatus"), nullable=False),
    Column("claim_type", value_enum(ClaimType, "claimtype"), nullable=False),
    Column("coverage_plan", String(40), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("repair_order", String(40), nullable=False),
    Column("repair_date", Date, nullable=False),
    Column("odometer", Integer, nullable=False),
    Column("failure_date", Date, nullable=False),
    Column("complaint", Text, nullable=True),
    Column("cause", Text, nullable=True),
    Column("correction", Text, nullable=True),
    Column("pre_authorisation_number", String(40), nullable=True),
    Column("pre_authorised_on", Date, nullable=True),
    Column("days_out_of_service", Integer, nullable=True),
    Column("component_group", String(50), nullable=True),
    Column("campaign", String(40), nullable=True),
    Column("attachments", JSON, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("causal_lot", String(40), nullable=True),
    Column("causal_supplier", String(40), nullable=True),
    Column("appealed", Boolean, nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("paid_amount", Numeric(16, 2), nullable=True),
    Column("paid_on", Date, nullable=True),
    Column("payment_reference", String(60), nullable=True),
    Column("short_payment_reason", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "claim_number"),
    Index(None, "dealer", "vin"),
    Index(None, "dealer", "repair_order"),
    # The desk's list, newest first: by status, over a period of repair dates, or both.
    Index(None, "dealer", "status", "repair_date", "id"),
    Index(None, "dealer", "repair_date", "id"),
    Index(None, "dealer", "status", "id"),
    # The desk's list unchanged longest first (sort=updated_at), by status or not.
    Index(None, "dealer", "status", "updated_at", "id"),
    Index(None, "dealer", "updated_at", "id"),
)

claim_lines = Table(
    "claim_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("kind", value_enum(LineKind, "linekind"), nullable=False),
    Column("description", String(200), nullable=True),
    Column("operation", String(40), nullable=True),
    Column("part_number", String(40), nullable=True),
    Column("quantity", Numeric(12, 3), nullable=False),
    Column("unit_price", Numeric(12, 2), nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("causal", Boolean, nullable=False),
    Column("supplied_by", String(10), nullable=False),
    Column("repair_order_line", String(40), nullable=True),
    Column("lot", String(40), nullable=True),
    Column("approved_amount", Numeric(14, 2), nullable=True),
    Column("reason_code", String(40), nullable=True),
)

claim_history = Table(
    "claim_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("claim_id", Integer, ForeignKey("claims.id"), nullable=False, index=True),
    Column("action", String(30), nullable=False),
    Column("from_status", String(20), nullable=True),
    Column("to_status", String(20), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
    Column("reason", Text, nullable=True),
)

supplier_recoveries = Table(
    "supplier_recoveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("claim_number", String(40), nullable=False),  # or the parts-warranty case's number
    Column("vin", String(17), nullable=True),  # a part sold over the counter may name no vehicle
    Column("supplier", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("amount", Numeric(16, 2), nullable=False),  # parts + labour + handling
    Column("parts_amount", Numeric(16, 2), nullable=False),
    Column("labour_amount", Numeric(16, 2), nullable=False),
    Column("handling_amount", Numeric(16, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "claim_number"),
    Index(None, "dealer", "supplier"),
    Index(None, "dealer", "status", "id"),
)

supplier_recovery_history = Table(
    "supplier_recovery_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("recovery_id", Integer, ForeignKey("supplier_recoveries.id"), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("from_status", String(20), nullable=True),
    Column("to_status", String(20), nullable=False),
    Column("parts_amount", Numeric(16, 2), nullable=False),
    Column("labour_amount", Numeric(16, 2), nullable=False),
    Column("handling_amount", Numeric(16, 2), nullable=False),
    Column("amount", Numeric(16, 2), nullable=False),
    Column("reference", String(60), nullable=True),
    Column("reason", Text, nullable=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
)

claim_attachments = Table(
    "claim_attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("attachment_id", String(32), nullable=False),
    Column("claim_number", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    # Where the bytes are in the attachment store (a folder or an S3 bucket).
    Column("storage_key", String(200), nullable=False),
    Column("description", String(200), nullable=True),
    Column("uploaded_at", UtcDateTime(), nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    UniqueConstraint("dealer", "attachment_id"),
    Index(None, "dealer", "claim_number", "id"),
)

# ---------------------------------------------------------------- the parts warranty (配件保修)

parts_warranty_policies = Table(
    "parts_warranty_policies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("default_months", Integer, nullable=False),
    Column("rules", JSON, nullable=False),  # [{months, category, supplier}], read whole with the policy
    Column("updated_at", UtcDateTime(), nullable=True),
    Column("updated_by", String(200), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer"),
)

sold_parts = Table(
    "sold_parts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("sale", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=True),
    Column("location", String(40), nullable=True),
    Column("quantity", Numeric(12, 3), nullable=False),
    Column("in_cases", Numeric(12, 3), nullable=False),
    Column("returned", Numeric(12, 3), nullable=False),  # taken back at the counter: no longer under warranty
    Column("unit_price", Numeric(16, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("customer_id", String(40), nullable=True),
    Column("vin", String(17), nullable=True),
    Column("category", String(50), nullable=True),
    Column("months", Integer, nullable=False),
    Column("purchased_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("sold_at", UtcDateTime(), nullable=False),
    UniqueConstraint("dealer", "sale", "part_number", "lot"),
    Index(None, "dealer", "part_number", "id"),
    Index(None, "dealer", "customer_id", "id"),
)

sold_part_returns = Table(
    "sold_part_returns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("sale", String(40), nullable=False),
    Column("sale_return", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("quantity", Numeric(12, 3), nullable=False),
    Column("returned_at", UtcDateTime(), nullable=False),
    UniqueConstraint("dealer", "sale_return", "part_number", "lot"),
    Index(None, "dealer", "sale", "part_number", "lot"),
)

parts_warranty_cases = Table(
    "parts_warranty_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("sale", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=True),
    Column("location", String(40), nullable=True),
    Column("vin", String(17), nullable=True),
    Column("customer_id", String(40), nullable=True),
    Column("quantity", Numeric(12, 3), nullable=False),
    Column("unit_price", Numeric(16, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("purchased_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("report", Text, nullable=False),
    Column("accepted_late", Boolean, nullable=False),
    Column("late_reason", Text, nullable=True),
    Column("status", String(20), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("opened_by", String(200), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("fault", String(30), nullable=True),
    Column("covered", Boolean, nullable=True),
    Column("supplier_at_fault", Boolean, nullable=True),
    Column("findings", Text, nullable=True),
    Column("assessed_at", UtcDateTime(), nullable=True),
    Column("assessed_by", String(200), nullable=True),
    Column("outcome", String(20), nullable=True),
    Column("decision_reason", Text, nullable=True),
    Column("overridden", Boolean, nullable=False),
    Column("repair_cost", Numeric(16, 2), nullable=True),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("replacement_issued_at", UtcDateTime(), nullable=True),  # parts issued the exchange from stock
    Column("resolution_note", Text, nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("satisfaction", Integer, nullable=True),
    Column("follow_up_note", Text, nullable=True),
    Column("followed_up_at", UtcDateTime(), nullable=True),
    Column("followed_up_by", String(200), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "number"),
    Index(None, "dealer", "status", "id"),
    Index(None, "dealer", "supplier", "opened_on"),
    Index(None, "dealer", "sale", "part_number"),
)

mapper_registry.map_imperatively(OdometerReading, odometer_readings)
mapper_registry.map_imperatively(
    Vehicle, vehicles, version_id_col=vehicles.c.version,
    properties={
        # Loaded only when a reading is recorded or coverage is assessed, not for every list.
        "readings": relationship(OdometerReading, lazy="select", cascade="all, delete-orphan",
                                 order_by=(odometer_readings.c.read_on, odometer_readings.c.id)),
    },
)
mapper_registry.map_imperatively(CoveragePlan, coverage_plans, version_id_col=coverage_plans.c.version)
mapper_registry.map_imperatively(InstalledPart, installed_parts)
mapper_registry.map_imperatively(CatalogPart, catalog_parts)
mapper_registry.map_imperatively(AffectedVehicle, lot_recall_vehicles)
mapper_registry.map_imperatively(
    LotRecall, lot_recalls,
    properties={
        "affected": relationship(AffectedVehicle, lazy="selectin", cascade="all, delete-orphan",
                                 order_by=lot_recall_vehicles.c.vin),
    },
)
mapper_registry.map_imperatively(ClaimLine, claim_lines)
mapper_registry.map_imperatively(ClaimHistoryEntry, claim_history)
mapper_registry.map_imperatively(
    Claim, claims, version_id_col=claims.c.version,
    properties={
        # One value over the columns of the same names; each column stays an attribute of its own
        # for queries (`Claim.repair_date`) and for the claims list, which reads them as rows.
        "header": composite(ClaimHeader, *(claims.c[name] for name in HEADER_NAMES)),
        # A claim is always shown whole, so its lines and history come with it.
        "lines": relationship(ClaimLine, lazy="selectin", cascade="all, delete-orphan",
                              order_by=claim_lines.c.number),
        "history": relationship(ClaimHistoryEntry, lazy="selectin", cascade="all, delete-orphan",
                                order_by=claim_history.c.id),
    },
)
mapper_registry.map_imperatively(RecoveryHistoryEntry, supplier_recovery_history)
mapper_registry.map_imperatively(
    SupplierRecovery, supplier_recoveries, version_id_col=supplier_recoveries.c.version,
    properties={
        # Loaded when one recovery is shown or changed, not for every list.
        "history": relationship(RecoveryHistoryEntry, lazy="select", cascade="all, delete-orphan",
                                order_by=supplier_recovery_history.c.id),
    },
)
mapper_registry.map_imperatively(Attachment, claim_attachments)
mapper_registry.map_imperatively(
    PartsWarrantyPolicy, parts_warranty_policies, version_id_col=parts_warranty_policies.c.version,
    properties={"rule_rows": parts_warranty_policies.c.rules},
)
mapper_registry.map_imperatively(SoldPart, sold_parts)
mapper_registry.map_imperatively(SoldPartReturn, sold_part_returns)
mapper_registry.map_imperatively(PartsWarrantyCase, parts_warranty_cases,
                                 version_id_col=parts_warranty_cases.c.version)
