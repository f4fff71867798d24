"""Vehicle identification numbers (ISO 3779; GB 16735 in China).

17 characters, digits and capital letters except I, O and Q. Position 9 is a check digit:
each character's value (letters transliterated) times its position's weight, summed, modulo
11, with 10 written as X. Some markets do not use the check digit, so checking it is optional.
"""

from __future__ import annotations

import re

from shared.errors import RuleViolation

_SHAPE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9))),
    **dict(zip("JKLMN", range(1, 6))),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10))),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class InvalidVin(RuleViolation):
    code = "invalid_vin"

    def __init__(self, vin: str, reason: str):
        super().__init__(f"{vin!r} is not a valid VIN: {reason}", field="vin", vin=vin)


def check_digit(vin: str) -> str:
    total = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalise_vin(raw: str, *, verify_check_digit: bool) -> str:
    vin = raw.strip().upper()
    if len(vin) != 17:
        raise InvalidVin(raw, f"it has {len(vin)} characters, a VIN has 17")
    if not _SHAPE.match(vin):
        raise InvalidVin(raw, "only digits and capital letters other than I, O and Q are allowed")
    if verify_check_digit and vin[8] != check_digit(vin):
        raise InvalidVin(raw, f"the check digit (9th character) should be {check_digit(vin)}")
    return vin
