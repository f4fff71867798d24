"""Money, quantities and times as the user reads them: in their language's notation and the
dealer's time zone (Flask-Babel's locale and time zone of the request)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_timezone,
    to_user_timezone,
)
from flask_babel import lazy_gettext as _l


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(value, currency: str = "CNY") -> str:
    amount = _decimal(value)
    return "" if amount is None else format_currency(amount, currency or "CNY")


def qty(value) -> str:
    amount = _decimal(value)
    return "" if amount is None else format_decimal(amount, format="#,##0.###")


def percent(value) -> str:
    """A share from 0 to 1 as a whole percentage: 0.5488 -> 55%."""
    share = _decimal(value)
    return "" if share is None else format_percent(share, format="#,##0%")


def when(value) -> str:
    if not value:
        return ""
    return format_datetime(datetime.fromisoformat(str(value)), "yyyy-MM-dd HH:mm")


def day(value) -> str:
    """A date, or the dealer's date of a moment (a receipt booked at 23:30 UTC is the next
    day in Beijing)."""
    if not value:
        return ""
    text = str(value)
    moment = datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    return format_date(moment, "yyyy-MM-dd")


def days_since(value) -> int | None:
    """Whole days from a moment (or a date) to today, both as the dealer's dates: 0 today."""
    if not value:
        return None
    text = str(value)
    then = to_user_timezone(datetime.fromisoformat(text)).date() if len(text) > 10 else date.fromisoformat(text)
    return (datetime.now(get_timezone()).date() - then).days


# The parts catalog's units, as the reader says them (the service sends the code).
UNITS = {"pcs": _l("pcs"), "set": _l("set"), "pair": _l("pair"), "L": _l("L"), "kg": _l("kg"), "m": _l("m")}


def unit(code) -> str:
    return str(UNITS.get(code, code or ""))


def name(item) -> str:
    """A part's name in the reader's language when the service has it, else in the other one
    (`name_zh`/`name_en` of a quote line, slip line, receipt line or part)."""
    if not item:
        return ""
    first, second = ("name_en", "name_zh") if str(get_locale()) == "en" else ("name_zh", "name_en")
    field = item.get if isinstance(item, dict) else lambda key: getattr(item, key, None)
    return field(first) or field(second) or field("name") or ""


def named(names: dict, code) -> str:
    """A service's code as the desk calls it (`names`: code -> words); a code not named shows as sent."""
    return str(names.get(code, code or ""))
