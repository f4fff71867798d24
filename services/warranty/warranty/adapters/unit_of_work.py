from __future__ import annotations

from shared.unit_of_work import UnitOfWork

from warranty.adapters import orm  # noqa: F401  (importing it maps the domain classes)
from warranty.adapters.repositories import CatalogPartRepository, VehicleRepository


class WarrantyUnitOfWork(UnitOfWork):
    vehicles: VehicleRepository
    catalog: CatalogPartRepository

    def __enter__(self):
        super().__enter__()
        self.vehicles = VehicleRepository(self.session)
        self.catalog = CatalogPartRepository(self.session)
        return self
