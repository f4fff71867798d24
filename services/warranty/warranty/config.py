"""Warranty's business rules, read from the environment once at start-up (`uow.rules`)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from shared.config import Settings

from warranty.adapters.attachment_store import AttachmentStore, FolderStore, S3Store
from warranty.domain.attachment import AttachmentRules
from warranty.domain.claim_rules import STANDARD_HOURS, ClaimRules
from warranty.domain.lemon_law import LemonLawRules


@dataclass(frozen=True)
class WarrantyRules:
    # Markets that do not use the VIN check digit set VIN_CHECK_DIGIT=off.
    verify_vin_check_digit: bool = True
    # How far ahead an advisor may ask about coverage, for an appointment (预约).
    eligibility_days_ahead: int = 90
    claims: ClaimRules = field(default_factory=ClaimRules)
    lemon_law: LemonLawRules = field(default_factory=LemonLawRules)
    # Claim attachments: how large a file may be, and the store that keeps the bytes (built
    # here once, like the rules, from the same environment; see `_attachment_store`).
    attachments: AttachmentRules = field(default_factory=AttachmentRules)
    attachment_store: AttachmentStore | None = field(default=None, repr=False, compare=False)

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
        # LEMON_LAW_MONTHS, _KM, _EARLY_DAYS, _EARLY_KM, _SAFETY_FAULT_REPAIRS, _REPLACEMENTS,
        # _DAYS_OUT_OF_SERVICE, _SAME_PROBLEM_REPAIRS
        lemon_law = LemonLawRules(**{
            rule.name: int(env.get(f"LEMON_LAW_{rule.name.upper()}", str(rule.default)))
            for rule in fields(LemonLawRules)
        })
        return cls(verify_vin_check_digit=env.get("VIN_CHECK_DIGIT", "on") != "off",
                   eligibility_days_ahead=int(env.get("ELIGIBILITY_DAYS_AHEAD", "90")), claims=claims,
                   lemon_law=lemon_law,
                   attachments=AttachmentRules(max_bytes=int(env.get("ATTACHMENTS_MAX_BYTES", str(10 * 2**20)))),
                   attachment_store=_attachment_store(settings))


def _standard_hours(table: str | None) -> dict[str, Decimal]:
    """`OPERATION=hours,OPERATION=hours` replaces the seeded table."""
    if not table:
        return dict(STANDARD_HOURS)
    pairs = (item.split("=", 1) for item in table.split(",") if item.strip())
    return {operation.strip(): Decimal(hours.strip()) for operation, hours in pairs}


def _attachment_store(settings: Settings) -> AttachmentStore:
    """An S3-compatible bucket when ATTACHMENTS_S3_BUCKET is set (production: the API's pods
    share it and it outlives them); else a folder beside the embedded default's SQLite file."""
    env = settings.environ
    bucket = env.get("ATTACHMENTS_S3_BUCKET") or None
    if bucket is None:
        return FolderStore(settings.data_dir / "warranty-attachments")
    return S3Store(
        bucket,
        endpoint_url=env.get("ATTACHMENTS_S3_ENDPOINT_URL") or None,
        region=env.get("ATTACHMENTS_S3_REGION") or None,
        access_key_id=env.get("ATTACHMENTS_S3_ACCESS_KEY_ID") or None,
        secret_access_key=env.get("ATTACHMENTS_S3_SECRET_ACCESS_KEY") or None,
    )
