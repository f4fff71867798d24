"""Parts sold over the counter (配件销售) to walk-in and trade customers.

A sales order is written at the counter as a draft: who buys (a walk-in customer, or a trade
account), the vehicle the parts are for (车型/年份/排量, each line's fitment checked and a
mismatch warned, never refused), and its lines at the price that applies, which is the
service's, never the client's. Confirming it reserves the stock, exactly as a reservation for a
repair order does (the reservation is held "for sales order SO-…"); paying records the method,
the reference and an amount that must be the order's total; completing records the invoice
number and hands the parts over from the lots the reservations hold (first in, first out), and
announces `parts.sale.completed`. Until it is paid it may be cancelled, which lets the stock go.

    draft --confirm--> confirmed --pay--> paid --complete--> completed --return--> (completed)
      \\------------------\\--cancel--> cancelled

Returns (销售退货): a completed order takes back unused parts within the dealer's window (days
from completion; later only a parts manager, giving the reason), never more of a line than was
sold over all its returns. Each unit goes back into the lot it was sold from (a faulty one
blocked there), and the refund is at most what the parts coming back were paid. An exchange is a
return plus a new sales order for the replacement, linked to this one (`exchange_of`).

Prices: the best for the customer of the part's list price, the customer group's terms (客户类别:
its own price for the part if it has one, else its discount) and the promotions running that
day (`parts.domain.pricing`). `price_source` on each line names where its price came from
(`list_price`, `customer_group`, `group_price`, `promotion:<code>`), the line keeps the
promotion's code, and a "buy N" promotion's free units (`free_quantity`) are not charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from parts.domain.errors import (
    GroupPriceNotFound,
    LateReturnNeedsManager,
    LateReturnReasonRequired,
    MixedCurrencies,
    NothingToChange,
    PartNotOnSale,
    PaymentAmountMismatch,
    PaymentReferenceRequired,
    RefundExceedsPaid,
    RefundExceedsReturned,
    RefundReferenceRequired,
    ReturnExceedsSold,
    SaleAlreadyPaid,
    SaleCancelled,
    SaleWrongStatus,
    TradeAccountRequired,
    UsedPartNotReturnable,
)
from parts.domain.events import ReturnedPart, SaleCompleted, SaleReturned, SoldLine, SoldLot

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

WALK_IN, TRADE = "walk_in", "trade"
CUSTOMER_KINDS = (WALK_IN, TRADE)
PAYMENT_METHODS = ("cash", "card", "wechat_pay", "alipay", "account")
# Where a line's price came from: a promotion's is PROMOTION + its code.
LIST_PRICE, CUSTOMER_GROUP, GROUP_PRICE, PROMOTION = "list_price", "customer_group", "group_price", "promotion:"

DRAFT, CONFIRMED, PAID, COMPLETED, CANCELLED = "draft", "confirmed", "paid", "completed", "cancelled"
STATUSES = (DRAFT, CONFIRMED, PAID, COMPLETED, CANCELLED)
# The states each step may start from.
STEPS = {"confirm": (DRAFT,), "pay": (CONFIRMED,), "complete": (PAID,), "cancel": (DRAFT, CONFIRMED),
         "return": (COMPLETED,)}
# What a sale's reservations are held for (Reservation.for_kind).
RESERVED_FOR = "sales_order"
# What a returned part is like: unused goes back on the shelf, faulty back into its lot blocked;
# a used part is not taken back at the counter (that is a parts-warranty case).
UNUSED, FAULTY, USED = "unused", "faulty", "used"
CONDITIONS = (UNUSED, FAULTY, USED)
# Who may take parts back after the return window (with a reason).
TAKES_LATE_RETURNS = ("parts_manager",)


class GroupPrice(DealerOwned):
    """A customer group's own price for one part (its price list): it wins over the group's
    discount for that part."""

    def __init__(self, dealer: str, *, part_number: str, price: Decimal, at: datetime, by: str):
        self.dealer = dealer
        self.part_number = part_number
        self.price = price
        self.set_at = at
        self.set_by = by


class CustomerGroup(DealerOwned):
    """A kind of customer with its own terms (客户类别), managed by the parts managers: a
    discount off list price, in percent, and a price list of its own for some parts."""

    version: int
    prices: list[GroupPrice]

    def __init__(self, dealer: str, code: str, *, name: str, discount_percent: Decimal, at: datetime, by: str):
        self.dealer = dealer
        self.code = code
        self.name = name
        self.discount_percent = discount_percent
        self.created_at = at
        self.created_by = by
        self.prices_changed_at: datetime | None = None
        self.prices = []

    def price_of(self, part_number: str) -> Decimal | None:
        """The group's own price for the part, if its price list has one."""
        found = self._price(part_number)
        return None if found is None else found.price

    def set_price(self, expected_version: int, part_number: str, price: Decimal, *, at: datetime,
                  by: str) -> GroupPrice:
        """Put the part on the group's price list, or change its price there. The group's row
        changes too, so its version (the ETag the price list is changed against) moves on."""
        StaleVersion.check(expected_version, self.version)
        found = self._price(part_number)
        if found is None:
            found = GroupPrice(self.dealer, part_number=part_number, price=price, at=at, by=by)
            self.prices.append(found)
        found.price, found.set_at, found.set_by = price, at, by
        self.prices_changed_at = at
        return found

    def remove_price(self, expected_version: int, part_number: str, *, at: datetime) -> None:
        """Take the part off the group's price list: its discount applies to it again."""
        StaleVersion.check(expected_version, self.version)
        found = self._price(part_number)
        if found is None:
            raise GroupPriceNotFound(self.code, part_number)
        self.prices.remove(found)
        self.prices_changed_at = at

    def _price(self, part_number: str) -> GroupPrice | None:
        return next((p for p in self.prices if p.part_number.lower() == part_number.lower()), None)

    def change(self, expected_version: int, **changes) -> None:
        StaleVersion.check(expected_version, self.version)
        if not changes:
            raise NothingToChange()
        for name in ("name", "discount_percent"):
            if name in changes:
                setattr(self, name, changes[name])


