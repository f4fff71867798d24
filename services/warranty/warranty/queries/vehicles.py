"""Reading vehicles and known parts. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.domain.catalog import CatalogPart
from warranty.domain.errors import CatalogPartNotKnown, VehicleNotFound
from warranty.domain.vehicle import Vehicle


def vehicle(session: Session, vin: str) -> Vehicle:
    found = session.scalars(select(Vehicle).where(Vehicle.vin == vin.strip().upper())).first()
    if found is None:
        raise VehicleNotFound(vin)
    return found


def vehicles(session: Session, *, limit: int, cursor: str | None = None, make: str | None = None) -> Page:
    statement = select(Vehicle)
    if make is not None:
        statement = statement.where(Vehicle.make == make)
    return keyset_page(session, statement, [Vehicle.vin], cursor, limit)


def catalog_part(session: Session, part_number: str) -> CatalogPart:
    found = session.scalars(select(CatalogPart).where(CatalogPart.part_number == part_number)).first()
    if found is None:
        raise CatalogPartNotKnown(part_number)
    return found
