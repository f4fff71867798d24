"""The rules a claim must pass to be submitted (索赔审核规则), and what is only flagged.

Refused, each with its own code, checked in this order: submitting reports the first failure,
a review (`review`, the API's check before submitting) reports them all:
an empty claim; a warranty claim without its causal part (a campaign claim, such as a labour-only
inspection, may have none and names its component group instead); a component group named
against the causal part's own; the submission deadline (30 days after the repair unless
configured); a duplicate (same VIN, causal part and repair date, or a repair order line claimed
twice); a customer-supplied or aftermarket part on a safety-critical component, the claim's own
or one fitted earlier to the component (客户自购配件或关键部位用副厂件，技术质量不作担保),
naming that part; a campaign named that is not open for the vehicle; the plan not covering the
repair at its date and odometer; above the pre-authorisation limit (the plan's, else the
default: `CoveragePlan.needs_pre_authorisation`, as eligibility answers it), no
pre-authorisation granted on or before the repair day.

Flagged for the manager, not refused: a repeat repair (same VIN and causal part within N days or
km of an earlier claim) and labour hours above the standard time of the operation (工时定额).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from shared.errors import RuleViolation

from warranty.domain.claim import Claim, ClaimType, LineKind
from warranty.domain.eligibility import AFTERMARKET, AFTERMARKET_ON_CRITICAL, PlanAnswer
from warranty.domain.errors import (
    CampaignNotOpen,
    CausalPartRequired,
    ComponentGroupMismatch,
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
# What the seeded operations are called (工时项目), in Chinese and English; a configured
# operation of another code has no name.
OPERATION_NAMES: Mapping[str, tuple[str, str]] = {
    "BRAKE-PADS-FRONT": ("更换前刹车片", "Replace front brake pads"),
    "BRAKE-DISCS-FRONT": ("更换前刹车盘", "Replace front brake discs"),
    "WATER-PUMP": ("更换水泵", "Replace water pump"),
    "ALTERNATOR": ("更换发电机", "Replace alternator"),
    "STARTER-MOTOR": ("更换起动机", "Replace starter motor"),
    "SHOCK-ABSORBER-FRONT": ("更换前减振器", "Replace front shock absorber"),
    "CYLINDER-HEAD-GASKET": ("更换气缸垫", "Replace cylinder head gasket"),
    "CLUTCH": ("更换离合器", "Replace clutch"),
    "WINDOW-REGULATOR": ("更换玻璃升降器", "Replace window regulator"),
    "AC-COMPRESSOR": ("更换空调压缩机", "Replace air-conditioning compressor"),
}


@dataclass(frozen=True)
class LabourOperation:
    """A labour operation (工时项目) a claim's labour line names, with its standard hours."""

    operation: str
    standard_hours: Decimal
    name_zh: str | None
    name_en: str | None


@dataclass(frozen=True)
class ClaimRules:
    submission_days: int = 30
    repeat_repair_days: int = 60  # as the lemon-law window (60 days / 3,000 km)
    repeat_repair_km: int = 3_000
    pre_authorisation_above: Decimal = Decimal("5000.00")  # when the plan sets no limit of its own
    standard_hours: Mapping[str, Decimal] = field(default_factory=lambda: dict(STANDARD_HOURS))

    def labour_operations(self) -> list[LabourOperation]:
        """The operations with a standard time, by code."""
        return [LabourOperation(operation, hours, *OPERATION_NAMES.get(operation, (None, None)))
                for operation, hours in sorted(self.standard_hours.items())]


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
    component: str | None = None  # the catalog's category


@dataclass(frozen=True)
class SubmissionFacts:
    plan: PlanAnswer | None  # the claim's plan assessed at the repair date and odometer; None: not the vehicle's
    earlier_claims: tuple[EarlierClaim, ...] = ()
    parts: Mapping[str, PartFacts] = field(default_factory=dict)
    open_campaigns: frozenset[str] = frozenset()  # codes of the vehicle's campaigns open at the repair date


@dataclass(frozen=True)
class Review:
    """What submitting the claim now would find: every rule it breaks, in the order `check`
    tests them (none: it can be submitted), and the flags it would carry."""

    claim_number: str
    problems: tuple[RuleViolation, ...]
    flags: tuple[str, ...]

    @property
    def submittable(self) -> bool:
        return not self.problems


def review(claim: Claim, facts: SubmissionFacts, rules: ClaimRules, *, today: date, resubmission: bool) -> Review:
    """Every rule the claim breaks, without submitting it (a 409 if its status allows no submission)."""
    claim.check_submittable()
    others = _others(claim, facts)
    return Review(claim.claim_number, tuple(_broken(claim, facts, others, rules, today=today,
                                                    resubmission=resubmission)),
                  tuple(sorted(set(_flags(claim, others, rules)))))


