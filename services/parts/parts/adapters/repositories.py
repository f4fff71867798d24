"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer.

Stock rows are locked in a stable order (part number, then location) by the use cases that
touch several, so two of them never wait on each other in opposite orders.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Row, bindparam, case, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, raiseload
from sqlalchemy.orm.attributes import set_committed_value

from shared.db import insert_unless_present

from parts.adapters.orm import part_stocks, quality_incidents, stock_balances
from parts.domain.catalog import MAX_SUPERSESSIONS, Part
from parts.domain.counting import StockCount
from parts.domain.events import StockBelowSafetyLevel, StockReplenished
from parts.domain.documents import IssueLine, IssueSlip, Receipt
from parts.domain.errors import (
    CustomerGroupCodeTaken,
    LocationCodeTaken,
    LocationNotFound,
    PartNotFound,
    PartNumberTaken,
    PromotionCodeTaken,
    StockMoved,
    SupplierCodeTaken,
)
from parts.domain.pricing import ACTIVE, Promotion
from parts.domain.purchasing import PurchaseOrder
from parts.domain.quality import QualityFigures, QualityIncident
from parts.domain.sales import CustomerGroup, SalesOrder
from parts.domain.stock import LotBalance, Movement, PartStock, Reservation, ReservationStatus
from parts.domain.supply import Inspection, Location, Lot, Supplier
from parts.domain.warranty_exchange import WarrantyExchange


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

    def require_alone(self, part_number: str, *, field: str) -> Part:
        """As `require`, without its fitments and alternates (touching them raises): one
        statement, for a use case that reads the part's own fields and nothing else."""
        part = self._session.scalars(_part_alone(), {"part_number": part_number}).first()
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


@cache
def _part_alone():
    # Built once: the dealer scope and SQLAlchemy's cache key are then worked out once too
    # (`shared.db._scoped`), not on every reservation.
    return (select(Part).where(Part.part_number == bindparam("part_number"))
            .options(raiseload(Part.fitments), raiseload(Part.alternate_links)))


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


def _usable():
    return stock_balances.c.on_hand - stock_balances.c.reserved - stock_balances.c.quarantined


@cache
def _settling(lots: int):
    """What `StockRepository._settle` sends, for a reservation taking from `lots` lots, built
    once. One statement: the stock's row is updated (locked) first, because each lot's take
    reads its RETURNING; a take then sees its lot as the lock's last holder left it (a row
    changed since the statement began is checked again in its latest version). It answers
    how many rows each part changed: one each, or the stock moved."""
    at = bindparam("at")
    locked = (
        update(part_stocks)
        .where(part_stocks.c.id == bindparam("stock"), part_stocks.c.below_safety == bindparam("was_below"),
               part_stocks.c.safety_stock == bindparam("safety"))
        .values(version=part_stocks.c.version + 1, below_safety=bindparam("below"),
                last_movement_at=func.greatest(func.coalesce(part_stocks.c.last_movement_at, at), at))
        .returning(part_stocks.c.id)
        .cte("locked")
    )
    takes = [
        update(stock_balances)
        .where(stock_balances.c.id == bindparam(f"balance_{n}"), stock_balances.c.part_stock_id == locked.c.id,
               _usable() >= bindparam(f"quantity_{n}"))
        .values(reserved=stock_balances.c.reserved + bindparam(f"quantity_{n}"))
        .returning(stock_balances.c.id)
        .cte(f"take_{n}")
        for n in range(lots)
    ]
    return select(*(select(func.count()).select_from(cte).scalar_subquery() for cte in (locked, *takes)))


@cache
def _stock_to_reserve():
    """A stock and its lot balances in one statement (not the two of `selectin`), built once."""
    return (select(PartStock)
            .where(PartStock.part_number == bindparam("part_number"), PartStock.location == bindparam("location"))
            .options(joinedload(PartStock.balances)))


