"""Reading stock, the ledger and the desk's documents. Sessions are dealer-scoped.

Stock figures are read for a viewer: while they count a part at a location blind, its
quantities there are withheld (null, and `withheld` says which count), see `counts.blind_spots`,
and they cannot be found by them either: there, the lot's inspection and hold decide whether
its stock is listed as available or as held back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, not_, or_, select, tuple_
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from parts.domain.catalog import Part
from parts.domain.documents import IssueSlip, Receipt
from parts.domain.errors import (
    IssueNotFound,
    LotNotFound,
    ReceiptNotFound,
    ReservationNotFound,
    SupplierNotFound,
)
from parts.domain.stock import LotBalance, Movement, PartStock, Reservation, ReservationStatus
from parts.domain.supply import Inspection, Location, Lot, Supplier
from parts.queries.counts import BlindSpots, blind_spots

ZERO = Decimal("0")


def _one(session: Session, statement, missing: Exception):
    found = session.scalars(statement).first()
    if found is None:
        raise missing
    return found


@dataclass(frozen=True)
class Balance:
    """Stock of one lot of a part at a location, as the viewer may see it."""

    part_number: str
    name_zh: str | None
    name_en: str | None
    location: str
    lot: str
    supplier: str
    received_at: datetime
    on_hand: Decimal | None
    reserved: Decimal | None
    quarantined: Decimal | None
    available: Decimal | None
    supplier_lot: str | None
    inspection: Inspection
    on_hold: bool
    unit_cost: Decimal
    withheld: str | None


@dataclass(frozen=True)
class Entry:
    """One ledger row as the viewer may see it."""

    id: int
    at: datetime
    kind: str
    part_number: str
    location: str
    lot: str
    on_hand_change: Decimal | None
    reserved_change: Decimal | None
    quarantined_change: Decimal | None
    reference: str
    actor: str
    reason: str | None
    withheld: str | None


@dataclass(frozen=True)
class LotView:
    """A lot as the viewer may see it: its quantity is withheld while they count it blind where
    it lies. Everything else reads through to the lot."""

    lot: Lot
    withheld: str | None

    @property
    def quantity(self) -> Decimal | None:
        return None if self.withheld else self.lot.quantity

    def __getattr__(self, name: str):
        return getattr(self.lot, name)


def balances(session: Session, *, viewer: Caller, limit: int, cursor: str | None = None,
             part_number: str | None = None, location: str | None = None, lot: str | None = None,
             state: str | None = None) -> Page:
    """Stock per part (with its names), location and lot, with what each lot is and whether it
    may be used; all of it, or only the lots in a `state` (available, held_back)."""
    statement = (
        select(
            PartStock.part_number, Part.name_zh, Part.name_en, PartStock.location, LotBalance.lot,
            LotBalance.supplier, LotBalance.received_at, LotBalance.on_hand, LotBalance.reserved,
            LotBalance.quarantined, Lot.supplier_lot, Lot.inspection, Lot.on_hold, Lot.unit_cost,
        )
        .join(LotBalance, LotBalance.part_stock_id == PartStock.id)
        .join(Lot, Lot.code == LotBalance.lot)
        .outerjoin(Part, Part.part_number == PartStock.part_number)
    )
    if part_number is not None:
        statement = statement.where(PartStock.part_number == part_number)
    if location is not None:
        statement = statement.where(PartStock.location == location)
    if lot is not None:
        statement = statement.where(LotBalance.lot == lot)
    blind = blind_spots(session, viewer)
    if state is not None:
        statement = statement.where(_in_state(state, blind))
    page = keyset_page(session, statement, [PartStock.part_number, PartStock.location, LotBalance.lot],
                       cursor, limit, entities=False)
    return Page([_balance(row, blind.withheld(row.part_number, row.location)) for row in page.items],
                page.next_cursor)


def _in_state(state: str, blind: BlindSpots):
    """Available: some of the lot may be used there; held back: some of it is blocked (pending or
    failed inspection, on hold). Where the viewer counts blind the figures are not theirs to
    filter by, so the lot's own state decides: not blocked, or blocked."""
    blocked = or_(Lot.inspection != Inspection.PASSED, Lot.on_hold.is_(True))
    if state == "available":
        by_figures, by_lot = LotBalance.on_hand - LotBalance.reserved - LotBalance.quarantined > 0, not_(blocked)
    else:
        by_figures, by_lot = LotBalance.quarantined > 0, blocked
    if not blind:
        return by_figures
    counted = tuple_(PartStock.part_number, PartStock.location).in_(list(blind.counts))
    return or_(and_(counted, by_lot), and_(not_(counted), by_figures))


