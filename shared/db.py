"""Engines and dealer-scoped sessions.

Every session is opened for one dealer: queries on `DealerOwned` classes get
`WHERE dealer = :dealer` added, and a flush that would write another dealer's row fails. A
job that must see every dealer (the relay, an expiry sweep) asks for `ALL_DEALERS` by name.

On SQLite (the embedded default) writers start with BEGIN IMMEDIATE, so two processes never
both read a row and then race to update it; readers use a plain deferred BEGIN. On PostgreSQL
readers run without a transaction (autocommit): no BEGIN, no closing ROLLBACK.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from datetime import datetime, timezone
from itertools import chain
from weakref import WeakKeyDictionary

from sqlalchemy import (
    DateTime,
    Engine,
    Enum,
    MetaData,
    TypeDecorator,
    bindparam,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, sessionmaker, with_loader_criteria

from shared.model import Aggregate, DealerOwned

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def value_enum(enum: type, name: str, length: int = 20) -> Enum:
    """A column holding a Python enum by its value (`"on_hold"`, not `"ON_HOLD"`), as VARCHAR with
    no database enum type, so a new member needs no ALTER TYPE and SQLite stores the same text."""
    return Enum(enum, name=name, values_callable=lambda members: [m.value for m in members], native_enum=False,
                length=length)


def service_metadata() -> MetaData:
    """A MetaData for one service's own tables, with stable constraint names for Alembic."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class _AllDealers:
    def __repr__(self) -> str:
        return "ALL_DEALERS"


ALL_DEALERS = _AllDealers()
DealerScope = str | _AllDealers
_WRITE = "aftersales_write"
_DEALER_PARAMETER = "aftersales_dealer_scope"


class CrossDealerWrite(RuntimeError):
    """A programming error: a session scoped to one dealer tried to write another's row."""


class Database:
    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url)
        else:
            self.engine = create_engine(
                url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow
            )
        self._writer = _scoped_factory(self.engine.execution_options(**{_WRITE: True}))
        # Reads on PostgreSQL run without a transaction: under READ COMMITTED each statement
        # sees its own snapshot either way, and BEGIN and the closing ROLLBACK were two round
        # trips of every read call.
        self._reader = _scoped_factory(self.engine if self.is_sqlite
                                       else self.engine.execution_options(isolation_level="AUTOCOMMIT"))
        self._joined = _scoped_factory(None, JoinedSession)

    def session(self, dealer: DealerScope, *, write: bool) -> Session:
        factory = self._writer if write else self._reader
        return factory(info={"dealer": dealer})

    def session_within(self, connection, dealer: DealerScope) -> Session:
        """A write session inside the transaction its caller holds on `connection` (from
        `writing()`): its commit only flushes, and only the caller commits, everything at once.
        No savepoint of its own (two round trips each): its rollback ends the caller's whole
        transaction if it wrote anything, and the caller must start again (see `JoinedSession`)."""
        return self._joined(bind=connection, join_transaction_mode="rollback_only", info={"dealer": dealer})

    @contextmanager
    def reading(self, dealer: DealerScope) -> Iterator[Session]:
        """A session for queries. Closing it ends its transaction without a commit; what it
        loaded stays readable afterwards, so a view can serialise it."""
        session = self.session(dealer, write=False)
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def writing(self) -> Iterator:
        """A raw connection in a write transaction, for plumbing tables (not dealer data)."""
        with self.engine.execution_options(**{_WRITE: True}).begin() as connection:
            yield connection

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


class JoinedSession(Session):
    """A session inside a transaction its caller holds (`Database.session_within`).

    Rolling it back rolls back the caller's transaction, unless it wrote nothing: a use case
    that found nothing to change (a stale event) and leaves without committing must not undo
    the work of the sessions before it. Writes are flushes and DML executed through it.
    """

    def rollback(self) -> None:
        if self.info.get("wrote"):
            super().rollback()
        else:
            self.close()  # with join_transaction_mode="rollback_only" this leaves the caller's alone


def _note_write(session: Session, *_) -> None:
    session.info["wrote"] = True


def _note_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _note_write(state.session)


def _scoped_factory(bind, cls: type[Session] = Session) -> sessionmaker:
    factory = sessionmaker(bind=bind, class_=cls, expire_on_commit=False)
    event.listen(factory, "do_orm_execute", _filter_by_dealer)
    event.listen(factory, "before_flush", _refuse_other_dealers)
    event.listen(factory, "loaded_as_persistent", _keep_aggregates)
    if cls is JoinedSession:
        event.listen(factory, "after_flush", _note_write)
        event.listen(factory, "do_orm_execute", _note_dml)
    return factory


