from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from parts.domain.documents import IssueLine, IssueSlip
from parts.domain.errors import LotNotFound, NothingToReturn, ReturnExceedsIssue

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
D = Decimal


def a_slip(*lines: tuple[str, str, str, str]) -> IssueSlip:
    """lines: (part, location, lot, quantity)."""
    slip = IssueSlip("D001", "IS-1", repair_order="RO-1", vin="LVSHCAMB1CE054249", technician="t",
                     issued_at=NOON, issued_by="clerk")
    for part, location, lot, quantity in lines:
        slip.lines.append(IssueLine("D001", part_number=part, location=location, lot=lot, supplier="S1",
                                    quantity=D(quantity), reservation=None))
    return slip


def test_a_lot_issued_on_two_lines_comes_back_up_to_their_total():
    slip = a_slip(("PADS", "MAIN", "L1", "1"), ("OIL", "MAIN", "L9", "4"), ("PADS", "MAIN", "L1", "1"))
    assert [(line.lot, quantity) for line, quantity in slip.take_back("PADS", "L1", D(1))] == [("L1", D(1))]
    second = slip.take_back("PADS", "L1", D(1))
    assert [(line is slip.lines[2], quantity) for line, quantity in second] == [(True, D(1))]
    assert [line.returned for line in slip.lines] == [D(1), D(0), D(1)]
    with pytest.raises(ReturnExceedsIssue) as refused:
        slip.take_back("PADS", "L1", D(1))
    assert refused.value.context["returnable"] == D(0)


def test_a_return_spanning_lines_says_how_much_each_line_takes_back():
    slip = a_slip(("PADS", "MAIN", "L1", "2"), ("PADS", "BODY", "L1", "3"))
    taken = slip.take_back("PADS", "L1", D(4))
    assert [(line.location, quantity) for line, quantity in taken] == [("MAIN", D(2)), ("BODY", D(2))]


@pytest.mark.parametrize("part, lot, quantity, error", [
    ("PADS", "L1", "3", ReturnExceedsIssue),
    ("PADS", "L2", "1", LotNotFound),
    ("OIL", "L1", "1", LotNotFound),
    ("PADS", "L1", "0", NothingToReturn),
])
def test_a_refused_return_takes_nothing_back(part, lot, quantity, error):
    slip = a_slip(("PADS", "MAIN", "L1", "1"), ("PADS", "MAIN", "L1", "1"))
    with pytest.raises(error):
        slip.take_back(part, lot, D(quantity))
    assert [line.returned for line in slip.lines] == [D(0), D(0)]
