"""In-memory units of work, for testing a service's use cases in milliseconds (`tests/service/`).

A service's use cases take their unit of work as a port (`<service>/service/ports.py`). Its fake
in `tests/service/fakes.py` is a `MemoryUnitOfWork` with repositories that are
`MemoryRepository`s over the rows of a `MemoryStore`. What they keep of the SQL adapters, and
what they do not:
- a unit of work sees only its dealer's rows (all of them for `ALL_DEALERS`), as the
  dealer-scoped sessions do, and refuses to add another dealer's row (`CrossDealerWrite`);
  queries see what the transaction added, as with autoflush;
- leaving the block without `commit()` puts the store back as it was (a copy is taken when the
  block opens); `commit()` keeps the change and takes the events of every aggregate the unit of
  work loaded or added, in the order first touched, into `store.events` (the outbox);
- a versioned row (the mapper's `version_id_col`, which If-Match names) gets version 1 when
  added, and counts up when a unit of work that loaded it commits with something of it changed;
- ids a database would give (a sequence) come from one counter, not given back by a rollback;
- no locks: `skip_locked` never skips. Races are the adapters' to test, on PostgreSQL.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone, tzinfo
from enum import Enum
from typing import Any, ClassVar, Self

from shared.db import ALL_DEALERS, CrossDealerWrite, DealerScope
from shared.model import Aggregate, Event


class Clock:
    """A clock the test moves (`clock.now = ...`); it answers in UTC, as the real one does."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(timezone.utc)


class MemoryStore:
    """What the database holds for one test: `rows`, a dataclass with a list of rows per table
    (the service's fakes define it), and the events committed."""

    def __init__(self, rows: Any):
        self.rows = rows
        self.events: list[Event] = []
        self._ids = itertools.count(1)

    def events_of(self, kind: type) -> list:
        return [event for event in self.events if isinstance(event, kind)]

    def one(self, table: str, dealer: str = "D001", **match):
        """The committed row of `table` with these attribute values (a test's look into the database)."""
        [row] = [row for row in getattr(self.rows, table) if row.dealer == dealer and _matches(row, match)]
        return row

    def all(self, table: str, **match) -> list:
        return [row for row in getattr(self.rows, table) if _matches(row, match)]

    def next_id(self) -> int:
        return next(self._ids)

    def _snapshot(self) -> tuple:
        return copy.deepcopy((self.rows, self.events))

    def _restore(self, snapshot: tuple) -> None:
        self.rows, self.events = snapshot


class MemoryUnitOfWork:
    """One transaction on a `MemoryStore`. A service's fake names its `versioned` classes and
    opens its repositories in `__enter__` (after calling this one's)."""

    versioned: ClassVar[tuple[type, ...]] = ()

    def __init__(self, store: MemoryStore, *, dealer: DealerScope, actor: str | None, rules: Any,
                 clock: Callable[[], datetime], local_zone: tzinfo = timezone.utc):
        self.store = store
        self.dealer = dealer
        self.actor = actor
        self.rules = rules
        self._clock = clock
        self._local_zone = local_zone
        self.committed = False

    def __enter__(self) -> Self:
        self._before = self.store._snapshot()
        self._touched: dict[int, tuple[object, object]] = {}  # the identity map: row, its state when loaded
        self._kept = False
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._kept:
            self.store._restore(self._before)

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        return self.local_date(self.now())

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self._local_zone).date()

    def visible(self, row) -> bool:
        return self.dealer is ALL_DEALERS or row.dealer == self.dealer

    def loaded(self, row):
        """`row` as this transaction read it (for change); None stays None."""
        if row is not None and id(row) not in self._touched:
            self._touched[id(row)] = (row, _state(row) if isinstance(row, self.versioned) else None)
        return row

    def added(self, row) -> None:
        if not self.visible(row):
            raise CrossDealerWrite(f"a unit of work for dealer {self.dealer!r} tried to write "
                                   f"{type(row).__name__} of dealer {row.dealer!r}")
        if getattr(row, "id", None) is None:
            row.id = self.store.next_id()
        self._touched.setdefault(id(row), (row, None))  # new: nothing to compare with

    def touched(self) -> list:
        """Every row this transaction loaded or added, in the order first touched."""
        return [row for row, _state in self._touched.values()]

    def commit(self) -> None:
        for row, state in self._touched.values():
            if isinstance(row, self.versioned) and (state is None or state != _state(row)):
                row.version = (getattr(row, "version", None) or 0) + 1
            if isinstance(row, Aggregate):
                self.store.events.extend(row.events)
                row.events.clear()
        self._kept = self.committed = True


class MemoryRepository:
    """A repository's view of the store: its unit of work's dealer's rows, each one it returns
    noted as loaded."""

    def __init__(self, uow: MemoryUnitOfWork):
        self._uow = uow

    @property
    def _rows(self):
        return self._uow.store.rows

    def _visible(self, table: str) -> list:
        return [row for row in getattr(self._rows, table) if self._uow.visible(row)]

    def _where(self, table: str, condition: Callable[[Any], bool]) -> list:
        return [self._uow.loaded(row) for row in self._visible(table) if condition(row)]

    def _first(self, table: str, **match):
        return next((self._uow.loaded(row) for row in self._visible(table) if _matches(row, match)), None)

    def _add(self, table: str, row) -> None:
        self._uow.added(row)
        getattr(self._rows, table).append(row)

    def _loaded(self, rows: Iterable) -> list:
        return [self._uow.loaded(row) for row in rows]


def _matches(row, match: dict) -> bool:
    return all(getattr(row, name, None) == value for name, value in match.items())


def _state(value):
    """What a row holds, to tell whether a transaction changed it (its version and events aside)."""
    if isinstance(value, (list, tuple)):
        return tuple(_state(item) for item in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_state(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, _state(item)) for key, item in value.items())
    if isinstance(value, Enum) or not hasattr(value, "__dict__"):
        return value
    return type(value), tuple((name, _state(item)) for name, item in sorted(vars(value).items())
                              if name not in ("version", "_recorded_events") and not name.startswith("_sa_"))
