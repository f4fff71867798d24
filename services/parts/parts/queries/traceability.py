"""Where did it come from, where did it go (质量追溯): by vehicle, repair order or lot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Caller

from parts.domain.documents import IssueLine, IssueSlip
from parts.domain.errors import LotNotFound
from parts.domain.stock import LotBalance, PartStock
from parts.domain.supply import Lot
from parts.queries.counts import blind_spots
from parts.queries.stock import LotView


@dataclass(frozen=True)
class Fitted:
    """One issue line, with where its lot came from."""

    issue: str
    issued_at: datetime
    repair_order: str
    vin: str
    technician: str
    part_number: str
    quantity: Decimal
    returned: Decimal
    lot: str
    supplier: str
    supplier_lot: str | None
    receipt: str
    received_at: datetime


@dataclass(frozen=True)
class Remaining:
    """What is left of the lot at a location; withheld from a viewer counting it there blind."""

    location: str
    on_hand: Decimal | None
    reserved: Decimal | None
    quarantined: Decimal | None
    withheld: str | None = None


@dataclass(frozen=True)
class LotTrace:
    lot: LotView
    fitted: list[Fitted]
    remaining: list[Remaining]


def _fitted(session: Session, *where) -> list[Fitted]:
    rows = session.execute(
        select(IssueSlip.number, IssueSlip.issued_at, IssueSlip.repair_order, IssueSlip.vin, IssueSlip.technician,
               IssueLine.part_number, IssueLine.quantity, IssueLine.returned, IssueLine.lot, Lot.supplier,
               Lot.supplier_lot, Lot.receipt, Lot.received_at)
        .join(IssueLine, IssueLine.issue_slip_id == IssueSlip.id)
        .join(Lot, Lot.code == IssueLine.lot)
        .where(*where)
        .order_by(IssueSlip.issued_at, IssueLine.id)
    )
    return [Fitted(*row) for row in rows]


def backward(session: Session, *, vin: str | None = None, repair_order: str | None = None) -> list[Fitted]:
    """Everything fitted to a vehicle or on a repair order, back to supplier, batch and receipt."""
    where = []
    if vin is not None:
        where.append(IssueSlip.vin == vin.upper())
    if repair_order is not None:
        where.append(IssueSlip.repair_order == repair_order)
    return _fitted(session, *where)


def forward(session: Session, lot_code: str, *, viewer: Caller) -> LotTrace:
    """Every repair order and vehicle a lot went to, and what is left of it where."""
    lot = session.scalars(select(Lot).where(Lot.code == lot_code)).first()
    if lot is None:
        raise LotNotFound(lot_code)
    blind = blind_spots(session, viewer)
    remaining = []
    for location, *figures in session.execute(
            select(PartStock.location, LotBalance.on_hand, LotBalance.reserved, LotBalance.quarantined)
            .join(LotBalance, LotBalance.part_stock_id == PartStock.id)
            .where(LotBalance.lot == lot_code)
            .order_by(PartStock.location)):
        withheld = blind.withheld(lot.part_number, location)
        remaining.append(Remaining(location, *((None,) * 3 if withheld else figures), withheld=withheld))
    # As `stock.lot` decides it, from the rows just read: at the first location the viewer counts blind.
    withheld = next((here.withheld for here in remaining if here.withheld), None)
    return LotTrace(LotView(lot, withheld), _fitted(session, IssueLine.lot == lot_code), remaining)
