"""A part's details as one value, and the commands the catalog's use cases take."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from parts.api.csv_import_export import CATALOG_COLUMNS, CatalogRow
from parts.api.schemas import PartCreate, PartUpdate
from parts.domain.catalog import Part
from parts.domain.errors import PartNeedsAName
from parts.domain.events import PartCreated, PartUpdated
from parts.domain.part_details import DETAIL_NAMES, PartDetails, Source
from parts.service.catalog import AddPart, ChangePart

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
PADS = PartDetails(name_zh="前刹车片", name_en=None, category="brakes", unit="set", source="oem",
                   safety_critical=True, list_price=Decimal("680.00"))


def test_the_source_is_its_value_however_it_is_given():
    assert dataclasses.replace(PADS, source=Source.OEM) == PADS
    assert PADS.source == "oem" and type(PADS.source) is str
    with pytest.raises(ValueError):
        dataclasses.replace(PADS, source="stolen")


def test_details_are_one_value_that_is_replaced_not_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PADS.unit = "pcs"
    assert PADS.currency == "CNY"


def test_the_differences_are_named_in_the_order_of_the_fields():
    other = dataclasses.replace(PADS, list_price=Decimal("700.00"), name_en="Front pads")
    assert PADS.differences(other) == ("name_en", "list_price")
    assert PADS.differences(dataclasses.replace(PADS, list_price=Decimal("680"))) == ()


def test_the_history_records_plain_values_and_money_to_the_cent():
    recorded = dataclasses.replace(PADS, list_price=Decimal("7")).recorded()
    assert recorded == {"name_zh": "前刹车片", "name_en": None, "category": "brakes", "unit": "set", "source": "oem",
                        "safety_critical": True, "list_price": "7.00", "currency": "CNY"}


def test_details_without_a_name_are_refused_by_the_part_that_takes_them():
    nameless = dataclasses.replace(PADS, name_zh=None)  # a command may carry them
    with pytest.raises(PartNeedsAName):
        nameless.check()
    with pytest.raises(PartNeedsAName):
        Part("D001", "04465-33450", nameless, at=NOON, by="li")


def test_the_part_events_carry_the_details_as_their_own_fields():
    names = ("part_number", *DETAIL_NAMES)
    assert tuple(f.name for f in dataclasses.fields(PartCreated))[:len(names)] == names
    assert tuple(f.name for f in dataclasses.fields(PartUpdated))[:len(names)] == names
    part = Part("D001", "04465-33450", PADS, at=NOON, by="li")
    [event] = part.events
    assert {name: getattr(event, name) for name in DETAIL_NAMES} == dataclasses.asdict(PADS)


def test_a_change_replaces_the_parts_details_whole():
    part = Part("D001", "04465-33450", PADS, at=NOON, by="li")
    part.version = 1
    part.change(1, NOON, by="li", list_price=Decimal("700.00"))
    assert part.details == dataclasses.replace(PADS, list_price=Decimal("700.00"))
    assert PADS.list_price == Decimal("680.00")


# ---------------------------------------------------------------- commands


def test_a_new_part_loads_into_its_command_with_the_defaults():
    command = PartCreate().load({"part_number": "P-1", "name_en": "Pads", "category": "brakes", "unit": "set",
                                 "source": "oem", "list_price": "1.00"})
    assert command == AddPart("P-1", PartDetails(name_zh=None, name_en="Pads", category="brakes", unit="set",
                                                 source="oem", safety_critical=False, list_price=Decimal("1.00"),
                                                 currency="CNY"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.reason = "again"


def test_a_whole_part_keeps_its_lists_and_replacement():
    command = PartCreate().load({
        "part_number": "P-1", "name_en": "Pads", "category": "brakes", "unit": "set", "source": "oem",
        "list_price": "1.00", "superseded_by": "P-2", "alternates": ["P-3"], "reason": "new model",
        "fitments": [{"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2022}],
    })
    assert (command.superseded_by, command.alternates, command.reason) == ("P-2", ("P-3",), "new model")
    assert command.fitments == ({"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2022,
                                 "displacement": None},)


def test_a_change_names_only_the_details_given():
    command = PartUpdate().load({"list_price": "2.00", "name_zh": None, "reason": "price list"})
    assert command == ChangePart(details={"list_price": Decimal("2.00"), "name_zh": None}, reason="price list")
    assert not command.asks_nothing()


def test_a_change_tells_no_longer_superseded_from_not_saying():
    assert PartUpdate().load({"superseded_by": None}).supersession_given
    assert not PartUpdate().load({"list_price": "2.00"}).supersession_given
    assert PartUpdate().load({"reason": "just because"}).asks_nothing()
    assert not PartUpdate().load({"fitments": []}).asks_nothing()


def test_a_catalog_row_loads_into_the_same_command_as_a_new_part():
    row = {"part_number": "P-1", "name_zh": "", "name_en": "Pads", "category": "brakes", "unit": "set",
           "source": "oem", "safety_critical": "false", "list_price": "1.00", "currency": "CNY",
           "superseded_by": ""}
    command = CatalogRow().load(row)
    assert command == AddPart("P-1", PartDetails(name_zh=None, name_en="Pads", category="brakes", unit="set",
                                                 source="oem", safety_critical=False, list_price=Decimal("1.00")))
    assert command.fitments is None and command.alternates is None  # no such columns: the lists stay
    assert CatalogRow().load({**row, "fitments": "", "alternates": ""}).alternates == ()


def test_the_catalog_file_has_a_column_for_every_detail():
    assert CATALOG_COLUMNS == ("part_number", *DETAIL_NAMES, "superseded_by", "fitments", "alternates")
