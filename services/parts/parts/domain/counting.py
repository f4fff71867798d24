"""Stock counts (盘点): blind counting, variances, approval, posted adjustments.

A count covers the lots at one location (optionally only some parts). The counter records
what is on the shelf without seeing the book quantity. The book quantity is taken when a
line is counted, not when the count opens, so stock that moves during a long count does not
show up as a variance; posting applies the variance as a change to the current balance for
the same reason.

When the count is submitted every line must be counted. A variance worth at least the
approval threshold (at list price) waits for a parts manager; otherwise the count posts at
once. The manager approves (post everything) or sends it back for a recount of the large
lines. Until it is posted, only that manager sees the book quantities, differences and their
value; a recount is blind again.

Each line keeps what the count sheet shows of its part (names, unit) and the location's bin as
they were when the count opened, and the list price its difference was valued at on submit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum

from shared.model import Aggregate, DealerOwned

from parts.domain.catalog import Part
from parts.domain.errors import CountLineUnknown, CountNotInStatus, CountNotFinished

ZERO = Decimal("0")
# While a count is being counted, whoever counts it does not see the book quantities of what it
# covers, anywhere (盲盘). The parts managers who review its variances still do.
SEE_THE_BOOK_WHILE_COUNTING = ("parts_manager",)


class CountStatus(str, Enum):
    COUNTING = "counting"
    AWAITING_APPROVAL = "awaiting_approval"
    POSTED = "posted"


class CountLine(DealerOwned):
    def __init__(self, dealer: str, part: Part, lot: str, *, bin: str | None):
        self.dealer = dealer
        self.part_number = part.part_number
        self.name_zh = part.details.name_zh
        self.name_en = part.details.name_en
        self.unit = part.details.unit
        self.bin = bin
        self.lot = lot
        self.counted: Decimal | None = None
        self.book: Decimal | None = None  # hidden from counters until the count is submitted
        self.counted_by: str | None = None
        self.counted_at: datetime | None = None
        self.reason: str | None = None
        self.unit_price: Decimal | None = None  # the list price the difference was valued at on submit
        self.needs_approval = False

    @property
    def variance(self) -> Decimal | None:
        if self.counted is None or self.book is None:
            return None
        return self.counted - self.book

    @property
    def value(self) -> Decimal | None:
        """The difference at the list price taken on submit: what the approval threshold measures."""
        if self.variance is None or self.unit_price is None:
            return None
        return self.variance * self.unit_price

    def clear(self) -> None:
        self.counted = self.book = self.counted_by = self.counted_at = self.reason = self.unit_price = None
        self.needs_approval = False


class StockCount(Aggregate):
    version: int
    lines: list[CountLine]

    def __init__(self, dealer: str, number: str, *, location: str, bin: str | None, lots: list[tuple[str, str]],
                 parts: Mapping[str, Part], at: datetime, actor: str):
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
        self.lines = [CountLine(dealer, parts[part_number], lot, bin=bin) for part_number, lot in sorted(lots)]

    @property
    def subject(self) -> str:
        return self.number

    def shows_book(self, *, reviewer: bool) -> bool:
        """Whether book quantities, differences and their value may be shown: to nobody while it
        is counted (盲盘; a recount too), only to a reviewer (`SEE_THE_BOOK_WHILE_COUNTING`)
        while it waits for approval, to everyone once posted."""
        if self.status is CountStatus.POSTED:
            return True
        return reviewer and self.status is CountStatus.AWAITING_APPROVAL

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
            line.unit_price = prices[line.part_number]
            line.needs_approval = line.variance != ZERO and abs(line.value) >= threshold
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