def check(claim: Claim, facts: SubmissionFacts, rules: ClaimRules, *, today: date, resubmission: bool) -> list[str]:
    """Raise the first rule the claim breaks; return its flags. A claim sent back after an
    information request was on time when it was first submitted."""
    claim.check_submittable()
    others = _others(claim, facts)
    first = next(_broken(claim, facts, others, rules, today=today, resubmission=resubmission), None)
    if first is not None:
        raise first
    return _flags(claim, others, rules)


def _others(claim: Claim, facts: SubmissionFacts) -> list[EarlierClaim]:
    return [other for other in facts.earlier_claims if other.claim_number != claim.claim_number]


def _broken(claim: Claim, facts: SubmissionFacts, others: list[EarlierClaim], rules: ClaimRules, *, today: date,
            resubmission: bool) -> Iterator[RuleViolation]:
    """The rules broken, in the order they are told (lazily: `check` stops at the first)."""
    if not claim.lines or claim.claimed_amount == 0:
        yield EmptyClaim()
    if claim.header.claim_type is ClaimType.WARRANTY and claim.causal_part_number is None:
        yield CausalPartRequired()
    yield from _component_mismatch(claim, facts)
    if not resubmission and claim.header.claim_type is not ClaimType.PRE_AUTHORISATION:
        deadline = claim.header.repair_date + timedelta(days=rules.submission_days)
        if today > deadline:
            yield SubmissionDeadlinePassed(deadline.isoformat())
    yield from _duplicates(claim, others)
    yield from _parts_not_covered(claim, facts)
    if claim.header.campaign is not None and claim.header.campaign not in facts.open_campaigns:
        yield CampaignNotOpen(claim.header.campaign)
    if facts.plan is None:
        yield NotEligible(claim.header.coverage_plan, (PLAN_NOT_APPLICABLE,))
        return
    if not facts.plan.covered:
        yield NotEligible(claim.header.coverage_plan, facts.plan.reasons)
    if claim.header.claim_type is not ClaimType.PRE_AUTHORISATION:
        yield from _pre_authorisation_missing(claim, facts.plan, rules)


def _duplicates(claim: Claim, others: list[EarlierClaim]) -> Iterator[DuplicateClaim]:
    causal = claim.causal_part_number
    for other in others:
        if (causal is not None and other.vin == claim.vin and other.causal_part_number == causal
                and other.repair_date == claim.header.repair_date):
            yield DuplicateClaim(other.claim_number, "the same VIN, causal part and repair date are claimed already")
        if other.repair_order != claim.header.repair_order:
            continue
        for line in claim.lines:
            if line.repair_order_line and line.repair_order_line in other.repair_order_lines:
                yield DuplicateClaim(other.claim_number, "a line of this repair order is claimed already",
                                     line=line.index)


def _component_mismatch(claim: Claim, facts: SubmissionFacts) -> Iterator[ComponentGroupMismatch]:
    causal = facts.parts.get(claim.causal_part_number or "")
    if (claim.header.component_group is not None and causal is not None and causal.component is not None
            and causal.component != claim.header.component_group):
        yield ComponentGroupMismatch(claim.header.component_group, claim.causal_part_number, causal.component)


def _parts_not_covered(claim: Claim, facts: SubmissionFacts) -> Iterator[PartNotCovered]:
    for line in claim.lines:
        if line.kind is not LineKind.PART:
            continue
        known = facts.parts.get(line.part_number)
        if known is None or not known.safety_critical:
            continue
        if line.supplied_by == "customer" or (line.causal and known.source == AFTERMARKET):
            yield PartNotCovered(line.part_number, line=line.index)
    if facts.plan is not None and AFTERMARKET_ON_CRITICAL in facts.plan.reasons:
        yield PartNotCovered(facts.plan.aftermarket_part)


def _pre_authorisation_missing(claim: Claim, plan: PlanAnswer, rules: ClaimRules) -> Iterator[PreAuthorisationRequired]:
    if not plan.plan.needs_pre_authorisation(claim.claimed_amount, rules.pre_authorisation_above):
        return
    limit = str(plan.plan.pre_authorisation_limit(rules.pre_authorisation_above))
    if claim.header.pre_authorisation_number is None or claim.header.pre_authorised_on is None:
        yield PreAuthorisationRequired(limit)
    elif claim.header.pre_authorised_on > claim.header.repair_date:
        yield PreAuthorisationRequired(limit, "the pre-authorisation must be granted on or before the repair date")


def _flags(claim: Claim, others: list[EarlierClaim], rules: ClaimRules) -> list[str]:
    flags = []
    causal = claim.causal_part_number
    if causal is not None and any(
        other.vin == claim.vin and other.causal_part_number == causal
        and (abs((claim.header.repair_date - other.repair_date).days) <= rules.repeat_repair_days
             or abs(claim.header.odometer - other.odometer) <= rules.repeat_repair_km)
        for other in others
    ):
        flags.append(REPEAT_REPAIR)
    for line in claim.lines:
        standard = rules.standard_hours.get(line.operation or "")
        if line.kind is LineKind.LABOUR and standard is not None and line.quantity > standard:
            flags.append(LABOUR_OVER_STANDARD_TIME)
            break
    return flags