def _balance(row, withheld: str | None) -> Balance:
    figures = (None, None, None, None) if withheld else (
        row.on_hand, row.reserved, row.quarantined, max(row.on_hand - row.reserved - row.quarantined, ZERO))
    return Balance(row.part_number, row.name_zh, row.name_en, row.location, row.lot, row.supplier, row.received_at,
                   *figures, supplier_lot=row.supplier_lot, inspection=row.inspection, on_hold=row.on_hold,
                   unit_cost=row.unit_cost, withheld=withheld)


def ledger(session: Session, *, viewer: Caller, limit: int, cursor: str | None = None,
           part_number: str | None = None, location: str | None = None, lot: str | None = None,
           reference: str | None = None) -> Page:
    """The movements, newest first."""
    statement = select(Movement)
    if part_number is not None:
        statement = statement.where(Movement.part_number == part_number)
    if location is not None:
        statement = statement.where(Movement.location == location)
    if lot is not None:
        statement = statement.where(Movement.lot == lot)
    if reference is not None:
        statement = statement.where(Movement.reference == reference)
    page = keyset_page(session, statement, [Movement.id], cursor, limit, descending=True)
    blind = blind_spots(session, viewer)
    return Page([_entry(movement, blind.withheld(movement.part_number, movement.location))
                 for movement in page.items], page.next_cursor)


def _entry(movement: Movement, withheld: str | None) -> Entry:
    changes = (None, None, None) if withheld else (
        movement.on_hand_change, movement.reserved_change, movement.quarantined_change)
    return Entry(movement.id, movement.at, movement.kind, movement.part_number, movement.location, movement.lot,
                 *changes, reference=movement.reference, actor=movement.actor, reason=movement.reason,
                 withheld=withheld)


def supplier(session: Session, code: str) -> Supplier:
    return _one(session, select(Supplier).where(Supplier.code == code), SupplierNotFound(code))


def suppliers(session: Session, *, limit: int, cursor: str | None = None, qualified: bool | None = None) -> Page:
    statement = select(Supplier)
    if qualified is not None:
        statement = statement.where(Supplier.qualified == qualified)
    return keyset_page(session, statement, [Supplier.code], cursor, limit)


def locations(session: Session, *, limit: int, cursor: str | None = None) -> Page:
    return keyset_page(session, select(Location), [Location.code], cursor, limit)


def lot(session: Session, code: str, *, viewer: Caller) -> LotView:
    found = _one(session, select(Lot).where(Lot.code == code), LotNotFound(code))
    return LotView(found, _lot_withheld(session, found, blind_spots(session, viewer)))


def lots_by_code(session: Session, codes: list[str]) -> list[Lot]:
    return list(session.scalars(select(Lot).where(Lot.code.in_(set(codes))).order_by(Lot.code)))


def _lot_withheld(session: Session, lot: Lot, blind: BlindSpots) -> str | None:
    """Why the lot's quantity is withheld: the viewer counts its part where some of it lies."""
    if not blind:
        return None
    locations = session.scalars(
        select(PartStock.location).join(LotBalance, LotBalance.part_stock_id == PartStock.id)
        .where(LotBalance.lot == lot.code).order_by(PartStock.location)
    )
    return next(filter(None, (blind.withheld(lot.part_number, location) for location in locations)), None)


def receipt(session: Session, number: str) -> Receipt:
    return _one(session, select(Receipt).where(Receipt.number == number), ReceiptNotFound(number))


def issue_slip(session: Session, number: str) -> IssueSlip:
    return _one(session, select(IssueSlip).where(IssueSlip.number == number), IssueNotFound(number))


def issue_slips(session: Session, *, limit: int, cursor: str | None = None, repair_order: str | None = None,
                vin: str | None = None) -> Page:
    """Issue slips (领料单), newest first: a repair order's, a vehicle's, or all."""
    statement = select(IssueSlip)
    if repair_order is not None:
        statement = statement.where(IssueSlip.repair_order == repair_order)
    if vin is not None:
        statement = statement.where(IssueSlip.vin == vin.upper())
    return keyset_page(session, statement, [IssueSlip.id], cursor, limit, descending=True)


def reservation(session: Session, number: str) -> Reservation:
    return _one(session, select(Reservation).where(Reservation.number == number), ReservationNotFound(number))


def reservations(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
                 part_number: str | None = None, for_reference: str | None = None) -> Page:
    statement = select(Reservation)
    if status is not None:
        statement = statement.where(Reservation.status == ReservationStatus(status))
    if part_number is not None:
        statement = statement.where(Reservation.part_number == part_number)
    if for_reference is not None:
        statement = statement.where(Reservation.for_reference == for_reference)
    return keyset_page(session, statement, [Reservation.id], cursor, limit, descending=True)
