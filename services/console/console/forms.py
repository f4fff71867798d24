"""Reading what a clerk typed into a screen's form, exactly as typed.

Inputs are named after the API's own fields, lines as `lines.<n>.<field>`, so a 422's
`errors` (`lines.2.quantity`) name the very input to show the message under. Nothing is
checked here: the service decides what is valid, and the form is shown again with every
value kept and its message beside it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

_LINE_FIELD = re.compile(r"^(?P<prefix>[a-z_]+)\.(?P<index>\d{1,3})\.(?P<field>[a-z_]+)$")


def lines(form: Mapping[str, str], fields: Iterable[str], prefix: str = "lines") -> list[dict[str, str]]:
    """`lines.0.part_number`, `lines.0.quantity`, `lines.3.part_number` → two lines, numbered
    from 0 again in the order they were on the screen; a line with nothing typed is dropped."""
    wanted = set(fields)
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = _LINE_FIELD.match(key)
        if match and match["prefix"] == prefix and match["field"] in wanted:
            found.setdefault(int(match["index"]), {})[match["field"]] = form[key].strip()
    kept = [found[i] for i in sorted(found)]
    return [{name: line.get(name, "") for name in fields} for line in kept if any(line.values())]


def without_line(lines: list[dict], action: str) -> list[dict]:
    """The lines after a line's remove button (`remove:2` drops the third)."""
    index = action.removeprefix("remove:")
    return [line for i, line in enumerate(lines) if str(i) != index]


def text(form: Mapping[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def new_key() -> str:
    """A fresh Idempotency-Key for a form about to be shown: however often that form is posted,
    the service does its work once."""
    return uuid.uuid4().hex


def idempotency_key(form: Mapping[str, str]) -> str:
    """The key the form was shown with (posted again, it is the same request), else a fresh one."""
    return text(form, "idempotency_key") or new_key()


def api_body(values: Mapping[str, str]) -> dict[str, str | None]:
    """What the API gets for a form's fields: an empty field is a field not given."""
    return {name: (value if value != "" else None) for name, value in values.items()}


def whole_number(value: str) -> int | str | None:
    """A count typed into a box (km, days) as the API's integer; anything else goes as typed,
    for the service to refuse with its message."""
    if not value:
        return None
    return int(value) if value.isdigit() else value


def dealer_today(zone: str) -> date:
    """The dealer's business date (a repair written up at 00:30 in Beijing is that day's)."""
    return datetime.now(ZoneInfo(zone)).date()


def dealer_day(moment: str, zone: str) -> str:
    """The dealer's date of a moment the service sent ("2026-03-01T17:30:00+00:00" is the 2nd
    in Beijing), as a date input holds it."""
    return datetime.fromisoformat(moment).astimezone(ZoneInfo(zone)).date().isoformat()


def dealer_moment(value: str, zone: str) -> str | None:
    """A `datetime-local` input ("2026-12-07T18:00") is the dealer's wall-clock time: send it
    to the API with the dealer's offset. A value that is not a date and time goes as typed, for
    the service to refuse with its message."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.isoformat()


def as_typed(value) -> str:
    """A service's figure put back into an input as a clerk would type it: 12.000 -> 12,
    2.500 -> 2.5 (the service sends quantities with all their places)."""
    if value is None:
        return ""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text
