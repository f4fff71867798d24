"""Selling parts over the counter (配件销售): the sales order from draft to handover, and the
customer groups whose discount and price list it prices with.

Confirming reserves the stock through the reservations' own use case (`hold_lines`), so a sale
and a repair order compete for stock under one rule and one lock order; completing takes
exactly what those reservations hold, first in first out.
"""

from __future__ import annotations

from decimal import Decimal

from shared.auth import Caller
from shared.errors import StaleVersion

from parts.adapters.unit_of_work import PartsUnitOfWork
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
from parts.service.numbers import new_number
from parts.service.reservations import hold_lines

# ---------------------------------------------------------------- customer groups (客户类别)


def add_customer_group(uow: PartsUnitOfWork, caller: Caller, *, code: str, name: str,
                       discount_percent: Decimal) -> CustomerGroup:
    with uow:
        group = CustomerGroup(caller.dealer, code, name=name, discount_percent=discount_percent, at=uow.now(),
                              by=caller.sub)
        uow.customer_groups.add(group)
        uow.commit()
    return group


def change_customer_group(uow: PartsUnitOfWork, caller: Caller, code: str, expected_version: int,
                          **changes) -> CustomerGroup:
    with uow:
        group = _group_for_update(uow, code)
        group.change(expected_version, **changes)
        uow.commit()
    return group


def set_group_price(uow: PartsUnitOfWork, caller: Caller, code: str, part_number: str, expected_version: int, *,
                    price: Decimal) -> tuple[CustomerGroup, GroupPrice]:
    """Put a part on the group's price list at its own price (it then wins over the group's
    discount for that part); against the group's version, which moves on."""
    with uow:
        group = _group_for_update(uow, code)
        part = uow.parts.require(part_number, field="part_number")
        entry = group.set_price(expected_version, part.part_number, price, at=uow.now(), by=caller.sub)
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


def open_sale(uow: PartsUnitOfWork, caller: Caller, *, customer_kind: str, lines: list[dict],
              customer_account: str | None = None, customer_name: str | None = None,
              customer_phone: str | None = None, customer_group: str | None = None,
              vehicle: dict | None = None) -> SalesOrder:
    """A draft at the price that applies today: the best for the customer of the list price,
    the customer group's terms and today's promotions (`parts.domain.pricing`). Whatever price
    the client sent is not asked for and not used; a line may only name the promotion it
    expects, which must apply (422 `promotion_not_applicable` otherwise)."""
    with uow:
        order = _draft(uow, caller, new_number("SO", uow.today()), lines, customer_kind=customer_kind,
                       customer_account=customer_account, customer_name=customer_name,
                       customer_phone=customer_phone, customer_group=_group(uow, customer_group),
                       vehicle=Vehicle(**(vehicle or {})))
        uow.commit()
    return order


def _draft(uow: PartsUnitOfWork, caller: Caller, number: str, lines: list[dict], *, customer_group,
           vehicle: Vehicle, prefix: str = "lines", **customer) -> SalesOrder:
    """A new order with its lines priced as today; `prefix` is the request field the lines are in."""
    parts = [uow.parts.require(line["part_number"], field=f"{prefix}.{index}.part_number")
             for index, line in enumerate(lines)]
    order = SalesOrder(caller.dealer, number, customer_group=customer_group and customer_group.code,
                       vehicle=vehicle, currency=parts[0].currency, at=uow.now(), by=caller.sub, **customer)
    today, running = uow.today(), None
    for index, (part, line) in enumerate(zip(parts, lines)):
        part.check_quantity(line["quantity"], field=f"{prefix}.{index}.quantity")
        if line.get("promotion"):
            offered = [_asked_promotion(uow, part, line["promotion"], today, field=f"{prefix}.{index}.promotion")]
        else:
            running = uow.promotions.running_on(today) if running is None else running
            offered = running
        price = best_price(part_number=part.part_number, category=part.category, list_price=part.list_price,
                           quantity=line["quantity"], group=customer_group, promotions=offered, day=today)
        order.add_line(SaleLine(
            caller.dealer, part_number=part.part_number, name_zh=part.name_zh, name_en=part.name_en,
            quantity=line["quantity"], price=price, location=line.get("location"),
            fitment=fitment_of(part.fitments, vehicle),
        ), part.currency, field=f"{prefix}.{index}.part_number")
    uow.sales.add(order)
    return order


