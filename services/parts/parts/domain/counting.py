"""Stock counts (盘点): blind counting, variances, approval, posted adjustments.

A count covers the lots at one location (optionally only some parts). The counter records
what is on the shelf without seeing the book quantity. The book quantity is taken when a
line is counted, not when the count opens, so stock that moves during a long count does not
show up as a variance; posting applies the variance as a change to the current balance for
the same reason.

When the count is submitted every line must be counted. A variance worth at least the
approval threshold (at list price) waits for a parts manager; otherwise the count posts at
once. The manager approves (post everything) or sends it back for a recount of the large
lines.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from shared.model import Aggregate, DealerOwned

from parts.domain.errors import CountLineUnknown, CountNotInStatus, CountNotFinished

ZERO = Decimal("0")


class CountStatus(str, Enum):
    COUNTING = "counting"
    AWAITING_APPROVAL = "awaiting_approval"
    POSTED = "posted"


class CountLine(DealerOwned):
    def __init__(self, dealer: str, part_number: str, lot: str):
        self.dealer = dealer
        self.part_number = part_number
        self.lot = lot
        self.counted: Decimal | None = None
        self.book: Decimal | None = None  # hidden from counters until the count is submitted
        self.counted_by: str | None = None
        self.counted_at: datetime | None = None
        self.reason: str | None = None
        self.needs_approval = False

    @property
    def variance(self) -> Decimal | None:
        if self.counted is None or self.book is None:
            return None
        return self.counted - self.book

    def clear(self) -> None:
        self.counted = self.book = self.counted_by = self.counted_at = self.reason = None
        self.needs_approval = False


class StockCount(Aggregate):
    version: int
    lines: list[CountLine]

    def __init__(self, dealer: str, number: str, *, location: str, lots: list[tuple[str, str]],
                 at: datetime, actor: str):
        self.dealer = dealer
        self.number = number
        self.location = location
        self.status = CountStatus.COUNTING
        self.opened_at = at
        self.opened_by = actor
        self.submitted_at: datetime | None = None
        self.submitted_by: str | None = None
        self.decided_by: str | None = None
        self.decision_note: str | None = None
        self.posted_at: datetime | None = None
        self.lines = [CountLine(dealer, part_number, lot) for part_number, lot in sorted(lots)]

    @property
    def subject(self) -> str:
        return self.number

    @property
    def blind(self) -> bool:
        """While counting, nobody sees the book quantities or variances."""
        return self.status is CountStatus.COUNTING

    def line(self, part_number: str, lot: str) -> CountLine:
        found = next((x for x in self.lines if x.part_number == part_number and x.lot == lot), None)
        if found is None:
            raise CountLineUnknown(self.number, part_number, lot)
        return found

    def record(self, part_number: str, lot: str, counted: Decimal, *, book: Decimal, reason: str | None,
               at: datetime, actor: str) -> None:
        """What the counter found on the shelf; counting a line again replaces the earlier figure."""
        self._expect(CountStatus.COUNTING)
        line = self.line(part_number, lot)
        line.counted, line.book, line.reason = counted, book, reason
        line.counted_by, line.counted_at = actor, at

    def submit(self, prices: dict[str, Decimal], threshold: Decimal, *, at: datetime, actor: str) -> bool:
        """Close counting; True if it may post now, False if a manager must approve first."""
        self._expect(CountStatus.COUNTING)
        uncounted = [f"{x.part_number}/{x.lot}" for x in self.lines if x.counted is None]
        if uncounted:
            raise CountNotFinished(self.number, uncounted)
        for line in self.lines:
            worth = abs(line.variance) * prices[line.part_number]
            line.needs_approval = line.variance != ZERO and worth >= threshold
        self.submitted_at, self.submitted_by = at, actor
        if any(x.needs_approval for x in self.lines):
            self.status = CountStatus.AWAITING_APPROVAL
            return False
        return True

    def approve(self, note: str | None, *, actor: str) -> None:
        self._expect(CountStatus.AWAITING_APPROVAL)
        self.decided_by, self.decision_note = actor, note

    def send_back(self, note: str | None, *, actor: str) -> None:
        """Recount the lines with a large variance; the others keep their figures."""
        self._expect(CountStatus.AWAITING_APPROVAL)
        for line in self.lines:
            if line.needs_approval:
                line.clear()
        self.status = CountStatus.COUNTING
        self.decided_by, self.decision_note = actor, note

    def posted(self, *, at: datetime) -> None:
        self.status = CountStatus.POSTED
        self.posted_at = at

    def variances(self) -> list[CountLine]:
        return [x for x in self.lines if x.variance]

    def _expect(self, status: CountStatus) -> None:
        if self.status is not status:
            raise CountNotInStatus(self.number, self.status.value, status.value)
