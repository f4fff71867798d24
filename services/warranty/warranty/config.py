"""Warranty's business rules, read from the environment once at start-up (`uow.rules`)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import Settings


@dataclass(frozen=True)
class WarrantyRules:
    # Markets that do not use the VIN check digit set VIN_CHECK_DIGIT=off.
    verify_vin_check_digit: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> WarrantyRules:
        return cls(verify_vin_check_digit=settings.environ.get("VIN_CHECK_DIGIT", "on") != "off")
