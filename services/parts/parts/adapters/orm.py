"""Tables of the parts database and how the domain classes map onto them.

Mapping is imperative so the domain never imports SQLAlchemy; it happens once, when this
module is imported (it opens no connection).
"""

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
    UniqueConstraint,
    and_,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import composite, registry, relationship

from shared.db import UtcDateTime, service_metadata, value_enum

from parts.domain.catalog import Alternate, Fitment, Part, PartChange
from parts.domain.counting import CountLine, CountStatus, StockCount
from parts.domain.documents import IssueLine, IssueSlip, Receipt, ReceiptLine
from parts.domain.part_details import DETAIL_NAMES, PartDetails, Source
from parts.domain.purchasing import OrderLine, PurchaseOrder
from parts.domain.quality import QualityIncident
from parts.domain.pricing import Promotion
from parts.domain.sales import (
    CustomerGroup,
    GroupPrice,
    SaleLine,
    SaleLot,
    SaleReturn,
    SaleReturnLine,
    SalesOrder,
)
from parts.domain.stock import Allocation, LotBalance, Movement, PartStock, ReorderRule, Reservation, ReservationStatus
from parts.domain.supply import Inspection, Location, Lot, Supplier, SupplierPartNumber
from parts.domain.warranty_exchange import WarrantyExchange

metadata = service_metadata()
mapper_registry = registry(metadata=metadata)


def Quantity():  # noqa: N802  (a column type, named like one)
    return Numeric(14, 3)


def Money():  # noqa: N802
    return Numeric(12, 2)


def _number_key(context) -> str:
    """"pads" and "PADS" are one part: the unique key is the number in lower case."""
    return context.get_current_parameters()["part_number"].lower()


