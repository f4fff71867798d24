"""Keeping the parts fitted to each VIN current from the parts service's issues and returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.auth import Caller

from warranty.domain.installation import InstalledPart
from warranty.service.ports import WarrantyUnitOfWork


def record_installation(
    uow: WarrantyUnitOfWork,
    caller: Caller,
    *,
    issue: str,
    repair_order: str,
    vin: str,
    part_number: str,
    lot: str,
    supplier: str | None,
    location: str | None,
    quantity: Decimal,
    source: str | None,
    technician: str | None,
    odometer: int | None,
    at: datetime,
) -> InstalledPart:
    """A part went into a vehicle (装车). A VIN warranty has not registered is kept all the
    same: the vehicle may be registered later, and supplier recovery needs the lot either way."""
    with uow:
        part = _record_for(uow, caller, issue=issue, part_number=part_number, lot=lot)
        if source is None:  # an older event: the catalog says what the part is
            known = uow.catalog.get(part_number)
            source = known.source if known is not None else None
        part.issued(vin=vin.strip().upper(), repair_order=repair_order, supplier=supplier, location=location,
                    source=source, technician=technician, quantity=quantity, at=at, on=uow.local_date(at),
                    odometer=odometer)
        uow.commit()
    return part


def record_return(uow: WarrantyUnitOfWork, caller: Caller, *, issue: str, repair_order: str | None,
                  part_number: str, lot: str, quantity: Decimal) -> InstalledPart:
    """Unused parts came back from the repair order (退料): they are no longer on the vehicle."""
    with uow:
        part = _record_for(uow, caller, issue=issue, part_number=part_number, lot=lot)
        part.returned(repair_order=repair_order, quantity=quantity)
        uow.commit()
    return part


def _record_for(uow: WarrantyUnitOfWork, caller: Caller, *, issue: str, part_number: str, lot: str) -> InstalledPart:
    part = uow.installed_parts.get_for_update(issue, part_number, lot)
    if part is None:
        part = InstalledPart(caller.dealer, issue=issue, part_number=part_number, lot=lot)
        uow.installed_parts.add(part)
    return part
