"""The paper trail of the parts desk: receipts (入库单) and issue slips (领料单)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.model import DealerOwned

from parts.domain.errors import NothingToReturn, ReturnExceedsIssue


class Receipt(DealerOwned):
    """A supplier delivery as booked: one lot per line."""

    lines: list[ReceiptLine]

    def __init__(self, dealer: str, number: str, *, supplier: str, delivery_note: str | None,
                 received_at: datetime, received_by: str):
        self.dealer = dealer
        self.number = number
        self.supplier = supplier
        self.delivery_note = delivery_note
        self.received_at = received_at
        self.received_by = received_by
        self.lines = []


class ReceiptLine(DealerOwned):
    def __init__(self, dealer: str, *, part_number: str, asked_part_number: str, location: str, lot: str,
                 quantity: Decimal, unit_cost: Decimal, inspection: str):
        self.dealer = dealer
        self.part_number = part_number
        # What the delivery note said, when it named a superseded number.
        self.asked_part_number = asked_part_number
        self.location = location
        self.lot = lot
        self.quantity = quantity
        self.unit_cost = unit_cost
        self.inspection = inspection


class IssueSlip(DealerOwned):
    """Parts handed to a technician for a repair order on one vehicle, signed by the technician."""

    lines: list[IssueLine]

    def __init__(self, dealer: str, number: str, *, repair_order: str, vin: str, technician: str,
                 issued_at: datetime, issued_by: str):
        self.dealer = dealer
        self.number = number
        self.repair_order = repair_order
        self.vin = vin
        self.technician = technician
        self.issued_at = issued_at
        self.issued_by = issued_by
        self.lines = []

    def line(self, part_number: str, lot: str) -> IssueLine | None:
        return next((l for l in self.lines if l.part_number == part_number and l.lot == lot), None)


class IssueLine(DealerOwned):
    def __init__(self, dealer: str, *, part_number: str, location: str, lot: str, supplier: str,
                 quantity: Decimal, reservation: str | None):
        self.dealer = dealer
        self.part_number = part_number
        self.location = location
        self.lot = lot
        self.supplier = supplier
        self.quantity = quantity
        self.returned = Decimal("0")
        self.reservation = reservation

    def take_back(self, quantity: Decimal) -> None:
        if quantity <= 0:
            raise NothingToReturn(self.part_number)
        if quantity > self.quantity - self.returned:
            raise ReturnExceedsIssue(self.part_number, self.lot, asked=quantity,
                                     returnable=self.quantity - self.returned)
        self.returned += quantity
