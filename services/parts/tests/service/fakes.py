"""The ports of `parts.service.ports`, kept in memory: the counter's use cases tested in milliseconds.

The transaction, dealer scoping, rollback, events and versions are `shared.fakes`'s (its
docstring says what they keep of the SQL adapters). What is parts':
- `commit()` also does what `SqlPartsUnitOfWork.commit` does that the rules depend on: the ledger
  rows of the stocks touched go to `store.ledger`, the history entries of the parts touched to
  `store.part_history`, and the reservations the stocks took join the reservations (where a
  release, an issue or the expiry sweep finds them);
- a stock comes with its active reservations only (none with `reservations=False`), as the
  mapper loads them; adding a second row with the same code raises what the adapter raises;
- `to_reserve` answers None, as on SQLite: reservations are made the locked way. Taking the
  lock last and `StockMoved` are the adapters' to test, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from shared.db import DealerScope
from shared.errors import DomainError
from shared.fakes import MemoryRepository, MemoryStore, MemoryUnitOfWork

from parts.adapters.repositories import PartRepository
from parts.config import PartsRules
from parts.domain.catalog import Part, PartChange
from parts.domain.counting import StockCount
from parts.domain.documents import IssueSlip, Receipt
from parts.domain.errors import (
    CustomerGroupCodeTaken,
    LocationCodeTaken,
    LocationNotFound,
    PartNotFound,
    PartNumberTaken,
    PromotionCodeTaken,
    SupplierCodeTaken,
)
from parts.domain.pricing import ACTIVE, Promotion
from parts.domain.purchasing import PurchaseOrder
from parts.domain.quality import QualityFigures, QualityIncident
from parts.domain.sales import CustomerGroup, SalesOrder
from parts.domain.stock import Movement, PartStock, Reservation, ReservationStatus
from parts.domain.supply import Inspection, Location, Lot, Supplier
from parts.domain.warranty_exchange import WarrantyExchange

BEIJING = ZoneInfo("Asia/Shanghai")
# The rows whose version an If-Match names, or that a change made without the lock would trip on
# (the mappers' version_id_col).
VERSIONED = (Part, Supplier, Lot, PartStock, StockCount, PurchaseOrder, CustomerGroup, Promotion, SalesOrder,
             WarrantyExchange)
# The ledger rows that are demand: issued and sold, less what came back.
USED = ("issue", "return", "sale", "sale_return")


@dataclass
class Rows:
    """Everything the store holds: what a transaction copies, and puts back when it rolls back."""

    parts: list[Part] = field(default_factory=list)
    part_history: list[PartChange] = field(default_factory=list)
    suppliers: list[Supplier] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    stocks: list[PartStock] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)
    ledger: list[Movement] = field(default_factory=list)
    documents: list[Receipt | IssueSlip] = field(default_factory=list)
    counts: list[StockCount] = field(default_factory=list)
    orders: list[PurchaseOrder] = field(default_factory=list)
    incidents: list[QualityIncident] = field(default_factory=list)
    customer_groups: list[CustomerGroup] = field(default_factory=list)
    sales: list[SalesOrder] = field(default_factory=list)
    promotions: list[Promotion] = field(default_factory=list)
    warranty_exchanges: list[WarrantyExchange] = field(default_factory=list)


class Store(MemoryStore):
    def __init__(self) -> None:
        super().__init__(Rows())

    @property
    def ledger(self) -> list[Movement]:
        return self.rows.ledger

    def movements(self, kind: str) -> list[Movement]:
        return [movement for movement in self.ledger if movement.kind == kind]

    def stock(self, part_number: str, location: str = "MAIN", dealer: str = "D001") -> PartStock | None:
        """The stock as committed, with its active reservations."""
        stock = next((s for s in self.rows.stocks
                      if (s.dealer, s.part_number, s.location) == (dealer, part_number, location)), None)
        if stock is not None:
            stock.reservations = _active_reservations(self.rows, stock)
        return stock

    def reservation(self, number: str) -> Reservation | None:
        return next((r for r in self.rows.reservations if r.number == number), None)


def _active_reservations(rows: Rows, stock: PartStock) -> list[Reservation]:
    return [r for r in rows.reservations if r.status == ReservationStatus.ACTIVE
            and (r.dealer, r.part_number, r.location) == (stock.dealer, stock.part_number, stock.location)]


class _Table(MemoryRepository):
    """One dealer's rows of one table (`table`), found by `key`."""

    table: str
    key: str
    taken: Callable[[str], DomainError] | None = None  # what adding a second row of the same key raises

    def add(self, row) -> None:
        if self.taken is not None and self._find(getattr(row, self.key)) is not None:
            raise self.taken(getattr(row, self.key))
        self._add(self.table, row)

    def get(self, value):
        return self._uow.loaded(self._find(value))

    def get_for_update(self, value):
        return self.get(value)

    def _find(self, value):
        return next((row for row in self._visible(self.table) if getattr(row, self.key) == value), None)


