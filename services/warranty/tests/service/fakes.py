"""The ports of `warranty.service.ports`, kept in memory: use cases tested in milliseconds.

The transaction, dealer scoping, rollback, events and versions are `shared.fakes`'s (its
docstring says what they keep of the SQL adapters). What is warranty's: the repositories filter
and order as `warranty/adapters/repositories.py` does (a claim's vehicle history by id, the
parts fitted to a VIN by installation time, open recalls by lot, live claims, neither draft nor
cancelled, on the VIN or the repair order), and a VIN or a plan code taken, or a second policy,
raises what the adapter raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.db import DealerScope
from shared.errors import StaleVersion
from shared.fakes import MemoryRepository, MemoryStore, MemoryUnitOfWork

from warranty.config import WarrantyRules
from warranty.domain.attachment import Attachment
from warranty.domain.catalog import CatalogPart
from warranty.domain.claim import LIVE, Claim
from warranty.domain.coverage import CoveragePlan
from warranty.domain.eligibility import OpenCampaign
from warranty.domain.errors import CoveragePlanCodeTaken, VehicleAlreadyRegistered
from warranty.domain.installation import InstalledPart
from warranty.domain.lot_recall import OPEN, LotRecall
from warranty.domain.parts_warranty import PartsWarrantyCase, PartsWarrantyPolicy, SoldPart, SoldPartReturn
from warranty.domain.recovery import SupplierRecovery
from warranty.domain.vehicle import Vehicle

BEIJING = ZoneInfo("Asia/Shanghai")
# The rows whose version an If-Match names (the mappers' version_id_col).
VERSIONED = (Vehicle, CoveragePlan, Claim, SupplierRecovery, PartsWarrantyPolicy, PartsWarrantyCase)


@dataclass
class Rows:
    """Everything the store holds, each table in the order rows were added (their ids)."""

    vehicles: list[Vehicle] = field(default_factory=list)
    catalog: list[CatalogPart] = field(default_factory=list)
    plans: list[CoveragePlan] = field(default_factory=list)
    installed_parts: list[InstalledPart] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    recoveries: list[SupplierRecovery] = field(default_factory=list)
    lot_recalls: list[LotRecall] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    policies: list[PartsWarrantyPolicy] = field(default_factory=list)
    sold_parts: list[SoldPart] = field(default_factory=list)
    returns: list[SoldPartReturn] = field(default_factory=list)
    cases: list[PartsWarrantyCase] = field(default_factory=list)


class Store(MemoryStore):
    def __init__(self) -> None:
        super().__init__(Rows())


class FakeVehicles(MemoryRepository):
    def add(self, vehicle: Vehicle) -> None:
        if self._first("vehicles", vin=vehicle.vin) is not None:
            raise VehicleAlreadyRegistered(vehicle.vin)
        self._add("vehicles", vehicle)

    def get(self, vin: str) -> Vehicle | None:
        return self._first("vehicles", vin=vin)

    get_for_update = get


class FakeCatalog(MemoryRepository):
    def add(self, part: CatalogPart) -> None:
        self._add("catalog", part)

    def get(self, part_number: str) -> CatalogPart | None:
        return self._first("catalog", part_number=part_number)

    get_for_update = get


class FakePlans(MemoryRepository):
    def add(self, plan: CoveragePlan) -> None:
        if self._first("plans", code=plan.code) is not None:
            raise CoveragePlanCodeTaken(plan.code)
        self._add("plans", plan)

    def get(self, code: str) -> CoveragePlan | None:
        return self._first("plans", code=code)

    get_for_update = get

    def load_unless_loaded(self, plans: list[CoveragePlan]) -> bool:
        if self._visible("plans"):
            return False
        for plan in plans:
            self._add("plans", plan)
        return True


class FakeInstalledParts(MemoryRepository):
    def add(self, part: InstalledPart) -> None:
        self._add("installed_parts", part)

    def get_for_update(self, issue: str, part_number: str, lot: str) -> InstalledPart | None:
        return self._first("installed_parts", issue=issue, part_number=part_number, lot=lot)


class FakeClaims(MemoryRepository):
    def add(self, claim: Claim) -> None:
        self._add("claims", claim)

    def get(self, claim_number: str) -> Claim | None:
        return self._first("claims", claim_number=claim_number)

    get_for_update = get

    def vin_of(self, claim_number: str) -> str | None:
        # A column, not the claim: the session does not hold it afterwards.
        return next((claim.vin for claim in self._visible("claims") if claim.claim_number == claim_number), None)

    def on_vehicle(self, vin: str) -> list[Claim]:
        return self._where("claims", lambda claim: claim.vin == vin)

    def live_on(self, vin: str, repair_order: str) -> list[Claim]:
        return self._where("claims", lambda claim: (claim.vin == vin or claim.header.repair_order == repair_order)
                           and claim.status in LIVE)


class FakeRecoveries(MemoryRepository):
    def add(self, recovery: SupplierRecovery) -> None:
        self._add("recoveries", recovery)

    def for_claim(self, claim_number: str) -> SupplierRecovery | None:
        return self._first("recoveries", claim_number=claim_number)

    get_for_update = for_claim


class FakeLotRecalls(MemoryRepository):
    def add(self, recall: LotRecall) -> None:
        self._add("lot_recalls", recall)

    def get_for_update(self, lot: str) -> LotRecall | None:
        return self._first("lot_recalls", lot=lot)


class FakeTraces(MemoryRepository):
    def fitted_to(self, vin: str) -> list[InstalledPart]:
        fitted = self._where("installed_parts", lambda part: part.vin == vin and part.installed_on is not None
                             and part.issued_quantity > part.returned_quantity)
        return sorted(fitted, key=lambda part: (part.installed_at, part.id))

    def catalog(self, part_numbers: set[str]) -> dict[str, CatalogPart]:
        found = self._where("catalog", lambda part: part.part_number in part_numbers)
        return {part.part_number: part for part in found}

    def plans(self) -> list[CoveragePlan]:
        return self._where("plans", lambda plan: True)

    def open_recalls(self, vin: str) -> tuple[OpenCampaign, ...]:
        # Columns only, as the adapter's one statement: neither recall nor part is loaded.
        fitted_lots = {part.lot for part in self._visible("installed_parts")
                       if part.vin == vin and part.issued_quantity > part.returned_quantity}
        categories = {part.part_number: getattr(part, "category", None) for part in self._visible("catalog")}
        recalls = sorted((recall for recall in self._visible("lot_recalls") if recall.status == OPEN
                          and (recall.lot in fitted_lots or vin in recall.affected_vins)), key=lambda r: r.lot)
        return tuple(OpenCampaign.of_recall(recall, categories.get(recall.part_number)) for recall in recalls)


class FakeAttachments(MemoryRepository):
    def add(self, attachment: Attachment) -> None:
        self._add("attachments", attachment)


class FakePartsWarranty(MemoryRepository):
    def policy(self) -> PartsWarrantyPolicy | None:
        return self._first("policies")

    policy_for_update = policy

    def add_policy(self, policy: PartsWarrantyPolicy) -> None:
        if self._visible("policies"):
            raise StaleVersion("the policy was saved meanwhile; reload it and try again",
                               expected_version=0, current_version=1)
        self._add("policies", policy)

    def add_sold_part(self, part: SoldPart) -> None:
        self._add("sold_parts", part)

    def sold_part(self, sale: str, part_number: str, lot: str) -> SoldPart | None:
        return self._first("sold_parts", sale=sale, part_number=part_number, lot=lot)

    sold_part_for_update = sold_part

    def parts_sold_on(self, sale: str) -> set[str]:
        return {part.part_number for part in self._visible("sold_parts") if part.sale == sale}

    def add_return(self, taken_back: SoldPartReturn) -> None:
        self._add("returns", taken_back)

    def return_recorded(self, sale_return: str, part_number: str, lot: str) -> bool:
        return self._first("returns", sale_return=sale_return, part_number=part_number, lot=lot) is not None

    def returned_before_sale(self, sale: str, part_number: str, lot: str) -> Decimal:
        returned = self._where("returns", lambda row: (row.sale, row.part_number, row.lot) == (sale, part_number, lot))
        return sum((row.quantity for row in returned), Decimal("0"))

    def add_case(self, case: PartsWarrantyCase) -> None:
        self._add("cases", case)

    def case_for_update(self, number: str) -> PartsWarrantyCase | None:
        return self._first("cases", number=number)


class FakeAttachmentStore:
    """Bytes by key, as the folder or the bucket keeps them."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, content: bytes, content_type: str) -> None:
        self.files[key] = (content, content_type)

    def delete(self, key: str) -> None:
        self.files.pop(key, None)


