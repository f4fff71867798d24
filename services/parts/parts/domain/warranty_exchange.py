"""The replacement part for a parts-warranty case (保修换件), issued from stock.

The warranty desk approves a replacement; the parts counter hands the customer a new part of
the same number. When the approval arrives the exchange is issued at once if the stock can
give it (the oldest available lots, never what is reserved or blocked): the customer is
usually waiting at the counter, and the approval is the authority to issue, as a paid sale is.
If the stock is short, the exchange waits, listed for the clerks as "to issue" (待发放), and a
clerk issues it once stock has come in. A waiting exchange holds no stock: it never takes
what was promised to a repair order or a sale, and it is never oversold.

    waiting → issued
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.model import Aggregate

from parts.domain.errors import WarrantyExchangeAlreadyIssued
from parts.domain.events import ExchangedLot, WarrantyExchangeIssued
from parts.domain.stock import PartStock

WAITING = "waiting"
ISSUED = "issued"
STATUSES = (WAITING, ISSUED)


class WarrantyExchange(Aggregate):
    """One replacement, one per parts-warranty case."""

    version: int

    def __init__(self, dealer: str, case: str, *, sale: str, part_number: str, location: str, quantity: Decimal,
                 faulty_lot: str, supplier: str | None, approved_at: datetime):
        self.dealer = dealer
        self.case = case
        self.sale = sale
        self.part_number = part_number
        self.location = location
        self.quantity = quantity
        self.faulty_lot = faulty_lot
        self.supplier = supplier  # of the faulty lot: the one the warranty desk recovers from
        self.status = WAITING
        self.approved_at = approved_at
        self.lots: list[dict] = []  # [{lot, supplier, quantity}] it was issued from
        self.issued_at = None
        self.issued_by = None

    @property
    def subject(self) -> str:
        return self.case

    def can_issue_from(self, stock: PartStock | None) -> bool:
        return self.status == WAITING and stock is not None and stock.available >= self.quantity

    def issue_from(self, stock: PartStock, *, at: datetime, by: str) -> None:
        """Take the replacement from the stock's oldest available lots (InsufficientStock if
        it has not that much available)."""
        if self.status == ISSUED:
            raise WarrantyExchangeAlreadyIssued(self.case)
        picks = stock.issue_for_warranty(self.quantity, case=self.case, at=at, actor=by)
        self.lots = [{"lot": pick.lot, "supplier": pick.supplier, "quantity": str(pick.quantity)} for pick in picks]
        self.status = ISSUED
        self.issued_at = at
        self.issued_by = by
        self.events.append(WarrantyExchangeIssued(
            case=self.case, sale=self.sale, part_number=self.part_number, location=self.location,
            quantity=self.quantity, lots=tuple(ExchangedLot(pick.lot, pick.supplier, pick.quantity) for pick in picks),
            issued_at=at,
        ))
