"""marshmallow fields for what every service exchanges the same way."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import marshmallow as ma


# The days a report period or a date filter may name: enough for any document, and clear of
# datetime's limits when a day's start in Beijing becomes a UTC timestamp (year 1 would overflow).
PERIOD_DATES = ma.validate.Range(date(1970, 1, 1), date(2999, 12, 31))


class DecimalString(ma.fields.Decimal):
    """Money and quantities: decimal strings on the wire, never floats, never silently rounded.

    Input must be a string, as documented: a JSON number has already passed through a float in
    most clients, so accepting one would hide the rounding this field exists to prevent. More
    decimal places than `places` is an error, not a rounding, and a valid value is padded to
    `places` ("4" becomes 4.000 for a quantity), so every value reaches the domain, the database
    and the events in one form. Documented in OpenAPI as a string of format `decimal` with a
    pattern (build_app registers the type), with the bounds in the description.
    """

    default_error_messages = {
        "not_a_string": 'Must be a decimal string such as "12.50", not a JSON number.',
        "not_a_decimal": "Must be digits with an optional point, such as {example}.",
        "too_precise": "Too many decimal places.",
        "too_small": "Must be at least {minimum}.",
        "too_small_exclusive": "Must be more than {minimum}.",
        "too_large": "Must be at most {maximum}.",
    }

    def __init__(self, *, places: int, minimum: Decimal | int | None = None,
                 exclusive_minimum: bool = False, maximum: Decimal | int | None = None, **kwargs):
        self._places = places
        self._minimum = None if minimum is None else Decimal(minimum)
        self._exclusive_minimum = exclusive_minimum
        self._maximum = None if maximum is None else Decimal(maximum)
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("example", "12.50" if places else "3")
        self._signed = self._minimum is None or self._minimum < 0
        self._pattern = re.compile(_pattern(places, negative=self._signed))
        metadata.setdefault("pattern", self._pattern.pattern)
        bounds = []
        if self._minimum is not None:
            bounds.append(f"{'>' if exclusive_minimum else '>='} {self._minimum}")
        if self._maximum is not None:
            bounds.append(f"<= {self._maximum}")
        if bounds:
            metadata.setdefault("description", f"decimal string, {' and '.join(bounds)}")
        super().__init__(places=places, as_string=True, allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("not_a_string")
        if _decimal_places(value) > self._places:
            raise self.make_error("too_precise")
        if value.startswith("-") and not self._signed:
            bound = "too_small_exclusive" if self._exclusive_minimum else "too_small"
            raise self.make_error(bound, minimum=self._minimum)
        if not self._pattern.fullmatch(value):
            raise self.make_error("not_a_decimal", example=self.metadata["example"])
        return super()._deserialize(value, attr, data, **kwargs)

    def _validated(self, value):
        number = super()._validated(value)  # quantized to `places`
        if number is None:
            return number
        if self._minimum is not None:
            if self._exclusive_minimum and number <= self._minimum:
                raise self.make_error("too_small_exclusive", minimum=self._minimum)
            if number < self._minimum:
                raise self.make_error("too_small", minimum=self._minimum)
        if self._maximum is not None and number > self._maximum:
            raise self.make_error("too_large", maximum=self._maximum)
        return number


def _decimal_places(value) -> int:
    try:
        exponent = Decimal(str(value)).as_tuple().exponent
    except (ArithmeticError, ValueError):
        return 0  # not a number at all: the parent field says so
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _pattern(places: int, *, negative: bool) -> str:
    sign = "-?" if negative else ""
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    return rf"^{sign}[0-9]+{fraction}$"


class StrictBoolean(ma.fields.Boolean):
    """A JSON body's true or false, and nothing else: 0, 1, "yes" and "on" are refused, as the
    API document (type boolean) says. Query strings keep marshmallow's Boolean ("true")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value
