"""What the use cases need from the world, said as protocols: a unit of work with its repositories,
and a factory of them for the jobs.

`parts.adapters` implements them on SQLAlchemy (SQLite or PostgreSQL); `tests/service/fakes.py`
keeps them in memory, so the use cases can be tested in milliseconds. The use cases import these
names, never the adapters. Each repository lists only what the use cases call; what only the
unit of work's commit calls (writing the ledger and the parts' history, settling reservations)
is the adapter's own business.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, Self

from shared.db import DealerScope

from parts.config import PartsRules
from parts.domain.catalog import Part
from parts.domain.counting import StockCount
from parts.domain.documents import IssueSlip, Receipt
from parts.domain.pricing import Promotion
from parts.domain.purchasing import PurchaseOrder
from parts.domain.quality import QualityFigures, QualityIncident
from parts.domain.sales import CustomerGroup, SalesOrder
from parts.domain.stock import PartStock, ReservationStatus
from parts.domain.supply import Location, Lot, Supplier
from parts.domain.warranty_exchange import WarrantyExchange


class PartRepository(Protocol):
    def add(self, part: Part) -> None:
        """Raises `PartNumberTaken` if the number was added meanwhile."""

    def get(self, part_number: str) -> Part | None: ...

    def require(self, part_number: str, *, field: str) -> Part:
        """The part, or `PartNotFound` naming the request's `field`."""

    def require_alone(self, part_number: str, *, field: str) -> Part:
        """As `require`, for a use case that reads the part's own fields and nothing else."""

    def get_for_update(self, part_number: str) -> Part | None:
        """Load and lock it; its history entry is written with the commit."""

    def of(self, part_numbers: Iterable[str]) -> dict[str, Part]:
        """The parts of these numbers, exactly as given, by number."""

    def existing(self, part_numbers: Iterable[str]) -> set[str]:
        """Which of these numbers are in the catalog, exactly as given."""

    def spellings(self, part_numbers: Iterable[str]) -> dict[str, str]:
        """The catalog's numbers that are these in any case, keyed by lower case."""

    def current(self, part_number: str) -> Part | None:
        """The part itself, or the last of its chain of successors."""

    def successors(self, part_number: str) -> list[str]: ...


class SupplierRepository(Protocol):
    def add(self, supplier: Supplier) -> None:
        """Raises `SupplierCodeTaken` if the code was added meanwhile."""

    def get(self, code: str) -> Supplier | None: ...

    def get_for_update(self, code: str) -> Supplier | None: ...


class LocationRepository(Protocol):
    def add(self, location: Location) -> None:
        """Raises `LocationCodeTaken` if the code was added meanwhile."""

    def get(self, code: str) -> Location | None: ...

    def require(self, code: str, *, field: str) -> Location:
        """The location, or `LocationNotFound` naming the request's `field`."""


class LotRepository(Protocol):
    def add(self, lot: Lot) -> None: ...

    def get(self, code: str) -> Lot | None: ...

    def get_for_update(self, code: str) -> Lot | None: ...


class WhereReserved(Protocol):
    """Where a reservation is held, and how it stands: what to lock before changing it."""

    part_number: str
    location: str
    status: ReservationStatus


class StockRepository(Protocol):
    """Part stocks. Whatever it hands out for change has its ledger rows written with the commit."""

    def get(self, part_number: str, location: str) -> PartStock | None:
        """For reading only: not locked, so nothing may be changed on it."""

    def get_for_update(self, part_number: str, location: str, *, reservations: bool = True) -> PartStock | None:
        """Locked, with its active reservations unless the change only adds one (`reservations=False`)."""

    def get_or_create_for_update(self, part_number: str, location: str, *, reservations: bool = True) -> PartStock:
        """Likewise; created empty if there is none yet."""

    def to_reserve(self, part_number: str, location: str) -> PartStock | None:
        """The stock for one reservation, read without its lock and without its reservations;
        the commit checks the reservation still fits and raises `StockMoved` if not. None when
        the adapter cannot reserve that way (the caller then locks first)."""

    def where_reserved(self, number: str) -> WhereReserved | None: ...

    def holding_reservation_for_update(self, number: str) -> PartStock | None:
        """The stock the reservation is held at, locked."""

    def holds(self, part_number: str) -> bool:
        """Whether any location holds stock of the part or an open reservation for it."""

    def expired_reservations(self, now: datetime, limit: int) -> list[tuple[str, str, str, str]]:
        """(dealer, number, part number, location) of active reservations past their expiry."""

    def locations_holding(self, part_number: str) -> list[str]:
        """The locations with some lot of the part, by code; not locked."""

    def locations_of_lot(self, lot: str) -> list[str]: ...

    def lots_at(self, location: str, part_numbers: list[str] | None) -> list[tuple[str, str]]:
        """(part number, lot) of every lot with stock at the location."""

    def usage(self, part_number: str, location: str, *, since: datetime) -> list[tuple[datetime, Decimal]]:
        """What was issued and sold (less what came back) since a time, from the ledger."""

    def lead_time_of(self, part_number: str) -> int | None:
        """The lead time of the supplier the part last came from."""

    def demand_driven(self) -> list[tuple[str, str, str]]:
        """(dealer, part number, location) of stocks whose rule follows demand."""


