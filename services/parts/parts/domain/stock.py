"""Stock of one part at one location (库存), across its lots, with its reservations.

`PartStock` is the consistency boundary for everything that moves stock: receiving, blocking
and unblocking a lot, reserving, releasing, issuing, returning and adjusting. The database
row of a part at a location is locked while one of these runs, so two clerks can never both
take the last unit.

Each lot balance keeps on hand, reserved and quarantined (blocked) quantities:
available = on hand - reserved - quarantined, never below zero. Stock of a lot that is
pending inspection, failed it, or is on hold is blocked. A reservation is allocated to lots
first-in-first-out when it is made, and an issue takes exactly those lots; issuing without
naming a reservation takes the repair order's own reservations first, then the oldest
available lots. A transfer moves available stock of a lot to another location's stock of
the part, where it keeps its lot. Every change appends a `Movement` to the ledger; nothing is
edited afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from shared.model import Aggregate, DealerOwned

from parts.domain.errors import (
    DepositRequired,
    ExpiryInThePast,
    InsufficientStock,
    LotNotHere,
    LotQuarantined,
    NothingToReturn,
    ReservationExpired,
    ReservationForAnotherOrder,
    ReservationNotActive,
    RuleOutOfOrder,
    SameLocation,
    WouldGoNegative,
)
from parts.domain.events import (
    ReservationReleased,
    StockAdjusted,
    StockBelowSafetyLevel,
    StockIssued,
    StockReceived,
    StockReplenished,
    StockReserved,
    StockReturned,
    StockReturnedToSupplier,
    StockTransferred,
)

ZERO = Decimal("0")


class Movement(DealerOwned):
    """One ledger row (库存流水): what changed, by how much, why, who, when. Written once,
    never changed (the database refuses updates and deletes of the ledger). Every row says why;
    a reservation's rows name the repair order or appointment it holds the parts for."""

    def __init__(self, dealer: str, at: datetime, kind: str, part_number: str, location: str, lot: str,
                 on_hand_change: Decimal, reserved_change: Decimal, quarantined_change: Decimal,
                 reference: str, actor: str, reason: str):
        if not reason or not reason.strip():
            raise ValueError(f"a {kind} ledger row needs a reason")
        self.dealer = dealer
        self.at = at
        # receipt, reserve, release, issue, return, adjust, block, unblock, return_to_supplier,
        # transfer_out, transfer_in, sale, sale_return, warranty_exchange
        self.kind = kind
        self.part_number = part_number
        self.location = location
        self.lot = lot
        self.on_hand_change = on_hand_change
        self.reserved_change = reserved_change
        self.quarantined_change = quarantined_change
        self.reference = reference
        self.actor = actor
        self.reason = reason


@dataclass(frozen=True)
class Pick:
    """Quantity taken from one lot, who supplied that lot, and the reservation it was held by."""

    lot: str
    quantity: Decimal
    supplier: str
    reservation: str | None = None


@dataclass(frozen=True)
class Transfer:
    """Stock of a part moved from one location to another (移库), lot by lot. The ledger rows
    and events name its number."""

    number: str
    part_number: str
    from_location: str
    to_location: str
    reason: str
    moved_at: datetime
    moved_by: str
    picks: tuple[Pick, ...]

    @property
    def quantity(self) -> Decimal:
        return sum((pick.quantity for pick in self.picks), ZERO)


class LotBalance(DealerOwned):
    def __init__(self, dealer: str, lot: str, received_at: datetime, supplier: str):
        self.dealer = dealer
        self.lot = lot
        self.received_at = received_at  # copied from the lot: first-in-first-out order
        self.supplier = supplier
        self.on_hand = ZERO
        self.reserved = ZERO
        self.quarantined = ZERO

    @property
    def available(self) -> Decimal:
        return max(ZERO, self.on_hand - self.reserved - self.quarantined)

    @property
    def blocked(self) -> bool:
        return self.quarantined > ZERO and self.quarantined == self.on_hand

    @property
    def empty(self) -> bool:
        return self.on_hand == ZERO and self.reserved == ZERO


