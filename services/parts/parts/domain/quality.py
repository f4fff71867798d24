"""Supplier quality (供应商质量): field failures and complaints traced back to a supplier's lot.

An approved warranty claim whose causal part came from one of our lots is a field failure;
a complaint classified as product quality that names a part of a lot is an incident. Each is
counted once per claim or complaint, whatever how often its event arrives. Enough of them on
one lot put the lot on quality hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.model import DealerOwned

FIELD_FAILURE = "field_failure"
COMPLAINT = "complaint"


class QualityIncident(DealerOwned):
    def __init__(self, dealer: str, *, kind: str, reference: str, supplier: str, part_number: str, lot: str,
                 at: datetime):
        self.dealer = dealer
        self.kind = kind  # field_failure (warranty claim) or complaint
        self.reference = reference  # the claim or complaint number
        self.supplier = supplier
        self.part_number = part_number
        self.lot = lot
        self.at = at


@dataclass(frozen=True)
class QualityFigures:
    """A supplier's record as the desk reads it, derived from what happened here."""

    units_issued: Decimal
    field_failures: int
    incidents: int
    lots_inspected: int
    lots_rejected: int

    @property
    def failures_per_thousand(self) -> Decimal:
        if self.units_issued <= 0:
            return Decimal("0.00")
        return (Decimal(self.field_failures) * 1000 / self.units_issued).quantize(Decimal("0.01"))

    @property
    def rejection_rate(self) -> Decimal:
        """Share of inspected lots that failed incoming inspection."""
        if not self.lots_inspected:
            return Decimal("0.0000")
        return (Decimal(self.lots_rejected) / self.lots_inspected).quantize(Decimal("0.0001"))
