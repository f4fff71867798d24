"""The rules a claim must pass to be submitted (索赔审核规则), and what is only flagged.

Refused, each with its own code (checked in this order, the first failure is reported):
an empty claim; a warranty claim without its causal part; the submission deadline (30 days after
the repair unless configured); a duplicate (same VIN, causal part and repair date, or a repair
order line claimed twice); a customer-supplied or aftermarket part on a safety-critical
component (客户自购配件或关键部位用副厂件，技术质量不作担保); the plan not covering the repair at
its date and odometer; above the pre-authorisation threshold, no pre-authorisation granted on or
before the repair day.

Flagged for the manager, not refused: a repeat repair (same VIN and causal part within N days or
km of an earlier claim) and labour hours above the standard time of the operation (工时定额).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from warranty.domain.claim import Claim, ClaimType, LineKind
from warranty.domain.eligibility import AFTERMARKET, AFTERMARKET_ON_CRITICAL, PlanAnswer
from warranty.domain.errors import (
    CausalPartRequired,
    DuplicateClaim,
    EmptyClaim,
    NotEligible,
    PartNotCovered,
    PreAuthorisationRequired,
    SubmissionDeadlinePassed,
)

REPEAT_REPAIR = "repeat_repair"
LABOUR_OVER_STANDARD_TIME = "labour_over_standard_time"
FLAGS = (REPEAT_REPAIR, LABOUR_OVER_STANDARD_TIME)
PLAN_NOT_APPLICABLE = "plan_not_applicable"

# Standard hours per labour operation (工时定额), seeded; a make's own table replaces it through
# configuration (CLAIM_STANDARD_HOURS).
STANDARD_HOURS: Mapping[str, Decimal] = {
    "BRAKE-PADS-FRONT": Decimal("1.0"),
    "BRAKE-DISCS-FRONT": Decimal("1.5"),
    "WATER-PUMP": Decimal("2.5"),
    "ALTERNATOR": Decimal("1.8"),
    "STARTER-MOTOR": Decimal("1.5"),
    "SHOCK-ABSORBER-FRONT": Decimal("1.6"),
    "CYLINDER-HEAD-GASKET": Decimal("6.0"),
    "CLUTCH": Decimal("4.5"),
    "WINDOW-REGULATOR": Decimal("1.2"),
    "AC-COMPRESSOR": Decimal("3.0"),
}


@dataclass(frozen=True)
class ClaimRules:
    submission_days: int = 30
    repeat_repair_days: int = 60  # as the lemon-law window (60 days / 3,000 km)
    repeat_repair_km: int = 3_000
    pre_authorisation_above: Decimal = Decimal("5000.00")  # when the plan sets no threshold of its own
    standard_hours: Mapping[str, Decimal] = field(default_factory=lambda: dict(STANDARD_HOURS))


@dataclass(frozen=True)
class EarlierClaim:
    """Another live claim (submitted or later, not cancelled) on the VIN or the repair order."""

    claim_number: str
    vin: str
    repair_order: str
    repair_date: date
    odometer: int
    causal_part_number: str | None
    repair_order_lines: frozenset[str]


@dataclass(frozen=True)
class PartFacts:
    """What the parts catalog says of a part on the claim."""

    source: str | None
    safety_critical: bool


@dataclass(frozen=True)
class SubmissionFacts:
    plan: PlanAnswer | None  # the claim's plan assessed at the repair date and odometer; None: not the vehicle's
    earlier_claims: tuple[EarlierClaim, ...] = ()
    parts: Mapping[str, PartFacts] = field(default_factory=dict)


def check(claim: Claim, facts: SubmissionFacts, rules: ClaimRules, *, today: date, resubmission: bool) -> list[str]:
    """Raise the first rule the claim breaks; return its flags. A claim sent back after an
    information request was on time when it was first submitted."""
    claim.check_submittable()
    if not claim.lines or claim.claimed_amount == 0:
        raise EmptyClaim()
    causal = claim.causal_part_number
    if claim.claim_type is ClaimType.WARRANTY and causal is None:
        raise CausalPartRequired()
    if not resubmission and claim.claim_type is not ClaimType.PRE_AUTHORISATION:
        deadline = claim.repair_date + timedelta(days=rules.submission_days)
        if today > deadline:
            raise SubmissionDeadlinePassed(deadline.isoformat())
    others = [other for other in facts.earlier_claims if other.claim_number != claim.claim_number]
    _refuse_duplicates(claim, others)
    _refuse_parts_not_covered(claim, facts)
    if facts.plan is None:
        raise NotEligible(claim.coverage_plan, (PLAN_NOT_APPLICABLE,))
    if not facts.plan.covered:
        raise NotEligible(claim.coverage_plan, facts.plan.reasons)
    if claim.claim_type is not ClaimType.PRE_AUTHORISATION:
        _require_pre_authorisation(claim, facts.plan, rules)
    return _flags(claim, others, rules)


def _refuse_duplicates(claim: Claim, others: list[EarlierClaim]) -> None:
    causal = claim.causal_part_number
    references = {line.repair_order_line for line in claim.lines if line.repair_order_line}
    for other in others:
        if (causal is not None and other.vin == claim.vin and other.causal_part_number == causal
                and other.repair_date == claim.repair_date):
            raise DuplicateClaim(other.claim_number, "the same VIN, causal part and repair date are claimed already")
        if other.repair_order == claim.repair_order and references & other.repair_order_lines:
            raise DuplicateClaim(other.claim_number, "a line of this repair order is claimed already")


def _refuse_parts_not_covered(claim: Claim, facts: SubmissionFacts) -> None:
    for line in claim.lines:
        if line.kind is not LineKind.PART:
            continue
        known = facts.parts.get(line.part_number)
        if known is None or not known.safety_critical:
            continue
        if line.supplied_by == "customer" or (line.causal and known.source == AFTERMARKET):
            raise PartNotCovered(line.part_number)
    if facts.plan is not None and AFTERMARKET_ON_CRITICAL in facts.plan.reasons:
        raise PartNotCovered(claim.causal_part_number)


def _require_pre_authorisation(claim: Claim, plan: PlanAnswer, rules: ClaimRules) -> None:
    threshold = plan.plan.pre_authorisation_above
    if threshold is None:
        threshold = rules.pre_authorisation_above
    if threshold != 0 and claim.claimed_amount <= threshold:
        return
    if claim.pre_authorisation_number is None or claim.pre_authorised_on is None:
        raise PreAuthorisationRequired(str(threshold))
    if claim.pre_authorised_on > claim.repair_date:
        raise PreAuthorisationRequired(
            str(threshold), "the pre-authorisation must be granted on or before the repair date")


def _flags(claim: Claim, others: list[EarlierClaim], rules: ClaimRules) -> list[str]:
    flags = []
    causal = claim.causal_part_number
    if causal is not None and any(
        other.vin == claim.vin and other.causal_part_number == causal
        and (abs((claim.repair_date - other.repair_date).days) <= rules.repeat_repair_days
             or abs(claim.odometer - other.odometer) <= rules.repeat_repair_km)
        for other in others
    ):
        flags.append(REPEAT_REPAIR)
    for line in claim.lines:
        standard = rules.standard_hours.get(line.operation or "")
        if line.kind is LineKind.LABOUR and standard is not None and line.quantity > standard:
            flags.append(LABOUR_OVER_STANDARD_TIME)
            break
    return flags
