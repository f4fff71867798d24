"""Reading vehicles, their odometer history, their fitted parts and known parts. Sessions are
dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.domain.catalog import CatalogPart
from warranty.domain.errors import CatalogPartNotKnown, VehicleNotFound
from warranty.domain.installation import InstalledPart
from warranty.domain.vehicle import OdometerReading, Vehicle
from warranty.domain.vin import normalise_vin


def vehicle(session: Session, vin: str, *, verify_check_digit: bool) -> Vehicle:
    """A VIN that cannot be one (its length, letters or check digit) is refused as such (422
    invalid_vin), not looked for; a valid one not registered here is a 404."""
    vin = normalise_vin(vin, verify_check_digit=verify_check_digit)
    found = session.scalars(select(Vehicle).where(Vehicle.vin == vin)).first()
    if found is None:
        raise VehicleNotFound(vin)
    return found


def vehicles(session: Session, *, limit: int, cursor: str | None = None, make: str | None = None) -> Page:
    statement = select(Vehicle)
    if make is not None:
        statement = statement.where(Vehicle.make == make)
    return keyset_page(session, statement, [Vehicle.vin], cursor, limit)


def odometer_readings(session: Session, vin: str, *, verify_check_digit: bool, limit: int,
                      cursor: str | None = None) -> Page:
    """Newest first."""
    found = vehicle(session, vin, verify_check_digit=verify_check_digit)
    statement = select(OdometerReading).where(OdometerReading.vehicle_id == found.id)
    return keyset_page(session, statement, [OdometerReading.read_on, OdometerReading.id], cursor, limit,
                       descending=True)


def installed_parts(session: Session, vin: str, *, limit: int, cursor: str | None = None,
                    include_returned: bool = False) -> Page:
    """Parts fitted to a VIN, newest first, with what the catalog says of each. A VIN warranty
    has not registered may still have parts (from the parts service); one this dealer has
    neither registered nor fitted a part to is a 404, as for the vehicle's other records."""
    vin = vin.strip().upper()
    if not _known_here(session, vin):
        raise VehicleNotFound(vin)
    statement = select(InstalledPart).where(InstalledPart.vin == vin)
    if not include_returned:
        statement = statement.where(InstalledPart.issued_quantity > InstalledPart.returned_quantity)
    page = keyset_page(session, statement, [InstalledPart.id], cursor, limit, descending=True)
    known = catalog_facts(session, {part.part_number for part in page.items})
    return Page([as_fitted(part, known.get(part.part_number)) for part in page.items], page.next_cursor)


def _known_here(session: Session, vin: str) -> bool:
    return any(session.scalars(select(known.id).where(known.vin == vin).limit(1)).first() is not None
               for known in (InstalledPart, Vehicle))


def catalog_facts(session: Session, part_numbers: set[str]) -> dict[str, CatalogPart]:
    if not part_numbers:
        return {}
    found = session.scalars(select(CatalogPart).where(CatalogPart.part_number.in_(sorted(part_numbers))))
    return {part.part_number: part for part in found}


def as_fitted(part: InstalledPart, known: CatalogPart | None) -> dict:
    return {
        "issue": part.issue,
        "repair_order": part.repair_order,
        "part_number": part.part_number,
        "name": known.name if known else None,
        "component_group": known.category if known else None,
        "safety_critical": known.safety_critical if known else None,
        "source": part.source or (known.source if known else None),
        "lot": part.lot,
        "supplier": part.supplier,
        "location": part.location,
        "technician": part.technician,
        "installed_at": part.installed_at,
        "installed_on": part.installed_on,
        "odometer": part.odometer,
        "quantity": part.quantity,
        "issued_quantity": part.issued_quantity,
        "returned_quantity": part.returned_quantity,
        "fitted": part.fitted,
    }


def catalog_part(session: Session, part_number: str) -> CatalogPart:
    found = session.scalars(select(CatalogPart).where(CatalogPart.part_number == part_number)).first()
    if found is None:
        raise CatalogPartNotKnown(part_number)
    return found
