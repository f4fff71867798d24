"""Is this repair covered? (保修判定) The advisor's question at write-up, answered per plan.

Each plan of the vehicle answers covered or not, with every reason that stops it (stable codes
below, for machines), what is left of it in months, days and km, the deductible and whether
the manufacturer must approve the repair first (above the plan's limit, or the default one, by
the same rule a claim is submitted under). Open campaigns for the vehicle are listed whatever
was asked, so the advisor can book them in on the same visit: the campaign plans that apply to
it, and the quarantined lots it got parts from (批次召回). The date asked about may be an
appointment (预约) a configured number of days ahead, never further.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from warranty.domain.coverage import CoveragePlan, PlanType, anniversary, in_force_for, whole_months_between
from warranty.domain.errors import EligibilityDateInFuture
from warranty.domain.lot_recall import LotRecall
from warranty.domain.vehicle import Vehicle

# Why a plan does not cover (reason codes).
NOT_STARTED = "not_started"  # before the in-service date, or before the part went in
EXPIRED_TIME = "expired_time"
EXPIRED_DISTANCE = "expired_distance"
EXCLUDED_COMPONENT = "excluded_component"
COMPONENT_NOT_COVERED = "component_not_covered"
AFTERMARKET_ON_CRITICAL = "aftermarket_part_on_critical_component"  # 关键部位用副厂件，技术质量不作担保
ODOMETER_ROLLBACK = "odometer_rollback_suspected"
SALVAGE_TITLE = "salvage_title"
NOT_FIRST_OWNER = "not_first_owner"
PART_NOT_INSTALLED = "part_not_installed"  # replaced-part or workmanship cover, but we never fitted it
PLAN_ENDED = "plan_ended"  # a campaign that has closed

# What the advisor should know although the plan covers (warning codes).
INSTALL_ODOMETER_UNKNOWN = "install_odometer_unknown"  # km left cannot be told

REASONS = (
    NOT_STARTED, EXPIRED_TIME, EXPIRED_DISTANCE, EXCLUDED_COMPONENT, COMPONENT_NOT_COVERED,
    AFTERMARKET_ON_CRITICAL, ODOMETER_ROLLBACK, SALVAGE_TITLE, NOT_FIRST_OWNER, PART_NOT_INSTALLED,
    PLAN_ENDED,
)
WARNINGS = (INSTALL_ODOMETER_UNKNOWN,)
AFTERMARKET = "aftermarket"


@dataclass(frozen=True)
class Concern:
    """What the repair is about: a component group (the parts catalog's category) and, when the
    advisor named one, the part with what the catalog says of it."""

    component: str | None
    part_number: str | None = None
    source: str | None = None
    safety_critical: bool = False

    @property
    def aftermarket_on_critical(self) -> bool:
        return self.source == AFTERMARKET and self.safety_critical


@dataclass(frozen=True)
class Fitted:
    """A part on the vehicle (from the parts service's issues) with its catalog facts."""

    part_number: str
    component: str | None
    source: str | None
    safety_critical: bool
    installed_on: date
    odometer: int | None
    repair_order: str | None

    @property
    def aftermarket_on_critical(self) -> bool:
        return self.source == AFTERMARKET and self.safety_critical


@dataclass(frozen=True)
class Question:
    on: date
    odometer: int
    concern: Concern
    estimated_cost: Decimal | None = None


@dataclass(frozen=True)
class PlanAnswer:
    plan: CoveragePlan
    covered: bool
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    starts_on: date | None
    starting_km: int | None
    covered_until: date | None
    covered_up_to_km: int | None
    months_left: int | None
    days_left: int | None
    km_left: int | None
    pre_authorisation_required: bool
    pre_authorisation_limit: Decimal  # the plan's own, else the default
    installation: Fitted | None = None
    aftermarket_part: str | None = None  # the part behind AFTERMARKET_ON_CRITICAL


CAMPAIGN = "campaign"
LOT_RECALL = "lot_recall"


@dataclass(frozen=True)
class OpenCampaign:
    """A campaign the vehicle should be booked in for: a campaign plan that applies to it, or
    a quarantined lot it got a part from (its code is the lot)."""

    code: str
    name: str
    components: tuple[str, ...]
    ends_on: date | None
    kind: str = CAMPAIGN
    part_number: str | None = None
    supplier: str | None = None

    @classmethod
    def of_plan(cls, plan: CoveragePlan) -> OpenCampaign:
        return cls(plan.code, plan.name, tuple(plan.components), plan.ends_on)

    @classmethod
    def of_recall(cls, recall: LotRecall, component: str | None) -> OpenCampaign:
        return cls(recall.lot, recall.reason or f"lot {recall.lot} quarantined",
                   (component,) if component else (), None, LOT_RECALL, recall.part_number, recall.supplier)


@dataclass(frozen=True)
class Eligibility:
    vehicle: Vehicle
    question: Question
    odometer_rollback_suspected: bool
    plans: tuple[PlanAnswer, ...]
    open_campaigns: tuple[OpenCampaign, ...]

    @property
    def covered(self) -> bool:
        return any(answer.covered for answer in self.plans)


def check_date(on: date, *, today: date, days_ahead: int) -> None:
    """A repair done already, or an appointment (预约) up to `days_ahead` days from today."""
    latest = today + timedelta(days=days_ahead)
    if on > latest:
        raise EligibilityDateInFuture(latest.isoformat(), days_ahead)


def assess(vehicle: Vehicle, plans: list[CoveragePlan], question: Question, fitted: list[Fitted],
           recalls: tuple[OpenCampaign, ...] = (), *, default_pre_authorisation_above: Decimal) -> Eligibility:
    """`recalls`: the open lot recalls that name the vehicle or a part fitted to it;
    `default_pre_authorisation_above`: the limit of plans without their own."""
    in_force = sorted(in_force_for(plans, vin=vehicle.vin, make=vehicle.make, model=vehicle.model),
                      key=lambda plan: plan.code)
    rollback = vehicle.rollback_suspected or vehicle.contradicts_history(question.on, question.odometer)
    culprit = _aftermarket_culprit(question.concern, fitted)
    answers = tuple(
        _answer(plan, vehicle, question, fitted, rollback=rollback, aftermarket_part=culprit,
                default_pre_authorisation_above=default_pre_authorisation_above)
        for plan in in_force
    )
    campaigns = tuple(
        OpenCampaign.of_plan(plan) for plan in in_force
        if plan.type is PlanType.CAMPAIGN and (plan.ends_on is None or question.on <= plan.ends_on)
    )
    return Eligibility(vehicle, question, rollback, answers, campaigns + tuple(recalls))


def _aftermarket_culprit(concern: Concern, fitted: list[Fitted]) -> str | None:
    """The aftermarket part on the safety-critical component concerned that voids its cover
    (关键部位用副厂件): the part asked about, else the latest such part fitted to that component."""
    if concern.aftermarket_on_critical:
        return concern.part_number
    culprits = [part for part in fitted if part.aftermarket_on_critical and part.component == concern.component]
    latest = max(culprits, key=lambda part: part.installed_on, default=None)
    return None if latest is None else latest.part_number


def _answer(plan: CoveragePlan, vehicle: Vehicle, question: Question, fitted: list[Fitted], *,
            rollback: bool, aftermarket_part: str | None, default_pre_authorisation_above: Decimal) -> PlanAnswer:
    installation, start, start_km = _start(plan, vehicle, question.concern, fitted)
    expiry = anniversary(start, plan.months) if start is not None and plan.months is not None else None
    limit_km = start_km + plan.km if start_km is not None and plan.km is not None else None
    reasons = [
        *_against_the_clock(plan, question, start=start, expiry=expiry, limit_km=limit_km),
        *_against_the_component(plan, question.concern.component),
        *_against_the_history(plan, vehicle, rollback=rollback, aftermarket_on_critical=aftermarket_part is not None),
    ]
    if plan.starts_at_installation and installation is None:
        reasons.insert(0, PART_NOT_INSTALLED)
    unknown_km = installation is not None and start_km is None and plan.km is not None
    covered = not reasons
    months_left, days_left = _time_left(question.on, expiry)
    return PlanAnswer(
        plan=plan,
        covered=covered,
        reasons=tuple(reasons),
        warnings=(INSTALL_ODOMETER_UNKNOWN,) if unknown_km else (),
        starts_on=start,
        starting_km=start_km,
        covered_until=None if expiry is None else expiry - timedelta(days=1),
        covered_up_to_km=limit_km,
        months_left=months_left,
        days_left=days_left,
        km_left=None if limit_km is None else max(limit_km - question.odometer, 0),
        pre_authorisation_required=covered and plan.needs_pre_authorisation(
            question.estimated_cost, default_pre_authorisation_above),
        pre_authorisation_limit=plan.pre_authorisation_limit(default_pre_authorisation_above),
        installation=installation,
        aftermarket_part=aftermarket_part if AFTERMARKET_ON_CRITICAL in reasons else None,
    )


def _start(plan: CoveragePlan, vehicle: Vehicle, concern: Concern,
           fitted: list[Fitted]) -> tuple[Fitted | None, date | None, int | None]:
    """Where the plan's clock and km start: the in-service date at 0 km, or the fitting of the
    part concerned (none if we never fitted it)."""
    if not plan.starts_at_installation:
        return None, vehicle.in_service_date, 0
    installation = _installation_concerned(concern, fitted)
    if installation is None:
        return None, None, None
    return installation, installation.installed_on, _km_when_fitted(vehicle, installation)


def _against_the_clock(plan: CoveragePlan, question: Question, *, start: date | None, expiry: date | None,
                       limit_km: int | None) -> list[str]:
    reasons = []
    if start is not None and question.on < start:
        reasons.append(NOT_STARTED)
    if plan.ends_on is not None and question.on > plan.ends_on:
        reasons.append(PLAN_ENDED)
    if expiry is not None and question.on >= expiry:  # covered until the day before the anniversary
        reasons.append(EXPIRED_TIME)
    if limit_km is not None and question.odometer > limit_km:  # the limit itself is still covered
        reasons.append(EXPIRED_DISTANCE)
    return reasons


def _against_the_component(plan: CoveragePlan, component: str) -> list[str]:
    if plan.excludes(component):
        return [EXCLUDED_COMPONENT]
    if not plan.covers_component(component):
        return [COMPONENT_NOT_COVERED]
    return []


def _against_the_history(plan: CoveragePlan, vehicle: Vehicle, *, rollback: bool,
                         aftermarket_on_critical: bool) -> list[str]:
    if plan.type is PlanType.CAMPAIGN:  # a recall is done whatever the vehicle's history
        return []
    reasons = []
    if aftermarket_on_critical:
        reasons.append(AFTERMARKET_ON_CRITICAL)
    if rollback and plan.km is not None:  # a doubtful odometer cannot prove a km limit
        reasons.append(ODOMETER_ROLLBACK)
    if vehicle.title_voids_warranty:
        reasons.append(SALVAGE_TITLE)
    if not plan.transferable and not vehicle.first_owner:
        reasons.append(NOT_FIRST_OWNER)
    return reasons


def _time_left(on: date, expiry: date | None) -> tuple[int | None, int | None]:
    """Whole months and days from `on` until cover ends (1 day left on the last covered day)."""
    if expiry is None:
        return None, None
    if on >= expiry:
        return 0, 0
    return whole_months_between(on, expiry), (expiry - on).days


def _installation_concerned(concern: Concern, fitted: list[Fitted]) -> Fitted | None:
    """The latest fitting of the part asked about, or of a part of the component asked about."""
    if concern.part_number is not None:
        matching = [part for part in fitted if part.part_number == concern.part_number]
    else:
        matching = [part for part in fitted if part.component == concern.component]
    return max(matching, key=lambda part: part.installed_on, default=None)


def _km_when_fitted(vehicle: Vehicle, part: Fitted) -> int | None:
    """The odometer when the part went in: from the issue if it said, else the reading taken
    for the same repair order at write-up, else the highest reading up to that day."""
    if part.odometer is not None:
        return part.odometer
    if part.repair_order is not None:
        at_write_up = vehicle.km_for(part.repair_order)
        if at_write_up is not None:
            return at_write_up
    return vehicle.km_at(part.installed_on)
