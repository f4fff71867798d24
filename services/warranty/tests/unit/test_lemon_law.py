"""Counting a vehicle's repairs against the lemon-law (三包) thresholds, without a database.
The vehicle went into service on 15 September 2024: its period runs to 14 September 2026."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from warranty.domain import lemon_law
from warranty.domain.catalog import CatalogPart
from warranty.domain.claim import Claim, ClaimStatus, ClaimType
from warranty.domain.events import LemonLawThresholdReached
from warranty.domain.lemon_law import (
    DAYS_OUT_OF_SERVICE,
    EARLY_FAILURE,
    MAIN_PART_REPLACEMENTS,
    POWERTRAIN_REPLACEMENTS,
    SAFETY_FAULT_REPAIRS,
    SAME_PROBLEM_REPAIRS,
    LemonLawRules,
    Repair,
)
from warranty.domain.vehicle import Vehicle

IN_SERVICE = date(2024, 9, 15)
RULES = LemonLawRules()
AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


def repair(number: int, *, on: date = date(2025, 6, 1), km: int = 20_000, part: str | None = "P-STEER",
           component: str | None = "steering", safety: bool = False, days: int = 0) -> Repair:
    return Repair(claim_number=f"WC-{number}", failure_date=on, odometer=km, part_number=part, component=component,
                  safety_critical=safety, days_out_of_service=days)


def counts(*repairs: Repair, rules: LemonLawRules = RULES) -> dict[str, lemon_law.Count]:
    exposure = lemon_law.assess(IN_SERVICE, repairs, rules)
    return {count.threshold: count for count in exposure.counts}


def test_the_period_is_two_years_to_the_day_before_the_anniversary():
    exposure = lemon_law.assess(IN_SERVICE, [], RULES)
    assert (exposure.period_ends_on, exposure.period_km) == (date(2026, 9, 14), 50_000)
    assert exposure.early_ends_on == date(2024, 11, 13)  # 60 days, the in-service day the first
    assert exposure.in_period_on(date(2026, 9, 14)) and not exposure.in_period_on(date(2026, 9, 15))


def test_a_repair_on_the_day_before_the_anniversary_counts_and_one_on_the_anniversary_does_not():
    first = repair(1, safety=True)
    last_day = counts(first, repair(2, on=date(2026, 9, 14), safety=True))[SAFETY_FAULT_REPAIRS]
    anniversary = counts(first, repair(2, on=date(2026, 9, 15), safety=True))[SAFETY_FAULT_REPAIRS]
    assert (last_day.count, last_day.reached, last_day.claim_numbers) == (2, True, ("WC-1", "WC-2"))
    assert (anniversary.count, anniversary.reached) == (1, False)


def test_the_km_limit_itself_is_within_the_period():
    first = repair(1, safety=True)
    at_limit = counts(first, repair(2, km=50_000, safety=True))[SAFETY_FAULT_REPAIRS]
    beyond = counts(first, repair(2, km=50_001, safety=True))[SAFETY_FAULT_REPAIRS]
    assert at_limit.reached and not beyond.reached


def test_two_repairs_of_the_same_serious_safety_fault_reach_the_threshold_two_different_ones_do_not():
    assert counts(repair(1, safety=True))[SAFETY_FAULT_REPAIRS].reached is False
    same = counts(repair(1, safety=True), repair(2, safety=True))[SAFETY_FAULT_REPAIRS]
    assert (same.count, same.limit, same.part_number, same.reached) == (2, 2, "P-STEER", True)
    different = counts(repair(1, safety=True), repair(2, part="P-BRAKE", component="brakes", safety=True))
    assert different[SAFETY_FAULT_REPAIRS].count == 1
    not_safety = counts(repair(1), repair(2))
    assert not_safety[SAFETY_FAULT_REPAIRS].count == 0


def test_replacing_the_same_engine_part_twice_is_a_powertrain_threshold_not_a_chassis_one():
    engine = counts(repair(1, part="ENG-BLOCK", component="engine"), repair(2, part="ENG-BLOCK", component="engine"))
    assert engine[POWERTRAIN_REPLACEMENTS].reached and engine[POWERTRAIN_REPLACEMENTS].part_number == "ENG-BLOCK"
    assert engine[MAIN_PART_REPLACEMENTS].count == 0
    battery = counts(repair(1, part="HV-BATT", component="traction_battery"),
                     repair(2, part="HV-BATT", component="traction_battery"))
    assert battery[POWERTRAIN_REPLACEMENTS].reached


@pytest.mark.parametrize("component", ["steering", "brakes", "suspension", "axles", "body"])
def test_replacing_the_same_main_part_of_a_chassis_system_twice_reaches_the_threshold(component):
    found = counts(repair(1, part="X-1", component=component), repair(2, part="X-1", component=component))
    assert found[MAIN_PART_REPLACEMENTS].reached
    other = counts(repair(1, part="X-1", component="electrical"), repair(2, part="X-1", component="electrical"))
    assert other[MAIN_PART_REPLACEMENTS].count == 0 and other[POWERTRAIN_REPLACEMENTS].count == 0


def test_days_out_of_service_are_added_up_and_35_reach_the_threshold():
    exactly = counts(repair(1, days=20), repair(2, part="P-2", days=15))[DAYS_OUT_OF_SERVICE]
    assert (exactly.count, exactly.reached, exactly.claim_numbers) == (35, True, ("WC-1", "WC-2"))
    short = counts(repair(1, days=20), repair(2, part="P-2", days=14), repair(3, part="P-3"))[DAYS_OUT_OF_SERVICE]
    assert (short.count, short.reached, short.claim_numbers) == (34, False, ("WC-1", "WC-2"))


def test_five_repairs_of_the_same_problem_reach_the_threshold_four_do_not():
    four = [repair(n, part="P-WIN", component="electrical") for n in range(1, 5)]
    assert counts(*four)[SAME_PROBLEM_REPAIRS].count == 4 and not counts(*four)[SAME_PROBLEM_REPAIRS].reached
    five = counts(*four, repair(5, part="P-WIN", component="electrical"))[SAME_PROBLEM_REPAIRS]
    assert (five.count, five.reached, five.part_number) == (5, True, "P-WIN")


def test_a_major_system_failing_within_60_days_and_3000_km_reaches_the_early_threshold():
    last_early_day = IN_SERVICE + timedelta(days=59)
    assert counts(repair(1, on=last_early_day, km=3_000, component="brakes"))[EARLY_FAILURE].reached
    assert not counts(repair(1, on=last_early_day + timedelta(days=1), km=100, component="brakes"))[EARLY_FAILURE].reached
    assert not counts(repair(1, on=last_early_day, km=3_001, component="brakes"))[EARLY_FAILURE].reached
    assert not counts(repair(1, on=last_early_day, km=100, component="electrical"))[EARLY_FAILURE].reached


def test_the_thresholds_follow_the_configuration():
    strict = LemonLawRules(safety_fault_repairs=3, days_out_of_service=10, same_problem_repairs=2)
    found = counts(repair(1, safety=True, days=10), repair(2, safety=True), rules=strict)
    assert not found[SAFETY_FAULT_REPAIRS].reached
    assert found[DAYS_OUT_OF_SERVICE].reached and found[SAME_PROBLEM_REPAIRS].reached


def a_claim(number: str, *, status: ClaimStatus = ClaimStatus.SUBMITTED, claim_type: str = "warranty",
            days: int | None = None) -> Claim:
    claim = Claim("D001", number, vin="LVSHCAMB1CE054249", repair_order=f"RO-{number}", repair_date=date(2025, 6, 2),
                  odometer=20_000, failure_date=date(2025, 6, 1), claim_type=claim_type, coverage_plan="CN-3G",
                  lines=[{"kind": "part", "part_number": "P-STEER", "quantity": Decimal("1"),
                         "unit_price": Decimal("100.00"), "causal": True}],
                  days_out_of_service=days, today=date(2026, 11, 25), at=AT, by="clerk")
    claim.status = status
    return claim


def test_claims_count_as_repairs_unless_drafts_cancelled_rejected_campaigns_or_pre_authorisations():
    steering = {"P-STEER": _part("steering", safety_critical=True)}
    claims = [
        a_claim("1", days=3), a_claim("2", status=ClaimStatus.PAID), a_claim("3", status=ClaimStatus.DRAFT),
        a_claim("4", status=ClaimStatus.CANCELLED), a_claim("5", status=ClaimStatus.REJECTED),
        a_claim("6", claim_type=ClaimType.CAMPAIGN.value), a_claim("7", claim_type=ClaimType.PRE_AUTHORISATION.value),
        a_claim("8", status=ClaimStatus.SUBMITTED, claim_type=ClaimType.GOODWILL.value),  # e.g. appealed
    ]
    exposure = lemon_law.exposure_of(IN_SERVICE, claims, steering, RULES)
    assert [r.claim_number for r in exposure.repairs] == ["1", "2", "8"]
    assert exposure.repairs[0] == Repair("1", date(2025, 6, 1), 20_000, "P-STEER", "steering", True, 3)
    assert {count.threshold for count in exposure.reached} == {SAFETY_FAULT_REPAIRS, MAIN_PART_REPLACEMENTS}


def test_a_vehicle_announces_each_threshold_once():
    vehicle = Vehicle("D001", "LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
                      in_service_date=IN_SERVICE, owner_count=1, at=AT, today=date(2026, 11, 25))
    vehicle.events.clear()
    two = lemon_law.assess(IN_SERVICE, [repair(1, safety=True), repair(2, safety=True)], RULES)
    vehicle.note_lemon_law(two)
    vehicle.note_lemon_law(two)
    assert [(e.threshold, e.count, e.limit, e.claim_numbers) for e in vehicle.events] == [
        (SAFETY_FAULT_REPAIRS, 2, 2, ("WC-1", "WC-2")), (MAIN_PART_REPLACEMENTS, 2, 2, ("WC-1", "WC-2"))]
    assert all(isinstance(e, LemonLawThresholdReached) and e.period_ends_on == date(2026, 9, 14)
               for e in vehicle.events)
    vehicle.events.clear()
    three = lemon_law.assess(IN_SERVICE, [repair(n, safety=True, days=12) for n in (1, 2, 3)], RULES)
    vehicle.note_lemon_law(three)
    assert [e.threshold for e in vehicle.events] == [DAYS_OUT_OF_SERVICE]
    assert vehicle.lemon_law_reported == sorted([SAFETY_FAULT_REPAIRS, MAIN_PART_REPLACEMENTS, DAYS_OUT_OF_SERVICE])


def _part(category: str, *, safety_critical: bool) -> CatalogPart:
    part = CatalogPart("D001", "P-STEER")
    part.learn(sequence=1, name=None, category=category, source="oem", safety_critical=safety_critical, at=AT)
    return part
