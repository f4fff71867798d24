"""What happens to a lot after it came in: its inspection (进货检验), going back to the supplier
(退货), and quality holds (质量冻结).

A use case with a request body takes a command, a frozen dataclass defined beside it (the API's
schemas load into it); the lot's code comes from the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from parts.domain.errors import LotNotFound, LotNotHere
from parts.domain.supply import Inspection, Lot
from parts.service.holds import hold_everywhere, stocks_holding
from parts.service.ports import PartsUnitOfWork
from parts.service.quality import announce


@dataclass(frozen=True)
class RecordInspection:
    """The incoming inspection's result (passed or failed) and what the inspector noted."""

    result: Inspection
    note: str | None = None


@dataclass(frozen=True)
class ReturnToSupplier:
    """How much of the lot goes back from which location, and why (failed inspection, damage, recall)."""

    location: str
    quantity: Decimal
    reason: str


@dataclass(frozen=True)
class HoldReason:
    """Why a lot is put on hold (recall, supplier notice, quality hold), or why its hold is lifted."""

    reason: str


def record_inspection(uow: PartsUnitOfWork, caller: Caller, lot_code: str, command: RecordInspection) -> Lot:
    """A pending lot passed (its stock becomes available) or failed (it stays blocked)."""
    with uow:
        now = uow.now()
        lot = uow.lots.get_for_update(lot_code)
        if lot is None:
            raise LotNotFound(lot_code)
        lot.inspect(Inspection(command.result), note=command.note, at=now, actor=caller.sub)
        if lot.inspection is Inspection.FAILED:
            announce(uow, uow.suppliers.get_for_update(lot.supplier), cause="inspection_failed", reference=lot.code)
        if not lot.blocked:
            for stock in stocks_holding(uow, lot):
                stock.unblock(lot.code, reference=lot.code, reason="inspection passed", at=now, actor=caller.sub)
        uow.commit()
    return lot


def return_to_supplier(uow: PartsUnitOfWork, caller: Caller, lot_code: str, command: ReturnToSupplier) -> Lot:
    """Send stock of a lot back to its supplier (退货): failed inspection, damage, recall."""
    with uow:
        now = uow.now()
        lot = uow.lots.get(lot_code)
        if lot is None:
            raise LotNotFound(lot_code)
        part = uow.parts.get(lot.part_number)
        part.check_quantity(command.quantity)
        uow.locations.require(command.location, field="location")
        stock = uow.stock.get_for_update(lot.part_number, command.location)
        if stock is None:
            raise LotNotHere(lot.code, lot.part_number, command.location)
        stock.return_to_supplier(lot.code, command.quantity, reference=document_number("RTS", uow.today()),
                                 reason=command.reason, at=now, actor=caller.sub)
        uow.commit()
    return lot


def quarantine(uow: PartsUnitOfWork, caller: Caller, lot_code: str, command: HoldReason) -> Lot:
    """Put a lot on hold everywhere; its reservations move to other lots where they can."""
    with uow:
        lot = uow.lots.get_for_update(lot_code)
        if lot is None:
            raise LotNotFound(lot_code)
        hold_everywhere(uow, lot, reason=command.reason, actor=caller.sub)
        uow.commit()
    return lot


def release(uow: PartsUnitOfWork, caller: Caller, lot_code: str, command: HoldReason) -> Lot:
    """Lift a hold; the stock is available again unless its inspection has not passed."""
    with uow:
        now = uow.now()
        lot = uow.lots.get_for_update(lot_code)
        if lot is None:
            raise LotNotFound(lot_code)
        lot.release_hold(command.reason, at=now, actor=caller.sub)
        if not lot.blocked:
            for stock in stocks_holding(uow, lot):
                stock.unblock(lot.code, reference=lot.code, reason=command.reason, at=now, actor=caller.sub)
        uow.commit()
    return lot
