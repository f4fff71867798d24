"""Parts on a vehicle, from issues and returns arriving in any order."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from warranty.domain.installation import InstalledPart

AT = datetime(2026, 11, 25, 1, 30, tzinfo=timezone.utc)


def issue(part: InstalledPart, quantity: str) -> None:
    part.issued(vin="LVSHCAMB1CE054249", repair_order="RO-1", supplier="GTMC", location="MAIN", source="oem",
                technician="王师傅", quantity=Decimal(quantity), at=AT, on=date(2026, 11, 25), odometer=None)


def test_a_partial_return_leaves_the_rest_fitted_and_a_full_one_none():
    part = InstalledPart("D001", issue="ISS-1", part_number="P-1", lot="L-1")
    issue(part, "4")
    part.returned(repair_order="RO-1", quantity=Decimal("1"))
    assert part.quantity == Decimal("3") and part.fitted
    part.returned(repair_order="RO-1", quantity=Decimal("3"))
    assert part.quantity == Decimal("0") and not part.fitted


def test_a_return_that_arrives_before_its_issue_is_netted_when_the_issue_comes():
    part = InstalledPart("D001", issue="ISS-1", part_number="P-1", lot="L-1")
    part.returned(repair_order="RO-1", quantity=Decimal("1"))
    assert not part.fitted and part.vin is None
    issue(part, "2")
    assert part.quantity == Decimal("1") and part.fitted and part.vin == "LVSHCAMB1CE054249"
