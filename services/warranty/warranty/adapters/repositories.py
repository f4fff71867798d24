"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from warranty.domain.catalog import CatalogPart
from warranty.domain.errors import VehicleAlreadyRegistered
from warranty.domain.vehicle import Vehicle


class VehicleRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, vehicle: Vehicle) -> None:
        self._session.add(vehicle)
        try:
            self._session.flush()
        except IntegrityError as exc:  # the VIN was registered concurrently
            raise VehicleAlreadyRegistered(vehicle.vin) from exc

    def get(self, vin: str) -> Vehicle | None:
        return self._session.scalars(select(Vehicle).where(Vehicle.vin == vin)).first()


class CatalogPartRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, part: CatalogPart) -> None:
        self._session.add(part)

    def get_for_update(self, part_number: str) -> CatalogPart | None:
        return self._session.scalars(
            select(CatalogPart).where(CatalogPart.part_number == part_number).with_for_update()
        ).first()
