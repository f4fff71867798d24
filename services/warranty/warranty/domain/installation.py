"""Parts fitted to a vehicle (装车记录), as the parts service's issue slips (领料) tell us.

One record per issue slip, part and lot: the lot and supplier let a claim on the part be
recovered from the supplier, the day and odometer start its replaced-part coverage. Unused
parts brought back (退料) reduce the quantity; a record returned in full stays on file but is
no longer fitted. The issue and the return travel on different queues and may arrive in
either order, so a return that comes first opens the record and the issue completes it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from shared.model import DealerOwned


class InstalledPart(DealerOwned):
    def __init__(self, dealer: str, *, issue: str, part_number: str, lot: str):
        self.dealer = dealer
        self.issue = issue
        self.part_number = part_number
        self.lot = lot
        self.vin: str | None = None
        self.repair_order: str | None = None
        self.supplier: str | None = None
        self.location: str | None = None
        self.source: str | None = None
        self.technician: str | None = None
        self.installed_at: datetime | None = None
        self.installed_on: date | None = None
        self.odometer: int | None = None
        self.issued_quantity = Decimal("0.000")
        self.returned_quantity = Decimal("0.000")

    @property
    def quantity(self) -> Decimal:
        """What is still on the vehicle."""
        return max(self.issued_quantity - self.returned_quantity, Decimal("0.000"))

    @property
    def fitted(self) -> bool:
        return self.installed_on is not None and self.quantity > 0

    def issued(self, *, vin: str, repair_order: str, supplier: str | None, location: str | None,
               source: str | None, technician: str | None, quantity: Decimal, at: datetime,
               on: date, odometer: int | None) -> None:
        self.vin = vin
        self.repair_order = repair_order
        self.supplier = supplier
        self.location = location
        self.source = source
        self.technician = technician
        self.issued_quantity += quantity
        if self.installed_at is None or at < self.installed_at:
            self.installed_at, self.installed_on = at, on
        if odometer is not None:
            self.odometer = odometer

    def returned(self, *, repair_order: str | None, quantity: Decimal) -> None:
        self.repair_order = self.repair_order or repair_order
        self.returned_quantity += quantity
