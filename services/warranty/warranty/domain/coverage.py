"""Coverage plans (保修政策), configured per make, and how long a coverage lasts.

A plan covers for a number of months and a number of kilometres, whichever comes first. Time
runs from the in-service date (the purchase invoice), or, for a replaced part and for repair
workmanship, from the day and odometer the part went in. A vehicle is covered until the day
before the anniversary of the start; a km limit is covered up to and including the limit.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from shared.errors import StaleVersion
from shared.model import Aggregate

from warranty.domain.errors import NothingToChange, PlanTermsInvalid
from warranty.domain.events import CoveragePlanAdded, CoveragePlanChanged

EVERY_MAKE = "*"


class PlanType(str, Enum):
    BASIC = "basic"  # 包修期: the repair warranty
    THREE_GUARANTEES = "three_guarantees"  # 三包有效期: repair, replace or refund
    POWERTRAIN = "powertrain"
    CORROSION = "corrosion"
    EMISSIONS = "emissions"
    BATTERY = "battery"  # traction battery of a new-energy vehicle
    REPLACED_PART = "replaced_part"  # a part fitted here, from its install date and odometer
    WORKMANSHIP = "workmanship"  # our own repair work (维修质量保证期)
    CAMPAIGN = "campaign"  # recall or service campaign (召回/服务活动) for a make, model or VIN range
    GOODWILL = "goodwill"  # 善意维修: beyond the terms, always decided case by case


# Plans whose clock starts when a part goes in rather than when the vehicle was sold.
STARTS_AT_INSTALLATION = frozenset({PlanType.REPLACED_PART, PlanType.WORKMANSHIP})

# Who may change a plan's terms: everything but its code and origin.
TERMS = (
    "make", "name", "type", "months", "km", "components", "exclusions", "deductible", "currency",
    "transferable", "pre_authorisation_above", "models", "vin_from", "vin_to", "ends_on", "replaces",
    "active",
)


def anniversary(start: date, months: int) -> date:
    """The first day after `months` months from `start`: the day no longer covered.

    A start on a day the final month lacks (29-31) has its anniversary on the 1st of the
    following month, so cover runs to that month's last day, as the Civil Code's
    period rule has it (没有对应日的，月末日为期间的最后一日).
    """
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day <= last_day:
        return date(year, month, start.day)
    return date(year, month, last_day) + timedelta(days=1)


def covered_until(start: date, months: int) -> date:
    """The last covered day: the day before the anniversary."""
    return anniversary(start, months) - timedelta(days=1)


def whole_months_between(on: date, until: date) -> int:
    """How many whole months fit from `on` to `until` (0 if none)."""
    months = (until.year - on.year) * 12 + until.month - on.month
    while months > 0 and anniversary(on, months) > until:
        months -= 1
    return max(months, 0)


class PlanTerms:
    """What a plan's terms say about a vehicle and a repair: the aggregate's, and the read
    path's for a plan read as a row (eligibility), so both judge alike. Needs the plan's
    `TERMS` as attributes."""

    type: PlanType
    active: bool
    make: str
    models: list[str]
    vin_from: str | None
    vin_to: str | None
    components: list[str]
    exclusions: list[str]
    pre_authorisation_above: Decimal | None

    @property
    def starts_at_installation(self) -> bool:
        return self.type in STARTS_AT_INSTALLATION

    @property
    def start_basis(self) -> str:
        return "installation" if self.starts_at_installation else "in_service_date"

    def applies_to(self, *, vin: str, make: str, model: str) -> bool:
        """Whether the plan is one of this vehicle's at all (not whether it covers a repair)."""
        if not self.active:
            return False
        if self.make != EVERY_MAKE and self.make.casefold() != make.casefold():
            return False
        if self.models and model.casefold() not in {m.casefold() for m in self.models}:
            return False
        if self.vin_from is not None and _in_range_order(vin) < _in_range_order(self.vin_from):
            return False
        return self.vin_to is None or _in_range_order(vin) <= _in_range_order(self.vin_to)

    def covers_component(self, component: str) -> bool:
        return not self.components or component in self.components

    def excludes(self, component: str) -> bool:
        return component in self.exclusions

    def pre_authorisation_limit(self, default: Decimal) -> Decimal:
        """The amount above which the manufacturer must approve a repair first: the plan's own,
        else the default every plan without one shares (`CLAIM_PRE_AUTHORISATION_ABOVE`)."""
        return default if self.pre_authorisation_above is None else self.pre_authorisation_above

    def needs_pre_authorisation(self, amount: Decimal | None, default: Decimal) -> bool:
        """The one rule the advisor's estimate and the clerk's claim are both judged by. A limit
        of 0 means always; otherwise only an amount above it, so no estimate asks for none."""
        limit = self.pre_authorisation_limit(default)
        return limit == 0 or (amount is not None and amount > limit)