class FakeParts(_Table):
    table, key = "parts", "part_number"

    def add(self, part: Part) -> None:
        if self.spellings([part.part_number]):  # the number's key is unique in any case
            raise PartNumberTaken(part.part_number)
        super().add(part)

    def require(self, part_number: str, *, field: str) -> Part:
        part = self.get(part_number)
        if part is None:
            raise PartNotFound(part_number, field=field)
        return part

    require_alone = require

    def of(self, part_numbers: Iterable[str]) -> dict[str, Part]:
        asked = set(part_numbers)
        return {part.part_number: self._uow.loaded(part) for part in self._visible(self.table)
                if part.part_number in asked}

    def existing(self, part_numbers: Iterable[str]) -> set[str]:
        return set(self.of(part_numbers))

    def spellings(self, part_numbers: Iterable[str]) -> dict[str, str]:
        lowered = {number.lower() for number in part_numbers}
        return {part.part_number.lower(): part.part_number for part in self._visible(self.table)
                if part.part_number.lower() in lowered}

    # Walked as the adapter walks them, over this fake's `get`.
    current = PartRepository.current
    successors = PartRepository.successors


class FakeSuppliers(_Table):
    table, key, taken = "suppliers", "code", SupplierCodeTaken


class FakeLocations(_Table):
    table, key, taken = "locations", "code", LocationCodeTaken

    def require(self, code: str, *, field: str) -> Location:
        location = self.get(code)
        if location is None:
            raise LocationNotFound(code, field=field)
        return location


class FakeLots(_Table):
    table, key = "lots", "code"


class Where(NamedTuple):
    part_number: str
    location: str
    status: ReservationStatus


class FakeStock(_Table):
    table = "stocks"

    def get(self, part_number: str, location: str) -> PartStock | None:
        stock = self._at(part_number, location)
        if stock is not None:
            stock.reservations = _active_reservations(self._rows, stock)
        return self._uow.loaded(stock)

    def get_for_update(self, part_number: str, location: str, *, reservations: bool = True) -> PartStock | None:
        stock = self._at(part_number, location)
        if stock is not None:
            self._hand_out(stock, reservations)
        return stock

    def get_or_create_for_update(self, part_number: str, location: str, *, reservations: bool = True) -> PartStock:
        stock = self.get_for_update(part_number, location, reservations=reservations)
        if stock is None:
            stock = PartStock(self._uow.dealer, part_number, location)
            stock.version = 1  # as inserted empty
            self._rows.stocks.append(stock)
            self._hand_out(stock, reservations)
        return stock

    def to_reserve(self, part_number: str, location: str) -> PartStock | None:
        return None  # as on SQLite: the use case locks first

    def where_reserved(self, number: str) -> Where | None:
        found = next((r for r in self._visible("reservations") if r.number == number), None)
        return None if found is None else Where(found.part_number, found.location, found.status)

    def holding_reservation_for_update(self, number: str) -> PartStock | None:
        found = self.where_reserved(number)
        return None if found is None else self.get_for_update(found.part_number, found.location)

    def holds(self, part_number: str) -> bool:
        stocked = any(s.balances for s in self._visible(self.table) if s.part_number == part_number)
        return stocked or any(r.part_number == part_number and r.status == ReservationStatus.ACTIVE
                              for r in self._visible("reservations"))

    def expired_reservations(self, now: datetime, limit: int) -> list[tuple[str, str, str, str]]:
        due = sorted((r for r in self._visible("reservations")
                      if r.status == ReservationStatus.ACTIVE and r.expires_at <= now), key=lambda r: r.expires_at)
        return [(r.dealer, r.number, r.part_number, r.location) for r in due[:limit]]

    def locations_holding(self, part_number: str) -> list[str]:
        return sorted(s.location for s in self._visible(self.table) if s.part_number == part_number and s.balances)

    def locations_of_lot(self, lot: str) -> list[str]:
        return sorted({s.location for s in self._visible(self.table) if s.balance(lot) is not None})

    def lots_at(self, location: str, part_numbers: list[str] | None) -> list[tuple[str, str]]:
        return [(s.part_number, b.lot) for s in self._visible(self.table) if s.location == location
                and (not part_numbers or s.part_number in part_numbers) for b in s.balances]

    def usage(self, part_number: str, location: str, *, since: datetime) -> list[tuple[datetime, Decimal]]:
        return [(m.at, -m.on_hand_change) for m in self._visible("ledger")
                if (m.part_number, m.location) == (part_number, location) and m.kind in USED and m.at >= since]

    def lead_time_of(self, part_number: str) -> int | None:
        lots = sorted((lot for lot in self._visible("lots") if lot.part_number == part_number),
                      key=lambda lot: lot.received_at)
        if not lots:
            return None
        supplier = next((s for s in self._visible("suppliers") if s.code == lots[-1].supplier), None)
        return None if supplier is None else supplier.lead_time_days

    def demand_driven(self) -> list[tuple[str, str, str]]:
        return [(s.dealer, s.part_number, s.location) for s in self._visible(self.table) if s.rule.mode == "demand"]

    def _at(self, part_number: str, location: str) -> PartStock | None:
        return next((s for s in self._visible(self.table)
                     if (s.part_number, s.location) == (part_number, location)), None)

    def _hand_out(self, stock: PartStock, reservations: bool) -> None:
        stock.reservations = _active_reservations(self._rows, stock) if reservations else []
        self._uow.loaded(stock)


