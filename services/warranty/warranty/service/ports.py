"""What the use cases need from the world, said as protocols: a unit of work with its repositories,
and the store that keeps attachments' bytes.

`warranty.adapters` implements them on SQLAlchemy (SQLite or PostgreSQL) and on a folder or an
S3-compatible bucket; `tests/service/fakes.py` keeps them in memory, so the use cases can be
tested in milliseconds. The use cases import these names, never the adapters. Every repository
sees one dealer's rows only (the sessions are dealer-scoped), so no method names the dealer.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, Self

from shared.db import DealerScope

from warranty.config import WarrantyRules
from warranty.domain.attachment import Attachment
from warranty.domain.catalog import CatalogPart
from warranty.domain.claim import Claim
from warranty.domain.coverage import CoveragePlan
from warranty.domain.eligibility import OpenCampaign
from warranty.domain.installation import InstalledPart
from warranty.domain.lot_recall import LotRecall
from warranty.domain.parts_warranty import PartsWarrantyCase, PartsWarrantyPolicy, SoldPart, SoldPartReturn
from warranty.domain.recovery import SupplierRecovery
from warranty.domain.vehicle import Vehicle


class VehicleRepository(Protocol):
    def add(self, vehicle: Vehicle) -> None:
        """Raises `VehicleAlreadyRegistered` when the VIN was registered meanwhile."""

    def get(self, vin: str) -> Vehicle | None: ...

    def get_for_update(self, vin: str) -> Vehicle | None:
        """Locked, so two readings recorded at once are each judged against the other."""


class CatalogPartRepository(Protocol):
    def add(self, part: CatalogPart) -> None: ...

    def get(self, part_number: str) -> CatalogPart | None: ...

    def get_for_update(self, part_number: str) -> CatalogPart | None: ...


class CoveragePlanRepository(Protocol):
    def add(self, plan: CoveragePlan) -> None:
        """Raises `CoveragePlanCodeTaken` when the code was taken meanwhile."""

    def get(self, code: str) -> CoveragePlan | None: ...

    def get_for_update(self, code: str) -> CoveragePlan | None: ...

    def load_unless_loaded(self, plans: list[CoveragePlan]) -> bool:
        """Add the dealer's first plans; False if it has plans already (they stand)."""


class InstalledPartRepository(Protocol):
    def add(self, part: InstalledPart) -> None: ...

    def get_for_update(self, issue: str, part_number: str, lot: str) -> InstalledPart | None: ...


class ClaimRepository(Protocol):
    def add(self, claim: Claim) -> None: ...

    def get(self, claim_number: str) -> Claim | None: ...

    def get_for_update(self, claim_number: str) -> Claim | None:
        """Locked: two managers deciding at once are decided one after the other."""

    def vin_of(self, claim_number: str) -> str | None: ...

    def on_vehicle(self, vin: str) -> list[Claim]:
        """Every claim on the VIN, oldest first."""

    def live_on(self, vin: str, repair_order: str) -> list[Claim]:
        """Claims filed with the manufacturer (not drafts, not cancelled) on the VIN or the repair order."""


class SupplierRecoveryRepository(Protocol):
    def add(self, recovery: SupplierRecovery) -> None: ...

    def for_claim(self, claim_number: str) -> SupplierRecovery | None: ...

    def get_for_update(self, claim_number: str) -> SupplierRecovery | None:
        """Locked, with its history: two managers' steps apply one after the other."""


class LotRecallRepository(Protocol):
    def add(self, recall: LotRecall) -> None: ...

    def get_for_update(self, lot: str) -> LotRecall | None: ...


class TraceRepository(Protocol):
    """What the parts service's issues tell about the parts on a vehicle, with catalog facts."""

    def fitted_to(self, vin: str) -> list[InstalledPart]:
        """The parts on the vehicle now (installed, not all returned), in the order they went in."""

    def catalog(self, part_numbers: set[str]) -> dict[str, CatalogPart]: ...

    def plans(self) -> list[CoveragePlan]: ...

    def open_recalls(self, vin: str) -> tuple[OpenCampaign, ...]:
        """The open lot recalls that name the vehicle, or a lot still fitted to it, by lot."""


class AttachmentRepository(Protocol):
    def add(self, attachment: Attachment) -> None: ...


class PartsWarrantyRepository(Protocol):
    """The dealer's parts-warranty policy, the parts it sold under warranty, and their cases."""

    def policy(self) -> PartsWarrantyPolicy | None: ...

    def policy_for_update(self) -> PartsWarrantyPolicy | None: ...

    def add_policy(self, policy: PartsWarrantyPolicy) -> None:
        """Raises `StaleVersion` when another manager saved the first policy meanwhile."""

    def add_sold_part(self, part: SoldPart) -> None: ...

    def sold_part(self, sale: str, part_number: str, lot: str) -> SoldPart | None: ...

    def sold_part_for_update(self, sale: str, part_number: str, lot: str) -> SoldPart | None: ...

    def parts_sold_on(self, sale: str) -> set[str]:
        """The part numbers the sale recorded."""

    def add_return(self, taken_back: SoldPartReturn) -> None: ...

    def return_recorded(self, sale_return: str, part_number: str, lot: str) -> bool: ...

    def returned_before_sale(self, sale: str, part_number: str, lot: str) -> Decimal:
        """What returns of the sale recorded so far took back of the part and lot."""

    def add_case(self, case: PartsWarrantyCase) -> None: ...

    def case_for_update(self, number: str) -> PartsWarrantyCase | None: ...


class AttachmentStore(Protocol):
    """Where attachments' bytes go, by key: outside any transaction."""

    def put(self, key: str, content: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None:
        """Remove the bytes under `key`, if there are any."""


class WarrantyUnitOfWork(Protocol):
    """One business transaction of one dealer: `with uow:` opens it, `uow.commit()` keeps the
    change and the events its aggregates raised, leaving the block without committing throws
    both away."""

    dealer: DealerScope
    actor: str | None
    rules: WarrantyRules  # read once at start
    committed: bool  # whether `commit()` went through
    vehicles: VehicleRepository
    catalog: CatalogPartRepository
    plans: CoveragePlanRepository
    installed_parts: InstalledPartRepository
    claims: ClaimRepository
    recoveries: SupplierRecoveryRepository
    lot_recalls: LotRecallRepository
    traces: TraceRepository
    attachments: AttachmentRepository
    parts_warranty: PartsWarrantyRepository

    @property
    def attachment_store(self) -> AttachmentStore:
        """Written before the transaction commits; the use case removes what it wrote if it does not."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def now(self) -> datetime: ...

    def today(self) -> date:
        """The dealers' calendar day now (Beijing's midnight, not UTC's)."""

    def local_date(self, moment: datetime) -> date:
        """The dealers' calendar day of a moment (an event's time)."""

    def commit(self) -> None: ...
