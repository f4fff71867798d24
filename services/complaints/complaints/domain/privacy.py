"""Customer personal data: who may read it, and how it looks to everybody else."""

from __future__ import annotations

PERSONAL_DATA_ROLES = frozenset({"complaints_agent", "service_manager"})


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
    """张三丰 -> 张**; Li Wei -> L*****."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)