parts = Table(
    "parts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("name_zh", String(200), nullable=True),
    Column("name_en", String(200), nullable=True),
    Column("category", String(50), nullable=False),
    Column("unit", String(10), nullable=False),
    Column("source", value_enum(Source, "part_source"), nullable=False),
    Column("safety_critical", Boolean, nullable=False),
    Column("list_price", Money(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("superseded_by", String(40), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    # Written once, from the number: part numbers are not renamed (a new one supersedes).
    Column("number_key", String(40), nullable=False, default=_number_key),
    UniqueConstraint("dealer", "part_number"),
    Index("uq_parts_dealer_number_key", "dealer", "number_key", unique=True),
)

part_fitments = Table(
    "part_fitments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_id", Integer, ForeignKey("parts.id"), nullable=False, index=True),
    Column("make", String(60), nullable=False),
    Column("model", String(60), nullable=False),
    Column("year_from", Integer, nullable=False),
    Column("year_to", Integer, nullable=False),
    Column("displacement", Numeric(4, 1), nullable=True),
    Index(None, "dealer", "make", "model"),
)

part_alternates = Table(
    "part_alternates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_id", Integer, ForeignKey("parts.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Index(None, "dealer", "part_number"),
)

# A part's history (变更记录): one row per use case that created or changed it, never updated.
part_changes = Table(
    "part_changes",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(200), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("changes", JSON, nullable=False),
    Index(None, "dealer", "part_number", "id"),
)

suppliers = Table(
    "suppliers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("qualified", Boolean, nullable=False),
    Column("lead_time_days", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("field_failures", Integer, nullable=False, server_default="0"),
    Column("incidents", Integer, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "code"),
)

supplier_part_numbers = Table(
    "supplier_part_numbers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("supplier_id", Integer, ForeignKey("suppliers.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("supplier_part_number", String(60), nullable=False),
    # Availability looks up the suppliers of the quoted parts on every call.
    Index(None, "dealer", "part_number"),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("warehouse", String(60), nullable=False),
    Column("bin", String(60), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("dealer", "code"),
)

lots = Table(
    "lots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("supplier_lot", String(60), nullable=True),
    Column("receipt", String(40), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("unit_cost", Money(), nullable=False),
    Column("inspection", value_enum(Inspection, "inspection_result"), nullable=False),
    Column("inspected_at", UtcDateTime(), nullable=True),
    Column("on_hold", Boolean, nullable=False),
    Column("hold_reason", String(500), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "code"),
    Index(None, "dealer", "part_number", "received_at"),
    Index(None, "dealer", "supplier", "supplier_lot"),
)

part_stocks = Table(
    "part_stocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("last_movement_at", UtcDateTime(), nullable=True),
    Column("safety_stock", Quantity(), nullable=False, server_default="0"),
    Column("reorder_point", Quantity(), nullable=False, server_default="0"),
    Column("max_stock", Quantity(), nullable=False, server_default="0"),
    Column("lead_time_days", Integer, nullable=True),
    Column("pack_multiple", Quantity(), nullable=False, server_default="1"),
    Column("reorder_mode", String(10), nullable=False, server_default="fixed"),
    Column("service_level", Numeric(5, 4), nullable=False, server_default="0.95"),
    Column("below_safety", Boolean, nullable=False, server_default=sa_false()),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "part_number", "location"),
)

stock_balances = Table(
    "stock_balances",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_stock_id", Integer, ForeignKey("part_stocks.id"), nullable=False, index=True),
    Column("lot", String(40), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("on_hand", Quantity(), nullable=False),
    Column("reserved", Quantity(), nullable=False),
    Column("quarantined", Quantity(), nullable=False),
    UniqueConstraint("part_stock_id", "lot"),
    Index(None, "dealer", "lot"),
)

reservations = Table(
    "reservations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("part_stock_id", Integer, ForeignKey("part_stocks.id"), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("issued", Quantity(), nullable=False),
    Column("for_kind", String(20), nullable=False),
    Column("for_reference", String(60), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("deposit", Money(), nullable=True),
    Column("status", value_enum(ReservationStatus, "reservation_status"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    UniqueConstraint("dealer", "number"),
    Index(None, "part_stock_id", "status"),
    Index(None, "status", "expires_at"),
)

reservation_allocations = Table(
    "reservation_allocations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("reservation_id", Integer, ForeignKey("reservations.id"), nullable=False, index=True),
    Column("lot", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
)

stock_movements = Table(
    "stock_movements",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("on_hand_change", Quantity(), nullable=False),
    Column("reserved_change", Quantity(), nullable=False),
    Column("quarantined_change", Quantity(), nullable=False),
    Column("reference", String(60), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("reason", String(500), nullable=True),
    Index(None, "dealer", "part_number", "at"),
    Index(None, "dealer", "lot"),
    Index(None, "dealer", "reference"),
)

receipts = Table(
    "receipts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("delivery_note", String(60), nullable=True),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("received_by", String(200), nullable=False),
    UniqueConstraint("dealer", "number"),
)

receipt_lines = Table(
    "receipt_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("receipt_id", Integer, ForeignKey("receipts.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("asked_part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("unit_cost", Money(), nullable=False),
    Column("inspection", String(20), nullable=False),
    # As the lot label shows them: the part's names and the location's bin when it was booked.
    Column("name_zh", String(200), nullable=True),
    Column("name_en", String(200), nullable=True),
    Column("bin", String(60), nullable=True),
)

issue_slips = Table(
    "issue_slips",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("repair_order", String(40), nullable=False),
    Column("vin", String(17), nullable=False),
    Column("technician", String(200), nullable=False),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("issued_by", String(200), nullable=False),
    UniqueConstraint("dealer", "number"),
    Index(None, "dealer", "repair_order"),
    Index(None, "dealer", "vin"),
)

issue_lines = Table(
    "issue_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("issue_slip_id", Integer, ForeignKey("issue_slips.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("returned", Quantity(), nullable=False),
    Column("reservation", String(40), nullable=True),
    # As the printed slip shows them: the part's names and the bin it was taken from.
    Column("name_zh", String(200), nullable=True),
    Column("name_en", String(200), nullable=True),
    Column("bin", String(60), nullable=True),
    Index(None, "dealer", "lot"),
)

stock_counts = Table(
    "stock_counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("status", value_enum(CountStatus, "count_status"), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("opened_by", String(200), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=True),
    Column("submitted_by", String(200), nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("decision_note", String(500), nullable=True),
    Column("posted_at", UtcDateTime(), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "number"),
)

stock_count_lines = Table(
    "stock_count_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("stock_count_id", Integer, ForeignKey("stock_counts.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("name_zh", String(200), nullable=True),
    Column("name_en", String(200), nullable=True),
    Column("unit", String(10), nullable=True),
    Column("bin", String(60), nullable=True),
    Column("lot", String(40), nullable=False),
    Column("counted", Quantity(), nullable=True),
    Column("book", Quantity(), nullable=True),
    Column("counted_by", String(200), nullable=True),
    Column("counted_at", UtcDateTime(), nullable=True),
    Column("reason", String(500), nullable=True),
    Column("unit_price", Money(), nullable=True),
    Column("needs_approval", Boolean, nullable=False),
)

purchase_orders = Table(
    "purchase_orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("ordered_at", UtcDateTime(), nullable=False),
    Column("ordered_by", String(200), nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "number"),
    Index(None, "dealer", "status"),
)

purchase_order_lines = Table(
    "purchase_order_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("purchase_order_id", Integer, ForeignKey("purchase_orders.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("received", Quantity(), nullable=False),
    Column("cancelled", Quantity(), nullable=False),
    Index(None, "dealer", "part_number", "location"),
)

quality_incidents = Table(
    "quality_incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reference", String(60), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    UniqueConstraint("dealer", "kind", "reference"),
    Index(None, "dealer", "lot"),
    Index(None, "dealer", "supplier"),
)

# Counter sales (配件销售): customer groups and their discount, sales orders, their lines and the
# lots each line was handed over from.
customer_groups = Table(
    "customer_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("discount_percent", Numeric(5, 2), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("prices_changed_at", UtcDateTime(), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "code"),
)

# A customer group's own prices (its price list), and the promotions (价格策略与促销).
customer_group_prices = Table(
    "customer_group_prices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("customer_group_id", Integer, ForeignKey("customer_groups.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("price", Money(), nullable=False),
    Column("set_at", UtcDateTime(), nullable=False),
    Column("set_by", String(200), nullable=False),
    UniqueConstraint("customer_group_id", "part_number"),
)

promotions = Table(
    "promotions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("part_numbers", JSON, nullable=False),
    Column("categories", JSON, nullable=False),
    Column("rule", String(20), nullable=False),
    Column("percent_off", Numeric(5, 2), nullable=True),
    Column("fixed_price", Money(), nullable=True),
    Column("buy_quantity", Integer, nullable=True),
    Column("stacks_with_group", Boolean, nullable=False),
    Column("status", String(10), nullable=False),
    Column("ended_on", Date, nullable=True),
    Column("ended_at", UtcDateTime(), nullable=True),
    Column("ended_by", String(200), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "code"),
    Index(None, "dealer", "status", "starts_on"),
)

sales_orders = Table(
    "sales_orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("number", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("customer_kind", String(20), nullable=False),
    Column("customer_account", String(60), nullable=True),
    # Personal data: shown masked to roles that do not sell.
    Column("customer_name", String(200), nullable=True),
    Column("customer_phone", String(40), nullable=True),
    Column("customer_group", String(40), nullable=True),
    Column("vehicle_make", String(60), nullable=True),
    Column("vehicle_model", String(60), nullable=True),
    Column("vehicle_year", Integer, nullable=True),
    Column("vehicle_displacement", Numeric(4, 1), nullable=True),
    Column("vehicle_vin", String(17), nullable=True),
    Column("currency", String(3), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("confirmed_at", UtcDateTime(), nullable=True),
    Column("paid_at", UtcDateTime(), nullable=True),
    Column("paid_by", String(200), nullable=True),
    Column("payment_method", String(20), nullable=True),
    Column("payment_reference", String(100), nullable=True),
    Column("paid_amount", Money(), nullable=True),
    Column("invoice_number", String(40), nullable=True),
    Column("completed_at", UtcDateTime(), nullable=True),
    Column("completed_by", String(200), nullable=True),
    Column("cancelled_at", UtcDateTime(), nullable=True),
    Column("cancel_reason", String(500), nullable=True),
    Column("exchange_of", String(40), nullable=True),
    Column("refunded_amount", Money(), nullable=False),
    Column("last_returned_at", UtcDateTime(), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "number"),
    Index(None, "dealer", "status"),
    Index(None, "dealer", "customer_account"),
)

sale_lines = Table(
    "sale_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("sales_order_id", Integer, ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("part_number", String(40), nullable=False),
    Column("name_zh", String(200), nullable=True),
    Column("name_en", String(200), nullable=True),
    Column("quantity", Quantity(), nullable=False),
    Column("list_price", Money(), nullable=False),
    Column("unit_price", Money(), nullable=False),
    Column("discount_percent", Numeric(5, 2), nullable=False),
    Column("price_source", String(60), nullable=False),
    Column("promotion", String(40), nullable=True),
    Column("free_quantity", Quantity(), nullable=False),
    Column("location", String(40), nullable=True),
    Column("fitment", String(10), nullable=False),
    Column("reservation", String(40), nullable=True),
    Index(None, "dealer", "part_number"),
)

sale_line_lots = Table(
    "sale_line_lots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("sale_line_id", Integer, ForeignKey("sale_lines.id"), nullable=False, index=True),
    Column("lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("returned", Quantity(), nullable=False),
    Index(None, "dealer", "lot"),
)

# Returns of counter sales (销售退货): each with its refund, and the lots its parts went back into.
sale_returns = Table(
    "sale_returns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("sales_order_id", Integer, ForeignKey("sales_orders.id"), nullable=False, index=True),
    Column("number", String(40), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("late", Boolean, nullable=False),
    Column("refund_method", String(20), nullable=False),
    Column("refund_reference", String(100), nullable=True),
    Column("refund_amount", Money(), nullable=False),
    Column("exchange_sale", String(40), nullable=True),
    Column("returned_at", UtcDateTime(), nullable=False),
    Column("returned_by", String(200), nullable=False),
    UniqueConstraint("dealer", "number"),
)

sale_return_lines = Table(
    "sale_return_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("sale_return_id", Integer, ForeignKey("sale_returns.id"), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("condition", String(10), nullable=False),
    Column("value", Money(), nullable=False),
    Index(None, "dealer", "lot"),
)

mapper_registry.map_imperatively(Fitment, part_fitments)
mapper_registry.map_imperatively(Alternate, part_alternates)
mapper_registry.map_imperatively(
    Part, parts, version_id_col=parts.c.version,
    properties={
        # One value over the columns of the same names; each column stays an attribute of its own
        # for queries (`Part.category`).
        "details": composite(PartDetails, *(parts.c[name] for name in DETAIL_NAMES)),
        "fitments": relationship(Fitment, lazy="selectin", cascade="all, delete-orphan",
                                 order_by=part_fitments.c.id),
        "alternate_links": relationship(Alternate, lazy="selectin", cascade="all, delete-orphan",
                                        order_by=part_alternates.c.id),
    },
)
mapper_registry.map_imperatively(PartChange, part_changes)
mapper_registry.map_imperatively(SupplierPartNumber, supplier_part_numbers)
mapper_registry.map_imperatively(
    Supplier, suppliers, version_id_col=suppliers.c.version,
    properties={"part_numbers": relationship(SupplierPartNumber, lazy="selectin", cascade="all, delete-orphan")},
)
mapper_registry.map_imperatively(Location, locations)
mapper_registry.map_imperatively(Lot, lots, version_id_col=lots.c.version)
mapper_registry.map_imperatively(LotBalance, stock_balances)
mapper_registry.map_imperatively(Allocation, reservation_allocations)
mapper_registry.map_imperatively(
    Reservation, reservations,
    properties={"allocations": relationship(Allocation, lazy="selectin", cascade="all, delete-orphan",
                                            order_by=reservation_allocations.c.id)},
)
mapper_registry.map_imperatively(Movement, stock_movements)
mapper_registry.map_imperatively(
    PartStock, part_stocks, version_id_col=part_stocks.c.version,
    properties={
        "balances": relationship(LotBalance, lazy="selectin", cascade="all, delete-orphan",
                                 order_by=stock_balances.c.id),
        "rule": composite(
            ReorderRule, part_stocks.c.safety_stock, part_stocks.c.reorder_point, part_stocks.c.max_stock,
            part_stocks.c.lead_time_days, part_stocks.c.pack_multiple, part_stocks.c.reorder_mode,
            part_stocks.c.service_level,
        ),
        # Only the active ones belong to the stock's state; closed ones stay for history. The
        # repository loads them when a change needs them: reserving only adds one, and a busy
        # part can hold hundreds while its row is locked.
        "reservations": relationship(
            Reservation, lazy="select", cascade="save-update, merge", order_by=reservations.c.id,
            primaryjoin=and_(part_stocks.c.id == reservations.c.part_stock_id,
                             reservations.c.status == ReservationStatus.ACTIVE),
        ),
    },
)
mapper_registry.map_imperatively(ReceiptLine, receipt_lines)
mapper_registry.map_imperatively(
    Receipt, receipts,
    properties={"lines": relationship(ReceiptLine, lazy="selectin", cascade="all, delete-orphan",
                                      order_by=receipt_lines.c.id)},
)
mapper_registry.map_imperatively(IssueLine, issue_lines)
mapper_registry.map_imperatively(
    IssueSlip, issue_slips,
    properties={"lines": relationship(IssueLine, lazy="selectin", cascade="all, delete-orphan",
                                      order_by=issue_lines.c.id)},
)
mapper_registry.map_imperatively(CountLine, stock_count_lines)
mapper_registry.map_imperatively(
    StockCount, stock_counts, version_id_col=stock_counts.c.version,
    properties={"lines": relationship(CountLine, lazy="selectin", cascade="all, delete-orphan",
                                      order_by=stock_count_lines.c.id)},
)
mapper_registry.map_imperatively(OrderLine, purchase_order_lines)
mapper_registry.map_imperatively(
    PurchaseOrder, purchase_orders, version_id_col=purchase_orders.c.version,
    properties={"lines": relationship(OrderLine, lazy="selectin", cascade="all, delete-orphan",
                                      order_by=purchase_order_lines.c.id)},
)
mapper_registry.map_imperatively(QualityIncident, quality_incidents)
mapper_registry.map_imperatively(GroupPrice, customer_group_prices)
mapper_registry.map_imperatively(
    CustomerGroup, customer_groups, version_id_col=customer_groups.c.version,
    properties={"prices": relationship(GroupPrice, lazy="selectin", cascade="all, delete-orphan",
                                       order_by=customer_group_prices.c.part_number)},
)
mapper_registry.map_imperatively(Promotion, promotions, version_id_col=promotions.c.version)
mapper_registry.map_imperatively(SaleLot, sale_line_lots)
mapper_registry.map_imperatively(
    SaleLine, sale_lines,
    properties={"lots": relationship(SaleLot, lazy="selectin", cascade="all, delete-orphan",
                                     order_by=sale_line_lots.c.id)},
)
mapper_registry.map_imperatively(SaleReturnLine, sale_return_lines)
mapper_registry.map_imperatively(
    SaleReturn, sale_returns,
    properties={"lines": relationship(SaleReturnLine, lazy="selectin", cascade="all, delete-orphan",
                                      order_by=sale_return_lines.c.id)},
)
mapper_registry.map_imperatively(
    SalesOrder, sales_orders, version_id_col=sales_orders.c.version,
    properties={"lines": relationship(SaleLine, lazy="selectin", cascade="all, delete-orphan",
                                      order_by=sale_lines.c.id),
                "returns": relationship(SaleReturn, lazy="selectin", cascade="all, delete-orphan",
                                        order_by=sale_returns.c.id)},
)

# The replacement part for a parts-warranty case (保修换件): one per case.
warranty_exchanges = Table(
    "warranty_exchanges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("case", String(40), nullable=False),
    Column("sale", String(40), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("location", String(40), nullable=False),
    Column("quantity", Quantity(), nullable=False),
    Column("faulty_lot", String(40), nullable=False),
    Column("supplier", String(40), nullable=True),
    Column("status", String(20), nullable=False),
    Column("approved_at", UtcDateTime(), nullable=False),
    Column("lots", JSON, nullable=False),  # [{lot, supplier, quantity}], read whole with the exchange
    Column("issued_at", UtcDateTime(), nullable=True),
    Column("issued_by", String(200), nullable=True),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "case"),
    Index(None, "dealer", "status", "id"),
)

mapper_registry.map_imperatively(WarrantyExchange, warranty_exchanges, version_id_col=warranty_exchanges.c.version)
