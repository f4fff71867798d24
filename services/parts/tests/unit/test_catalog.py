from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from parts.domain.catalog import Part, Source
from parts.domain.errors import NothingToChange, PartNeedsAName
from parts.domain.events import PartCreated, PartUpdated

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def a_part(**overrides) -> Part:
    fields = dict(name_zh="前刹车片", name_en=None, category="brakes", unit="set", source=Source.OEM,
                  safety_critical=True, list_price=Decimal("680.00"), currency="CNY", at=NOON)
    fields.update(overrides)
    part = Part("D001", "04465-33450", **fields)
    part.version = 1  # as the mapper sets it on insert
    return part


def test_a_new_part_announces_itself_with_its_full_state():
    part = a_part()
    assert part.events == [
        PartCreated(part_number="04465-33450", name_zh="前刹车片", name_en=None, category="brakes",
                    unit="set", source="oem", safety_critical=True, list_price=Decimal("680.00"),
                    currency="CNY")
    ]


def test_a_part_needs_a_chinese_or_english_name():
    with pytest.raises(PartNeedsAName):
        a_part(name_zh=None, name_en=None)
    part = a_part()
    with pytest.raises(PartNeedsAName):
        part.change(1, NOON, name_zh=None)
    assert part.name_zh == "前刹车片"


def test_a_change_names_only_the_fields_that_changed():
    part = a_part()
    part.events.clear()
    part.change(1, NOON, list_price=Decimal("700.00"), category="brakes")
    [event] = part.events
    assert isinstance(event, PartUpdated)
    assert event.changed == ("list_price",)
    assert event.list_price == Decimal("700.00")


def test_a_change_to_the_same_values_records_nothing():
    part = a_part()
    part.events.clear()
    part.change(1, NOON, list_price=Decimal("680.00"))
    assert part.events == []
    with pytest.raises(NothingToChange):
        part.change(1, NOON)


def test_a_change_against_an_old_version_is_refused_and_changes_nothing():
    part = a_part()
    part.events.clear()
    with pytest.raises(StaleVersion):
        part.change(0, NOON, list_price=Decimal("1.00"))
    assert part.list_price == Decimal("680.00")
    assert part.events == []


def test_the_unit_cannot_change_while_stock_or_reservations_are_counted_in_it():
    from parts.domain.errors import UnitInUse

    part = a_part(unit="L")
    part.events.clear()
    with pytest.raises(UnitInUse) as refused:
        part.change(1, NOON, stock_held=True, unit="pcs")
    assert refused.value.code == "unit_in_use" and refused.value.context["field"] == "unit"
    assert part.unit == "L" and part.events == []
    part.change(1, NOON, stock_held=True, list_price=Decimal("1.00"), unit="L")  # the unit stays: fine
    part.change(1, NOON, stock_held=False, unit="pcs")
    assert part.unit == "pcs"
