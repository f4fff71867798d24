"""When a reservation needs a customer deposit (定金), and how much: an appointment's
high-value part needs a share of its price up front. No database: the rule alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parts.domain.errors import DepositRequired
from parts.domain.stock import check_deposit, deposit_required

D = Decimal


def required(unit_price: str, quantity: str = "1", for_kind: str = "appointment") -> Decimal | None:
    return deposit_required(D(unit_price), D(quantity), for_kind, high_value_threshold=D("2000"), share=D("0.5"))


def test_an_appointment_for_a_high_value_part_needs_half_its_price():
    assert required("8800.00") == D("4400.00")


def test_a_part_priced_at_the_threshold_is_high_value():
    assert required("2000.00") == D("1000.00")


def test_a_part_priced_below_the_threshold_needs_no_deposit():
    assert required("1999.99") is None


def test_a_repair_order_or_a_sale_never_needs_a_deposit():
    assert required("8800.00", for_kind="repair_order") is None
    assert required("8800.00", for_kind="sales_order") is None


def test_the_deposit_is_for_the_whole_quantity_to_the_fen():
    assert required("2345.67", quantity="1.5") == D("1759.25")  # 1759.2525
    assert required("3000.00", quantity="2") == D("3000.00")


@given(st.decimals(min_value=D("2000"), max_value=D("99999999.99"), places=2),
       st.decimals(min_value=D("0.001"), max_value=D("9999"), places=3),
       st.decimals(min_value=D("0.01"), max_value=D("1"), places=2))
def test_the_deposit_is_the_share_of_the_price_within_half_a_fen(unit_price, quantity, share):
    deposit = deposit_required(unit_price, quantity, "appointment", high_value_threshold=D("2000"), share=share)
    assert deposit.as_tuple().exponent == -2
    assert abs(deposit - unit_price * quantity * share) <= D("0.005")


def test_a_reservation_short_of_its_deposit_is_refused_on_its_own_line():
    def check(given: str | None) -> None:
        check_deposit("CAT-1", D("8800.00"), D("1"), "appointment", None if given is None else D(given),
                      high_value_threshold=D("2000"), share=D("0.5"), field="lines.2.deposit")

    check("4400.00")
    for short in (None, "4399.99"):
        with pytest.raises(DepositRequired) as refused:
            check(short)
        assert refused.value.context["field"] == "lines.2.deposit" and refused.value.context["required"] == D("4400.00")
