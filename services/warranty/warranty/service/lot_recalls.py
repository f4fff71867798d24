"""Keeping warranty's view of quarantined lots (批次召回) current from the parts service's events."""

from __future__ import annotations

from datetime import datetime

from shared.auth import Caller

from warranty.domain.lot_recall import LotRecall
from warranty.service.ports import WarrantyUnitOfWork


def record_quarantine(uow: WarrantyUnitOfWork, caller: Caller, *, lot: str, part_number: str, supplier: str,
                      supplier_lot: str | None, reason: str, affected_vins: list[str], by: str,
                      sequence: int | None, at: datetime) -> LotRecall:
    """A lot was put on hold, naming the vehicles it went into."""
    with uow:
        recall = _recall_for(uow, caller, lot=lot, part_number=part_number, supplier=supplier)
        recall.quarantined(sequence=sequence, supplier_lot=supplier_lot, reason=reason,
                           affected_vins=affected_vins, at=at, by=by)
        uow.commit()
    return recall


def record_release(uow: WarrantyUnitOfWork, caller: Caller, *, lot: str, part_number: str, supplier: str,
                   reason: str, by: str, sequence: int | None, at: datetime) -> LotRecall:
    """The hold on a lot was lifted."""
    with uow:
        recall = _recall_for(uow, caller, lot=lot, part_number=part_number, supplier=supplier)
        recall.released(sequence=sequence, reason=reason, at=at, by=by)
        uow.commit()
    return recall


def _recall_for(uow: WarrantyUnitOfWork, caller: Caller, *, lot: str, part_number: str, supplier: str) -> LotRecall:
    recall = uow.lot_recalls.get_for_update(lot)
    if recall is None:
        recall = LotRecall(caller.dealer, lot, part_number=part_number, supplier=supplier)
        uow.lot_recalls.add(recall)
    return recall
