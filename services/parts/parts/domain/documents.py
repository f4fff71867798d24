"""The paper trail of the parts desk: receipts (入库单) and issue slips (领料单)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.model import DealerOwned

from parts.domain.errors import LotNotFound, NothingToReturn, ReturnExceedsIssue


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
    """One lot booked. Like the paper, it keeps the part's names and the location's bin as they
    were when it was booked: what its lot label shows."""

    def __init__(self, dealer: str, *, part_number: str, asked_part_number: str, location: str, lot: str,
                 quantity: Decimal, unit_cost: Decimal, inspection: str, name_zh: str | None = None,
                 name_en: str | None = None, bin: str | None = None):
        self.dealer = dealer
        self.part_number = part_number
        # What the delivery note said, when it named a superseded number.
        self.asked_part_number = asked_part_number
        self.location = location
        self.lot = lot
        self.quantity = quantity
        self.unit_cost = unit_cost
        self.inspection = inspection
        self.name_zh = name_zh
        self.name_en = name_en
        self.bin = bin


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

    def take_back(self, part_number: str, lot: str, quantity: Decimal) -> list[tuple[IssueLine, Decimal]]:
        """Unused parts of a lot come back (退料): up to what the slip issued of that part and lot
        on all its lines together, less what already came back. Returns how much each line
        takes back, in the slip's order (each line knows the location it came from)."""
        lines = [line for line in self.lines if line.part_number == part_number and line.lot == lot]
        if not lines:
            raise LotNotFound(lot)
        if quantity <= 0:
            raise NothingToReturn(part_number)
        returnable = sum((line.returnable for line in lines), Decimal("0"))
        if quantity > returnable:
            raise ReturnExceedsIssue(part_number, lot, asked=quantity, returnable=returnable)
        taken, wanted = [], quantity
        for line in lines:
            take = min(wanted, line.returnable)
            if take > 0:
                line.returned += take
                taken.append((line, take))
                wanted -= take
        return taken


class IssueLine(DealerOwned):
    """Quantity of one lot handed over. Like the signed paper, it keeps the part's names and the
    bin it was taken from as they were at the issue: what the printed slip and pick list show."""

    def __init__(self, dealer: str, *, part_number: str, location: str, lot: str, supplier: str,
                 quantity: Decimal, reservation: str | None, name_zh: str | None = None,
                 name_en: str | None = None, bin: str | None = None):
        self.dealer = dealer
        self.part_number = part_number
        self.location = location
        self.lot = lot
        self.supplier = supplier
        self.quantity = quantity
        self.returned = Decimal("0")
        self.reservation = reservation
        self.name_zh = name_zh
        self.name_en = name_en
        self.bin = bin

    @property
    def returnable(self) -> Decimal:
        return self.quantity - self.returned
