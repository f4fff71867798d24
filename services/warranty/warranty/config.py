"""Warranty's business rules, read from the environment once at start-up (`uow.rules`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from shared.config import Settings

from warranty.domain.claim_rules import STANDARD_HOURS, ClaimRules


@dataclass(frozen=True)
class WarrantyRules:
    # Markets that do not use the VIN check digit set VIN_CHECK_DIGIT=off.
    verify_vin_check_digit: bool = True
    claims: ClaimRules = field(default_factory=ClaimRules)

    @classmethod
    def from_settings(cls, settings: Settings) -> WarrantyRules:
        env = settings.environ
        claims = ClaimRules(
            submission_days=int(env.get("CLAIM_SUBMISSION_DAYS", "30")),
            repeat_repair_days=int(env.get("CLAIM_REPEAT_REPAIR_DAYS", "60")),
            repeat_repair_km=int(env.get("CLAIM_REPEAT_REPAIR_KM", "3000")),
            pre_authorisation_above=Decimal(env.get("CLAIM_PRE_AUTHORISATION_ABOVE", "5000.00")),
            standard_hours=_standard_hours(env.get("CLAIM_STANDARD_HOURS")),
        )
        return cls(verify_vin_check_digit=env.get("VIN_CHECK_DIGIT", "on") != "off", claims=claims)


def _standard_hours(table: str | None) -> dict[str, Decimal]:
    """`OPERATION=hours,OPERATION=hours` replaces the seeded table."""
    if not table:
        return dict(STANDARD_HOURS)
    pairs = (item.split("=", 1) for item in table.split(",") if item.strip())
    return {operation.strip(): Decimal(hours.strip()) for operation, hours in pairs}