def _keep_aggregates(session: Session, instance) -> None:
    # The identity map holds unchanged objects weakly: an aggregate that only raised an event
    # (a supplier announcing its figures) would be collected, events and all, before the unit
    # of work takes them to the outbox.
    if isinstance(instance, Aggregate):
        session.info.setdefault("aggregates", []).append(instance)


def _filter_by_dealer(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    dealer = _dealer_of(state.session)
    if dealer is ALL_DEALERS:
        return
    if not (state.is_column_load or state.is_relationship_load):
        # Loads of columns and relationships inherit these options from their parent query.
        state.statement = _scoped(state.statement)
    state.parameters = _with_dealer(state.parameters, dealer)


# Statement -> (the classes scoped, the statement with their criteria). A statement a module
# builds once and executes again and again is scoped once, and SQLAlchemy then computes its
# cache key (which walks every criterion) once, not on every execution. Keys are held weakly:
# a statement built for one call leaves with it.
_SCOPED: WeakKeyDictionary = WeakKeyDictionary()


def _scoped(statement):
    classes = _dealer_owned_classes()
    known = _SCOPED.get(statement)
    if known is not None and known[0] is classes:
        return known[1]
    scoped = statement.options(*_scoping_options(classes))
    _SCOPED[statement] = (classes, scoped)
    return scoped


def _with_dealer(parameters, dealer: str):
    if isinstance(parameters, list):  # an executemany, e.g. a bulk UPDATE by primary key
        return [{**p, _DEALER_PARAMETER: dealer} for p in parameters]
    return {**(parameters or {}), _DEALER_PARAMETER: dealer}


@cache
def _scoping_options(classes: tuple[type, ...]) -> tuple:
    # Built once per set of classes, with the dealer as a bound parameter: building them for
    # every query doubled the ORM's overhead per query.
    # The lambda form lets SQLAlchemy aim the criteria at aliases too (a self-join's ON clause).
    # Each use of a criterion makes its own parameter, its value given with the statement's
    # (`_with_dealer`): one parameter object shared by all the criteria was a dozen same-hashed
    # copies in a statement's cache key, which SQLAlchemy told apart on every execution with
    # `==`, building an SQL expression each time (a tenth of a quote's CPU). The name is written
    # out because SQLAlchemy binds any name a lambda reads from outside as a value; were it not
    # `_DEALER_PARAMETER`, no scoped statement would run.
    return tuple(
        with_loader_criteria(cls, lambda entity: entity.dealer == bindparam("aftersales_dealer_scope"),
                             include_aliases=True)
        for cls in classes
    )


@cache
def _dealer_owned_classes() -> tuple[type, ...]:
    """Every mapped class that is DealerOwned (a mixin the ORM cannot filter on directly).
    Kept until a class is mapped (`_forget_dealer_owned_classes`): walking the classes and
    inspecting each cost a quarter of a millisecond on every query."""
    found, pending = [], list(DealerOwned.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        mapper = inspect(cls, raiseerr=False)
        if mapper is not None and "dealer" in mapper.columns:
            found.append(cls)
    return tuple(sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}"))


@event.listens_for(Mapper, "instrument_class")
def _forget_dealer_owned_classes(_mapper, _cls) -> None:
    _dealer_owned_classes.cache_clear()


def _refuse_other_dealers(session: Session, _context, _instances) -> None:
    dealer = _dealer_of(session)
    if dealer is ALL_DEALERS:
        return
    for record in chain(session.new, session.dirty, session.deleted):
        if isinstance(record, DealerOwned) and record.dealer != dealer:
            raise CrossDealerWrite(
                f"a session for dealer {dealer!r} tried to write {type(record).__name__} "
                f"of dealer {record.dealer!r}"
            )


def _dealer_of(session: Session):
    if "dealer" not in session.info:
        raise RuntimeError("every session must be opened for a dealer (or ALL_DEALERS)")
    return session.info["dealer"]


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def insert_unless_present(session: Session, table, values: dict) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True if this call inserted the row.

    On PostgreSQL a concurrent insert of the same key waits for the other transaction and
    then reports False, which is what makes inbox rows and idempotency keys race-safe.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    key = next(iter(table.primary_key.columns))
    inserted = session.execute(
        insert(table).values(**values).on_conflict_do_nothing().returning(key)
    ).first()
    return inserted is not None
