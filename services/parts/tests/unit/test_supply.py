from __future__ import annotations

from datetime import datetime, timezone

import pytest

from parts.domain.errors import SupplierPartListedTwice
from parts.domain.events import SupplierCreated, SupplierUpdated
from parts.domain.supply import Supplier

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def a_supplier(**overrides) -> Supplier:
    fields = dict(name="Brakes Co", qualified=True, lead_time_days=5, at=NOON, by="manager-zhao")
    fields.update(overrides)
    supplier = Supplier("D001", "S1", **fields)
    supplier.version = 1  # as the mapper sets it on insert
    return supplier


def test_a_new_supplier_is_announced_with_who_added_it():
    assert a_supplier(reason="passed review 2026-11").events == [SupplierCreated(
        supplier="S1", name="Brakes Co", qualified=True, lead_time_days=5, by="manager-zhao",
        reason="passed review 2026-11")]


def test_disqualifying_a_supplier_is_announced_with_who_and_why():
    supplier = a_supplier()
    supplier.events.clear()
    supplier.change(1, by="manager-qian", reason="failed the 2026 supplier audit", qualified=False, lead_time_days=5)
    assert supplier.events == [SupplierUpdated(
        supplier="S1", name="Brakes Co", qualified=False, lead_time_days=5, changed=("qualified",),
        by="manager-qian", reason="failed the 2026 supplier audit")]
    supplier.change(1, by="manager-qian", qualified=False)  # nothing really changes: nothing announced
    assert len(supplier.events) == 1


def test_a_supplier_lists_each_of_our_parts_once():
    with pytest.raises(SupplierPartListedTwice) as refused:
        a_supplier(part_numbers=[{"part_number": "PADS", "supplier_part_number": "A"},
                                 {"part_number": "PADS", "supplier_part_number": "B"}])
    assert refused.value.status == 422 and refused.value.context["field"] == "part_numbers.1.part_number"
    supplier = a_supplier(part_numbers=[{"part_number": "PADS", "supplier_part_number": "A"}])
    supplier.events.clear()
    with pytest.raises(SupplierPartListedTwice):
        supplier.change(1, by="m", part_numbers=[{"part_number": "OIL", "supplier_part_number": "X"},
                                                 {"part_number": "OIL", "supplier_part_number": "X"}])
    assert [(e.part_number, e.supplier_part_number) for e in supplier.part_numbers] == [("PADS", "A")]
    assert supplier.events == []
    supplier.change(1, by="m", part_numbers=[{"part_number": "OIL", "supplier_part_number": "X"}])
    assert [e.changed for e in supplier.events] == [("part_numbers",)]
