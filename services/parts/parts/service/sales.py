"""Selling parts over the counter (配件销售): the sales order from draft to handover, and the
customer groups whose discount and price list it prices with.

Confirming reserves the stock through the reservations' own use case (`hold_lines`), so a sale
and a repair order compete for stock under one rule and one lock order; completing takes
exactly what those reservations hold, first in first out.

A use case with a request body takes a command: a frozen dataclass of what the clerk asks,
defined beside it (the API's schemas load into it). The order's or group's code and the version
the clerk saw come from the URL and If-Match, not from the command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller
from shared.errors import StaleVersion
from shared.numbers import document_number

from parts.domain.errors import CustomerGroupNotFound, PromotionNotApplicable, SaleNotFound
from parts.domain.pricing import Promotion, best_price
from parts.domain.sales import (
    FAULTY,
    RESERVED_FOR,
    TAKES_LATE_RETURNS,
    CustomerGroup,
    GroupPrice,
    Refund,
    ReturnAsked,
    SaleLine,
    SaleReturn,
    SalesOrder,
    Vehicle,
    fitment_of,
)
from parts.domain.stock import PartStock, ReservationStatus
from parts.service.ports import PartsUnitOfWork
from parts.service.reservations import ReservationLineAsked, hold_lines

# ---------------------------------------------------------------- customer groups (客户类别)


@dataclass(frozen=True)
class AddCustomerGroup:
    code: str
    name: str
    discount_percent: Decimal = Decimal("0")  # off the list price


@dataclass(frozen=True)
class ChangeCustomerGroup:
    """New values of the group's `name` and `discount_percent`, only those given."""

    changes: Mapping[str, object]


@dataclass(frozen=True)
class SetGroupPrice:
    price: Decimal


def add_customer_group(uow: PartsUnitOfWork, caller: Caller, command: AddCustomerGroup) -> CustomerGroup:
    with uow:
        group = CustomerGroup(caller.dealer, command.code, name=command.name,
                              discount_percent=command.discount_percent, at=uow.now(), by=caller.sub)
        uow.customer_groups.add(group)
        uow.commit()
    return group


def change_customer_group(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int,
                          command: ChangeCustomerGroup) -> CustomerGroup:
    with uow:
        group = _group_for_update(uow, code)
        group.change(expected_version, **command.changes)
        uow.commit()
    return group


def set_group_price(uow: PartsUnitOfWork, caller: Caller, code: str, part_number: str, expected_version: int,
                    command: SetGroupPrice) -> tuple[CustomerGroup, GroupPrice]:
    """Put a part on the group's price list at its own price (it then wins over the group's
    discount for that part); against the group's version, which moves on."""
    with uow:
        group = _group_for_update(uow, code)
        part = uow.parts.require(part_number, field="part_number")
        entry = group.set_price(expected_version, part.part_number, command.price, at=uow.now(), by=caller.sub)
        uow.commit()
    return group, entry


def remove_group_price(uow: PartsUnitOfWork, caller: Caller, code: str, part_number: str,
                       expected_version: int) -> CustomerGroup:
    with uow:
        group = _group_for_update(uow, code)
        group.remove_price(expected_version, part_number, at=uow.now())
        uow.commit()
    return group


def _group_for_update(uow: PartsUnitOfWork, code: str) -> CustomerGroup:
    group = uow.customer_groups.get_for_update(code)
    if group is None:
        raise CustomerGroupNotFound(code)
    return group


# ---------------------------------------------------------------- the sales order


@dataclass(frozen=True)
class SaleLineAsked:
    """One line of an order as the clerk writes it: the part, how many, where from (None:
    wherever it is available) and the promotion the customer expects (None: none named)."""

    part_number: str
    quantity: Decimal
    location: str | None = None
    promotion: str | None = None


@dataclass(frozen=True)
class Customer:
    """Who buys: walk-in or trade (then its account), name and phone, and the customer group
    whose terms apply."""

    kind: str
    account: str | None = None
    name: str | None = None
    phone: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class OpenSale:
    customer: Customer
    lines: tuple[SaleLineAsked, ...]
    vehicle: Vehicle = Vehicle()


@dataclass(frozen=True)
class PaySale:
    method: str
    reference: str | None
    amount: Decimal


@dataclass(frozen=True)
class CompleteSale:
    invoice_number: str


@dataclass(frozen=True)
class CancelSale:
    reason: str


@dataclass(frozen=True)
class ReturnParts:
    """Parts of a completed sale coming back, the refund (its defaults: `Refund`), why, and
    the replacement lines of an exchange (None: no exchange)."""

    lines: tuple[ReturnAsked, ...]
    reason: str | None = None
    refund: Refund = Refund()
    exchange: tuple[SaleLineAsked, ...] | None = None