class Allocation(DealerOwned):
    def __init__(self, dealer: str, lot: str, quantity: Decimal):
        self.dealer = dealer
        self.lot = lot
        self.quantity = quantity


class ReservationStatus(StrEnum):
    """Where a reservation stands. A StrEnum, so that answers, errors and events show the value
    ("issued"), as they did when the status was a plain string."""

    ACTIVE = "active"  # holding stock
    ISSUED = "issued"  # all of it handed out
    RELEASED = "released"  # let go before it was all issued (a clerk, a cancelled sale, a blocked lot)
    EXPIRED = "expired"  # let go by the sweep when its hold ran out


class Reservation(DealerOwned):
    """Parts held for a repair order or an appointment (预留), until issued, released or expired."""

    def __init__(
        self,
        dealer: str,
        number: str,
        *,
        part_number: str,
        location: str,
        quantity: Decimal,
        for_kind: str,
        for_reference: str,
        expires_at: datetime,
        deposit: Decimal | None,
        at: datetime,
        actor: str,
    ):
        self.dealer = dealer
        self.number = number
        self.part_number = part_number
        self.location = location
        self.quantity = quantity
        self.issued = ZERO
        self.for_kind = for_kind  # repair_order or appointment
        self.for_reference = for_reference
        self.expires_at = expires_at
        self.deposit = deposit
        self.status = ReservationStatus.ACTIVE
        self.created_at = at
        self.created_by = actor
        self.closed_at: datetime | None = None
        self.allocations: list[Allocation] = []

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.issued

    @property
    def purpose(self) -> str:
        """What the parts are held for, in the ledger's words: "repair order RO-1"."""
        kind = {"repair_order": "repair order", "sales_order": "sales order"}.get(self.for_kind, "appointment")
        return f"{kind} {self.for_reference}"

    def expired_by(self, now: datetime) -> bool:
        return self.status == ReservationStatus.ACTIVE and now >= self.expires_at


def deposit_required(unit_price: Decimal, quantity: Decimal, for_kind: str, *, high_value_threshold: Decimal,
                     share: Decimal) -> Decimal | None:
    """The least deposit (定金) a reservation must come with, or None when it needs none: an
    appointment's part priced at `high_value_threshold` or more needs `share` of its price up
    front, to the fen (预约高价值配件须预交定金)."""
    if for_kind != "appointment" or unit_price < high_value_threshold:
        return None
    return (unit_price * quantity * share).quantize(Decimal("0.01"))


def check_deposit(part_number: str, unit_price: Decimal, quantity: Decimal, for_kind: str, given: Decimal | None, *,
                  high_value_threshold: Decimal, share: Decimal, field: str = "deposit") -> None:
    """Refuse a reservation that comes without the deposit `deposit_required` asks of it."""
    required = deposit_required(unit_price, quantity, for_kind, high_value_threshold=high_value_threshold, share=share)
    if required is not None and (given or ZERO) < required:
        raise DepositRequired(part_number, required=required, given=given, field=field)


@dataclass(frozen=True)
class ReorderRule:
    """How much of a part to keep at a location (安全库存/订货点): the manager's settings."""

    safety_stock: Decimal = ZERO
    reorder_point: Decimal = ZERO
    max_stock: Decimal = ZERO
    lead_time_days: int | None = None
    pack_multiple: Decimal = Decimal("1")
    mode: str = "fixed"  # fixed, or demand: computed from the issue history
    service_level: Decimal = Decimal("0.95")


