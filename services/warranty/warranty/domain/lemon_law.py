"""Lemon-law exposure (三包) of one vehicle: how close it is to the owner's right to a
replacement or a refund (家用汽车产品修理、更换、退货责任规定).

Within the three-guarantees period (三包有效期, 2 years or 50,000 km from the in-service date,
whichever comes first: up to the day before the anniversary, the km limit included), the
repairs on the vehicle are counted as the rules count them:

- repairs of the same serious safety fault (严重安全性能故障): the same causal part, one the
  catalog marks safety-critical;
- replacements of the same main part of the engine or transmission (or traction battery or
  drive motor of a new-energy vehicle);
- replacements of the same main part of the steering, brakes, suspension, axles or body;
- the days the vehicle was out of service for repairs, in total;
- repairs of the same problem (the same causal part);
- and, within 60 days or 3,000 km, any failure of those systems.

A repair is a claim filed with the manufacturer (submitted or later, not cancelled) for a
warranty or goodwill repair, unless the manufacturer rejected it (not a quality problem):
campaigns are the manufacturer's own recalls and a pre-authorisation is not a repair yet. The
causal part of a claim is the part replaced; its component group (the catalog's category) says
which system it belongs to. A fault's day is its failure date; its km the odometer at the repair.
Each threshold is reached when its count comes to the configured number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from warranty.domain.catalog import CatalogPart
from warranty.domain.claim import LIVE, Claim, ClaimStatus, ClaimType
from warranty.domain.coverage import anniversary

POWERTRAIN = frozenset({"engine", "transmission", "traction_battery", "drive_motor"})
CHASSIS_AND_BODY = frozenset({"steering", "brakes", "suspension", "axles", "body"})
MAJOR_SYSTEMS = POWERTRAIN | CHASSIS_AND_BODY

# The thresholds (codes in the exposure and in `warranty.vehicle.lemon_law_threshold`).
SAFETY_FAULT_REPAIRS = "serious_safety_fault_repairs"
POWERTRAIN_REPLACEMENTS = "powertrain_part_replacements"
MAIN_PART_REPLACEMENTS = "main_part_replacements"
DAYS_OUT_OF_SERVICE = "days_out_of_service"
SAME_PROBLEM_REPAIRS = "same_problem_repairs"
EARLY_FAILURE = "early_major_system_failure"
THRESHOLDS = (
    SAFETY_FAULT_REPAIRS, POWERTRAIN_REPLACEMENTS, MAIN_PART_REPLACEMENTS, DAYS_OUT_OF_SERVICE,
    SAME_PROBLEM_REPAIRS, EARLY_FAILURE,
)

COUNTED_STATUSES = LIVE - {ClaimStatus.REJECTED}
COUNTED_TYPES = frozenset({ClaimType.WARRANTY, ClaimType.GOODWILL})


@dataclass(frozen=True)
class LemonLawRules:
    months: int = 24  # the three-guarantees period
    km: int = 50_000
    early_days: int = 60  # the first days and km in which one failure of a major system counts
    early_km: int = 3_000
    safety_fault_repairs: int = 2
    replacements: int = 2
    days_out_of_service: int = 35
    same_problem_repairs: int = 5


@dataclass(frozen=True)
class Repair:
    """One repair as the rules see it."""

    claim_number: str
    failure_date: date
    odometer: int
    part_number: str | None  # the causal part, replaced
    component: str | None  # its component group, when the catalog knows the part
    safety_critical: bool
    days_out_of_service: int

    @classmethod
    def of(cls, claim: Claim, catalog: Mapping[str, CatalogPart]) -> Repair:
        part = catalog.get(claim.causal_part_number or "")
        return cls(
            claim_number=claim.claim_number, failure_date=claim.header.failure_date, odometer=claim.header.odometer,
            part_number=claim.causal_part_number, component=part.category if part else None,
            safety_critical=bool(part.safety_critical) if part else False,
            days_out_of_service=claim.header.days_out_of_service or 0,
        )


def counts_as_repair(claim: Claim) -> bool:
    return claim.status in COUNTED_STATUSES and claim.header.claim_type in COUNTED_TYPES


@dataclass(frozen=True)
class Count:
    """How far one threshold has come: for the per-part thresholds, the part counted most."""

    threshold: str
    count: int
    limit: int
    part_number: str | None
    claim_numbers: tuple[str, ...]

    @property
    def reached(self) -> bool:
        return self.count >= self.limit


@dataclass(frozen=True)
class Exposure:
    in_service_date: date
    period_ends_on: date  # the last day of the three-guarantees period
    period_km: int
    early_ends_on: date  # the last day of the early window
    early_km: int
    repairs: tuple[Repair, ...]  # those within the period
    counts: tuple[Count, ...]  # one per threshold, in THRESHOLDS order

    @property
    def reached(self) -> tuple[Count, ...]:
        return tuple(count for count in self.counts if count.reached)

    def in_period_on(self, day: date) -> bool:
        return self.in_service_date <= day <= self.period_ends_on


def exposure_of(in_service_date: date, claims: Iterable[Claim], catalog: Mapping[str, CatalogPart],
                rules: LemonLawRules) -> Exposure:
    """The exposure from a vehicle's claims, those that count as repairs, with what the catalog
    says of their causal parts."""
    return assess(in_service_date, [Repair.of(claim, catalog) for claim in claims if counts_as_repair(claim)], rules)


def assess(in_service_date: date, repairs: Iterable[Repair], rules: LemonLawRules) -> Exposure:
    period_ends_on = anniversary(in_service_date, rules.months) - timedelta(days=1)
    early_ends_on = in_service_date + timedelta(days=rules.early_days - 1)
    counted = tuple(sorted(
        (repair for repair in repairs
         if in_service_date <= repair.failure_date <= period_ends_on and repair.odometer <= rules.km),
        key=lambda repair: (repair.failure_date, repair.claim_number),
    ))
    early = tuple(repair for repair in counted
                  if repair.failure_date <= early_ends_on and repair.odometer <= rules.early_km
                  and repair.component in MAJOR_SYSTEMS)
    counts = (
        _same_part(SAFETY_FAULT_REPAIRS, counted, rules.safety_fault_repairs, lambda r: r.safety_critical),
        _same_part(POWERTRAIN_REPLACEMENTS, counted, rules.replacements, lambda r: r.component in POWERTRAIN),
        _same_part(MAIN_PART_REPLACEMENTS, counted, rules.replacements, lambda r: r.component in CHASSIS_AND_BODY),
        Count(DAYS_OUT_OF_SERVICE, sum(repair.days_out_of_service for repair in counted), rules.days_out_of_service,
              None, tuple(repair.claim_number for repair in counted if repair.days_out_of_service)),
        _same_part(SAME_PROBLEM_REPAIRS, counted, rules.same_problem_repairs, lambda r: True),
        Count(EARLY_FAILURE, len(early), 1, None, tuple(repair.claim_number for repair in early)),
    )
    return Exposure(in_service_date, period_ends_on, rules.km, early_ends_on, rules.early_km, counted, counts)


def _same_part(threshold: str, repairs: tuple[Repair, ...], limit: int,
               concerned: Callable[[Repair], bool]) -> Count:
    """The part repaired or replaced most often among the repairs concerned (the first such
    part by number on a tie)."""
    by_part: dict[str, list[str]] = {}
    for repair in repairs:
        if repair.part_number is not None and concerned(repair):
            by_part.setdefault(repair.part_number, []).append(repair.claim_number)
    if not by_part:
        return Count(threshold, 0, limit, None, ())
    part = min(by_part, key=lambda number: (-len(by_part[number]), number))
    return Count(threshold, len(by_part[part]), limit, part, tuple(by_part[part]))
