"""Reading quarantined lots (批次召回) with the vehicles they went into. Sessions are dealer-scoped.

A lot's vehicles are those the parts service named when it quarantined the lot, together with
those warranty itself saw the lot fitted to (from the issues), each with what warranty knows:
the repair order and day of the fitting, the make and model when the vehicle is registered.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.adapters.repositories import TraceRepository
from warranty.domain.eligibility import OpenCampaign
from warranty.domain.errors import LotRecallNotFound
from warranty.domain.installation import InstalledPart
from warranty.domain.lot_recall import LotRecall
from warranty.domain.vehicle import Vehicle


def lot_recalls(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None) -> Page:
    """By lot."""
    statement = select(LotRecall)
    if status is not None:
        statement = statement.where(LotRecall.status == status)
    page = keyset_page(session, statement, [LotRecall.lot], cursor, limit)
    fitted = _fittings(session, [recall.lot for recall in page.items])
    return Page([_summary(recall, fitted.get(recall.lot, [])) for recall in page.items], page.next_cursor)


def lot_recall(session: Session, lot: str) -> dict:
    recall = session.scalars(select(LotRecall).where(LotRecall.lot == lot)).first()
    if recall is None:
        raise LotRecallNotFound(lot)
    fittings = _fittings(session, [lot]).get(lot, [])
    fitted_to: dict[str, list[InstalledPart]] = {}
    for part in fittings:
        fitted_to.setdefault(part.vin, []).append(part)
    vins = sorted({*recall.affected_vins, *fitted_to})
    registered = {vehicle.vin: vehicle for vehicle in session.scalars(select(Vehicle).where(Vehicle.vin.in_(vins)))}
    named = set(recall.affected_vins)
    vehicles = []
    for vin in vins:
        vehicle = registered.get(vin)
        vehicles.append({
            "vin": vin,
            "named_by_parts": vin in named,
            "make": vehicle.make if vehicle else None,
            "model": vehicle.model if vehicle else None,
            "model_year": vehicle.model_year if vehicle else None,
            "fittings": fitted_to.get(vin, []),
        })
    return {**_summary(recall, fittings), "vehicles": vehicles}


def open_recalls_of(session: Session, vin: str) -> tuple[OpenCampaign, ...]:
    """The open lot recalls that concern the vehicle, read as a claim's submission reads them."""
    return TraceRepository(session).open_recalls(vin)


def _summary(recall: LotRecall, fittings: list[InstalledPart]) -> dict:
    return {
        "lot": recall.lot,
        "part_number": recall.part_number,
        "supplier": recall.supplier,
        "supplier_lot": recall.supplier_lot,
        "status": recall.status,
        "reason": recall.reason,
        "quarantined_at": recall.quarantined_at,
        "quarantined_by": recall.quarantined_by,
        "release_reason": recall.release_reason,
        "released_at": recall.released_at,
        "released_by": recall.released_by,
        "vehicle_count": len({*recall.affected_vins, *(part.vin for part in fittings)}),
    }


def _fittings(session: Session, lots: list[str]) -> dict[str, list[InstalledPart]]:
    """The lots' parts still fitted to a known VIN, by lot, oldest first."""
    if not lots:
        return {}
    by_lot: dict[str, list[InstalledPart]] = {}
    for part in session.scalars(
        select(InstalledPart).where(InstalledPart.lot.in_(lots), InstalledPart.vin.is_not(None), _still_fitted())
        .order_by(InstalledPart.installed_at, InstalledPart.id)
    ):
        by_lot.setdefault(part.lot, []).append(part)
    return by_lot


def _still_fitted():
    return InstalledPart.issued_quantity > InstalledPart.returned_quantity
