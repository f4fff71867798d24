"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer.

Stock rows are locked in a stable order (part number, then location) by the use cases that
touch several, so two of them never wait on each other in opposite orders.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import insert_unless_present

from parts.adapters.orm import part_stocks
from parts.domain.catalog import MAX_SUPERSESSIONS, Part
from parts.domain.documents import IssueLine, IssueSlip, Receipt
from parts.domain.errors import LocationCodeTaken, PartNumberTaken, SupplierCodeTaken
from parts.domain.stock import LotBalance, PartStock, Reservation
from parts.domain.supply import Location, Lot, Supplier


class PartRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, part: Part) -> None:
        self._session.add(part)
        try:
            self._session.flush()
        except IntegrityError as exc:  # the number was added concurrently
            raise PartNumberTaken(part.part_number) from exc

    def get(self, part_number: str) -> Part | None:
        return self._session.scalars(select(Part).where(Part.part_number == part_number)).first()

    def get_for_update(self, part_number: str) -> Part | None:
        return self._session.scalars(
            select(Part).where(Part.part_number == part_number).with_for_update()
        ).first()

    def current(self, part_number: str) -> Part | None:
        """The part itself, or the last of its chain of successors (superseded_by)."""
        part = self.get(part_number)
        for _ in range(MAX_SUPERSESSIONS):
            if part is None or part.superseded_by is None:
                return part
            part = self.get(part.superseded_by)
        return part

    def successors(self, part_number: str) -> list[str]:
        chain, part = [], self.get(part_number)
        while part is not None and part.superseded_by is not None and len(chain) < MAX_SUPERSESSIONS:
            chain.append(part.superseded_by)
            part = self.get(part.superseded_by)
        return chain


class SupplierRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, supplier: Supplier) -> None:
        self._session.add(supplier)
        try:
            self._session.flush()
        except IntegrityError as exc:
            raise SupplierCodeTaken(supplier.code) from exc

    def get(self, code: str) -> Supplier | None:
        return self._session.scalars(select(Supplier).where(Supplier.code == code)).first()

    def get_for_update(self, code: str) -> Supplier | None:
        return self._session.scalars(select(Supplier).where(Supplier.code == code).with_for_update()).first()


class LocationRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, location: Location) -> None:
        self._session.add(location)
        try:
            self._session.flush()
        except IntegrityError as exc:
            raise LocationCodeTaken(location.code) from exc

    def get(self, code: str) -> Location | None:
        return self._session.scalars(select(Location).where(Location.code == code)).first()


class LotRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, lot: Lot) -> None:
        self._session.add(lot)

    def get(self, code: str) -> Lot | None:
        return self._session.scalars(select(Lot).where(Lot.code == code)).first()

    def get_for_update(self, code: str) -> Lot | None:
        return self._session.scalars(select(Lot).where(Lot.code == code).with_for_update()).first()


class StockRepository:
    """Part stocks, locked for change. Remembers what it handed out, so the unit of work can
    write the ledger rows they recorded."""

    def __init__(self, session: Session, dealer):
        self._session = session
        self._dealer = dealer
        self._seen: list[PartStock] = []

    def get_for_update(self, part_number: str, location: str) -> PartStock | None:
        stock = self._session.scalars(self._locking(part_number, location)).first()
        if stock is not None:
            self._seen.append(stock)
        return stock

    def get_or_create_for_update(self, part_number: str, location: str) -> PartStock:
        """The part's stock at the location, locked; created empty if there is none yet (two
        clerks receiving the first delivery at once both end up with the one row)."""
        stock = self.get_for_update(part_number, location)
        if stock is None:
            insert_unless_present(
                self._session, part_stocks,
                {"dealer": self._dealer, "part_number": part_number, "location": location, "version": 1},
            )
            stock = self._session.scalars(self._locking(part_number, location)).one()
            self._seen.append(stock)
        return stock

    def holding_reservation_for_update(self, number: str) -> PartStock | None:
        found = self._session.execute(
            select(Reservation.part_number, Reservation.location).where(Reservation.number == number)
        ).first()
        return None if found is None else self.get_for_update(found.part_number, found.location)

    def expired_reservations(self, now: datetime, limit: int) -> list[tuple[str, str, str, str]]:
        """(dealer, number, part number, location) of active reservations past their expiry."""
        rows = self._session.execute(
            select(Reservation.dealer, Reservation.number, Reservation.part_number, Reservation.location)
            .where(Reservation.status == "active", Reservation.expires_at <= now)
            .order_by(Reservation.expires_at)
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    def locations_of_lot(self, lot: str) -> list[str]:
        return list(self._session.scalars(
            select(PartStock.location).join(LotBalance, LotBalance.part_stock_id == PartStock.id)
            .where(LotBalance.lot == lot).distinct()
        ))

    def write_ledger(self) -> None:
        for stock in self._seen:
            self._session.add_all(stock.movements)
            stock.movements.clear()

    def _locking(self, part_number: str, location: str):
        return (
            select(PartStock)
            .where(PartStock.part_number == part_number, PartStock.location == location)
            .with_for_update()
            .execution_options(populate_existing=True)
        )


class DocumentRepository:
    """Receipts and issue slips: written once, then only returns change an issue line (the
    read side finds them through `queries`)."""

    def __init__(self, session: Session):
        self._session = session

    def add(self, document: Receipt | IssueSlip) -> None:
        self._session.add(document)

    def vins_of_lot(self, lot: str) -> list[str]:
        """Every vehicle that still has a part of this lot fitted (issued and not returned)."""
        return list(self._session.scalars(
            select(IssueSlip.vin).join(IssueLine, IssueLine.issue_slip_id == IssueSlip.id)
            .where(IssueLine.lot == lot, IssueLine.quantity > IssueLine.returned)
            .distinct().order_by(IssueSlip.vin)
        ))

    def issue_for_update(self, number: str) -> IssueSlip | None:
        return self._session.scalars(
            select(IssueSlip).where(IssueSlip.number == number).with_for_update()
        ).first()
