"""Supplier quality (供应商质量): field failures from warranty and incidents from complaints,
counted against the supplier of the lot, with an automatic quality hold on a lot that keeps
failing."""

from __future__ import annotations

from datetime import datetime

from shared.auth import Caller

from parts.domain.quality import QualityIncident
from parts.domain.supply import Lot, Supplier
from parts.service.holds import hold_everywhere
from parts.service.ports import PartsUnitOfWork


def record_incident(uow: PartsUnitOfWork, caller: Caller, *, kind: str, reference: str, lot_code: str,
                    part_number: str | None, at: datetime) -> bool:
    """Count a field failure or complaint once; False if it names no lot of ours or was
    counted already."""
    with uow:
        lot = uow.lots.get_for_update(lot_code)
        if lot is None or (part_number is not None and uow.parts.current(part_number) is None):
            return False
        incident = QualityIncident(caller.dealer, kind=kind, reference=reference, supplier=lot.supplier,
                                   part_number=lot.part_number, lot=lot.code, at=at)
        if not uow.quality.add_unless_present(incident):
            return False
        supplier = uow.suppliers.get_for_update(lot.supplier)
        supplier.count_incident(kind)
        announce(uow, supplier, cause=kind, reference=reference)
        _hold_if_failing(uow, caller, lot)
        uow.commit()
    return True


def withdraw_incident(uow: PartsUnitOfWork, caller: Caller, *, kind: str, reference: str) -> bool:
    """A complaint corrected to another category, or to no lot of ours, no longer counts
    against the supplier. A quality hold it helped cause stays until a manager releases it."""
    with uow:
        incident = uow.quality.take_back(kind, reference)
        if incident is None:
            return False
        supplier = uow.suppliers.get_for_update(incident.supplier)
        supplier.count_incident(kind, by=-1)
        announce(uow, supplier, cause=f"{kind}_withdrawn", reference=reference)
        uow.commit()
    return True


def announce(uow: PartsUnitOfWork, supplier: Supplier, *, cause: str, reference: str) -> None:
    """Tell subscribers the supplier's figures as they stand after this change."""
    supplier.quality_changed(uow.quality.figures(supplier), cause=cause, reference=reference)


def _hold_if_failing(uow: PartsUnitOfWork, caller: Caller, lot: Lot) -> None:
    incidents = uow.quality.incidents_on_lot(lot.code)
    if incidents >= uow.rules.quality_hold_incidents and not lot.on_hold:
        hold_everywhere(uow, lot, reason=f"quality hold: {incidents} field failures and complaints",
                        actor=caller.sub)
