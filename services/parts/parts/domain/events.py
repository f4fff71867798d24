"""What the parts service tells the world. Each class is one event type and version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from shared.model import Event


@dataclass(frozen=True)
class PartCreated(Event):
    """A part was added to the catalog: its state, who added it and why."""

    type: ClassVar[str] = "parts.part.created"
    version: ClassVar[int] = 1
    part_number: str
    name_zh: str | None
    name_en: str | None
    category: str
    unit: str
    source: str
    safety_critical: bool
    list_price: Decimal
    currency: str
    by: str
    superseded_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PartUpdated(Event):
    """The part's full state after the change, which fields changed (also `fitments` or
    `alternates`, which the event does not carry), who changed it and why."""

    type: ClassVar[str] = "parts.part.updated"
    version: ClassVar[int] = 1
    part_number: str
    name_zh: str | None
    name_en: str | None
    category: str
    unit: str
    source: str
    safety_critical: bool
    list_price: Decimal
    currency: str
    changed: tuple[str, ...]
    by: str
    superseded_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StockReceived(Event):
    """A delivery line was booked into a lot at a location; `blocked` while pending or failed
    inspection (进货检验)."""

    type: ClassVar[str] = "parts.stock.received"
    version: ClassVar[int] = 1
    receipt: str
    part_number: str
    location: str
    lot: str
    supplier: str
    quantity: Decimal
    blocked: bool


@dataclass(frozen=True)
class StockReserved(Event):
    type: ClassVar[str] = "parts.stock.reserved"
    version: ClassVar[int] = 1
    reservation: str
    part_number: str
    location: str
    quantity: Decimal
    for_kind: str
    for_reference: str
    expires_at: datetime


@dataclass(frozen=True)
class ReservationReleased(Event):
    """Reserved quantity went back to stock: released by a clerk, expired, or its lot was blocked."""

    type: ClassVar[str] = "parts.reservation.released"
    version: ClassVar[int] = 1
    reservation: str
    part_number: str
    location: str
    quantity: Decimal
    reason: str

    @property
    def subject(self) -> str:
        return self.reservation


@dataclass(frozen=True)
class StockIssued(Event):
    """Parts from a lot went to a technician for a repair order on a vehicle (领料)."""

    type: ClassVar[str] = "parts.stock.issued"
    version: ClassVar[int] = 1
    issue: str
    repair_order: str
    vin: str
    part_number: str
    location: str
    lot: str
    supplier: str
    quantity: Decimal
    source: str
    technician: str


@dataclass(frozen=True)
class StockReturned(Event):
    """Unused parts came back from a repair order to the lot they were issued from (退料)."""

    type: ClassVar[str] = "parts.stock.returned"
    version: ClassVar[int] = 1
    issue: str
    repair_order: str
    part_number: str
    location: str
    lot: str
    quantity: Decimal
    reason: str


@dataclass(frozen=True)
class StockTransferred(Event):
    """Stock of a lot moved from one location to another (移库); it keeps its lot."""

    type: ClassVar[str] = "parts.stock.transferred"
    version: ClassVar[int] = 1
    transfer: str
    part_number: str
    lot: str
    from_location: str
    to_location: str
    quantity: Decimal
    reason: str
    by: str


@dataclass(frozen=True)
class StockReturnedToSupplier(Event):
    """Stock of a lot went back to its supplier (退货): failed inspection, damage, recall."""

    type: ClassVar[str] = "parts.stock.returned_to_supplier"
    version: ClassVar[int] = 1
    reference: str
    part_number: str
    location: str
    lot: str
    supplier: str
    quantity: Decimal
    reason: str
    by: str


@dataclass(frozen=True)
class StockAdjusted(Event):
    type: ClassVar[str] = "parts.stock.adjusted"
    version: ClassVar[int] = 1
    reference: str
    part_number: str
    location: str
    lot: str
    change: Decimal
    on_hand: Decimal
    reason: str


@dataclass(frozen=True)
class LotInspected(Event):
    """The incoming inspection of a lot was recorded: `passed` releases its stock, `failed`
    keeps it blocked (for return to the supplier)."""

    type: ClassVar[str] = "parts.lot.inspected"
    version: ClassVar[int] = 1
    lot: str
    part_number: str
    supplier: str
    supplier_lot: str | None
    result: str
    note: str | None
    inspector: str


@dataclass(frozen=True)
class StockBelowSafetyLevel(Event):
    """Available stock of a part at a location fell below its safety stock (once per crossing)."""

    type: ClassVar[str] = "parts.stock.below_safety_level"
    version: ClassVar[int] = 1
    part_number: str
    location: str
    available: Decimal
    safety_stock: Decimal


@dataclass(frozen=True)
class StockReplenished(Event):
    """Available stock is back at or above the safety stock."""

    type: ClassVar[str] = "parts.stock.replenished"
    version: ClassVar[int] = 1
    part_number: str
    location: str
    available: Decimal
    safety_stock: Decimal


@dataclass(frozen=True)
class LotQuarantined(Event):
    """A lot's stock may not move (recall, supplier notice, quality hold); it lists every
    vehicle the lot already went into, for warranty and the customer-care desk."""

    type: ClassVar[str] = "parts.lot.quarantined"
    version: ClassVar[int] = 1
    lot: str
    part_number: str
    supplier: str
    supplier_lot: str | None
    reason: str
    affected_vins: tuple[str, ...]
    by: str


@dataclass(frozen=True)
class LotReleased(Event):
    type: ClassVar[str] = "parts.lot.released"
    version: ClassVar[int] = 1
    lot: str
    part_number: str
    supplier: str
    reason: str
    by: str


@dataclass(frozen=True)
class SupplierCreated(Event):
    """A supplier was added; only a qualified one (合格供应商) may deliver."""

    type: ClassVar[str] = "parts.supplier.created"
    version: ClassVar[int] = 1
    supplier: str
    name: str
    qualified: bool
    lead_time_days: int
    by: str
    reason: str | None = None


@dataclass(frozen=True)
class SupplierUpdated(Event):
    """The supplier's state after the change, which fields changed, who changed it and why
    (`qualified` false: it may no longer deliver)."""

    type: ClassVar[str] = "parts.supplier.updated"
    version: ClassVar[int] = 1
    supplier: str
    name: str
    qualified: bool
    lead_time_days: int
    changed: tuple[str, ...]
    by: str
    reason: str | None = None


@dataclass(frozen=True)
class SupplierQualityChanged(Event):
    """A supplier's quality figures moved: a field failure, a product-quality complaint, or a
    lot that failed incoming inspection."""

    type: ClassVar[str] = "parts.supplier.quality_changed"
    version: ClassVar[int] = 1
    supplier: str
    cause: str  # field_failure, complaint or inspection_failed
    reference: str  # the claim, complaint or lot
    units_issued: Decimal
    field_failures: int
    failures_per_thousand: Decimal
    incidents: int
    lots_inspected: int
    lots_rejected: int
    rejection_rate: Decimal