class StockRepository:
    """Part stocks, locked for change. Remembers what it handed out, so the unit of work can
    write the ledger rows they recorded."""

    def __init__(self, session: Session, dealer):
        self._session = session
        self._dealer = dealer
        self._seen: list[PartStock] = []
        self._unlocked: dict[int, bool] = {}  # id of a stock read by to_reserve -> below_safety as read

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

    def to_reserve(self, part_number: str, location: str) -> PartStock | None:
        """The part's stock at the location for one reservation, read without its lock, with its
        lot balances and none of its reservations (reserving only adds one). What the
        reservation changes is written by `settle_reservations` at the commit, which takes the
        lock as late as it can: clerks reserving a busy part queue for the database's work only.
        None on SQLite (one writer at a time there: taking the lock first costs nothing)."""
        if self._session.get_bind().dialect.name != "postgresql":
            return None
        stock = self._session.scalars(_stock_to_reserve(), {"part_number": part_number, "location": location}
                                      ).unique().first()
        if stock is not None:
            set_committed_value(stock, "reservations", [])
            self._seen.append(stock)
            self._unlocked[stock.id] = stock.below_safety
        return stock

    def settle_reservations(self) -> None:
        """Write what reservations took from stocks read by `to_reserve`, as the unit of work's
        last statements before the events and the commit: first the new rows (reservations,
        their lots, the ledger), then per stock an UPDATE of its row, which takes the lock,
        and one statement that adds each lot's take to its reserved quantity only where the lot
        still has that much available. Raises StockMoved if the stock moved so that the
        reservation, or the safety-level event it raised or did not, no longer holds."""
        stocks = [stock for stock in self._seen if stock.id in self._unlocked]
        if not stocks:
            return
        taken = {stock.id: self._taken_over(stock) for stock in stocks}
        self._session.flush()
        for stock in sorted(stocks, key=lambda s: (s.part_number, s.location)):
            self._settle(stock, taken[stock.id])

    def _taken_over(self, stock: PartStock) -> dict[int, Decimal]:
        """What each lot's balance (by id) gave the new reservations. The ORM is told the
        balances and the stock's row are as it loaded them: `_settle` writes them itself."""
        taken: dict[str, Decimal] = {}
        for reservation in stock.reservations:
            for allocation in reservation.allocations:
                taken[allocation.lot] = taken.get(allocation.lot, Decimal(0)) + allocation.quantity
        for balance in stock.balances:
            if balance.lot in taken:
                set_committed_value(balance, "reserved", balance.reserved)
        for name in ("last_movement_at", "below_safety"):
            set_committed_value(stock, name, getattr(stock, name))
        return {stock.balance(lot).id: quantity for lot, quantity in taken.items()}

    def _settle(self, stock: PartStock, taken: dict[int, Decimal]) -> None:
        parameters = {"stock": stock.id, "was_below": self._unlocked[stock.id], "safety": stock.rule.safety_stock,
                      "below": stock.below_safety, "at": stock.last_movement_at}
        for n, (balance, quantity) in enumerate(sorted(taken.items())):
            parameters |= {f"balance_{n}": balance, f"quantity_{n}": quantity}
        done = self._session.execute(_settling(len(taken)), parameters).one()
        if not all(count == 1 for count in done):
            raise StockMoved(stock.part_number, stock.location)
        announced = any(isinstance(event, (StockBelowSafetyLevel, StockReplenished)) for event in stock.events)
        if stock.rule.safety_stock == 0 and not announced:
            return  # nothing can be below a safety stock of zero: the takes are all there is to check
        # The lock is held: this reads the stock as it is, the takes included.
        left = self._session.execute(
            select(func.coalesce(func.sum(case((_usable() > 0, _usable()), else_=0)), 0))
            .where(stock_balances.c.part_stock_id == stock.id)
        ).scalar_one()
        if (left < stock.rule.safety_stock) != stock.below_safety or (announced and left != stock.available):
            raise StockMoved(stock.part_number, stock.location)

    def _hand_out(self, stock: PartStock, reservations: bool) -> None:
        active = []
        if reservations:
            active = self._session.scalars(
                select(Reservation).where(Reservation.part_stock_id == stock.id,
                                           Reservation.status == ReservationStatus.ACTIVE)
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
                                                Reservation.status == ReservationStatus.ACTIVE)
        return bool(self._session.scalar(select(or_(exists(balances), exists(reserved)))))

    def expired_reservations(self, now: datetime, limit: int) -> list[tuple[str, str, str, str]]:
        """(dealer, number, part number, location) of active reservations past their expiry."""
        rows = self._session.execute(
            select(Reservation.dealer, Reservation.number, Reservation.part_number, Reservation.location)
            .where(Reservation.status == ReservationStatus.ACTIVE, Reservation.expires_at <= now)
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
        """What technicians took (issues, less what came back) and the counter sold (less what
        customers brought back) since a time: the demand history."""
        rows = self._session.execute(
            select(Movement.at, -Movement.on_hand_change)
            .where(Movement.part_number == part_number, Movement.location == location,
                   Movement.kind.in_(("issue", "return", "sale", "sale_return")), Movement.at >= since)
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
        # FOR NO KEY UPDATE, the lock an UPDATE of the row takes: stock use cases still queue for
        # each other, but not for a reservation inserted meanwhile (its foreign key holds FOR
        # KEY SHARE on the row until it commits, see `to_reserve`); FOR UPDATE would wait for
        # that reservation while it waits for the lock, a deadlock.
        return (
            select(PartStock)
            .where(PartStock.part_number == part_number, PartStock.location == location)
            .with_for_update(key_share=True)
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


class CustomerGroupRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, group: CustomerGroup) -> None:
        self._session.add(group)
        try:
            self._session.flush()
        except IntegrityError as exc:  # added concurrently
            raise CustomerGroupCodeTaken(group.code) from exc

    def get(self, code: str) -> CustomerGroup | None:
        return self._session.scalars(select(CustomerGroup).where(CustomerGroup.code == code)).first()

    def get_for_update(self, code: str) -> CustomerGroup | None:
        return self._session.scalars(
            select(CustomerGroup).where(CustomerGroup.code == code).with_for_update()
        ).first()


class SalesOrderRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, order: SalesOrder) -> None:
        self._session.add(order)

    def get_for_update(self, number: str) -> SalesOrder | None:
        return self._session.scalars(
            select(SalesOrder).where(SalesOrder.number == number).with_for_update()
            .execution_options(populate_existing=True)
        ).first()


class PromotionRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, promotion: Promotion) -> None:
        self._session.add(promotion)
        try:
            self._session.flush()
        except IntegrityError as exc:  # added concurrently
            raise PromotionCodeTaken(promotion.code) from exc

    def get(self, code: str) -> Promotion | None:
        return self._session.scalars(select(Promotion).where(Promotion.code == code)).first()

    def get_for_update(self, code: str) -> Promotion | None:
        return self._session.scalars(select(Promotion).where(Promotion.code == code).with_for_update()).first()

    def running_on(self, day: date) -> list[Promotion]:
        """The active promotions whose period holds the day: the ones that may price a sale."""
        return list(self._session.scalars(
            select(Promotion).where(Promotion.status == ACTIVE, Promotion.starts_on <= day, Promotion.ends_on >= day)
            .order_by(Promotion.code)))

    def known_category(self, category: str) -> bool:
        """Some part of the catalog is in it (categories are the parts', not a list of their own)."""
        return self._session.scalars(
            select(Part.part_number).where(func.lower(Part.category) == category.lower()).limit(1)).first() is not None


class WarrantyExchangeRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, exchange: WarrantyExchange) -> None:
        self._session.add(exchange)

    def get(self, case: str) -> WarrantyExchange | None:
        return self._session.scalars(select(WarrantyExchange).where(WarrantyExchange.case == case)).first()

    def get_for_update(self, case: str) -> WarrantyExchange | None:
        return self._session.scalars(
            select(WarrantyExchange).where(WarrantyExchange.case == case).with_for_update()
            .execution_options(populate_existing=True)
        ).first()
