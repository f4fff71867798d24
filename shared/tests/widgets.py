"""A throw-away aggregate for testing the shared plumbing without any real service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from sqlalchemy import Column, Integer, String, Table, UniqueConstraint, select
from sqlalchemy.orm import registry

from shared.db import Database, UtcDateTime, service_metadata
from shared.errors import Conflict
from shared.events.tables import plumbing
from shared.model import Aggregate, Event
from shared.service import Service
from shared.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class WidgetMade(Event):
    type: ClassVar[str] = "widgets.widget.made"
    code: str
    colour: str


@dataclass(frozen=True)
class WidgetPainted(Event):
    type: ClassVar[str] = "widgets.widget.painted"
    code: str
    colour: str


class WidgetExists(Conflict):
    code = "widget_exists"


class Widget(Aggregate):
    version: int

    def __init__(self, dealer: str, code: str, colour: str, at: datetime):
        self.dealer = dealer
        self.code = code
        self.colour = colour
        self.made_at = at
        self.events.append(WidgetMade(code, colour))

    @property
    def subject(self) -> str:
        return self.code

    def paint(self, colour: str) -> None:
        self.colour = colour
        self.events.append(WidgetPainted(self.code, colour))


metadata = service_metadata()
widgets = Table(
    "widgets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("code", String(40), nullable=False),
    Column("colour", String(40), nullable=False),
    Column("made_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "code"),
)
registry(metadata=metadata).map_imperatively(Widget, widgets, version_id_col=widgets.c.version)


class WidgetRepository:
    def __init__(self, session):
        self._session = session

    def add(self, widget: Widget) -> None:
        self._session.add(widget)

    def get(self, code: str) -> Widget | None:
        return self._session.scalars(select(Widget).where(Widget.code == code)).first()

    def get_for_update(self, code: str) -> Widget | None:
        return self._session.scalars(
            select(Widget).where(Widget.code == code).with_for_update()
        ).first()


class WidgetsUnitOfWork(UnitOfWork):
    widgets: WidgetRepository

    def __enter__(self):
        super().__enter__()
        self.widgets = WidgetRepository(self.session)
        return self


def make_widget(uow: WidgetsUnitOfWork, code: str, colour: str = "red") -> Widget:
    with uow:
        if uow.widgets.get(code) is not None:
            raise WidgetExists(f"widget {code} exists")
        widget = Widget(uow.dealer, code, colour, uow.now())
        uow.widgets.add(widget)
        uow.commit()
    return widget


def paint_widget(uow: WidgetsUnitOfWork, code: str, colour: str) -> Widget:
    with uow:
        widget = uow.widgets.get_for_update(code)
        widget.paint(colour)
        uow.commit()
    return widget


@dataclass(frozen=True)
class WidgetService(Service):
    def migrate(self, database_url: str, revision: str = "head") -> None:
        database = Database(database_url)
        try:
            metadata.create_all(database.engine)
            plumbing.create_all(database.engine)
        finally:
            database.dispose()


WIDGETS = WidgetService(
    name="widgets",
    title="Widgets",
    description="test only",
    unit_of_work=WidgetsUnitOfWork,
    blueprints=lambda: (),
    alembic_ini=Path("/nonexistent"),
)


# ---------------------------------------------------------------- HTTP, for testing shared.http

import marshmallow as ma  # noqa: E402
from flask.views import MethodView  # noqa: E402
from shared.http.blueprint import Blueprint  # noqa: E402

from shared.errors import NotFound, StaleVersion  # noqa: E402
from shared.http.context import read_session, unit_of_work  # noqa: E402
from shared.http.etag import requires_if_match, with_etag  # noqa: E402
from shared.http.security import requires_role  # noqa: E402
from shared.paging import PageQuery, keyset_page, page_of  # noqa: E402

blp = Blueprint("widgets", __name__, url_prefix="/api/v1/widgets")


class WidgetSchema(ma.Schema):
    code = ma.fields.String()
    colour = ma.fields.String()
    version = ma.fields.Integer()


class WidgetCreate(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    colour = ma.fields.String(required=True)
    size = ma.fields.Integer(load_default=1)


class WidgetUpdate(ma.Schema):
    colour = ma.fields.String(required=True)


def repaint(uow: WidgetsUnitOfWork, code: str, colour: str, expected: int) -> Widget:
    with uow:
        widget = uow.widgets.get_for_update(code)
        if widget is None:
            raise NotFound(f"no widget {code}")
        StaleVersion.check(expected, widget.version)
        widget.paint(colour)
        uow.commit()
    return widget


@blp.route("")
class Widgets(MethodView):
    @requires_role("parts_clerk", "warranty_clerk")
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, page_of(WidgetSchema))
    def get(self, query):
        with read_session() as session:
            return keyset_page(session, select(Widget), [Widget.code], query["cursor"], query["limit"])

    @requires_role("parts_clerk")
    @blp.arguments(WidgetCreate)
    @blp.response(201, WidgetSchema)
    def post(self, body):
        return with_etag(make_widget(unit_of_work(), body["code"], body["colour"]))


@blp.route("/<code>")
class OneWidget(MethodView):
    @requires_role("parts_clerk", "warranty_clerk")
    @blp.response(200, WidgetSchema)
    def get(self, code):
        with read_session() as session:
            widget = session.scalars(select(Widget).where(Widget.code == code)).first()
        if widget is None:
            raise NotFound(f"no widget {code}")
        return with_etag(widget)

    @requires_role("parts_clerk")
    @requires_if_match
    @blp.arguments(WidgetUpdate)
    @blp.response(200, WidgetSchema)
    def patch(self, body, code, expected_version):
        return with_etag(repaint(unit_of_work(), code, body["colour"], expected_version))


@blp.route("/broken")
class Broken(MethodView):
    @requires_role("parts_clerk")
    def get(self):
        raise KeyError("secret internals")

    def post(self):  # declares no roles: nobody may call it
        return {"ok": True}


WIDGETS_WITH_API = WidgetService(
    name="widgets",
    title="Widgets",
    description="test only",
    unit_of_work=WidgetsUnitOfWork,
    blueprints=lambda: (blp,),
    alembic_ini=Path("/nonexistent"),
)