class CoveragePlan(PlanTerms, Aggregate):
    """One plan of one dealer, for one make or every make (`*`).

    `components` are the component groups it covers (the parts catalog's categories, such as
    `engine` or `brakes`); empty means every component. `exclusions` win over `components`.
    `replaces` names a plan this one stands in for on its make (a make's own basic warranty
    replacing the default). Campaigns narrow by `models` and an inclusive VIN range (compared
    without the check digit) and close on `ends_on`. `pre_authorisation_above`: a repair estimated above it needs the
    manufacturer's approval first; 0 means always; none: the configured default applies.
    """

    version: int

    def __init__(self, dealer: str, code: str, *, origin: str = "dealer", at: datetime, by: str, **terms):
        self.dealer = dealer
        self.code = code
        self.origin = origin  # "default": loaded from China's family-car defaults
        self.make = EVERY_MAKE
        self.components: list[str] = []
        self.exclusions: list[str] = []
        self.deductible = Decimal("0.00")
        self.currency = "CNY"
        self.transferable = True
        self.pre_authorisation_above: Decimal | None = None
        self.models: list[str] = []
        self.vin_from: str | None = None
        self.vin_to: str | None = None
        self.ends_on: date | None = None
        self.replaces: str | None = None
        self.active = True
        self.months: int | None = None
        self.km: int | None = None
        self._apply(terms)
        self.created_at = at
        self.updated_at = at
        self.updated_by = by
        if origin != "default":  # defaults are loaded, not decided by anyone: no event
            self.events.append(CoveragePlanAdded(**self.state()))

    @property
    def subject(self) -> str:
        return self.code

    def change(self, expected_version: int, *, at: datetime, by: str, **changes) -> None:
        StaleVersion.check(expected_version, self.version)
        if not changes:
            raise NothingToChange()
        wanted = {name: _normalised(name, value) for name, value in changes.items()}
        changed = tuple(name for name in TERMS if name in wanted and wanted[name] != getattr(self, name))
        if not changed:
            return
        self._apply({name: wanted[name] for name in changed})
        self.updated_at = at
        self.updated_by = by
        self.events.append(CoveragePlanChanged(**self.state(), changed=changed))

    def _apply(self, terms: dict) -> None:
        """Take new terms only if the plan they make is consistent; otherwise change nothing."""
        wanted = {name: _normalised(name, value) for name, value in terms.items()}
        _check({**{name: getattr(self, name, None) for name in TERMS}, **wanted}, code=self.code)
        for name, value in wanted.items():
            setattr(self, name, value)

    def state(self) -> dict:
        return {
            "code": self.code,
            "make": self.make,
            "name": self.name,
            "plan_type": self.type.value,
            "months": self.months,
            "km": self.km,
            "components": tuple(self.components),
            "exclusions": tuple(self.exclusions),
            "deductible": self.deductible,
            "currency": self.currency,
            "transferable": self.transferable,
            "pre_authorisation_above": self.pre_authorisation_above,
            "models": tuple(self.models),
            "vin_from": self.vin_from,
            "vin_to": self.vin_to,
            "ends_on": self.ends_on,
            "replaces": self.replaces,
            "active": self.active,
        }


def _check(terms: dict, *, code: str) -> None:
    kind = terms["type"]
    if terms["months"] is None and kind not in (PlanType.CAMPAIGN, PlanType.GOODWILL):
        raise PlanTermsInvalid("months", f"a {kind.value} plan needs a number of months")
    if terms["vin_from"] and terms["vin_to"] and _in_range_order(terms["vin_from"]) > _in_range_order(terms["vin_to"]):
        raise PlanTermsInvalid("vin_to", "the VIN range ends before it starts")
    if terms["replaces"] == code:
        raise PlanTermsInvalid("replaces", "a plan cannot replace itself")
    if terms["make"] == EVERY_MAKE and terms["replaces"] is not None:
        raise PlanTermsInvalid("replaces", "only a make's own plan can replace another")


def _in_range_order(vin: str) -> str:
    """VIN ranges (a campaign's) run over the VIN without its check digit (9th character),
    which would otherwise scatter consecutive serial numbers."""
    return vin[:8] + vin[9:]


def _normalised(name: str, value):
    if name == "type":
        return PlanType(value)
    if name in ("components", "exclusions", "models"):
        return sorted(set(value))  # always a new list, so the stored column sees the change
    return value


def in_force_for(plans: list[CoveragePlan], *, vin: str, make: str, model: str) -> list[CoveragePlan]:
    """The plans of this vehicle: those that apply to it, less those a make's plan replaces."""
    applicable = [plan for plan in plans if plan.applies_to(vin=vin, make=make, model=model)]
    replaced = {plan.replaces for plan in applicable if plan.replaces}
    return [plan for plan in applicable if plan.code not in replaced]
