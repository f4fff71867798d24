"""A counter customer's personal data (name and phone): who may read it, and how it looks to
everybody else. Masked as the complaints desk masks it: 13812341234 -> 138****1234, 张三丰 -> 张**."""

from __future__ import annotations

# Those who sell over the counter talk to the customer (and admin); everybody else reads a sale
# masked.
PERSONAL_DATA_ROLES = frozenset({"parts_clerk", "parts_manager"})


def mask_phone(phone: str | None) -> str | None:
    """Enough to recognise a number, not to call it."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str | None) -> str | None:
    """The first character, then one star for each other; a name of one character shows nothing."""
    if not name:
        return name
    name = name.strip()
    if len(name) < 2:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)