def open_sale(uow: PartsUnitOfWork, caller: Caller, command: OpenSale) -> SalesOrder:
    """A draft at the price that applies today: the best for the customer of the list price,
    the customer group's terms and today's promotions (`parts.domain.pricing`). Whatever price
    the client sent is not asked for and not used; a line may only name the promotion it
    expects, which must apply (422 `promotion_not_applicable` otherwise)."""
    with uow:
        order = _draft(uow, caller, document_number("SO", uow.today()), command.lines, command.customer,
                       _group(uow, command.customer.group), command.vehicle)
        uow.commit()
    return order


def _draft(uow: PartsUnitOfWork, caller: Caller, number: str, lines: Sequence[SaleLineAsked], customer: Customer,
           group: CustomerGroup | None, vehicle: Vehicle, *, prefix: str = "lines") -> SalesOrder:
    """A new order with its lines priced as today; `prefix` is the request field the lines are in."""
    parts = [uow.parts.require(line.part_number, field=f"{prefix}.{index}.part_number")
             for index, line in enumerate(lines)]
    order = SalesOrder(caller.dealer, number, customer_kind=customer.kind, customer_account=customer.account,
                       customer_name=customer.name, customer_phone=customer.phone,
                       customer_group=group and group.code, vehicle=vehicle, currency=parts[0].details.currency,
                       at=uow.now(), by=caller.sub)
    today, running = uow.today(), None
    for index, (part, line) in enumerate(zip(parts, lines)):
        part.check_quantity(line.quantity, field=f"{prefix}.{index}.quantity")
        if line.promotion:
            offered = [_asked_promotion(uow, part, line.promotion, today, field=f"{prefix}.{index}.promotion")]
        else:
            running = uow.promotions.running_on(today) if running is None else running
            offered = running
        price = best_price(part_number=part.part_number, category=part.details.category,
                           list_price=part.details.list_price, quantity=line.quantity, group=group,
                           promotions=offered, day=today)
        order.add_line(SaleLine(
            caller.dealer, part_number=part.part_number, name_zh=part.details.name_zh, name_en=part.details.name_en,
            quantity=line.quantity, price=price, location=line.location,
            fitment=fitment_of(part.fitments, vehicle),
        ), part.details.currency, field=f"{prefix}.{index}.part_number")
    uow.sales.add(order)
    return order


def confirm(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int) -> SalesOrder:
    """Reserve every line (all or none: 409 `insufficient_stock` names each short line). Only
    available stock is taken: never what a repair order holds."""
    with uow:
        order = _locked(uow, number, expected_version)
        order.check_can("confirm")  # before any stock is touched
        held = hold_lines(uow, caller, [
            ReservationLineAsked(line.part_number, line.quantity, location=line.location) for line in order.lines
        ], for_kind=RESERVED_FOR, for_reference=order.number)
        order.confirm(held, at=uow.now())
        uow.commit()
    return order


def pay(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int, command: PaySale) -> SalesOrder:
    with uow:
        order = _locked(uow, number, expected_version)
        order.pay(method=command.method, reference=command.reference, amount=command.amount, at=uow.now(),
                  by=caller.sub)
        uow.commit()
    return order


def complete(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int,
             command: CompleteSale) -> SalesOrder:
    """Record the invoice and hand the parts over from the lots the reservations hold: ledger
    rows, and `parts.sale.completed` with every line's lots and suppliers, in one commit."""
    with uow:
        order = _locked(uow, number, expected_version)
        order.check_can("complete")
        now = uow.now()
        stocks = _stocks(uow, order)
        handed_over = [
            stocks[(line.part_number, line.location)].sell(line.quantity, reservation=line.reservation,
                                                           sale=order.number, at=now, actor=caller.sub)
            for line in order.lines
        ]
        order.complete(handed_over, invoice_number=command.invoice_number, at=now, by=caller.sub)
        uow.commit()
    return order


def cancel(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int,
           command: CancelSale) -> SalesOrder:
    """Before payment only; a confirmed order's reservations are released."""
    with uow:
        order = _locked(uow, number, expected_version)
        now = uow.now()
        held = order.cancel(reason=command.reason, at=now)
        stocks = _stocks(uow, order) if held else {}
        for line in held:
            stock = stocks[(line.part_number, line.location)]
            reservation = stock.reservation(line.reservation)
            if reservation is not None and reservation.status == ReservationStatus.ACTIVE:  # not expired meanwhile
                stock.release(line.reservation, reason=f"sales order cancelled: {command.reason}", at=now,
                              actor=caller.sub)
        uow.commit()
    return order


