"""Customer personal data: who may read it, and how it looks to everybody else."""

from __future__ import annotations

import re
from collections.abc import Iterable

PERSONAL_DATA_ROLES = frozenset({"complaints_agent", "service_manager"})

_NOT_AFTER_ALNUM, _NOT_BEFORE_ALNUM = r"(?<![\dA-Za-z])", r"(?![\dA-Za-z])"
_BIRTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# What people type into a complaint that identifies somebody: resident ID numbers (18 characters
# with a check digit or X, and the old 15), mobile numbers (+86 or not, digits grouped by spaces
# or dashes) and landlines with their area code. ID numbers first: they hold 11-digit runs.
_PERSONAL_NUMBER = re.compile(_NOT_AFTER_ALNUM + "(?:" + "|".join((
    rf"[1-9]\d{{5}}(?:18|19|20)\d{{2}}{_BIRTH_DAY}\d{{3}}[\dXx]",
    rf"[1-9]\d{{7}}{_BIRTH_DAY}\d{{3}}",
    r"(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}",
    r"(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{7,8}",
)) + ")" + _NOT_BEFORE_ALNUM)
_KEPT_AT_END = 4
# Full-width digits, letters, +, - and spaces read as their ASCII twins, one character for one.
_HALF_WIDTH = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: ord(" ")}


def may_see_personal_data(roles: frozenset[str]) -> bool:
    return "admin" in roles or not roles.isdisjoint(PERSONAL_DATA_ROLES)


def mask_phone(phone: str | None) -> str | None:
    """13812341234 -> 138****1234: enough to recognise a number, not to call it."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str | None) -> str | None:
    """张三丰 -> 张**; 张伟 -> 张*; Li Wei -> L*****. A name of one character shows nothing."""
    if not name:
        return name
    name = name.strip()
    if len(name) < 2:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


def mask_personal_data(text: str | None, names: Iterable[str | None] = ()) -> str | None:
    """Free text with the phone and ID numbers in it masked (all but their last four characters;
    spaces, dashes and + kept), and the given people's names masked as `mask_name` does."""
    if not text:
        return text
    masked = text
    for found in _PERSONAL_NUMBER.finditer(text.translate(_HALF_WIDTH)):
        start, end = found.span()
        masked = masked[:start] + _mask_number(masked[start:end]) + masked[end:]
    for name in {n.strip() for n in names if n and len(n.strip()) >= 2}:
        masked = masked.replace(name, mask_name(name))
    return masked


def _mask_number(number: str) -> str:
    kept_from = len(number)
    for _ in range(_KEPT_AT_END):
        kept_from = max(i for i in range(kept_from) if number[i].isalnum())
    return "".join("*" if c.isalnum() else c for c in number[:kept_from]) + number[kept_from:]
