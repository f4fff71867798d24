"""Counter sales without a database: the price that applies, fitment, the order's way through,
and how a customer's personal data looks to those who do not sell."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from parts.domain.catalog import Fitment
from parts.domain.errors import (
    InsufficientStock,
    LateReturnNeedsManager,
    LateReturnReasonRequired,
    PartNotOnSale,
    RefundExceedsPaid,
    RefundExceedsReturned,
    RefundReferenceRequired,
    ReturnExceedsSold,
    UsedPartNotReturnable,
    PaymentAmountMismatch,
    PaymentReferenceRequired,
    ReservationForAnotherOrder,
    SaleAlreadyPaid,
    SaleCancelled,
    SaleWrongStatus,
    TradeAccountRequired,
)
from parts.domain.privacy import mask_name, mask_phone
from parts.domain.sales import (
    CustomerGroup,
    Refund,
    ReturnAsked,
    SaleLine,
    SalesOrder,
    Vehicle,
    fitment_of,
    price_for,
)
from parts.domain.stock import PartStock, Pick

NOON = datetime(2026, 12, 7, 12, tzinfo=timezone.utc)


def a_group(percent: str) -> CustomerGroup:
    return CustomerGroup("D001", "G", name="Group", discount_percent=Decimal(percent), at=NOON, by="m")


def an_order(*lines: tuple[str, str, str], group: CustomerGroup | None = None) -> SalesOrder:
    order = SalesOrder("D001", "SO-1", customer_kind="walk_in", customer_account=None, customer_name="张三",
                       customer_phone="13812341234", customer_group=None, vehicle=Vehicle(), currency="CNY",
                       at=NOON, by="clerk")
    for part_number, quantity, list_price in lines:
        order.add_line(SaleLine("D001", part_number=part_number, name_zh=None, name_en=part_number,
                                quantity=Decimal(quantity), price=price_for(Decimal(list_price), group),
                                location=None, fitment="unknown"), "CNY", field="lines.0.part_number")
    return order


class Held:  # what `confirm` reads of a reservation
    def __init__(self, number: str, location: str = "MAIN"):
        self.number, self.location = number, location


def a_confirmed_order() -> SalesOrder:
    order = an_order(("PADS", "2", "680.00"), ("OIL", "4.5", "96.00"))
    order.confirm([Held("RV-1"), Held("RV-2")], at=NOON)
    return order


# ---------------------------------------------------------------- the price that applies


def test_without_a_group_the_list_price_applies():
    price = price_for(Decimal("680.00"), None)
    assert (price.unit_price, price.discount_percent, price.source) == (Decimal("680.00"), 0, "list_price")


def test_a_groups_discount_comes_off_the_list_price_rounded_to_the_fen():
    price = price_for(Decimal("96.99"), a_group("12.5"))
    assert (price.unit_price, price.source) == (Decimal("84.87"), "customer_group")  # 84.86625
    assert price_for(Decimal("680.00"), a_group("0")).source == "list_price"


def test_the_total_is_the_sum_of_the_lines_each_to_the_fen():
    order = an_order(("PADS", "2", "680.00"), ("OIL", "4.5", "96.99"), group=a_group("10"))
    assert [line.amount for line in order.lines] == [Decimal("1224.00"), Decimal("392.81")]  # 87.29 x 4.5
    assert order.total == Decimal("1616.81")


# ---------------------------------------------------------------- fitment (车型/年份/排量)


GL8 = [Fitment("D001", make="Buick", model="GL8", year_from=2017, year_to=2023, displacement=Decimal("2.0"))]


@pytest.mark.parametrize(("vehicle", "expected"), [
    (Vehicle("buick", "gl8", 2020, Decimal("2.0")), "fits"),
    (Vehicle("Buick", "GL8"), "fits"),
    (Vehicle("Buick", "GL8", 2016), "mismatch"),
    (Vehicle("Buick", "GL8", 2020, Decimal("2.5")), "mismatch"),
    (Vehicle("Buick", "Excelle", 2020), "mismatch"),
    (Vehicle(vin="LVSHCAMB1CE054249"), "unknown"),
])
def test_fitment_is_checked_against_the_vehicle_described(vehicle, expected):
    assert fitment_of(GL8, vehicle) == expected


def test_a_part_whose_fitments_are_not_recorded_is_unknown_not_a_mismatch():
    assert fitment_of([], Vehicle("Buick", "GL8", 2020)) == "unknown"


# ---------------------------------------------------------------- the way through


def test_a_trade_customer_needs_an_account_and_a_walk_in_keeps_none():
    with pytest.raises(TradeAccountRequired):
        SalesOrder("D001", "SO-1", customer_kind="trade", customer_account=None, customer_name=None,
                   customer_phone=None, customer_group=None, vehicle=Vehicle(), currency="CNY", at=NOON, by="c")
    walk_in = SalesOrder("D001", "SO-2", customer_kind="walk_in", customer_account="ACC-1", customer_name=None,
                         customer_phone=None, customer_group=None, vehicle=Vehicle(), currency="CNY", at=NOON, by="c")
    assert walk_in.customer_account is None


def test_a_payment_must_be_the_total_and_a_refused_one_changes_nothing():
    order = a_confirmed_order()
    with pytest.raises(PaymentAmountMismatch) as refused:
        order.pay(method="cash", reference=None, amount=Decimal("1791.99"), at=NOON, by="clerk")
    assert refused.value.context["field"] == "amount"
    with pytest.raises(PaymentReferenceRequired):
        order.pay(method="alipay", reference=" ", amount=order.total, at=NOON, by="clerk")
    assert (order.status, order.paid_amount, order.payment_method) == ("confirmed", None, None)
    order.pay(method="cash", reference=None, amount=Decimal("1792.00"), at=NOON, by="clerk")
    assert (order.status, order.paid_amount) == ("paid", Decimal("1792.00"))


def test_each_step_only_from_its_state():
    draft = an_order(("PADS", "1", "680.00"))
    with pytest.raises(SaleWrongStatus):
        draft.pay(method="cash", reference=None, amount=draft.total, at=NOON, by="c")
    with pytest.raises(SaleWrongStatus):
        draft.complete([[]], invoice_number="INV-1", at=NOON, by="c")
    paid = a_confirmed_order()
    paid.pay(method="cash", reference=None, amount=paid.total, at=NOON, by="c")
    with pytest.raises(SaleAlreadyPaid):
        paid.cancel(reason="changed mind", at=NOON)
    with pytest.raises(SaleAlreadyPaid):
        paid.pay(method="cash", reference=None, amount=paid.total, at=NOON, by="c")
    cancelled = a_confirmed_order()
    assert [line.reservation for line in cancelled.cancel(reason="changed mind", at=NOON)] == ["RV-1", "RV-2"]
    with pytest.raises(SaleCancelled):
        cancelled.pay(method="cash", reference=None, amount=cancelled.total, at=NOON, by="c")
    assert cancelled.status == "cancelled" and paid.status == "paid" and draft.status == "draft"


def test_completing_announces_the_lines_lots_and_suppliers_without_personal_data():
    order = a_confirmed_order()
    order.pay(method="card", reference="POS-1", amount=order.total, at=NOON, by="clerk")
    order.complete([[Pick("L1", Decimal("1"), "S1"), Pick("L2", Decimal("1"), "S2")], [Pick("L9", Decimal("4.5"), "S1")]],
                   invoice_number="INV-1", at=NOON, by="clerk")
    [event] = order.events
    assert (event.type, event.sale, event.customer_id, event.total) == (
        "parts.sale.completed", "SO-1", None, Decimal("1792.00"))
    assert [(line.part_number, [(lot.lot, lot.supplier, lot.quantity) for lot in line.lots]) for line in event.lines] == [
        ("PADS", [("L1", "S1", 1), ("L2", "S2", 1)]), ("OIL", [("L9", "S1", Decimal("4.5"))])]
    assert "张三" not in repr(event) and "13812341234" not in repr(event)


# ---------------------------------------------------------------- the stock side of a sale


def a_stock_with(*lots: tuple[str, str]) -> PartStock:
    stock = PartStock("D001", "PADS", "MAIN")
    for index, (lot, quantity) in enumerate(lots):
        stock.receive(lot, NOON + timedelta(minutes=index), "S1", Decimal(quantity), blocked=False, reference="RC-1",
                      at=NOON, actor="clerk")
    return stock


def test_a_sale_takes_the_lots_its_reservation_holds_and_writes_sale_rows():
    stock = a_stock_with(("L1", "2"), ("L2", "3"))
    stock.reserve("RV-1", Decimal("4"), for_kind="sales_order", for_reference="SO-1",
                  expires_at=NOON + timedelta(hours=1), deposit=None, at=NOON, actor="clerk")
    picks = stock.sell(Decimal("4"), reservation="RV-1", sale="SO-1", at=NOON, actor="clerk")
    assert [(p.lot, p.quantity) for p in picks] == [("L1", 2), ("L2", 2)]
    assert (stock.on_hand, stock.reserved, stock.available) == (1, 0, 1)
    assert [(m.kind, m.lot, m.on_hand_change) for m in stock.movements if m.kind == "sale"] == [
        ("sale", "L1", -2), ("sale", "L2", -2)]


def test_a_repair_order_cannot_be_issued_what_a_sale_holds_nor_a_sale_what_another_holds():
    stock = a_stock_with(("L1", "5"))
    stock.reserve("RV-1", Decimal("2"), for_kind="sales_order", for_reference="SO-1",
                  expires_at=NOON + timedelta(hours=1), deposit=None, at=NOON, actor="clerk")
    with pytest.raises(ReservationForAnotherOrder):
        stock.issue(Decimal("1"), reservation="RV-1", issue_number="IS-1", repair_order="RO-1", vin="V", technician="t",
                    source="oem", at=NOON, actor="clerk")
    with pytest.raises(ReservationForAnotherOrder):
        stock.sell(Decimal("1"), reservation="RV-1", sale="SO-2", at=NOON, actor="clerk")
    with pytest.raises(InsufficientStock):  # RV-9 is no reservation: free stock only, and 3 are free
        stock.sell(Decimal("4"), reservation="RV-9", sale="SO-3", at=NOON, actor="clerk")
    assert (stock.on_hand, stock.reserved) == (5, 2)


# ---------------------------------------------------------------- personal data


def test_names_and_phones_are_masked_as_the_complaints_desk_masks_them():
    assert (mask_name("张三丰"), mask_name("张伟"), mask_name("李"), mask_name(None)) == ("张**", "张*", "*", None)
    assert (mask_phone("13812341234"), mask_phone("+86 138 1234 1234"), mask_phone("1234")) == (
        "138****1234", "+86**********1234", "****")


# ---------------------------------------------------------------- returns (销售退货)

WEEK = timedelta(days=7)


def a_completed_order() -> SalesOrder:
    """2 sets of pads at 680.00 from lots L1 and L2, 4.5 L of oil at 96.00 from L9; paid by card."""
    order = a_confirmed_order()
    order.pay(method="card", reference="POS-1", amount=order.total, at=NOON, by="clerk")
    order.complete([[Pick("L1", Decimal("1"), "S1"), Pick("L2", Decimal("1"), "S2")], [Pick("L9", Decimal("4.5"), "S1")]],
                   invoice_number="INV-1", at=NOON, by="clerk")
    order.events.clear()
    return order


def take_back(order, *asked, at=NOON + timedelta(days=1), manager=False, reason=None, refund=Refund(reference="R-1")):
    return order.take_back("SR-1", list(asked), reason=reason, refund=refund, window=WEEK, by_manager=manager,
                           at=at, by="clerk")


def test_a_return_goes_back_to_the_lots_sold_from_and_refunds_what_they_were_paid():
    order = a_completed_order()
    taken = take_back(order, ReturnAsked("PADS", Decimal("1"), lot="L1"), ReturnAsked("OIL", Decimal("1.5")))
    assert [(line.line_number, line.lot, line.supplier, line.quantity, line.value) for line in taken.lines] == [
        (1, "L1", "S1", 1, Decimal("680.00")), (2, "L9", "S1", Decimal("1.5"), Decimal("144.00"))]
    assert (taken.refund_amount, taken.refund_method, order.refunded_amount) == (
        Decimal("824.00"), "card", Decimal("824.00"))
    assert [(lot.lot, lot.returned) for line in order.lines for lot in line.lots] == [
        ("L1", 1), ("L2", 0), ("L9", Decimal("1.5"))]
    [event] = order.events
    assert (event.type, event.sale, event.sale_return, event.refund_total, event.late) == (
        "parts.sale.returned", "SO-1", "SR-1", Decimal("824.00"), False)
    assert [(p.part_number, p.lot, p.quantity) for p in event.lines] == [("PADS", "L1", 1), ("OIL", "L9", Decimal("1.5"))]
    assert "张三" not in repr(event) and "13812341234" not in repr(event)


def test_without_a_lot_the_most_recently_received_lot_comes_back_first():
    order = a_completed_order()
    assert [line.lot for line in take_back(order, ReturnAsked("PADS", Decimal("1"))).lines] == ["L2"]


def test_never_more_than_was_sold_over_all_returns_and_a_refused_return_changes_nothing():
    order = a_completed_order()
    take_back(order, ReturnAsked("OIL", Decimal("4")))
    with pytest.raises(ReturnExceedsSold) as refused:
        take_back(order, ReturnAsked("PADS", Decimal("1")), ReturnAsked("OIL", Decimal("1"), field="lines.1"))
    assert refused.value.context["field"] == "lines.1.quantity" and refused.value.context["returnable"] == Decimal("0.5")
    with pytest.raises(ReturnExceedsSold):  # two lines of one request count together
        take_back(order, ReturnAsked("OIL", Decimal("0.5")), ReturnAsked("OIL", Decimal("0.5"), field="lines.1"))
    assert [lot.returned for line in order.lines for lot in line.lots] == [0, 0, 4]
    assert (len(order.returns), order.refunded_amount) == (1, Decimal("384.00"))
    # The last half litre refunds the rest of the line to the fen: 432.00 in all.
    assert take_back(order, ReturnAsked("OIL", Decimal("0.5"))).refund_amount == Decimal("48.00")


def test_a_part_or_lot_not_sold_and_a_used_part_are_refused_by_their_field():
    order = a_completed_order()
    with pytest.raises(PartNotOnSale) as refused:
        take_back(order, ReturnAsked("ECU", Decimal("1")))
    assert refused.value.context["field"] == "lines.0.part_number"
    with pytest.raises(PartNotOnSale) as refused:
        take_back(order, ReturnAsked("PADS", Decimal("1"), lot="L9"))
    assert refused.value.context["field"] == "lines.0.lot"
    with pytest.raises(UsedPartNotReturnable) as refused:
        take_back(order, ReturnAsked("PADS", Decimal("1"), condition="used"))
    assert refused.value.context["field"] == "lines.0.condition"
    assert order.returns == [] and order.events == []


def test_a_refund_is_never_more_than_what_comes_back_was_paid_nor_than_what_was_paid():
    order = a_completed_order()
    with pytest.raises(RefundExceedsReturned) as refused:
        take_back(order, ReturnAsked("PADS", Decimal("1")), refund=Refund(amount=Decimal("680.01"), reference="R"))
    assert refused.value.context["field"] == "refund.amount"
    with pytest.raises(RefundReferenceRequired):
        take_back(order, ReturnAsked("PADS", Decimal("1")), refund=Refund(method="alipay"))
    less = take_back(order, ReturnAsked("PADS", Decimal("1")), refund=Refund(method="cash", amount=Decimal("600")))
    assert (less.refund_amount, less.refund_method) == (Decimal("600"), "cash")
    order.refunded_amount = order.paid_amount  # as if refunded elsewhere already
    with pytest.raises(RefundExceedsPaid):
        take_back(order, ReturnAsked("PADS", Decimal("1")))


def test_after_the_window_only_a_manager_takes_parts_back_and_says_why():
    order = a_completed_order()
    late = NOON + WEEK + timedelta(seconds=1)
    with pytest.raises(LateReturnNeedsManager) as refused:
        take_back(order, ReturnAsked("PADS", Decimal("1")), at=late, reason="customer was abroad")
    assert refused.value.status == 403
    with pytest.raises(LateReturnReasonRequired) as refused:
        take_back(order, ReturnAsked("PADS", Decimal("1")), at=late, manager=True, reason="  ")
    assert refused.value.context["field"] == "reason"
    assert take_back(order, ReturnAsked("PADS", Decimal("1")), at=NOON + WEEK).late is False  # the last moment
    taken = take_back(order, ReturnAsked("PADS", Decimal("1")), at=late, manager=True, reason="customer was abroad")
    assert taken.late is True and order.events[-1].late is True


def test_only_a_completed_order_takes_parts_back():
    cancelled, confirmed = a_confirmed_order(), a_confirmed_order()
    cancelled.cancel(reason="changed mind", at=NOON)
    with pytest.raises(SaleCancelled):
        take_back(cancelled, ReturnAsked("PADS", Decimal("1")))
    with pytest.raises(SaleWrongStatus):
        take_back(confirmed, ReturnAsked("PADS", Decimal("1")))


def test_returned_parts_go_back_into_their_lot_even_once_it_was_emptied_and_faulty_ones_blocked():
    stock = a_stock_with(("L1", "1"), ("L2", "3"))
    stock.sell(Decimal("2"), reservation="RV-0", sale="SO-1", at=NOON, actor="clerk")
    assert stock.balance("L1") is None  # emptied by the sale
    stock.take_back_sold("L1", NOON, "S1", Decimal("1"), blocked=False, sale="SO-1", return_number="SR-1",
                         reason="wrong part", at=NOON, actor="clerk")
    stock.take_back_sold("L2", NOON, "S1", Decimal("1"), blocked=True, sale="SO-1", return_number="SR-1",
                         reason="faulty", at=NOON, actor="clerk")
    assert (stock.balance("L1").on_hand, stock.balance("L2").on_hand, stock.balance("L2").quarantined) == (1, 3, 1)
    assert stock.available == 3
    assert [(m.kind, m.lot, m.on_hand_change, m.quarantined_change, m.reference, m.reason)
            for m in stock.movements if m.kind == "sale_return"] == [
        ("sale_return", "L1", 1, 0, "SR-1", "returned on sales order SO-1: wrong part"),
        ("sale_return", "L2", 1, 1, "SR-1", "returned on sales order SO-1: faulty")]


def test_a_reservation_of_a_sale_is_named_as_one_when_a_repair_order_asks_for_it():
    stock = a_stock_with(("L1", "5"))
    stock.reserve("RV-1", Decimal("2"), for_kind="sales_order", for_reference="SO-1",
                  expires_at=NOON + timedelta(hours=1), deposit=None, at=NOON, actor="clerk")
    with pytest.raises(ReservationForAnotherOrder) as refused:
        stock.issue(Decimal("1"), reservation="RV-1", issue_number="IS-1", repair_order="RO-1", vin="V", technician="t",
                    source="oem", at=NOON, actor="clerk")
    assert refused.value.detail == "reservation RV-1 holds parts for sales order SO-1, not for repair order RO-1"