def confirm(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int) -> SalesOrder:
    """Reserve every line (all or none: 409 `insufficient_stock` names each short line). Only
    available stock is taken: never what a repair order holds."""
    with uow:
        order = _locked(uow, number, expected_version)
        order.check_can("confirm")  # before any stock is touched
        held = hold_lines(uow, caller, [
            {"part_number": line.part_number, "quantity": line.quantity, "location": line.location}
            for line in order.lines
        ], for_kind=RESERVED_FOR, for_reference=order.number)
        order.confirm(held, at=uow.now())
        uow.commit()
    return order


def pay(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int, *, method: str,
        reference: str | None, amount: Decimal) -> SalesOrder:
    with uow:
        order = _locked(uow, number, expected_version)
        order.pay(method=method, reference=reference, amount=amount, at=uow.now(), by=caller.sub)
        uow.commit()
    return order


def complete(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int, *,
             invoice_number: str) -> SalesOrder:
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
        order.complete(handed_over, invoice_number=invoice_number, at=now, by=caller.sub)
        uow.commit()
    return order


def cancel(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int, *, reason: str) -> SalesOrder:
    """Before payment only; a confirmed order's reservations are released."""
    with uow:
        order = _locked(uow, number, expected_version)
        now = uow.now()
        held = order.cancel(reason=reason, at=now)
        stocks = _stocks(uow, order) if held else {}
        for line in held:
            stock = stocks[(line.part_number, line.location)]
            reservation = stock.reservation(line.reservation)
            if reservation is not None and reservation.status == ReservationStatus.ACTIVE:  # not expired meanwhile
                stock.release(line.reservation, reason=f"sales order cancelled: {reason}", at=now,
                              actor=caller.sub)
        uow.commit()
    return order


def return_parts(uow: PartsUnitOfWork, caller: Caller, number: str, expected_version: int, *, lines: list[dict],
                 reason: str | None = None, refund: dict | None = None,
                 exchange: list[dict] | None = None) -> SalesOrder:
    """A customer brings parts of a completed sale back (销售退货): each goes into the lot it was
    sold from (blocked if faulty, or if that lot is), the refund is recorded, and
    `parts.sale.returned` announced. With `exchange` lines, the replacement parts are a new
    sales order for the same customer, confirmed (its stock reserved) in the same commit and
    then paid and handed over as any sale. All of it or nothing."""
    with uow:
        order = _locked(uow, number, expected_version)
        order.check_can("return")  # before any stock is touched
        now = uow.now()
        for index, line in enumerate(lines):
            part = uow.parts.require(line["part_number"], field=f"lines.{index}.part_number")
            part.check_quantity(line["quantity"], field=f"lines.{index}.quantity")
        replacement = new_number("SO", uow.today()) if exchange else None
        taken = order.take_back(
            new_number("SR", uow.today()), [ReturnAsked(field=f"lines.{index}", **line) for index, line in
                                            enumerate(lines)],
            reason=reason, refund=Refund(**(refund or {})), window=uow.rules.sale_return_window,
            by_manager=caller.has_any(TAKES_LATE_RETURNS), exchange_sale=replacement, at=now, by=caller.sub)
        _back_into_lots(uow, caller, order, taken)
        if exchange:
            _exchange(uow, caller, order, replacement, exchange)
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


def _exchange(uow: PartsUnitOfWork, caller: Caller, order: SalesOrder, number: str, lines: list[dict]) -> SalesOrder:
    """The replacement parts of an exchange: a new order for the same customer and vehicle, at
    today's price, its stock reserved (all or none)."""
    replacement = _draft(uow, caller, number, lines, prefix="exchange", customer_kind=order.customer_kind,
                         customer_account=order.customer_account, customer_name=order.customer_name,
                         customer_phone=order.customer_phone, customer_group=_group(uow, order.customer_group),
                         vehicle=order.vehicle)
    replacement.exchange_of = order.number
    held = hold_lines(uow, caller, [
        {"part_number": line.part_number, "quantity": line.quantity, "location": line.location}
        for line in replacement.lines
    ], for_kind=RESERVED_FOR, for_reference=replacement.number, prefix="exchange")
    replacement.confirm(held, at=uow.now())
    return replacement


def _asked_promotion(uow: PartsUnitOfWork, part, code: str, today, *, field: str) -> Promotion:
    """The promotion a line names, if it applies to the part today: then only it is offered
    beside the list price and the group's terms (asking never costs the customer more)."""
    promotion = uow.promotions.get(code)
    if promotion is None:
        raise PromotionNotApplicable(code, part.part_number, "there is no such promotion", field=field)
    promotion.check_applies(part.part_number, part.category, today, field=field)
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
