"""Sold parts returned at the parts counter (销售退货) leave the parts warranty."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from warranty.domain.errors import PartsWarrantyQuantityExceedsSold
from warranty.domain.parts_warranty import SoldPart

NOON = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)


def a_sold_part(quantity="3") -> SoldPart:
    return SoldPart("D001", sale="SO-1", part_number="BP-1", lot="LOT-1", supplier="HX-AUTO", location="MAIN",
                    quantity=Decimal(quantity), unit_price=Decimal("320.00"), currency="CNY", customer_id=None,
                    vin=None, category="brakes", months=12, purchased_on=date(2026, 11, 1), sold_at=NOON)


def test_returned_units_are_no_longer_under_warranty():
    part = a_sold_part("3")
    part.take_back(Decimal("2"))
    assert (part.quantity, part.returned) == (Decimal("1"), Decimal("2"))
    part.take_into_case(Decimal("1"), on=TODAY, by_manager=False, override_reason=None)
    with pytest.raises(PartsWarrantyQuantityExceedsSold):
        part.take_into_case(Decimal("1"), on=TODAY, by_manager=False, override_reason=None)


def test_no_more_leaves_the_warranty_than_was_under_it():
    part = a_sold_part("2")
    part.take_back(Decimal("5"))
    assert (part.quantity, part.returned) == (Decimal("0"), Decimal("2"))