class PartStock(Aggregate):
    """One part at one location, across its lots.

    `balances` holds the lots with stock here (an emptied lot's balance is dropped; the ledger
    keeps its history), `reservations` the active reservations, and `movements` the ledger
    rows this change adds (the ledger is never loaded back into the aggregate).
    """

    version: int
    balances: list[LotBalance]
    reservations: list[Reservation]

    def __init__(self, dealer: str, part_number: str, location: str):
        self.dealer = dealer
        self.part_number = part_number
        self.location = location
        self.balances = []
        self.reservations = []
        self.last_movement_at: datetime | None = None
        self.rule = ReorderRule()
        self.below_safety = False

    @property
    def movements(self) -> list[Movement]:
        # Loaded rows skip __init__, so the list is created on first use.
        return self.__dict__.setdefault("_new_movements", [])

    @property
    def subject(self) -> str:
        return self.part_number

    # ------------------------------------------------------------ what is there

    @property
    def on_hand(self) -> Decimal:
        return sum((b.on_hand for b in self.balances), ZERO)

    @property
    def reserved(self) -> Decimal:
        return sum((b.reserved for b in self.balances), ZERO)

    @property
    def quarantined(self) -> Decimal:
        return sum((b.quarantined for b in self.balances), ZERO)

    @property
    def available(self) -> Decimal:
        return sum((b.available for b in self.balances), ZERO)

    def balance(self, lot: str) -> LotBalance | None:
        return next((b for b in self.balances if b.lot == lot), None)

    def reservation(self, number: str) -> Reservation | None:
        return next((r for r in self.reservations if r.number == number), None)

    # ------------------------------------------------------------ receiving and blocking

    def receive(self, lot: str, received_at: datetime, supplier: str, quantity: Decimal, *,
                blocked: bool, reference: str, at: datetime, actor: str, reason: str | None = None) -> None:
        balance = self._balance_for(lot, received_at, supplier)
        balance.on_hand += quantity
        held = quantity if blocked or balance.blocked else ZERO
        balance.quarantined += held
        self._record("receipt", lot, at, reference, actor, on_hand=quantity, quarantined=held,
                     reason=reason or f"received from supplier {supplier}")
        self.events.append(StockReceived(
            receipt=reference, part_number=self.part_number, location=self.location, lot=lot,
            supplier=supplier, quantity=quantity, blocked=blocked,
        ))
        self._watch_safety_level(at)

    def block(self, lot: str, *, reference: str, reason: str, at: datetime, actor: str) -> None:
        """Make a lot's stock here unavailable (failed inspection, quality hold, recall).
        Reservations on it move to other lots where possible."""
        balance = self._balance_or_fail(lot)
        to_block = balance.on_hand - balance.quarantined
        if to_block <= ZERO:
            return
        balance.quarantined += to_block
        self._record("block", lot, at, reference, actor, quarantined=to_block, reason=reason)
        self._move_allocations_off(balance, at=at, actor=actor, reference=reference)
        self._watch_safety_level(at)

    def unblock(self, lot: str, *, reference: str, reason: str, at: datetime, actor: str) -> None:
        balance = self._balance_or_fail(lot)
        if balance.quarantined <= ZERO:
            return
        released = balance.quarantined
        balance.quarantined = ZERO
        self._record("unblock", lot, at, reference, actor, quarantined=-released, reason=reason)
        self._watch_safety_level(at)

    def return_to_supplier(self, lot: str, quantity: Decimal, *, reference: str, reason: str,
                           at: datetime, actor: str) -> None:
        """Send rejected or unwanted stock of a lot back (退货): blocked stock first."""
        balance = self._balance_or_fail(lot)
        if quantity > balance.on_hand - balance.reserved:
            raise InsufficientStock(self.part_number, asked=quantity, available=balance.on_hand - balance.reserved,
                                    location=self.location, lot=lot)
        from_blocked = min(quantity, balance.quarantined)
        balance.on_hand -= quantity
        balance.quarantined -= from_blocked
        self._record("return_to_supplier", lot, at, reference, actor, on_hand=-quantity,
                     quarantined=-from_blocked, reason=reason)
        self.events.append(StockReturnedToSupplier(
            reference=reference, part_number=self.part_number, location=self.location, lot=lot,
            supplier=balance.supplier, quantity=quantity, reason=reason, by=actor,
        ))
        self._drop_if_empty(balance)
        self._watch_safety_level(at)

    # ------------------------------------------------------------ reservations

    def reserve(self, number: str, quantity: Decimal, *, for_kind: str, for_reference: str,
                expires_at: datetime, deposit: Decimal | None, at: datetime, actor: str) -> Reservation:
        if expires_at <= at:
            raise ExpiryInThePast(expires_at, at)
        picks = self._oldest_available(quantity)
        reservation = Reservation(
            self.dealer, number, part_number=self.part_number, location=self.location,
            quantity=quantity, for_kind=for_kind, for_reference=for_reference,
            expires_at=expires_at, deposit=deposit, at=at, actor=actor,
        )
        for pick in picks:
            balance = self.balance(pick.lot)
            balance.reserved += pick.quantity
            reservation.allocations.append(Allocation(self.dealer, pick.lot, pick.quantity))
            self._record("reserve", pick.lot, at, number, actor, reserved=pick.quantity,
                         reason=f"reserved for {reservation.purpose}")
        self.reservations.append(reservation)
        self.events.append(StockReserved(
            reservation=number, part_number=self.part_number, location=self.location,
            quantity=quantity, for_kind=for_kind, for_reference=for_reference, expires_at=expires_at,
        ))
        self._watch_safety_level(at)
        return reservation

    def release(self, number: str, *, reason: str, at: datetime, actor: str) -> Reservation:
        """Give a reservation's outstanding quantity back (cancelled, or expired)."""
        reservation = self._active_reservation(number)
        released = reservation.outstanding
        for allocation in reservation.allocations:
            if allocation.quantity > ZERO:
                self.balance(allocation.lot).reserved -= allocation.quantity
                self._record("release", allocation.lot, at, number, actor, reserved=-allocation.quantity,
                             reason=f"{reason} (reserved for {reservation.purpose})")
                allocation.quantity = ZERO
        reservation.status = ReservationStatus.EXPIRED if reason == "expired" else ReservationStatus.RELEASED
        reservation.closed_at = at
        self.events.append(ReservationReleased(
            reservation=number, part_number=self.part_number, location=self.location,
            quantity=released, reason=reason,
        ))
        self._watch_safety_level(at)
        return reservation

    # ------------------------------------------------------------ issuing and returning

    def issue(self, quantity: Decimal, *, reservation: str | None, issue_number: str,
              repair_order: str, vin: str, technician: str, source: str,
              at: datetime, actor: str) -> list[Pick]:
        """Hand parts to a technician for a repair order (领料出库).

        A named reservation must be held for this repair order (an appointment's reservation
        goes to whichever repair order the appointment became). Without one, the repair order's
        own active reservations of the part here are taken first, then the oldest available lots.
        """
        if reservation is not None:
            picks = self._take_reserved(self._reservation_for(reservation, repair_order, at), quantity, at=at)
        else:
            picks = self._take_for(repair_order, quantity, at=at)
        for pick in picks:
            balance = self.balance(pick.lot)
            balance.on_hand -= pick.quantity
            reserved = ZERO if pick.reservation is None else pick.quantity
            balance.reserved -= reserved
            self._record("issue", pick.lot, at, issue_number, actor, on_hand=-pick.quantity,
                         reserved=-reserved, reason=f"repair order {repair_order}")
            self.events.append(StockIssued(
                issue=issue_number, repair_order=repair_order, vin=vin, part_number=self.part_number,
                location=self.location, lot=pick.lot, supplier=balance.supplier, quantity=pick.quantity,
                source=source, technician=technician,
            ))
            self._drop_if_empty(balance)
        self._watch_safety_level(at)
        return picks

    def sell(self, quantity: Decimal, *, reservation: str, sale: str, at: datetime, actor: str) -> list[Pick]:
        """Hand parts over the counter on a sales order (配件销售出库): the lots the sale's
        reservation holds. If that reservation lapsed meanwhile (expired and swept), the oldest
        available lots instead, never more than is available. The sale announces itself; the
        stock only keeps its ledger."""
        held = self.reservation(reservation)
        if held is not None and held.status == ReservationStatus.ACTIVE:
            if held.for_kind != "sales_order" or held.for_reference != sale:
                raise ReservationForAnotherOrder(reservation, held.for_reference, sale, held_for=held.purpose,
                                                 asked_kind="sales order")
            picks = self._take_reserved(held, quantity, at=at)
        else:
            picks = self._oldest_available(quantity)
        for pick in picks:
            balance = self.balance(pick.lot)
            balance.on_hand -= pick.quantity
            reserved = ZERO if pick.reservation is None else pick.quantity
            balance.reserved -= reserved
            self._record("sale", pick.lot, at, sale, actor, on_hand=-pick.quantity, reserved=-reserved,
                         reason=f"sold on sales order {sale}")
            self._drop_if_empty(balance)
        self._watch_safety_level(at)
        return picks

    def issue_for_warranty(self, quantity: Decimal, *, case: str, at: datetime, actor: str) -> list[Pick]:
        """Hand over the replacement for a parts-warranty case (保修换件): the oldest available
        lots, never what is reserved or blocked, all of it or refused. The exchange announces
        itself; the stock keeps its ledger, the case number as reference."""
        picks = self._oldest_available(quantity)
        for pick in picks:
            balance = self.balance(pick.lot)
            balance.on_hand -= pick.quantity
            self._record("warranty_exchange", pick.lot, at, case, actor, on_hand=-pick.quantity,
                         reason=f"warranty_exchange: replacement for parts-warranty case {case}")
            self._drop_if_empty(balance)
        self._watch_safety_level(at)
        return picks

    def take_back_sold(self, lot: str, received_at: datetime, supplier: str, quantity: Decimal, *,
                       blocked: bool, sale: str, return_number: str, reason: str, at: datetime,
                       actor: str) -> None:
        """Parts a customer brings back (销售退货) go into the lot they were sold from; blocked
        if they are faulty or that lot is. The sale announces the return; the stock keeps its
        ledger, as for the sale."""
        if quantity <= ZERO:
            raise NothingToReturn(self.part_number)
        balance = self._balance_for(lot, received_at, supplier)
        balance.on_hand += quantity
        held = quantity if blocked or balance.blocked else ZERO
        balance.quarantined += held
        self._record("sale_return", lot, at, return_number, actor, on_hand=quantity, quarantined=held,
                     reason=f"returned on sales order {sale}: {reason}")
        self._watch_safety_level(at)

    def return_to_stock(self, lot: str, received_at: datetime, supplier: str, quantity: Decimal, *,
                        blocked: bool, issue_number: str, repair_order: str, reason: str,
                        at: datetime, actor: str) -> None:
        """Unused parts come back (退料) to the lot they were issued from; blocked if that lot is."""
        if quantity <= ZERO:
            raise NothingToReturn(self.part_number)
        balance = self._balance_for(lot, received_at, supplier)
        balance.on_hand += quantity
        held = quantity if blocked else ZERO
        balance.quarantined += held
        self._record("return", lot, at, issue_number, actor, on_hand=quantity, quarantined=held, reason=reason)
        self.events.append(StockReturned(
            issue=issue_number, repair_order=repair_order, part_number=self.part_number,
            location=self.location, lot=lot, quantity=quantity, reason=reason,
        ))
        self._watch_safety_level(at)

    def transfer_to(self, destination: PartStock, quantity: Decimal, *, lot: str | None, number: str,
                    reason: str, at: datetime, actor: str) -> Transfer:
        """Move available stock to the part's stock at another location (移库): from the named
        lot, or else the oldest available lots. Each lot keeps its identity there; reserved or
        blocked stock stays where it is."""
        if destination.location == self.location:
            raise SameLocation(self.location)
        if lot is None:
            picks = self._oldest_available(quantity)
        else:
            balance = self._balance_or_fail(lot)
            if balance.quarantined > ZERO:
                raise LotQuarantined(lot, self.part_number, self.location)
            if quantity > balance.available:
                raise InsufficientStock(self.part_number, asked=quantity, available=balance.available,
                                        location=self.location, lot=lot)
            picks = [Pick(lot, quantity, balance.supplier)]
        for pick in picks:
            balance = self.balance(pick.lot)
            balance.on_hand -= pick.quantity
            self._record("transfer_out", pick.lot, at, number, actor, on_hand=-pick.quantity, reason=reason)
            arriving = destination._balance_for(pick.lot, balance.received_at, balance.supplier)
            arriving.on_hand += pick.quantity
            destination._record("transfer_in", pick.lot, at, number, actor, on_hand=pick.quantity, reason=reason)
            self.events.append(StockTransferred(
                transfer=number, part_number=self.part_number, lot=pick.lot, from_location=self.location,
                to_location=destination.location, quantity=pick.quantity, reason=reason, by=actor,
            ))
            self._drop_if_empty(balance)
        self._watch_safety_level(at)
        destination._watch_safety_level(at)
        return Transfer(number, self.part_number, self.location, destination.location, reason, at, actor,
                        tuple(picks))

    def adjust(self, lot: str, counted: Decimal, *, reference: str, reason: str, at: datetime,
               actor: str) -> Decimal:
        """Set a lot's on-hand quantity to what was counted (盘点调整); returns the change.
        A blocked lot stays wholly blocked; reserved units must still be there."""
        balance = self._balance_or_fail(lot)
        change = counted - balance.on_hand
        if change == ZERO:
            return change
        if counted < ZERO:
            raise WouldGoNegative(self.part_number, lot=lot, counted=counted, reserved=balance.reserved)
        quarantined = counted if balance.blocked else min(balance.quarantined, counted)
        if counted - quarantined < balance.reserved:
            raise WouldGoNegative(self.part_number, lot=lot, counted=counted, reserved=balance.reserved)
        held_change = quarantined - balance.quarantined
        balance.on_hand = counted
        balance.quarantined = quarantined
        self._record("adjust", lot, at, reference, actor, on_hand=change, quarantined=held_change, reason=reason)
        self.events.append(StockAdjusted(
            reference=reference, part_number=self.part_number, location=self.location, lot=lot,
            change=change, on_hand=counted, reason=reason,
        ))
        self._drop_if_empty(balance)
        self._watch_safety_level(at)
        return change

    def correct(self, lot: str, change: Decimal, *, received_at: datetime, supplier: str, blocked: bool,
                reference: str, reason: str, at: datetime, actor: str) -> None:
        """Apply a count variance to whatever the lot holds now (it may have moved, or been
        emptied, since it was counted); stock found of a blocked lot stays blocked."""
        balance = self._balance_for(lot, received_at, supplier)
        self.adjust(lot, balance.on_hand + change, reference=reference, reason=reason, at=at, actor=actor)
        if balance.empty:
            if balance in self.balances:
                self.balances.remove(balance)
        elif blocked and balance.quarantined < balance.on_hand:
            self.block(lot, reference=reference, reason="lot is blocked", at=at, actor=actor)

    # ------------------------------------------------------------ safety stock

    def set_rule(self, rule: ReorderRule, *, at: datetime) -> None:
        if rule.reorder_point < rule.safety_stock or (rule.max_stock and rule.max_stock < rule.reorder_point):
            raise RuleOutOfOrder(self.part_number, rule.safety_stock, rule.reorder_point, rule.max_stock)
        if rule.pack_multiple <= ZERO:
            raise RuleOutOfOrder(self.part_number, rule.safety_stock, rule.reorder_point, rule.max_stock)
        self.rule = rule
        self._watch_safety_level(at)

    def _watch_safety_level(self, at: datetime) -> None:
        """Announce each crossing of the safety level once: going below, and coming back."""
        below = self.available < self.rule.safety_stock
        if below == self.below_safety:
            return
        self.below_safety = below
        event = StockBelowSafetyLevel if below else StockReplenished
        self.events.append(event(part_number=self.part_number, location=self.location,
                                 available=self.available, safety_stock=self.rule.safety_stock))

    # ------------------------------------------------------------ inner workings

    def _oldest_available(self, quantity: Decimal) -> list[Pick]:
        """All of `quantity` from the oldest available lots, or refused."""
        if quantity > self.available:
            raise InsufficientStock(self.part_number, asked=quantity, available=self.available,
                                    location=self.location)
        return self._first_in_first_out(quantity)

    def _first_in_first_out(self, quantity: Decimal) -> list[Pick]:
        picks, wanted = [], quantity
        for balance in sorted(self.balances, key=lambda b: (b.received_at, b.lot)):
            if wanted <= ZERO:
                break
            take = min(wanted, balance.available)
            if take > ZERO:
                picks.append(Pick(balance.lot, take, balance.supplier))
                wanted -= take
        return picks

    def _reservation_for(self, number: str, repair_order: str, at: datetime) -> Reservation:
        """The named reservation, if it may be issued to this repair order now."""
        reservation = self._active_reservation(number)
        if reservation.expired_by(at):
            raise ReservationExpired(number, reservation.expires_at)
        if reservation.for_kind in ("repair_order", "sales_order") and reservation.for_reference != repair_order:
            raise ReservationForAnotherOrder(number, reservation.for_reference, repair_order,
                                            held_for=reservation.purpose)
        return reservation

    def _take_for(self, repair_order: str, quantity: Decimal, *, at: datetime) -> list[Pick]:
        """The repair order's own unexpired reservations first, oldest first; then free stock."""
        own = [r for r in self.reservations if r.status == ReservationStatus.ACTIVE and r.for_kind == "repair_order"
               and r.for_reference == repair_order and not r.expired_by(at)]
        usable = sum((r.outstanding for r in own), ZERO) + self.available
        if quantity > usable:
            raise InsufficientStock(self.part_number, asked=quantity, available=usable, location=self.location)
        picks, wanted = [], quantity
        for reservation in own:
            take = min(wanted, reservation.outstanding)
            if take > ZERO:
                picks += self._take_reserved(reservation, take, at=at)
                wanted -= take
        # Free stock is what no reservation holds, so it never overlaps what was just taken.
        return picks + self._first_in_first_out(wanted)

    def _take_reserved(self, reservation: Reservation, quantity: Decimal, *, at: datetime) -> list[Pick]:
        if quantity > reservation.outstanding:
            raise InsufficientStock(self.part_number, asked=quantity, available=reservation.outstanding,
                                    location=self.location, reservation=reservation.number)
        picks, wanted = [], quantity
        for allocation in reservation.allocations:
            take = min(wanted, allocation.quantity)
            if take > ZERO:
                allocation.quantity -= take
                picks.append(Pick(allocation.lot, take, self.balance(allocation.lot).supplier, reservation.number))
                wanted -= take
        reservation.issued += quantity
        if reservation.outstanding == ZERO:
            reservation.status = ReservationStatus.ISSUED
            reservation.closed_at = at
        return picks

    def _move_allocations_off(self, balance: LotBalance, *, at: datetime, actor: str, reference: str) -> None:
        """Before a lot is blocked, move what is reserved on it to the oldest other lots."""
        for reservation in self.reservations:
            for allocation in list(reservation.allocations):
                if allocation.lot != balance.lot or allocation.quantity <= ZERO:
                    continue
                moving = allocation.quantity
                balance.reserved -= moving
                allocation.quantity = ZERO
                self._record("release", balance.lot, at, reservation.number, actor, reserved=-moving,
                             reason=f"lot blocked: {reference} (reserved for {reservation.purpose})")
                for pick in self._first_in_first_out(moving):
                    self.balance(pick.lot).reserved += pick.quantity
                    reservation.allocations.append(Allocation(self.dealer, pick.lot, pick.quantity))
                    self._record("reserve", pick.lot, at, reservation.number, actor, reserved=pick.quantity,
                                 reason=f"moved from blocked lot {balance.lot} (reserved for {reservation.purpose})")
                    moving -= pick.quantity
                if moving > ZERO:
                    # Not enough elsewhere: the reservation keeps what it could, and says so.
                    reservation.quantity -= moving
                    if reservation.outstanding == ZERO:
                        reservation.status = ReservationStatus.RELEASED
                        reservation.closed_at = at
                    self.events.append(ReservationReleased(
                        reservation=reservation.number, part_number=self.part_number,
                        location=self.location, quantity=moving, reason="lot_blocked",
                    ))

    def _active_reservation(self, number: str) -> Reservation:
        reservation = self.reservation(number)
        if reservation is None or reservation.status != ReservationStatus.ACTIVE:
            raise ReservationNotActive(number, None if reservation is None else reservation.status)
        return reservation

    def _balance_for(self, lot: str, received_at: datetime, supplier: str) -> LotBalance:
        balance = self.balance(lot)
        if balance is None:
            balance = LotBalance(self.dealer, lot, received_at, supplier)
            self.balances.append(balance)
        return balance

    def _drop_if_empty(self, balance: LotBalance) -> None:
        if balance.empty:
            self.balances.remove(balance)

    def _balance_or_fail(self, lot: str) -> LotBalance:
        balance = self.balance(lot)
        if balance is None:
            raise LotNotHere(lot, self.part_number, self.location)
        return balance

    def _record(self, kind: str, lot: str, at: datetime, reference: str, actor: str, *,
                reason: str, on_hand: Decimal = ZERO, reserved: Decimal = ZERO,
                quarantined: Decimal = ZERO) -> None:
        # Touching the stock's own row on every movement also moves its version, so a change
        # made without holding the row lock fails instead of silently overwriting.
        self.last_movement_at = at
        self.movements.append(Movement(
            dealer=self.dealer, at=at, kind=kind, part_number=self.part_number, location=self.location,
            lot=lot, on_hand_change=on_hand, reserved_change=reserved, quarantined_change=quarantined,
            reference=reference, actor=actor, reason=reason,
        ))


