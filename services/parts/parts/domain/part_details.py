"""A part's details (配件资料): what the catalog says a part is, apart from its number and its
links to other parts (what replaces it, what it fits, what may be fitted instead).

A module of its own because both the part (`catalog`) and its events (`events`) are built from
it, and `catalog` imports `events`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import Enum

from parts.domain.errors import PartNeedsAName


class Source(str, Enum):
    OEM = "oem"  # 正厂件
    AFTERMARKET = "aftermarket"  # 副厂件


@dataclass(frozen=True)
class PartDetails:
    """Names, category, unit of measure, source (a `Source` value), safety flag, list price.

    One value: a change replaces it whole. Its fields are also the part events' own (they
    inherit them, flat), the part's history records each of them, and the database maps them
    column by column: a field added here is announced, recorded and stored without a change
    elsewhere in the domain. A field added later needs a default (it comes after the others).
    Field lines carry no trailing comments: the event catalog would publish them.
    """

    name_zh: str | None
    name_en: str | None
    category: str
    unit: str
    source: str
    safety_critical: bool
    list_price: Decimal
    currency: str = "CNY"

    def __post_init__(self):
        # The value ("oem"), whether given as text or as the member the database column loads.
        object.__setattr__(self, "source", Source(self.source).value)

    def check(self) -> None:
        """A part is known by a name in Chinese or in English. Checked by the part that takes
        the details rather than on construction: a command carries them before its use case
        has looked anything up, and an import reports the problem on the file's row."""
        if not (self.name_zh or self.name_en):
            raise PartNeedsAName()

    def differences(self, other: PartDetails) -> tuple[str, ...]:
        """The fields whose values differ in `other`, in their order."""
        return tuple(name for name in DETAIL_NAMES if getattr(self, name) != getattr(other, name))

    def recorded(self) -> dict:
        """As a part's history keeps them: text, numbers and booleans; money to the cent."""
        values = {name: getattr(self, name) for name in DETAIL_NAMES}
        plain = {name: str(value) if isinstance(value, Decimal) else value for name, value in values.items()}
        return {**plain, "list_price": format(self.list_price, ".2f")}


DETAIL_NAMES: tuple[str, ...] = tuple(field.name for field in fields(PartDetails))
