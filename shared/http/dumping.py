"""Dumping a schema's answers fast, with the schema still the one definition of the wire format.

marshmallow walks every field of every object through several generic calls (accessor, default,
`serialize`, `_serialize`): for a page of 50 records with their nested lists, or a document of a
few hundred nested fields, that was most of the request's time. `CompiledDump` makes a schema's
`dump` run a plan built once from the schema's own fields: each field read with an attribute
getter and formatted by the field's own `_serialize` (strings, integers and booleans, which
marshmallow hands back unchanged, are passed through). The output is what `Schema.dump` gives,
key for key and in the same order; a schema with dump hooks, or a field the plan does not know,
is dumped by marshmallow as before. Mix it into the schema a response names (`@blp.response`);
the schemas it nests are dumped through the plan without it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from operator import attrgetter
from typing import Any

import marshmallow as ma
from marshmallow import missing
from marshmallow.utils import get_value

Dumper = Callable[[Any], dict]
# Fields whose `_serialize` needs only the value (not the object it came from). A mapping is
# copied as it is (or through its key and value fields).
_FORMATTED = (ma.fields.String, ma.fields.Integer, ma.fields.Boolean, ma.fields.Date, ma.fields.DateTime,
              ma.fields.Decimal, ma.fields.Enum, ma.fields.Float, ma.fields.Mapping)
_PASSED_THROUGH = {ma.fields.String: str, ma.fields.Integer: int, ma.fields.Boolean: bool}


class NotCompilable(Exception):
    """The schema does something the plan does not reproduce: let marshmallow dump it."""


class CompiledDump:
    """Mix into a `ma.Schema` (first) to dump through a plan compiled from its fields."""

    _dumper: Dumper | None = None

    def dump(self, obj, *, many: bool | None = None):
        dumper = self._compiled()
        if dumper is None:
            return super().dump(obj, many=many)
        if self.many if many is None else many:
            return [dumper(each) for each in obj]
        return dumper(obj)

    def _compiled(self) -> Dumper | None:
        if self._dumper is None:
            try:
                self._dumper = compile_dumper(self)
            except NotCompilable:
                self._dumper = False  # checked once: marshmallow it is
        return self._dumper or None


def compiled(schema_class: type[ma.Schema]) -> type[ma.Schema]:
    """The same schema (same name, same fields, same documentation) dumping through a plan."""
    return type(schema_class.__name__, (CompiledDump, schema_class), {"__module__": schema_class.__module__,
                                                                       "__doc__": schema_class.__doc__})


def compile_dumper(schema: ma.Schema) -> Dumper:
    """A function giving `schema.dump(obj)` for one object (not `many`)."""
    if any(schema._hooks[hook] for hook in (ma.decorators.PRE_DUMP, ma.decorators.POST_DUMP)):
        raise NotCompilable(f"{type(schema).__name__} has dump hooks")
    if type(schema).get_attribute is not ma.Schema.get_attribute or schema.dict_class is not dict:
        raise NotCompilable(f"{type(schema).__name__} reads or collects values its own way")
    steps = tuple(_step(name, field) for name, field in schema.dump_fields.items())
    return _straight(steps, _field_by_field(steps))


def _field_by_field(steps: tuple) -> Dumper:
    """marshmallow's own walk: by key or attribute, a missing value left out (or its default)."""

    def dump(obj) -> dict:
        out = {}
        by_attribute = not hasattr(obj, "__getitem__")  # as marshmallow's accessor decides
        for key, path, read, write, default in steps:
            if read is None:  # a Function field: given the object
                value = write(obj)
                if value is not missing:
                    out[key] = value
                continue
            value = _read(obj, path, read) if by_attribute and read is not get_value else get_value(obj, path, missing)
            if value is missing:
                value = default() if callable(default) else default
                if value is missing:
                    continue
            out[key] = write(value)
        return out

    return dump


def _straight(steps: tuple, field_by_field: Dumper) -> Dumper:
    """The common case in one dict comprehension: an object (not a mapping) with every attribute
    there and no value left out. Anything else (a mapping, a missing attribute, a dotted path, a
    Function field answering `missing`) goes field by field, as marshmallow would."""
    if any(read is get_value for _key, _path, read, _write, _default in steps):
        return field_by_field
    plain = tuple((key, _itself if read is None else read, write) for key, _path, read, write, _default in steps)
    functions = any(read is None for _key, _path, read, _write, _default in steps)

    def dump(obj) -> dict:
        if hasattr(obj, "__getitem__"):
            return field_by_field(obj)
        try:
            out = {key: write(read(obj)) for key, read, write in plain}
        except AttributeError:
            return field_by_field(obj)
        if functions and any(value is missing for value in out.values()):
            return field_by_field(obj)
        return out

    return dump


def _itself(obj):
    return obj


def _read(obj, path: str, read: Callable):
    try:
        return read(obj)
    except AttributeError:  # marshmallow treats it as missing, and so does its own getter
        return get_value(obj, path, missing)


def _step(name: str, field: ma.fields.Field) -> tuple:
    key = field.data_key if field.data_key is not None else name
    if isinstance(field, ma.fields.Function):
        return key, name, None, field.serialize_func, missing
    if not field._CHECK_ATTRIBUTE:
        raise NotCompilable(f"{name}: {type(field).__name__}")
    path = field.attribute if field.attribute is not None else name
    # A dotted path is walked as marshmallow walks it, each step by key or attribute.
    read = get_value if "." in path else attrgetter(path)
    return key, path, read, _writer(name, field), field.dump_default


def _writer(name: str, field: ma.fields.Field) -> Callable[[Any], Any]:
    if type(field) is ma.fields.Nested:
        inner = compile_dumper(field.schema)
        many = field.many or field.schema.many
        return (lambda value: None if value is None else [inner(each) for each in value]) if many else \
            (lambda value: None if value is None else inner(value))
    if type(field) is ma.fields.List:
        each = _writer(name, field.inner)
        return lambda value: None if value is None else [each(item) for item in value]
    if not isinstance(field, _FORMATTED):
        raise NotCompilable(f"{name}: {type(field).__name__}")
    serialize = field._serialize
    faster = _formatter(field)
    if faster is not None:
        return faster
    passed = _PASSED_THROUGH.get(type(field))
    if passed is None:
        return lambda value: serialize(value, name, None)
    # Exactly these types come back from marshmallow as they went in.
    return lambda value: value if value is None or type(value) is passed else serialize(value, name, None)


def _formatter(field: ma.fields.Field) -> Callable[[Any], Any] | None:
    """Dates, timestamps and decimal strings formatted as their `_serialize` does, without it:
    the same function of the same format for dates; for a Decimal, `_format_num` less its
    `Decimal(str(value))`, which gives a Decimal back unchanged."""
    kind = type(field)
    if isinstance(field, ma.fields.DateTime) and kind._serialize is ma.fields.DateTime._serialize:
        format_value = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if format_value is None:
            return None
        return lambda value: None if value is None else format_value(value)
    if (isinstance(field, ma.fields.Decimal) and field.as_string and not field.allow_nan
            and field.places is not None and kind._serialize is ma.fields.Number._serialize
            and kind._format_num is ma.fields.Decimal._format_num
            and kind._to_string is ma.fields.Decimal._to_string):
        places, rounding, serialize = field.places, field.rounding, field._serialize

        def decimal_string(value):
            if type(value) is Decimal and value.is_finite():
                return format(value.quantize(places, rounding=rounding), "f")
            return serialize(value, None, None)

        return decimal_string
    return None
