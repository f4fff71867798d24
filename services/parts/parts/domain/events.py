"""What the parts service tells the world. Each class is one event type and version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from shared.model import Event

from parts.domain.part_details import PartDetails


@dataclass(frozen=True)
class _PartEvent(Event):
    part_number: str


# The part events carry the part's details as their own fields, inherited from `PartDetails`
# (flat, in its order, after `part_number`): a field added to the details is announced without a
# change here. Keyword-only, so that their own fields may follow a detail field with a default.


@dataclass(frozen=True, kw_only=True)
class PartCreated(PartDetails, _PartEvent):
    """A part was added to the catalog: its state, who added it and why."""

    type: ClassVar[str] = "parts.part.created"
    version: ClassVar[int] = 1
    by: str
    superseded_by: str | None = None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class PartUpdated(PartDetails, _PartEvent):
    """The part's full state after the change, which fields changed (also `fitments` or
    `alternates`, which the event does not carry), who changed it and why."""

    type: ClassVar[str] = "parts.part.updated"
    version: ClassVar[int] = 1
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


@dataclass(frozen=True)
class SoldLot:
    """Quantity of a sold line that came from one lot, and who supplied that lot."""

    lot: str
    supplier: str
    quantity: Decimal


@dataclass(frozen=True)
class SoldLine:
    """One part of a counter sale, at the price that applied, with the lots it came from."""

    part_number: str
    location: str
    quantity: Decimal
    list_price: Decimal
    unit_price: Decimal
    price_source: str  # where unit_price came from: list_price, customer_group, group_price or promotion:CODE
    amount: Decimal  # unit_price x the units charged (free units of a buy-N promotion are not), to the fen
    lots: tuple[SoldLot, ...]


@dataclass(frozen=True)
class SaleCompleted(Event):
    """Parts sold over the counter were paid for, invoiced and handed over (配件销售出库): the
    parts warranty on them runs from `completed_at`. No personal data: `customer_id` is the
    trade account (null for a walk-in customer)."""

    type: ClassVar[str] = "parts.sale.completed"
    version: ClassVar[int] = 1
    sale: str
    customer_kind: str  # walk_in or trade
    customer_id: str | None
    customer_group: str | None
    vin: str | None
    invoice_number: str
    payment_method: str
    total: Decimal
    currency: str
    completed_at: datetime
    lines: tuple[SoldLine, ...]

    @property
    def subject(self) -> str:
        return self.sale


@dataclass(frozen=True)
class ReturnedPart:
    """Quantity of one sold line that came back into one lot, and the refund value it carries."""

    part_number: str
    location: str
    lot: str
    supplier: str
    quantity: Decimal
    condition: str  # unused (back on the shelf) or faulty (back in its lot, blocked)
    value: Decimal  # at the price paid, to the fen


@dataclass(frozen=True)
class SaleReturned(Event):
    """A customer brought parts of a completed counter sale back (销售退货): each went into the
    lot it was sold from, and the refund was recorded. `late`: after the dealer's return window,
    accepted by a parts manager. `exchange_sale`: the sales order opened for the replacement
    parts, if it is an exchange. No personal data."""

    type: ClassVar[str] = "parts.sale.returned"
    version: ClassVar[int] = 1
    sale: str
    sale_return: str
    customer_kind: str  # walk_in or trade
    customer_id: str | None
    returned_at: datetime
    late: bool
    refund_total: Decimal
    refund_method: str
    currency: str
    exchange_sale: str | None
    lines: tuple[ReturnedPart, ...]

    @property
    def subject(self) -> str:
        return self.sale


@dataclass(frozen=True)
class ExchangedLot:
    """Quantity of a warranty exchange that came from one lot, and who supplied that lot."""

    lot: str
    supplier: str
    quantity: Decimal


@dataclass(frozen=True)
class WarrantyExchangeIssued(Event):
    """The replacement for a parts-warranty case was issued from stock (保修换件出库), first in
    first out from the available lots; `lots`: which, and who supplied them. The faulty part's
    lot is the case's, not these."""

    type: ClassVar[str] = "parts.warranty_exchange.issued"
    version: ClassVar[int] = 1
    case: str
    sale: str
    part_number: str
    location: str
    quantity: Decimal
    lots: tuple[ExchangedLot, ...]
    issued_at: datetime

    @property
    def subject(self) -> str:
        return self.case
