"""The commands the reservation, issue, receipt and transfer use cases take, as the API's
schemas load them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from parts.api.csv_import_export import OpeningStockRow
from parts.api.schemas import (
    IssueCreate,
    ReceiptCreate,
    ReservationBatchCreate,
    ReservationCreate,
    ReservationRelease,
    ReturnCreate,
    TransferCreate,
)
from parts.service.csv_import_export import OpeningStock
from parts.service.issues import IssueLineAsked, IssueParts, ReturnLineAsked, TakeBack
from parts.service.receipts import ReceiptLineAsked, ReceiveDelivery
from parts.service.reservations import ReleaseReservation, ReservationLineAsked, Reserve, ReserveQuote
from parts.service.stock_transfers import TransferStock


def test_a_reservation_is_one_line_held_for_a_repair_order():
    command = ReservationCreate().load({"part_number": "PADS", "quantity": "2", "for_kind": "repair_order",
                                        "for_reference": "RO-1", "deposit": "100.00"})
    assert command == Reserve("PADS", Decimal("2"), "repair_order", "RO-1", deposit=Decimal("100"))
    assert command.line == ReservationLineAsked("PADS", Decimal("2"), deposit=Decimal("100"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.quantity = Decimal("3")


def test_a_quote_keeps_its_lines_in_order():
    command = ReservationBatchCreate().load({"for_kind": "appointment", "for_reference": "AP-1", "lines": [
        {"part_number": "PADS", "quantity": "2", "location": "MAIN"}, {"part_number": "OIL", "quantity": "4.5"}]})
    assert command == ReserveQuote("appointment", "AP-1", lines=(
        ReservationLineAsked("PADS", Decimal("2"), location="MAIN"), ReservationLineAsked("OIL", Decimal("4.5"))))


def test_a_release_without_a_reason_is_released():
    assert ReservationRelease().load({}) == ReleaseReservation("released")


def test_an_issue_and_a_take_back():
    issue = IssueCreate().load({"repair_order": "RO-1", "vin": "lvshcamb1ce054249", "technician": "王师傅",
                                "lines": [{"part_number": "PADS", "quantity": "1", "reservation": "RV-1"}]})
    assert issue == IssueParts("RO-1", "lvshcamb1ce054249", "王师傅",
                               lines=(IssueLineAsked("PADS", Decimal("1"), reservation="RV-1"),))
    back = ReturnCreate().load({"lines": [{"part_number": "PADS", "lot": "LOT-1", "quantity": "1"}]})
    assert back == TakeBack(lines=(ReturnLineAsked("PADS", "LOT-1", Decimal("1")),))


def test_a_transfer():
    command = TransferCreate().load({"part_number": "PADS", "from_location": "MAIN", "to_location": "BODY",
                                     "quantity": "2", "reason": "body shop job"})
    assert command == TransferStock("PADS", "MAIN", "BODY", Decimal("2"), "body shop job")


def test_a_delivery_and_an_opening_stock_row_book_the_same_receipt_line():
    delivery = ReceiptCreate().load({"supplier": "GTMC", "lines": [
        {"part_number": "PADS", "quantity": "6", "unit_cost": "410.00", "location": "MAIN", "inspection": "pending",
         "supplier_lot": "B-7"}]})
    assert delivery == ReceiveDelivery("GTMC", lines=(
        ReceiptLineAsked("PADS", Decimal("6"), Decimal("410"), "MAIN", "pending", supplier_lot="B-7"),))
    row = OpeningStockRow().load({"part_number": "PADS", "location": "MAIN", "supplier": "GTMC",
                                  "supplier_lot": "", "quantity": "6", "unit_cost": "410.00"})
    assert row == OpeningStock("PADS", "MAIN", "GTMC", Decimal("6"), Decimal("410"))
    # Already on the shelf: it counts as inspected.
    assert row.receipt_line() == ReceiptLineAsked("PADS", Decimal("6"), Decimal("410"), "MAIN", "passed")
