"""A compiled dump answers exactly what marshmallow's own dump answers, key for key and in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

import marshmallow as ma

from shared.fields import DecimalString
from shared.http.dumping import CompiledDump, compiled
from shared.testing import assert_dumps_as_marshmallow

AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


class Item(ma.Schema):
    name = ma.fields.String()
    size = ma.fields.Integer(data_key="bytes")


class Thing(CompiledDump, ma.Schema):
    code = ma.fields.String()
    note = ma.fields.String(allow_none=True)
    count = ma.fields.Integer(dump_default=7)
    price = DecimalString(places=2, allow_none=True)
    on = ma.fields.Date(allow_none=True)
    at = ma.fields.AwareDateTime()
    flag = ma.fields.Boolean()
    shout = ma.fields.Function(lambda thing: ma.utils.get_value(thing, "code").upper())
    inner_code = ma.fields.String(attribute="inner.code", allow_none=True)
    items = ma.fields.List(ma.fields.Nested(Item))
    tags = ma.fields.List(ma.fields.String())
    first = ma.fields.Nested(Item, allow_none=True)
    extra = ma.fields.Dict(allow_none=True)
    sizes = ma.fields.Dict(keys=ma.fields.String(), values=DecimalString(places=1), allow_none=True)


@dataclass
class Inner:
    code: str


class Plain:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def test_a_full_object_dumps_as_marshmallow_does():
    thing = Plain(code="a1", note=None, count=3, price=Decimal("12.5"), on=date(2026, 1, 2), at=AT, flag=True,
                  inner=Inner("in"), items=[{"name": "x", "size": 2}, Plain(name="y", size=None)], tags=["t"],
                  first=None, extra={"code": "x", "count": 2}, sizes={"a": Decimal("2")})
    assert_dumps_as_marshmallow(Thing, thing)


def test_what_is_missing_is_left_out_or_defaulted_as_marshmallow_does():
    sparse = Plain(code="b", at=AT, flag=False, inner=None, items=[{"name": "only"}], tags=[], first={"size": 1})
    assert_dumps_as_marshmallow(Thing, sparse)
    assert "count" in Thing().dump(sparse) and "note" not in Thing().dump(sparse)


def test_a_mapping_is_read_by_key_as_marshmallow_does():
    assert_dumps_as_marshmallow(Thing, {"code": "c", "at": AT, "flag": True, "inner": {"code": "k"}, "items": [], "tags": None,
                 "price": Decimal("1")})


def test_many():
    things = [Plain(code=str(i), at=AT, flag=bool(i), inner=Inner("i"), items=[], tags=[], first=None)
              for i in range(3)]
    assert Thing(many=True).dump(things) == ma.Schema.from_dict(dict(Thing._declared_fields))().dump(things, many=True)


def test_a_page_schema_compiled_keeps_its_name_and_fields():
    page = compiled(ma.Schema.from_dict({"items": ma.fields.List(ma.fields.Nested(Item))}, name="ItemPage"))
    assert page.__name__ == "ItemPage" and list(page().fields) == ["items"]
    assert page().dump({"items": [{"name": "n", "size": 1}]}) == {"items": [{"name": "n", "bytes": 1}]}


def test_a_schema_with_dump_hooks_is_left_to_marshmallow():
    class Hooked(CompiledDump, ma.Schema):
        name = ma.fields.String()

        @ma.post_dump
        def shout(self, data, **_):
            return {key: value.upper() for key, value in data.items()}

    assert Hooked().dump(Plain(name="x")) == {"name": "X"}


def test_a_mapping_is_a_copy_not_the_object_itself():
    extra = {"code": "x"}
    dumped = Thing().dump(Plain(code="m", at=AT, flag=True, inner=None, items=[], tags=[], first=None, extra=extra,
                                sizes=None))
    assert dumped["extra"] == extra and dumped["extra"] is not extra and dumped["sizes"] is None