@dataclass(frozen=True)
class Vehicle:
    """The vehicle the parts are for, as the customer describes it (车型/年份/排量), or its VIN."""

    make: str | None = None
    model: str | None = None
    year: int | None = None
    displacement: Decimal | None = None
    vin: str | None = None

    @property
    def described(self) -> bool:
        return bool(self.make and self.model)


FITS, MISMATCH, UNKNOWN = "fits", "mismatch", "unknown"


def fitment_of(fitments: Sequence, vehicle: Vehicle) -> str:
    """Whether a part fits the vehicle: `fits`, `mismatch` (warn the clerk), or `unknown` when
    the vehicle is not described or the catalog says nothing about what the part fits. Matched
    as the catalog search matches: make and model in any case, the year within the range, the
    displacement when both give one."""
    if not vehicle.described or not fitments:
        return UNKNOWN
    for fitment in fitments:
        if fitment.make.lower() != vehicle.make.lower() or fitment.model.lower() != vehicle.model.lower():
            continue
        if vehicle.year is not None and not fitment.year_from <= vehicle.year <= fitment.year_to:
            continue
        if None not in (vehicle.displacement, fitment.displacement) and vehicle.displacement != fitment.displacement:
            continue
        return FITS
    return MISMATCH


@dataclass(frozen=True)
class Price:
    """The price that applies to one unit, and why: with a "buy N" promotion, how many units of
    the line are free, and with any promotion, its code."""

    list_price: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    source: str
    promotion: str | None = None
    free_quantity: Decimal = ZERO


