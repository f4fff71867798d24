"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer.

Stock rows are locked in a stable order (part number, then location) by the use cases that
touch several, so two of them never wait on each other in opposite orders.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Row, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shared.db import insert_unless_present

from parts.adapters.orm import part_stocks, quality_incidents
from parts.domain.catalog import MAX_SUPERSESSIONS, Part
from parts.domain.counting import StockCount
from parts.domain.documents import IssueLine, IssueSlip, Receipt
from parts.domain.errors import LocationCodeTaken, LocationNotFound, PartNotFound, PartNumberTaken, SupplierCodeTaken
from parts.domain.purchasing import PurchaseOrder
from parts.domain.quality import QualityFigures, QualityIncident
from parts.domain.stock import LotBalance, Movement, PartStock, Reservation
from parts.domain.supply import Inspection, Location, Lot, Supplier


class PartRepository:
    def __init__(self, session: Session):
        self._session = session
        self._seen: list[Part] = []  # the parts handed out for change, whose history is written

    def add(self, part: Part) -> None:
        self._seen.append(part)
        self._session.add(part)
        try:
            self._session.flush()
        except IntegrityError as exc:  # the number was added concurrently
            raise PartNumberTaken(part.part_number) from exc

    def get(self, part_number: str) -> Part | None:
        return self._session.scalars(select(Part).where(Part.part_number == part_number)).first()

    def require(self, part_number: str, *, field: str) -> Part:
        """The part, or PartNotFound naming the request's `field`."""
        part = self.get(part_number)
        if part is None:
            raise PartNotFound(part_number, field=field)
        return part

    def get_for_update(self, part_number: str) -> Part | None:
        part = self._session.scalars(
            select(Part).where(Part.part_number == part_number).with_for_update()
        ).first()
        if part is not None:
            self._seen.append(part)
        return part

    def write_history(self) -> None:
        """Add the history entry of each part this unit of work changed, in the same commit."""
        for part in self._seen:
            if part.revision is not None:
                self._session.add(part.revision)
            part.revision_written()

    def of(self, part_numbers: Iterable[str]) -> dict[str, Part]:
        """The parts of these numbers, exactly as given, by number. One query for all."""
        asked = set(part_numbers)
        if not asked:
            return {}
        return {part.part_number: part for part in self._session.scalars(select(Part).where(Part.part_number.in_(asked)))}

    def existing(self, part_numbers: Iterable[str]) -> set[str]:
        """Which of these numbers are in the catalog, exactly as given. One query for all."""
        asked = set(part_numbers)
        if not asked:
            return set()
        return set(self._session.scalars(select(Part.part_number).where(Part.part_number.in_(asked))))

    def spellings(self, part_numbers: Iterable[str]) -> dict[str, str]:
        """The catalog's numbers that are these in any case, keyed by lower case ("pads" ->
        "PADS"). One query for a whole file of numbers."""
        lowered = {number.lower() for number in part_numbers}
        if not lowered:
            return {}
        return dict(self._session.execute(
            select(Part.number_key, Part.part_number).where(Part.number_key.in_(lowered))).all())

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

    def require(self, code: str, *, field: str) -> Location:
        """The location, or LocationNotFound naming the request's `field`."""
        location = self.get(code)
        if location is None:
            raise LocationNotFound(code, field=field)
        return location


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

    def get(self, part_number: str, location: str) -> PartStock | None:
        """For reading only: not locked, so nothing may be changed on it."""
        return self._session.scalars(
            select(PartStock).where(PartStock.part_number == part_number, PartStock.location == location)
        ).first()

    def get_for_update(self, part_number: str, location: str, *, reservations: bool = True) -> PartStock | None:
        """The part's stock at the location, locked, with its active reservations unless the
        change only adds one (`reservations=False`: reserving)."""
        stock = self._session.scalars(self._locking(part_number, location)).first()
        if stock is not None:
            self._hand_out(stock, reservations)
        return stock

    def get_or_create_for_update(self, part_number: str, location: str, *,
                                 reservations: bool = True) -> PartStock:
        """Likewise; created empty if there is none yet (two clerks receiving the first
        delivery at once both end up with the one row)."""
        stock = self.get_for_update(part_number, location, reservations=reservations)
        if stock is None:
            insert_unless_present(
                self._session, part_stocks,
                {"dealer": self._dealer, "part_number": part_number, "location": location, "version": 1},
            )
            stock = self._session.scalars(self._locking(part_number, location)).one()
            self._hand_out(stock, reservations)
        return stock

    def _hand_out(self, stock: PartStock, reservations: bool) -> None:
        active = []
        if reservations:
            active = self._session.scalars(
                select(Reservation).where(Reservation.part_stock_id == stock.id, Reservation.status == "active")
                .order_by(Reservation.id)
            ).all()
        # Without them the collection starts empty: the new reservation is all the change holds.
        set_committed_value(stock, "reservations", list(active))
        self._seen.append(stock)

    def where_reserved(self, number: str) -> Row | None:
        """(part_number, location, status) of a reservation: where to lock before changing it.
        Read as plain values, so the locked stock loads the reservation itself afresh."""
        return self._session.execute(
            select(Reservation.part_number, Reservation.location, Reservation.status)
            .where(Reservation.number == number)
        ).first()

    def holding_reservation_for_update(self, number: str) -> PartStock | None:
        found = self.where_reserved(number)
        return None if found is None else self.get_for_update(found.part_number, found.location)

    def holds(self, part_number: str) -> bool:
        """Whether any location holds stock of the part or an open reservation for it."""
        balances = (select(LotBalance.id).join(PartStock, PartStock.id == LotBalance.part_stock_id)
                    .where(PartStock.part_number == part_number))
        reserved = select(Reservation.id).where(Reservation.part_number == part_number,
                                                Reservation.status == "active")
        return bool(self._session.scalar(select(or_(exists(balances), exists(reserved)))))

    def expired_reservations(self, now: datetime, limit: int) -> list[tuple[str, str, str, str]]:
        """(dealer, number, part number, location) of active reservations past their expiry."""
        rows = self._session.execute(
            select(Reservation.dealer, Reservation.number, Reservation.part_number, Reservation.location)
            .where(Reservation.status == "active", Reservation.expires_at <= now)
            .order_by(Reservation.expires_at)
            .limit(limit)
        )
        return [tuple(row) for row in rows]

    def locations_holding(self, part_number: str) -> list[str]:
        """The locations with some lot of the part, by code: where a reservation that names no
        location may be held. Read without locking; the caller locks them in order."""
        return list(self._session.scalars(
            select(PartStock.location)
            .where(PartStock.part_number == part_number,
                   exists(select(LotBalance.id).where(LotBalance.part_stock_id == PartStock.id)))
            .order_by(PartStock.location)
        ))

    def locations_of_lot(self, lot: str) -> list[str]:
        return list(self._session.scalars(
            select(PartStock.location).join(LotBalance, LotBalance.part_stock_id == PartStock.id)
            .where(LotBalance.lot == lot).distinct()
        ))

    def lots_at(self, location: str, part_numbers: list[str] | None) -> list[tuple[str, str]]:
        """(part number, lot) of every lot with stock at the location: the lines of a count."""
        query = (
            select(PartStock.part_number, LotBalance.lot)
            .join(LotBalance, LotBalance.part_stock_id == PartStock.id)
            .where(PartStock.location == location)
        )
        if part_numbers:
            query = query.where(PartStock.part_number.in_(part_numbers))
        return [tuple(row) for row in self._session.execute(query)]

    def usage(self, part_number: str, location: str, *, since: datetime) -> list[tuple[datetime, Decimal]]:
        """What technicians took (issues, less what came back) since a time: the demand history."""
        rows = self._session.execute(
            select(Movement.at, -Movement.on_hand_change)
            .where(Movement.part_number == part_number, Movement.location == location,
                   Movement.kind.in_(("issue", "return")), Movement.at >= since)
        )
        return [(at, used) for at, used in rows]

    def lead_time_of(self, part_number: str) -> int | None:
        """The lead time of the supplier the part last came from."""
        return self._session.scalar(
            select(Supplier.lead_time_days).join(Lot, Lot.supplier == Supplier.code)
            .where(Lot.part_number == part_number).order_by(Lot.received_at.desc()).limit(1)
        )

    def demand_driven(self) -> list[tuple[str, str, str]]:
        """(dealer, part number, location) of stocks whose rule follows demand."""
        rows = self._session.execute(
            select(PartStock.dealer, PartStock.part_number, PartStock.location)
            .where(part_stocks.c.reorder_mode == "demand").order_by(PartStock.id)
        )
        return [tuple(row) for row in rows]

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


class CountRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, count: StockCount) -> None:
        self._session.add(count)

    def get_for_update(self, number: str) -> StockCount | None:
        return self._session.scalars(
            select(StockCount).where(StockCount.number == number).with_for_update()
        ).first()


class PurchaseOrderRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, order: PurchaseOrder) -> None:
        self._session.add(order)

    def get_for_update(self, number: str) -> PurchaseOrder | None:
        return self._session.scalars(
            select(PurchaseOrder).where(PurchaseOrder.number == number).with_for_update()
        ).first()


class QualityRepository:
    def __init__(self, session: Session):
        self._session = session

    def add_unless_present(self, incident: QualityIncident) -> bool:
        """False if this claim or complaint was already counted."""
        row = {column: getattr(incident, column)
               for column in ("dealer", "kind", "reference", "supplier", "part_number", "lot", "at")}
        return insert_unless_present(self._session, quality_incidents, row)

    def take_back(self, kind: str, reference: str) -> QualityIncident | None:
        """Remove the incident of this claim or complaint, if it was counted."""
        incident = self._session.scalars(
            select(QualityIncident).where(QualityIncident.kind == kind, QualityIncident.reference == reference)
            .with_for_update()
        ).first()
        if incident is not None:
            self._session.delete(incident)
        return incident

    def incidents_on_lot(self, lot: str) -> int:
        return self._session.scalar(select(func.count()).select_from(QualityIncident).where(QualityIncident.lot == lot))

    def figures(self, supplier: Supplier) -> QualityFigures:
        issued = self._session.scalar(
            select(func.coalesce(func.sum(IssueLine.quantity - IssueLine.returned), 0))
            .where(IssueLine.supplier == supplier.code)
        )
        inspected = self._session.execute(
            select(func.count(), func.count().filter(Lot.inspection == Inspection.FAILED))
            .where(Lot.supplier == supplier.code, Lot.inspection != Inspection.PENDING)
        ).one()
        return QualityFigures(units_issued=Decimal(issued), field_failures=supplier.field_failures,
                              incidents=supplier.incidents, lots_inspected=inspected[0], lots_rejected=inspected[1])
