"""Holding a lot's stock wherever it lies: the manager's quarantine and the automatic
quality hold go the same way."""

from __future__ import annotations

from parts.domain.stock import PartStock
from parts.domain.supply import Lot
from parts.service.ports import PartsUnitOfWork


def hold_everywhere(uow: PartsUnitOfWork, lot: Lot, *, reason: str, actor: str) -> None:
    """Quarantine the lot; its reservations move to other lots where they can."""
    now = uow.now()
    lot.hold(reason, affected_vins=uow.documents.vins_of_lot(lot.code), at=now, actor=actor)
    for stock in stocks_holding(uow, lot):
        stock.block(lot.code, reference=lot.code, reason=reason, at=now, actor=actor)


def stocks_holding(uow: PartsUnitOfWork, lot: Lot) -> list[PartStock]:
    """Every location's stock of the lot's part that holds some of the lot, locked."""
    locations = uow.stock.locations_of_lot(lot.code)
    return [uow.stock.get_for_update(lot.part_number, location) for location in sorted(locations)]
