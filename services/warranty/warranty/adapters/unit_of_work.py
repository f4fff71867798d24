from __future__ import annotations

from datetime import date, datetime

from shared.unit_of_work import UnitOfWork

from warranty.adapters import orm  # noqa: F401  (importing it maps the domain classes)
from warranty.adapters.attachment_store import AttachmentStore
from warranty.adapters.repositories import (
    AttachmentRepository,
    CatalogPartRepository,
    ClaimRepository,
    CoveragePlanRepository,
    InstalledPartRepository,
    LotRecallRepository,
    PartsWarrantyRepository,
    SupplierRecoveryRepository,
    TraceRepository,
    VehicleRepository,
)


class SqlWarrantyUnitOfWork(UnitOfWork):
    """`warranty.service.ports.WarrantyUnitOfWork` on one database session."""

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

    def __enter__(self):
        super().__enter__()
        self.vehicles = VehicleRepository(self.session)
        self.catalog = CatalogPartRepository(self.session)
        self.plans = CoveragePlanRepository(self.session)
        self.installed_parts = InstalledPartRepository(self.session)
        self.claims = ClaimRepository(self.session)
        self.recoveries = SupplierRecoveryRepository(self.session)
        self.lot_recalls = LotRecallRepository(self.session)
        self.traces = TraceRepository(self.session)
        self.attachments = AttachmentRepository(self.session)
        self.parts_warranty = PartsWarrantyRepository(self.session)
        return self

    @property
    def attachment_store(self) -> AttachmentStore:
        """Where attachments' bytes go: outside the transaction, so written before it commits."""
        return self.rules.attachment_store

    def local_date(self, moment: datetime) -> date:
        """The dealers' calendar day of a moment (an event's time), as `today()` is for now."""
        return moment.astimezone(self._local_zone).date()