def price_for(list_price: Decimal, group: CustomerGroup | None) -> Price:
    """List price, less the customer group's discount (rounded to the fen, half up)."""
    if group is None or group.discount_percent == ZERO:
        return Price(list_price, list_price, ZERO, LIST_PRICE)
    unit = (list_price * (HUNDRED - group.discount_percent) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    return Price(list_price, unit, group.discount_percent, CUSTOMER_GROUP)


class SaleLot(DealerOwned):
    """Quantity of a sold line handed over from one lot: what the parts warranty and the supplier
    trace follow."""

    def __init__(self, dealer: str, *, lot: str, supplier: str, quantity: Decimal):
        self.dealer = dealer
        self.lot = lot
        self.supplier = supplier
        self.quantity = quantity
        self.returned = ZERO  # over all the order's returns

    @property
    def returnable(self) -> Decimal:
        return self.quantity - self.returned


class SaleLine(DealerOwned):
    """One part on the order, at the price that applies. Its location and reservation are set
    when the order is confirmed, its lots when it is completed."""

    lots: list[SaleLot]

    def __init__(self, dealer: str, *, part_number: str, name_zh: str | None, name_en: str | None,
                 quantity: Decimal, price: Price, location: str | None, fitment: str):
        self.dealer = dealer
        self.part_number = part_number
        self.name_zh = name_zh
        self.name_en = name_en
        self.quantity = quantity
        self.list_price = price.list_price
        self.unit_price = price.unit_price
        self.discount_percent = price.discount_percent
        self.price_source = price.source
        self.promotion = price.promotion
        self.free_quantity = price.free_quantity
        self.location = location
        self.fitment = fitment
        self.reservation: str | None = None
        self.lots = []

    @property
    def amount(self) -> Decimal:
        """The units charged (a "buy N" promotion's free units are not) at the unit price, to the fen."""
        return (self.unit_price * (self.quantity - self.free_quantity)).quantize(CENT, ROUND_HALF_UP)

    @property
    def returned(self) -> Decimal:
        return sum((lot.returned for lot in self.lots), ZERO)

    def value_returned(self, quantity: Decimal) -> Decimal:
        """What `quantity` of the line, returned in all, was paid: its share of the line's
        amount, to the fen. Taken cumulatively, so returns in several goes never refund more
        than the line's amount, nor less when all of it has come back."""
        return (self.amount * quantity / self.quantity).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class ReturnAsked:
    """One line of a return as the clerk writes it: the part, how many, their condition, and
    the lot if its label says so (else the line's most recently received lots first)."""

    part_number: str
    quantity: Decimal
    condition: str = UNUSED
    lot: str | None = None
    field: str = "lines.0"  # where the line is in the request: problems name its fields


@dataclass(frozen=True)
class Refund:
    """Money given back: by default the value of what comes back, the way it was paid."""

    method: str | None = None
    reference: str | None = None
    amount: Decimal | None = None


class SaleReturnLine(DealerOwned):
    """Quantity of one line of the order that came back into one lot."""

    def __init__(self, dealer: str, *, line_number: int, part_number: str, location: str, lot: str, supplier: str,
                 quantity: Decimal, condition: str, value: Decimal):
        self.dealer = dealer
        self.line_number = line_number  # 1-based, as on the receipt
        self.part_number = part_number
        self.location = location
        self.lot = lot
        self.supplier = supplier
        self.quantity = quantity
        self.condition = condition
        self.value = value


class SaleReturn(DealerOwned):
    """One return of parts of a completed sale (退货单), with its refund."""

    lines: list[SaleReturnLine]

    def __init__(self, dealer: str, number: str, *, reason: str | None, late: bool, refund_method: str,
                 refund_reference: str | None, refund_amount: Decimal, exchange_sale: str | None, at: datetime,
                 by: str, lines: list[SaleReturnLine]):
        self.dealer = dealer
        self.number = number
        self.reason = reason
        self.late = late
        self.refund_method = refund_method
        self.refund_reference = refund_reference
        self.refund_amount = refund_amount
        self.exchange_sale = exchange_sale
        self.returned_at = at
        self.returned_by = by
        self.lines = lines

    @property
    def value(self) -> Decimal:
        return sum((line.value for line in self.lines), ZERO)


class SalesOrder(Aggregate):
    """A counter sale (配件销售单), from the draft to the parts handed over."""

    version: int
    lines: list[SaleLine]
    returns: list[SaleReturn]

    def __init__(self, dealer: str, number: str, *, customer_kind: str, customer_account: str | None,
                 customer_name: str | None, customer_phone: str | None, customer_group: str | None,
                 vehicle: Vehicle, currency: str, at: datetime, by: str):
        if customer_kind == TRADE and not customer_account:
            raise TradeAccountRequired()
        self.dealer = dealer
        self.number = number
        self.customer_kind = customer_kind
        # A walk-in customer has no account: nothing identifies them but what they tell us.
        self.customer_account = customer_account if customer_kind == TRADE else None
        self.customer_name = customer_name
        self.customer_phone = customer_phone
        self.customer_group = customer_group
        self.vehicle_make = vehicle.make
        self.vehicle_model = vehicle.model
        self.vehicle_year = vehicle.year
        self.vehicle_displacement = vehicle.displacement
        self.vehicle_vin = vehicle.vin
        self.currency = currency
        self.status = DRAFT
        self.created_at = at
        self.created_by = by
        self.confirmed_at: datetime | None = None
        self.paid_at: datetime | None = None
        self.paid_by: str | None = None
        self.payment_method: str | None = None
        self.payment_reference: str | None = None
        self.paid_amount: Decimal | None = None
        self.invoice_number: str | None = None
        self.completed_at: datetime | None = None
        self.completed_by: str | None = None
        self.cancelled_at: datetime | None = None
        self.cancel_reason: str | None = None
        self.exchange_of: str | None = None  # the sale whose return this order replaces parts of
        self.refunded_amount = ZERO
        self.last_returned_at: datetime | None = None
        self.lines = []
        self.returns = []

    @property
    def subject(self) -> str:
        return self.number

    @property
    def vehicle(self) -> Vehicle:
        return Vehicle(self.vehicle_make, self.vehicle_model, self.vehicle_year, self.vehicle_displacement,
                       self.vehicle_vin)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO).quantize(CENT)

    @property
    def fitment_warnings(self) -> list[str]:
        """The part numbers that do not fit the vehicle described: the clerk asks again."""
        return [line.part_number for line in self.lines if line.fitment == MISMATCH]

    def add_line(self, line: SaleLine, currency: str, *, field: str) -> None:
        if currency != self.currency:
            raise MixedCurrencies(line.part_number, currency, self.currency, field=field)
        self.lines.append(line)

    # ------------------------------------------------------------ the way through

    def confirm(self, reservations: Iterable, *, at: datetime) -> None:
        """The stock is reserved: one reservation per line, in the order of the lines."""
        self.check_can("confirm")
        for line, reservation in zip(self.lines, reservations, strict=True):
            line.location = reservation.location
            line.reservation = reservation.number
        self.status = CONFIRMED
        self.confirmed_at = at

    def pay(self, *, method: str, reference: str | None, amount: Decimal, at: datetime, by: str) -> None:
        """Payment taken at the counter (no gateway): the whole total, by one method."""
        self.check_can("pay")
        if amount != self.total:
            raise PaymentAmountMismatch(self.number, amount, self.total)
        if method != "cash" and not (reference and reference.strip()):
            raise PaymentReferenceRequired(method)
        self.payment_method = method
        self.payment_reference = reference
        self.paid_amount = amount
        self.paid_at = at
        self.paid_by = by
        self.status = PAID

    def complete(self, handed_over: Sequence[Sequence], *, invoice_number: str, at: datetime, by: str) -> None:
        """The parts are handed over with the invoice: `handed_over` holds each line's picks
        (lot, supplier, quantity), in the order of the lines."""
        self.check_can("complete")
        for line, picks in zip(self.lines, handed_over, strict=True):
            line.lots = [SaleLot(self.dealer, lot=p.lot, supplier=p.supplier, quantity=p.quantity) for p in picks]
        self.invoice_number = invoice_number
        self.completed_at = at
        self.completed_by = by
        self.status = COMPLETED
        self.events.append(SaleCompleted(
            sale=self.number, customer_kind=self.customer_kind, customer_id=self.customer_account,
            customer_group=self.customer_group, vin=self.vehicle.vin, invoice_number=invoice_number,
            payment_method=self.payment_method, total=self.total, currency=self.currency, completed_at=at,
            lines=tuple(SoldLine(
                part_number=line.part_number, location=line.location, quantity=line.quantity,
                list_price=line.list_price, unit_price=line.unit_price, price_source=line.price_source,
                amount=line.amount,
                lots=tuple(SoldLot(lot=lot.lot, supplier=lot.supplier, quantity=lot.quantity) for lot in line.lots),
            ) for line in self.lines),
        ))

    def cancel(self, *, reason: str, at: datetime) -> list[SaleLine]:
        """Called off before payment; returns the lines whose reservations must be released."""
        self.check_can("cancel")
        self.status = CANCELLED
        self.cancelled_at = at
        self.cancel_reason = reason
        return [line for line in self.lines if line.reservation is not None]

    def return_window_ends(self, window: timedelta) -> datetime | None:
        return None if self.completed_at is None else self.completed_at + window

    def take_back(self, number: str, asked: Sequence[ReturnAsked], *, reason: str | None, refund: Refund,
                  window: timedelta, by_manager: bool, exchange_sale: str | None = None, at: datetime,
                  by: str) -> SaleReturn:
        """Take parts of the order back and record the refund; everything is checked before
        anything changes. The caller puts each returned line's quantity back into its lot."""
        self.check_can("return")
        ends = self.return_window_ends(window)
        late = at > ends
        if late and not by_manager:
            raise LateReturnNeedsManager(self.number, ends)
        if late and not (reason and reason.strip()):
            raise LateReturnReasonRequired(self.number, ends)
        planned = self._plan_return(asked)
        lines = self._value(planned)
        value = sum((line.value for line in lines), ZERO)
        method, amount = refund.method or self.payment_method, value if refund.amount is None else refund.amount
        if amount > value:
            raise RefundExceedsReturned(amount, value)
        if self.refunded_amount + amount > self.paid_amount:
            raise RefundExceedsPaid(self.number, amount, self.paid_amount, self.refunded_amount)
        if method != "cash" and amount > ZERO and not (refund.reference and refund.reference.strip()):
            raise RefundReferenceRequired(method)
        for sale_lot, quantity, _, _ in planned:
            sale_lot.returned += quantity
        taken = SaleReturn(self.dealer, number, reason=reason, late=late, refund_method=method,
                           refund_reference=refund.reference, refund_amount=amount, exchange_sale=exchange_sale,
                           at=at, by=by, lines=lines)
        self.returns.append(taken)
        self.refunded_amount += amount
        self.last_returned_at = at  # the order's row changes, so its version (ETag) does
        self.events.append(SaleReturned(
            sale=self.number, sale_return=number, customer_kind=self.customer_kind, customer_id=self.customer_account,
            returned_at=at, late=late, refund_total=amount, refund_method=method, currency=self.currency,
            exchange_sale=exchange_sale,
            lines=tuple(ReturnedPart(part_number=line.part_number, location=line.location, lot=line.lot,
                                     supplier=line.supplier, quantity=line.quantity, condition=line.condition,
                                     value=line.value) for line in lines),
        ))
        return taken

    def _plan_return(self, asked: Sequence[ReturnAsked]) -> list[tuple[SaleLot, Decimal, SaleLine, str]]:
        """(sold lot, quantity, its line, condition) for every part coming back, without
        changing anything: what earlier lines of the same return take counts as taken."""
        pending: dict[int, Decimal] = {}  # id() of a SaleLot -> quantity this return takes from it
        planned = []
        for wanted in asked:
            if wanted.condition == USED:
                raise UsedPartNotReturnable(wanted.part_number, field=f"{wanted.field}.condition")
            lots = [(sale_lot, line) for line in self.lines if line.part_number == wanted.part_number
                    for sale_lot in reversed(line.lots) if wanted.lot in (None, sale_lot.lot)]
            if not lots:
                field = f"{wanted.field}.lot" if wanted.lot and self._sold(wanted.part_number) else \
                    f"{wanted.field}.part_number"
                raise PartNotOnSale(self.number, wanted.part_number, lot=wanted.lot, field=field)
            returnable = sum((lot.returnable - pending.get(id(lot), ZERO) for lot, _ in lots), ZERO)
            if wanted.quantity > returnable:
                raise ReturnExceedsSold(self.number, wanted.part_number, wanted.quantity, returnable,
                                        field=f"{wanted.field}.quantity")
            left = wanted.quantity
            for sale_lot, line in lots:
                take = min(left, sale_lot.returnable - pending.get(id(sale_lot), ZERO))
                if take > ZERO:
                    pending[id(sale_lot)] = pending.get(id(sale_lot), ZERO) + take
                    planned.append((sale_lot, take, line, wanted.condition))
                    left -= take
        return planned

    def _value(self, planned: list[tuple[SaleLot, Decimal, SaleLine, str]]) -> list[SaleReturnLine]:
        """Each returned lot's share of what its line was paid, taken cumulatively per line."""
        back: dict[int, Decimal] = {}  # id() of a SaleLine -> quantity back before this lot
        lines = []
        for sale_lot, quantity, line, condition in planned:
            before = back.get(id(line), line.returned)
            back[id(line)] = before + quantity
            lines.append(SaleReturnLine(
                self.dealer, line_number=self.lines.index(line) + 1, part_number=line.part_number,
                location=line.location, lot=sale_lot.lot, supplier=sale_lot.supplier, quantity=quantity,
                condition=condition, value=line.value_returned(before + quantity) - line.value_returned(before)))
        return lines

    def _sold(self, part_number: str) -> bool:
        return any(line.part_number == part_number for line in self.lines)

    def check_can(self, action: str) -> None:
        """Refuse a step the order's state does not allow, before anything is touched."""
        if self.status in STEPS[action]:
            return
        if self.status == CANCELLED:
            raise SaleCancelled(self.number, action)
        if self.status in (PAID, COMPLETED) and action in ("confirm", "pay", "cancel"):
            raise SaleAlreadyPaid(self.number, self.status, action)
        raise SaleWrongStatus(self.number, self.status, action)
