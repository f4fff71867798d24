"""The price strategy without a database: the best price for the customer among the list price,
the customer group's terms and the day's promotions; stacking; buy N; and what a promotion
refuses to be."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from parts.domain.errors import (
    NothingToChange,
    PromotionEnded,
    PromotionNotApplicable,
    PromotionPeriodReversed,
    PromotionRuleInvalid,
    PromotionScopeEmpty,
)
from parts.domain.pricing import BUY_N, FIXED_PRICE, PERCENT_OFF, Promotion, best_price
from parts.domain.sales import CustomerGroup, SaleLine

NOON = datetime(2026, 12, 7, 12, tzinfo=timezone.utc)
DAY = date(2026, 12, 7)


def a_group(percent: str = "10", **prices: str) -> CustomerGroup:
    group = CustomerGroup("D001", "GARAGE", name="Garages", discount_percent=Decimal(percent), at=NOON, by="m")
    group.version = 1
    for part_number, price in prices.items():
        group.set_price(1, part_number, Decimal(price), at=NOON, by="m")
    return group


def a_promotion(code="SPRING", rule=PERCENT_OFF, *, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31),
                part_numbers=("PADS",), categories=(), **figures) -> Promotion:
    figures = figures or {PERCENT_OFF: {"percent_off": Decimal("15")}, FIXED_PRICE: {"fixed_price": Decimal("500")},
                          BUY_N: {"buy_quantity": 3}}[rule]
    promotion = Promotion("D001", code, name=code, starts_on=starts_on, ends_on=ends_on, part_numbers=part_numbers,
                          categories=categories, rule=rule, at=NOON, by="m", **figures)
    promotion.version = 1
    return promotion


def price(quantity="1", *, group=None, promotions=(), list_price="680.00", part_number="PADS", category="brakes",
          day=DAY):
    return best_price(part_number=part_number, category=category, list_price=Decimal(list_price),
                      quantity=Decimal(quantity), group=group, promotions=promotions, day=day)


def summary(found):
    return found.source, str(found.unit_price), str(found.discount_percent), found.promotion, str(found.free_quantity)


def test_without_group_or_promotion_the_list_price_applies():
    assert summary(price()) == ("list_price", "680.00", "0", None, "0")


def test_the_groups_own_price_wins_over_its_discount_for_that_part_only():
    group = a_group("10", PADS="650.00")
    assert summary(price(group=group)) == ("group_price", "650.00", "4.41", None, "0")  # not 612.00 (10% off)
    assert summary(price(group=group, part_number="OIL", list_price="96.00")) == (
        "customer_group", "86.40", "10", None, "0")


def test_a_group_price_above_list_never_charges_more_than_list():
    assert price(group=a_group("0", PADS="700.00")).source == "list_price"


def test_the_best_for_the_customer_wins_and_a_promotion_does_not_stack_with_the_group_by_default():
    spring = a_promotion(percent_off=Decimal("5"))  # 646.00 on list
    assert summary(price(group=a_group("10"), promotions=[spring])) == ("customer_group", "612.00", "10", None,
                                                                        "0")
    deeper = a_promotion(percent_off=Decimal("20"))  # 544.00 on list, not 489.60 on the group's 612.00
    assert summary(price(group=a_group("10"), promotions=[deeper])) == (
        "promotion:SPRING", "544.00", "20.00", "SPRING", "0")


def test_a_stacking_promotion_applies_on_top_of_the_groups_price():
    stacking = a_promotion(percent_off=Decimal("5"))
    stacking.stacks_with_group = True
    assert summary(price(group=a_group("10"), promotions=[stacking])) == (
        "promotion:SPRING", "581.40", "14.50", "SPRING", "0")  # 612.00 less 5%
    assert summary(price(group=a_group("10", PADS="600.00"), promotions=[stacking])) == (
        "promotion:SPRING", "570.00", "16.18", "SPRING", "0")  # on the group's own price
    assert summary(price(promotions=[stacking])) == ("promotion:SPRING", "646.00", "5.00", "SPRING", "0")


def test_a_fixed_price_and_the_cheapest_of_several_promotions():
    fixed = a_promotion("FIXED", FIXED_PRICE, fixed_price=Decimal("599.00"))
    percent = a_promotion("PCT", percent_off=Decimal("10"))  # 612.00
    assert summary(price(promotions=[percent, fixed])) == ("promotion:FIXED", "599.00", "11.91", "FIXED", "0")


def test_buy_3_pay_2_gives_one_unit_of_every_three_free_and_only_whole_units():
    buy3 = a_promotion("BUY3", BUY_N)
    found = price("7", promotions=[buy3])
    assert summary(found) == ("promotion:BUY3", "680.00", "0.00", "BUY3", "2")
    line = SaleLine("D001", part_number="PADS", name_zh=None, name_en="Pads", quantity=Decimal("7"), price=found,
                    location=None, fitment="unknown")
    assert line.amount == Decimal("3400.00")  # 5 of 7 charged
    assert price("2", promotions=[buy3]).source == "list_price"  # no free unit: nothing gained
    assert price("2.5", promotions=[buy3], list_price="40.00", part_number="PADS").free_quantity == 0
    # Buy N is compared on the whole line: 3 at list with one free beats 10% off the group's.
    assert price("3", group=a_group("10"), promotions=[buy3]).source == "promotion:BUY3"
    assert price("4", group=a_group("30"), promotions=[buy3]).source == "customer_group"


def test_a_promotion_outside_its_period_ended_or_off_its_scope_prices_nothing():
    spring = a_promotion(ends_on=date(2026, 12, 6))
    assert price(promotions=[spring]).source == "list_price"
    assert spring.why_not("PADS", "brakes", DAY) == "it expired on 2026-12-06"
    later = a_promotion(starts_on=date(2026, 12, 8))
    assert later.why_not("PADS", "brakes", DAY) == "it starts on 2026-12-08"
    running = a_promotion()
    running.end(1, on=DAY, at=NOON, by="m")
    assert (running.status, running.last_day, price(promotions=[running]).source) == ("ended", DAY, "list_price")
    assert a_promotion().why_not("OIL", "fluids", DAY) == "the part is not among its parts or categories"
    by_category = a_promotion(part_numbers=(), categories=("Brakes",))
    assert price(promotions=[by_category]).source == "promotion:SPRING"
    with pytest.raises(PromotionNotApplicable) as refused:
        spring.check_applies("PADS", "brakes", DAY, field="lines.0.promotion")
    assert (refused.value.code, refused.value.context["field"]) == ("promotion_not_applicable", "lines.0.promotion")


@pytest.mark.parametrize(("terms", "error", "field"), [
    ({"starts_on": date(2026, 12, 9), "ends_on": date(2026, 12, 8)}, PromotionPeriodReversed, "ends_on"),
    ({"percent_off": Decimal("0")}, PromotionRuleInvalid, "percent_off"),
    ({"percent_off": Decimal("100")}, PromotionRuleInvalid, "percent_off"),
    ({"percent_off": None}, PromotionRuleInvalid, "percent_off"),
    ({"rule": FIXED_PRICE, "fixed_price": Decimal("0")}, PromotionRuleInvalid, "fixed_price"),
    ({"rule": FIXED_PRICE, "fixed_price": Decimal("-1")}, PromotionRuleInvalid, "fixed_price"),
    ({"rule": BUY_N, "buy_quantity": 1}, PromotionRuleInvalid, "buy_quantity"),
    ({"part_numbers": ()}, PromotionScopeEmpty, "part_numbers"),
])
def test_a_promotion_that_could_not_be_applied_is_refused_naming_the_field(terms, error, field):
    written = {"rule": PERCENT_OFF, "percent_off": Decimal("10"), **terms}
    rule = written.pop("rule")
    with pytest.raises(error) as refused:
        a_promotion(rule=rule, **{k: v for k, v in written.items() if k in ("starts_on", "ends_on", "part_numbers")},
                    **{k: v for k, v in written.items() if k in ("percent_off", "fixed_price", "buy_quantity")})
    assert refused.value.status == 422 and refused.value.context["field"] == field


def test_a_change_is_checked_as_a_whole_and_an_ended_promotion_cannot_change():
    spring = a_promotion()
    with pytest.raises(PromotionRuleInvalid):
        spring.change(1, rule=FIXED_PRICE)  # no fixed price given
    with pytest.raises(NothingToChange):
        spring.change(1)
    spring.change(1, rule=FIXED_PRICE, fixed_price=Decimal("520"))
    assert (spring.rule, spring.fixed_price, spring.percent_off) == (FIXED_PRICE, Decimal("520"), None)
    spring.end(1, on=DAY, at=NOON, by="m")
    with pytest.raises(PromotionEnded):
        spring.change(1, name="again")
    with pytest.raises(PromotionEnded):
        spring.end(1, on=DAY, at=NOON, by="m")
