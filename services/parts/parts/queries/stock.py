"""Reading stock, the ledger and the desk's documents. Sessions are dealer-scoped."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from parts.domain.documents import IssueSlip, Receipt
from parts.domain.errors import (
    IssueNotFound,
    LotNotFound,
    ReceiptNotFound,
    ReservationNotFound,
    SupplierNotFound,
)
from parts.domain.stock import LotBalance, Movement, PartStock, Reservation
from parts.domain.supply import Location, Lot, Supplier


def _one(session: Session, statement, missing: Exception):
    found = session.scalars(statement).first()
    if found is None:
        raise missing
    return found


def balances(session: Session, *, limit: int, cursor: str | None = None, part_number: str | None = None,
             location: str | None = None, lot: str | None = None) -> Page:
    """Stock per part, location and lot, with what each lot is and whether it may be used."""
    statement = (
        select(
            PartStock.part_number, PartStock.location, LotBalance.lot, LotBalance.supplier,
            LotBalance.received_at, LotBalance.on_hand, LotBalance.reserved, LotBalance.quarantined,
            Lot.supplier_lot, Lot.inspection, Lot.on_hold, Lot.unit_cost,
        )
        .join(LotBalance, LotBalance.part_stock_id == PartStock.id)
        .join(Lot, Lot.code == LotBalance.lot)
    )
    if part_number is not None:
        statement = statement.where(PartStock.part_number == part_number)
    if location is not None:
        statement = statement.where(PartStock.location == location)
    if lot is not None:
        statement = statement.where(LotBalance.lot == lot)
    return keyset_page(session, statement, [PartStock.part_number, PartStock.location, LotBalance.lot],
                       cursor, limit, entities=False)


def ledger(session: Session, *, limit: int, cursor: str | None = None, part_number: str | None = None,
           lot: str | None = None, reference: str | None = None) -> Page:
    """The movements, newest first."""
    statement = select(Movement)
    if part_number is not None:
        statement = statement.where(Movement.part_number == part_number)
    if lot is not None:
        statement = statement.where(Movement.lot == lot)
    if reference is not None:
        statement = statement.where(Movement.reference == reference)
    return keyset_page(session, statement, [Movement.id], cursor, limit, descending=True)


def supplier(session: Session, code: str) -> Supplier:
    return _one(session, select(Supplier).where(Supplier.code == code), SupplierNotFound(code))


def suppliers(session: Session, *, limit: int, cursor: str | None = None, qualified: bool | None = None) -> Page:
    statement = select(Supplier)
    if qualified is not None:
        statement = statement.where(Supplier.qualified == qualified)
    return keyset_page(session, statement, [Supplier.code], cursor, limit)


def locations(session: Session, *, limit: int, cursor: str | None = None) -> Page:
    return keyset_page(session, select(Location), [Location.code], cursor, limit)


def lot(session: Session, code: str) -> Lot:
    return _one(session, select(Lot).where(Lot.code == code), LotNotFound(code))


def receipt(session: Session, number: str) -> Receipt:
    return _one(session, select(Receipt).where(Receipt.number == number), ReceiptNotFound(number))


def issue_slip(session: Session, number: str) -> IssueSlip:
    return _one(session, select(IssueSlip).where(IssueSlip.number == number), IssueNotFound(number))


def reservation(session: Session, number: str) -> Reservation:
    return _one(session, select(Reservation).where(Reservation.number == number), ReservationNotFound(number))


def reservations(session: Session, *, limit: int, cursor: str | None = None, status: str | None = None,
                 part_number: str | None = None, for_reference: str | None = None) -> Page:
    statement = select(Reservation)
    if status is not None:
        statement = statement.where(Reservation.status == status)
    if part_number is not None:
        statement = statement.where(Reservation.part_number == part_number)
    if for_reference is not None:
        statement = statement.where(Reservation.for_reference == for_reference)
    return keyset_page(session, statement, [Reservation.id], cursor, limit, descending=True)