def return_parts(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int,
                 command: ReturnParts) -> SalesOrder:
    """A customer brings parts of a completed sale back (销售退货): each goes into the lot it was
    sold from (blocked if faulty, or if that lot is), the refund is recorded, and
    `parts.sale.returned` announced. With `exchange` lines, the replacement parts are a new
    sales order for the same customer, confirmed (its stock reserved) in the same commit and
    then paid and handed over as any sale. All of it or nothing."""
    with uow:
        order = _locked(uow, number, expected_version)
        order.check_can("return")  # before any stock is touched
        now = uow.now()
        for line in command.lines:
            part = uow.parts.require(line.part_number, field=f"{line.field}.part_number")
            part.check_quantity(line.quantity, field=f"{line.field}.quantity")
        replacement = document_number("SO", uow.today()) if command.exchange else None
        taken = order.take_back(
            document_number("SR", uow.today()), command.lines, reason=command.reason, refund=command.refund,
            window=uow.rules.sale_return_window, by_manager=caller.has_any(TAKES_LATE_RETURNS),
            exchange_sale=replacement, at=now, by=caller.sub)
        _back_into_lots(uow, caller, order, taken)
        if command.exchange:
            _exchange(uow, caller, order, replacement, command.exchange)
        uow.commit()
    return order


def _back_into_lots(uow: PartsUnitOfWork, caller: Caller, order: SalesOrder, taken: SaleReturn) -> None:
    """Each returned quantity into the lot it was sold from, stocks locked in part and location order."""
    stocks = {key: uow.stock.get_or_create_for_update(*key)
              for key in sorted({(line.part_number, line.location) for line in taken.lines})}
    for line in taken.lines:
        lot = uow.lots.get(line.lot)
        why = taken.reason or ("faulty" if line.condition == FAULTY else "returned by the customer")
        stocks[(line.part_number, line.location)].take_back_sold(
            line.lot, lot.received_at, lot.supplier, line.quantity, blocked=line.condition == FAULTY or lot.blocked,
            sale=order.number, return_number=taken.number, reason=why, at=taken.returned_at, actor=caller.sub)


def _exchange(uow: PartsUnitOfWork, caller: Caller, order: SalesOrder, number: str,
              lines: Sequence[SaleLineAsked]) -> SalesOrder:
    """The replacement parts of an exchange: a new order for the same customer and vehicle, at
    today's price, its stock reserved (all or none)."""
    customer = Customer(kind=order.customer_kind, account=order.customer_account, name=order.customer_name,
                        phone=order.customer_phone, group=order.customer_group)
    replacement = _draft(uow, caller, number, lines, customer, _group(uow, order.customer_group), order.vehicle,
                         prefix="exchange")
    replacement.exchange_of = order.number
    held = hold_lines(uow, caller, [
        ReservationLineAsked(line.part_number, line.quantity, location=line.location) for line in replacement.lines
    ], for_kind=RESERVED_FOR, for_reference=replacement.number, prefix="exchange")
    replacement.confirm(held, at=uow.now())
    return replacement


def _asked_promotion(uow: PartsUnitOfWork, part, code: str, today, *, field: str) -> Promotion:
    """The promotion a line names, if it applies to the part today: then only it is offered
    beside the list price and the group's terms (asking never costs the customer more)."""
    promotion = uow.promotions.get(code)
    if promotion is None:
        raise PromotionNotApplicable(code, part.part_number, "there is no such promotion", field=field)
    promotion.check_applies(part.part_number, part.details.category, today, field=field)
    return promotion


def _locked(uow: PartsUnitOfWork, number: str, expected_version: int) -> SalesOrder:
    order = uow.sales.get_for_update(number)
    if order is None:
        raise SaleNotFound(number)
    StaleVersion.check(expected_version, order.version)
    return order


def _stocks(uow: PartsUnitOfWork, order: SalesOrder) -> dict[tuple[str, str], PartStock]:
    """The stocks the order's lines are held at, locked in part and location order, as every
    use case that moves stock locks them."""
    return {key: uow.stock.get_for_update(*key)
            for key in sorted({(line.part_number, line.location) for line in order.lines})}


def _group(uow: PartsUnitOfWork, code: str | None) -> CustomerGroup | None:
    if code is None:
        return None
    group = uow.customer_groups.get(code)
    if group is None:
        raise CustomerGroupNotFound(code, field="customer_group")
    return group
