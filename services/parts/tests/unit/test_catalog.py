from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from parts.domain.catalog import Part, PartChange
from parts.domain.part_details import DETAIL_NAMES, PartDetails, Source
from parts.domain.errors import NothingToChange, PartNeedsAName, SupersessionLoop
from parts.domain.events import PartCreated, PartUpdated

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
LATER = NOON + timedelta(hours=1)
CAMRY = {"make": "Toyota", "model": "Camry", "year_from": 2018, "year_to": 2022, "displacement": Decimal("2.5")}


def a_part(**overrides) -> Part:
    fields = dict(name_zh="前刹车片", name_en=None, category="brakes", unit="set", source=Source.OEM,
                  safety_critical=True, list_price=Decimal("680.00"), currency="CNY", at=NOON, by="li")
    fields.update(overrides)
    details = PartDetails(**{name: fields.pop(name) for name in DETAIL_NAMES})
    part = Part("D001", "04465-33450", details, **fields)
    part.version = 1  # as the mapper sets it on insert
    return part


def a_saved_part(**overrides) -> Part:
    """As a later unit of work loads it: its creation announced and written to its history."""
    part = a_part(**overrides)
    part.events.clear()
    part.revision_written()
    return part


def test_a_new_part_announces_itself_with_its_full_state_and_who_added_it():
    part = a_part(reason="new model year")
    assert part.events == [
        PartCreated(part_number="04465-33450", name_zh="前刹车片", name_en=None, category="brakes",
                    unit="set", source="oem", safety_critical=True, list_price=Decimal("680.00"),
                    currency="CNY", by="li", reason="new model year")
    ]
    revision = part.revision
    assert (revision.kind, revision.at, revision.by, revision.reason) == ("created", NOON, "li", "new model year")
    assert {c["field"]: (c["from"], c["to"]) for c in revision.changes} == {
        "name_zh": (None, "前刹车片"), "category": (None, "brakes"), "unit": (None, "set"), "source": (None, "oem"),
        "safety_critical": (None, True), "list_price": (None, "680.00"), "currency": (None, "CNY")}


def test_a_part_needs_a_chinese_or_english_name():
    with pytest.raises(PartNeedsAName):
        a_part(name_zh=None, name_en=None)
    part = a_saved_part()
    with pytest.raises(PartNeedsAName):
        part.change(1, NOON, by="li", name_zh=None)
    assert part.name_zh == "前刹车片" and part.events == [] and part.revision is None


def test_a_change_names_only_the_fields_that_changed_and_who_and_why():
    part = a_saved_part()
    part.change(1, LATER, by="wang", reason="supplier price list 2027", list_price=Decimal("700.00"),
                category="brakes")
    [event] = part.events
    assert isinstance(event, PartUpdated)
    assert (event.changed, event.list_price, event.by, event.reason) == (
        ("list_price",), Decimal("700.00"), "wang", "supplier price list 2027")
    assert part.revision.changes == [{"field": "list_price", "from": "680.00", "to": "700.00"}]
    assert (part.revision.kind, part.revision.at, part.updated_at) == ("updated", LATER, LATER)


def test_a_change_to_the_same_values_records_nothing():
    part = a_saved_part()
    part.change(1, NOON, by="li", list_price=Decimal("680.00"))
    assert part.events == [] and part.revision is None
    with pytest.raises(NothingToChange):
        part.change(1, NOON, by="li")


def test_a_change_against_an_old_version_is_refused_and_changes_nothing():
    part = a_saved_part()
    with pytest.raises(StaleVersion):
        part.change(0, NOON, by="li", list_price=Decimal("1.00"))
    assert part.list_price == Decimal("680.00")
    assert part.events == [] and part.revision is None


def test_the_unit_cannot_change_while_stock_or_reservations_are_counted_in_it():
    from parts.domain.errors import UnitInUse

    part = a_saved_part(unit="L")
    with pytest.raises(UnitInUse) as refused:
        part.change(1, NOON, by="li", stock_held=True, unit="pcs")
    assert refused.value.code == "unit_in_use" and refused.value.context["field"] == "unit"
    assert part.unit == "L" and part.events == []
    part.change(1, NOON, by="li", stock_held=True, list_price=Decimal("1.00"), unit="L")  # the unit stays: fine
    part.change(1, NOON, by="li", stock_held=False, unit="pcs")
    assert part.unit == "pcs"


def test_what_one_unit_of_work_does_to_a_part_is_one_event_and_one_history_entry():
    part = a_saved_part()
    part.change(1, LATER, by="wang", reason="new box", name_en="Front pads")
    part.supersede("04465-33471", [], LATER, by="wang", reason="new box")
    part.describe(fitments=[CAMRY], alternates=["AM-1"], at=LATER, by="wang", reason="new box")
    [event] = part.events
    assert isinstance(event, PartUpdated)
    assert event.changed == ("name_en", "superseded_by", "fitments", "alternates")
    assert (event.superseded_by, event.name_en) == ("04465-33471", "Front pads")
    assert part.revision.changes == [
        {"field": "name_en", "from": None, "to": "Front pads"},
        {"field": "superseded_by", "from": None, "to": "04465-33471"},
        {"field": "fitments", "from": [], "to": [{"make": "Toyota", "model": "Camry", "year_from": 2018,
                                                  "year_to": 2022, "displacement": "2.5"}]},
        {"field": "alternates", "from": [], "to": ["AM-1"]},
    ]


def test_a_part_created_whole_is_announced_once_with_its_replacement():
    part = a_part()
    part.supersede("04465-33471", [], NOON, by="li")
    part.describe(fitments=[CAMRY], alternates=["AM-1"], at=NOON, by="li")
    [event] = part.events
    assert isinstance(event, PartCreated) and event.superseded_by == "04465-33471"
    assert part.revision.kind == PartChange.CREATED
    assert {c["field"] for c in part.revision.changes} >= {"superseded_by", "fitments", "alternates"}


def test_a_change_undone_in_the_same_unit_of_work_records_nothing():
    part = a_saved_part()
    part.supersede("NEW", [], LATER, by="li")
    part.supersede(None, [], LATER, by="li")
    assert part.events == [] and part.revision is None


def test_a_refused_step_leaves_the_earlier_steps_record_as_it_was():
    part = a_saved_part()
    part.change(1, LATER, by="li", list_price=Decimal("690.00"))
    with pytest.raises(SupersessionLoop):
        part.supersede("04465-33450", [], LATER, by="li")
    [event] = part.events
    assert event.changed == ("list_price",) and part.superseded_by is None
    assert [c["field"] for c in part.revision.changes] == ["list_price"]
