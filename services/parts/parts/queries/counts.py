"""Reading stock counts as their viewer may see them, and where a count keeps book quantities
from its counter. Sessions are dealer-scoped."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.paging import Page, keyset_page

from parts.domain.counting import SEE_THE_BOOK_WHILE_COUNTING, CountLine, CountStatus, StockCount
from parts.domain.errors import CountNotFound


@dataclass(frozen=True)
class BlindSpots:
    """The parts and locations whose book quantities one caller may not see now, because they
    are counting them blind (盲盘): (part number, location) -> the count's number."""

    counts: dict[tuple[str, str], str] = field(default_factory=dict)

    def withheld(self, part_number: str, location: str) -> str | None:
        """Why the figures of this part at this location are withheld ("count CNT-…"), or None."""
        number = self.counts.get((part_number, location))
        return None if number is None else f"count {number}"

    def withheld_within(self, part_number: str, location: str | None) -> str | None:
        """Likewise for the part's figures summed over every location (`location` None) or one."""
        if location is not None:
            return self.withheld(part_number, location)
        return next((self.withheld(part, where) for part, where in self.counts if part == part_number), None)

    def __bool__(self) -> bool:
        return bool(self.counts)


def blind_spots(session: Session, viewer: Caller) -> BlindSpots:
    """Every part and location of a count not yet posted that `viewer` is counting: they opened
    it or recorded a line of it. Until it posts (counted, then waiting for a manager, who may
    send lines back to be counted again) they see no on-hand, reserved, available or quantity
    figure of those parts there, wherever they look (stock, the ledger, lots, traceability,
    availability): a recount is as blind as the count. Parts managers, and everyone not
    counting, still do."""
    if viewer.has_any(SEE_THE_BOOK_WHILE_COUNTING):
        return BlindSpots()
    rows = session.execute(_counted_by(), {"viewer": viewer.sub})
    spots: dict[tuple[str, str], str] = {}
    for part_number, location, number in rows:
        spots.setdefault((part_number, location), number)
    return BlindSpots(spots)


@cache
def _counted_by() -> Select:
    """Built once: every quote, stock list and trace asks it, for one viewer or another."""
    viewer = bindparam("viewer")
    counted_by_viewer = select(CountLine.stock_count_id).where(CountLine.counted_by == viewer)
    return (
        select(CountLine.part_number, StockCount.location, StockCount.number)
        .join(CountLine, CountLine.stock_count_id == StockCount.id)
        .where(StockCount.status.in_([CountStatus.COUNTING, CountStatus.AWAITING_APPROVAL]),
               or_(StockCount.opened_by == viewer, StockCount.id.in_(counted_by_viewer)))
        .order_by(StockCount.id)
    )


@dataclass(frozen=True)
class LineSeen:
    """A count line as its viewer may see it: book, variance and value are None unless the count
    shows them to the viewer. Everything else reads through to the line."""

    line: CountLine
    book_shown: bool

    def __getattr__(self, name: str):
        return getattr(self.line, name)

    @property
    def book(self) -> Decimal | None:
        return self.line.book if self.book_shown else None

    @property
    def variance(self) -> Decimal | None:
        return self.line.variance if self.book_shown else None

    @property
    def value(self) -> Decimal | None:
        return self.line.value if self.book_shown else None


@dataclass(frozen=True)
class CountSeen:
    """A count as its viewer may see it (`StockCount.shows_book`)."""

    count: StockCount
    book_shown: bool

    def __getattr__(self, name: str):
        return getattr(self.count, name)

    @property
    def lines(self) -> list[LineSeen]:
        return [LineSeen(line, self.book_shown) for line in self.count.lines]


def seen_by(count: StockCount, viewer: Caller) -> CountSeen:
    return CountSeen(count, count.shows_book(reviewer=viewer.has_any(SEE_THE_BOOK_WHILE_COUNTING)))


def count(session: Session, number: str, *, viewer: Caller) -> CountSeen:
    found = session.scalars(select(StockCount).where(StockCount.number == number)).first()
    if found is None:
        raise CountNotFound(number)
    return seen_by(found, viewer)


def counts(session: Session, *, viewer: Caller, limit: int, cursor: str | None = None, status: str | None = None,
           location: str | None = None) -> Page:
    statement = select(StockCount)
    if status is not None:
        statement = statement.where(StockCount.status == CountStatus(status))
    if location is not None:
        statement = statement.where(StockCount.location == location)
    page = keyset_page(session, statement, [StockCount.id], cursor, limit, descending=True)
    return Page([seen_by(found, viewer) for found in page.items], page.next_cursor)
