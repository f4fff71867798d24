"""Purchase orders (采购订单): what is on order from a supplier, until it is received.

Reorder suggestions count what is still on order, so the desk does not order a part twice
while the first order is on its way. A receipt that names the order books its lines against
it; the order closes when every line has come in (or is cancelled: what had not come is then
cancelled, and nothing is outstanding).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.model import Aggregate, DealerOwned

from parts.domain.errors import PurchaseOrderClosed

ZERO = Decimal("0")


class OrderLine(DealerOwned):
    def __init__(self, dealer: str, part_number: str, location: str, quantity: Decimal):
        self.dealer = dealer
        self.part_number = part_number
        self.location = location
        self.quantity = quantity
        self.received = ZERO
        self.cancelled = ZERO

    @property
    def outstanding(self) -> Decimal:
        return max(ZERO, self.quantity - self.received - self.cancelled)


class PurchaseOrder(Aggregate):
    version: int
    lines: list[OrderLine]

    def __init__(self, dealer: str, number: str, *, supplier: str, lines: list[tuple[str, str, Decimal]],
                 at: datetime, actor: str):
        self.dealer = dealer
        self.number = number
        self.supplier = supplier
        self.status = "open"
        self.ordered_at = at
        self.ordered_by = actor
        self.closed_at: datetime | None = None
        self.lines = [OrderLine(dealer, part, location, quantity) for part, location, quantity in lines]

    @property
    def subject(self) -> str:
        return self.number

    def receive(self, part_number: str, location: str, quantity: Decimal, *, at: datetime) -> None:
        """Book delivered quantity against the matching line (more than ordered is accepted: the
        delivery is real; the line is simply complete)."""
        if self.status != "open":
            raise PurchaseOrderClosed(self.number, self.status)
        line = next((x for x in self.lines if x.part_number == part_number and x.location == location
                     and x.outstanding > ZERO), None)
        if line is not None:
            line.received += quantity
        if all(x.outstanding == ZERO for x in self.lines):
            self.status = "received"
            self.closed_at = at

    def cancel(self, *, at: datetime) -> None:
        """What has not come yet is no longer on order."""
        if self.status != "open":
            raise PurchaseOrderClosed(self.number, self.status)
        for line in self.lines:
            line.cancelled = line.outstanding
        self.status = "cancelled"
        self.closed_at = at
