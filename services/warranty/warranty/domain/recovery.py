"""Supplier recovery (供应商索赔): charging an approved claim back to the supplier of the lot the
causal part came from. Opened when the claim is approved and the part is traced to a lot and a
supplier through the parts service's issues; the amount is what the manufacturer approved."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.model import Aggregate

from warranty.domain.events import SupplierRecoveryOpened

OPEN = "open"
RECOVERY_STATUSES = (OPEN, "charged", "recovered", "written_off")


class SupplierRecovery(Aggregate):
    version: int

    def __init__(self, dealer: str, *, claim_number: str, vin: str, supplier: str, part_number: str, lot: str,
                 amount: Decimal, currency: str, at: datetime):
        self.dealer = dealer
        self.claim_number = claim_number
        self.vin = vin
        self.supplier = supplier
        self.part_number = part_number
        self.lot = lot
        self.amount = amount
        self.currency = currency
        self.status = OPEN
        self.opened_at = at
        self.events.append(SupplierRecoveryOpened(claim_number, vin, supplier, part_number, lot, amount, currency))

    @property
    def subject(self) -> str:
        return self.claim_number