class FakeDocuments(_Table):
    table, key = "documents", "number"

    def vins_of_lot(self, lot: str) -> list[str]:
        return sorted({slip.vin for slip in self._issue_slips()
                       if any(line.lot == lot and line.quantity > line.returned for line in slip.lines)})

    def issue_for_update(self, number: str) -> IssueSlip | None:
        return self._uow.loaded(next((slip for slip in self._issue_slips() if slip.number == number), None))

    def _issue_slips(self) -> list[IssueSlip]:
        return [document for document in self._visible(self.table) if isinstance(document, IssueSlip)]


class FakeCounts(_Table):
    table, key = "counts", "number"


class FakeOrders(_Table):
    table, key = "orders", "number"


class FakeQuality(_Table):
    table = "incidents"

    def add_unless_present(self, incident: QualityIncident) -> bool:
        if self._counted(incident.kind, incident.reference) is not None:
            return False
        self.add(incident)
        return True

    def take_back(self, kind: str, reference: str) -> QualityIncident | None:
        incident = self._counted(kind, reference)
        if incident is not None:
            self._rows.incidents.remove(incident)
        return incident

    def incidents_on_lot(self, lot: str) -> int:
        return sum(1 for incident in self._visible(self.table) if incident.lot == lot)

    def figures(self, supplier: Supplier) -> QualityFigures:
        issued = sum((line.quantity - line.returned for document in self._visible("documents")
                      if isinstance(document, IssueSlip) for line in document.lines if line.supplier == supplier.code),
                     Decimal(0))
        inspected = [lot for lot in self._visible("lots")
                     if lot.supplier == supplier.code and lot.inspection is not Inspection.PENDING]
        return QualityFigures(units_issued=issued, field_failures=supplier.field_failures,
                              incidents=supplier.incidents, lots_inspected=len(inspected),
                              lots_rejected=sum(1 for lot in inspected if lot.inspection is Inspection.FAILED))

    def _counted(self, kind: str, reference: str) -> QualityIncident | None:
        return next((i for i in self._visible(self.table) if (i.kind, i.reference) == (kind, reference)), None)


class FakeCustomerGroups(_Table):
    table, key, taken = "customer_groups", "code", CustomerGroupCodeTaken


class FakeSales(_Table):
    table, key = "sales", "number"


class FakePromotions(_Table):
    table, key, taken = "promotions", "code", PromotionCodeTaken

    def running_on(self, day: date) -> list[Promotion]:
        running = (p for p in self._visible(self.table) if p.status == ACTIVE and p.starts_on <= day <= p.ends_on)
        return [self._uow.loaded(p) for p in sorted(running, key=lambda p: p.code)]

    def known_category(self, category: str) -> bool:
        return any(part.details.category.lower() == category.lower() for part in self._visible("parts"))


class FakeWarrantyExchanges(_Table):
    table, key = "warranty_exchanges", "case"


class FakeUnitOfWork(MemoryUnitOfWork):
    versioned = VERSIONED

    def __init__(self, store: Store, *, dealer: DealerScope, actor: str | None, rules: PartsRules,
                 clock: Callable[[], datetime]):
        super().__init__(store, dealer=dealer, actor=actor, rules=rules, clock=clock, local_zone=BEIJING)

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.parts = FakeParts(self)
        self.suppliers = FakeSuppliers(self)
        self.locations = FakeLocations(self)
        self.lots = FakeLots(self)
        self.stock = FakeStock(self)
        self.documents = FakeDocuments(self)
        self.counts = FakeCounts(self)
        self.orders = FakeOrders(self)
        self.quality = FakeQuality(self)
        self.customer_groups = FakeCustomerGroups(self)
        self.sales = FakeSales(self)
        self.promotions = FakePromotions(self)
        self.warranty_exchanges = FakeWarrantyExchanges(self)
        return self

    def commit(self) -> None:
        rows = self.store.rows
        for row in self.touched():
            if isinstance(row, PartStock):
                rows.ledger.extend(row.movements)
                row.movements.clear()
                rows.reservations.extend(r for r in row.reservations if r not in rows.reservations)
            elif isinstance(row, Part):
                if row.revision is not None:
                    rows.part_history.append(row.revision)
                row.revision_written()
        super().commit()


class FakeUnitsOfWork:
    """The factory the jobs get: every unit of work on the same store, rules and clock."""

    def __init__(self, store: Store, rules: PartsRules, clock: Callable[[], datetime]):
        self.store, self.rules, self._clock = store, rules, clock

    def __call__(self, *, dealer: DealerScope, actor: str | None, correlation_id: str) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, dealer=dealer, actor=actor, rules=self.rules, clock=self._clock)