def where_to_reserve(part_number: str, quantity: Decimal, available: Mapping[str, Decimal], *,
                     default_location: str) -> str:
    """Where a reservation that names no location is held (the quote screen reserves "wherever
    it is"): at the default location if enough is available there, else at the location with
    the most available that can fill the whole quantity (on a tie, the first by code). A
    reservation is held at one location, never split: when no location can fill it,
    InsufficientStock names where the most is (the default location when none has any).

    `available` is what each location has available of the part: what is left to this line
    after the other lines of the same quote."""
    if quantity <= available.get(default_location, ZERO):
        return default_location
    ranked = sorted(((max(amount, ZERO), location) for location, amount in available.items()),
                    key=lambda item: (-item[0], item[1] != default_location, item[1]))
    most, where = ranked[0] if ranked else (ZERO, default_location)
    if most == ZERO:
        where = default_location
    if quantity > most:
        raise InsufficientStock(part_number, asked=quantity, available=most, location=where)
    return where


def where_to_reserve_lines(lines: Sequence[tuple[str, Decimal, str | None]],
                           available: Mapping[tuple[str, str], Decimal], *,
                           default_location: str) -> list[str | InsufficientStock]:
    """Where each line (part number, quantity, location or None) of a quote is held: a line that
    names its location there; the others, in their order, where `where_to_reserve` says, out of
    what the lines naming their location leave (those have no choice) and the lines before them
    take. `available` is keyed by part number and location. A line no location can fill gets the
    InsufficientStock that says so instead of a place."""
    left = dict(available)
    for part_number, quantity, location in lines:
        if location:
            left[(part_number, location)] = left.get((part_number, location), ZERO) - quantity
    places: list[str | InsufficientStock] = []
    for part_number, quantity, location in lines:
        if location:
            places.append(location)
            continue
        here = {where: amount for (number, where), amount in left.items() if number == part_number}
        try:
            where = where_to_reserve(part_number, quantity, here, default_location=default_location)
        except InsufficientStock as short:
            places.append(short)
            continue
        left[(part_number, where)] -= quantity
        places.append(where)
    return places