class DocumentRepository(Protocol):
    def add(self, document: Receipt | IssueSlip) -> None: ...

    def vins_of_lot(self, lot: str) -> list[str]:
        """Every vehicle that still has a part of this lot fitted, by VIN."""

    def issue_for_update(self, number: str) -> IssueSlip | None: ...


class CountRepository(Protocol):
    def add(self, count: StockCount) -> None: ...

    def get_for_update(self, number: str) -> StockCount | None: ...


class PurchaseOrderRepository(Protocol):
    def add(self, order: PurchaseOrder) -> None: ...

    def get_for_update(self, number: str) -> PurchaseOrder | None: ...


class QualityRepository(Protocol):
    def add_unless_present(self, incident: QualityIncident) -> bool:
        """False if this claim or complaint was already counted."""

    def take_back(self, kind: str, reference: str) -> QualityIncident | None:
        """Remove the incident of this claim or complaint, if it was counted."""

    def incidents_on_lot(self, lot: str) -> int: ...

    def figures(self, supplier: Supplier) -> QualityFigures: ...


class CustomerGroupRepository(Protocol):
    def add(self, group: CustomerGroup) -> None:
        """Raises `CustomerGroupCodeTaken` if the code was added meanwhile."""

    def get(self, code: str) -> CustomerGroup | None: ...

    def get_for_update(self, code: str) -> CustomerGroup | None: ...


class SalesOrderRepository(Protocol):
    def add(self, order: SalesOrder) -> None: ...

    def get_for_update(self, number: str) -> SalesOrder | None: ...


class PromotionRepository(Protocol):
    def add(self, promotion: Promotion) -> None:
        """Raises `PromotionCodeTaken` if the code was added meanwhile."""

    def get(self, code: str) -> Promotion | None: ...

    def get_for_update(self, code: str) -> Promotion | None: ...

    def running_on(self, day: date) -> list[Promotion]:
        """The active promotions whose period holds the day, by code."""

    def known_category(self, category: str) -> bool:
        """Some part of the catalog is in it (any case)."""


class WarrantyExchangeRepository(Protocol):
    def add(self, exchange: WarrantyExchange) -> None: ...

    def get(self, case: str) -> WarrantyExchange | None: ...

    def get_for_update(self, case: str) -> WarrantyExchange | None: ...


class PartsUnitOfWork(Protocol):
    """One business transaction of one dealer (or of all, for a job's finder): `with uow:` opens
    it, `uow.commit()` keeps the change with its ledger rows, the parts' history entries and the
    events its aggregates raised; leaving the block without committing throws all of it away.
    A commit may raise `StockMoved` (see `StockRepository.to_reserve`)."""

    dealer: DealerScope
    actor: str | None
    rules: PartsRules  # read once at start
    parts: PartRepository
    suppliers: SupplierRepository
    locations: LocationRepository
    lots: LotRepository
    stock: StockRepository
    documents: DocumentRepository
    counts: CountRepository
    orders: PurchaseOrderRepository
    quality: QualityRepository
    customer_groups: CustomerGroupRepository
    sales: SalesOrderRepository
    promotions: PromotionRepository
    warranty_exchanges: WarrantyExchangeRepository

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def now(self) -> datetime: ...

    def today(self) -> date:
        """The dealers' business date (Beijing's, not UTC's): what document numbers carry."""

    def commit(self) -> None: ...


class UnitsOfWork(Protocol):
    """Makes units of work: the jobs open one to find their work, then one per reservation or stock."""

    rules: PartsRules

    def __call__(self, *, dealer: DealerScope, actor: str | None, correlation_id: str) -> PartsUnitOfWork: ...