class FakeUnitOfWork(MemoryUnitOfWork):
    versioned = VERSIONED

    def __init__(self, store: Store, *, dealer: DealerScope, actor: str | None, rules: WarrantyRules,
                 clock: Callable[[], datetime], attachment_store: FakeAttachmentStore):
        super().__init__(store, dealer=dealer, actor=actor, rules=rules, clock=clock, local_zone=BEIJING)
        self.attachment_store = attachment_store

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.vehicles = FakeVehicles(self)
        self.catalog = FakeCatalog(self)
        self.plans = FakePlans(self)
        self.installed_parts = FakeInstalledParts(self)
        self.claims = FakeClaims(self)
        self.recoveries = FakeRecoveries(self)
        self.lot_recalls = FakeLotRecalls(self)
        self.traces = FakeTraces(self)
        self.attachments = FakeAttachments(self)
        self.parts_warranty = FakePartsWarranty(self)
        return self


class FakeUnitsOfWork:
    """Makes units of work as the API and the consumers get them: every one on the same store,
    rules, clock and attachment store."""

    def __init__(self, store: Store, rules: WarrantyRules, clock: Callable[[], datetime],
                 attachment_store: FakeAttachmentStore):
        self.store, self.rules, self._clock, self.attachment_store = store, rules, clock, attachment_store

    def __call__(self, *, dealer: DealerScope, actor: str | None, correlation_id: str) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, dealer=dealer, actor=actor, rules=self.rules, clock=self._clock,
                              attachment_store=self.attachment_store)
