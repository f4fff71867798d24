"""How long a coverage lasts, and which plans a vehicle has."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from shared.errors import StaleVersion
from warranty.domain.coverage import (
    CoveragePlan,
    PlanType,
    anniversary,
    covered_until,
    in_force_for,
    whole_months_between,
)
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.errors import NothingToChange, PlanTermsInvalid

AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
CAMRY = dict(vin="LVSHCAMB1CE054249", make="Toyota", model="Camry")


def a_plan(code="P-1", **terms) -> CoveragePlan:
    values = dict(make="*", name="plan", type="basic", months=36, km=60_000)
    values.update(terms)
    plan = CoveragePlan("D001", code, at=AT, by="manager", **values)
    plan.version = 1
    return plan


@pytest.mark.parametrize("start, months, last_covered", [
    (date(2024, 9, 15), 36, date(2027, 9, 14)),  # the day before the anniversary
    (date(2024, 1, 1), 12, date(2024, 12, 31)),
    (date(2024, 12, 31), 2, date(2025, 2, 28)),  # no 31 February: cover runs to the month's end
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day: the anniversary is 1 March
    (date(2024, 2, 29), 24, date(2026, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 28)),  # a leap year again: 29 Feb 2028 is the anniversary
    (date(2023, 3, 1), 12, date(2024, 2, 29)),
])
def test_cover_runs_until_the_day_before_the_anniversary(start, months, last_covered):
    assert covered_until(start, months) == last_covered


def test_the_anniversary_of_a_leap_day_in_a_common_year_is_the_first_of_march():
    assert anniversary(date(2024, 2, 29), 12) == date(2025, 3, 1)
    assert anniversary(date(2024, 2, 29), 48) == date(2028, 2, 29)


@pytest.mark.parametrize("on, until, months", [
    (date(2026, 11, 25), date(2027, 9, 15), 9),
    (date(2026, 11, 15), date(2027, 9, 15), 10),
    (date(2027, 9, 14), date(2027, 9, 15), 0),
    (date(2027, 1, 31), date(2027, 3, 1), 1),
    (date(2027, 9, 15), date(2027, 9, 15), 0),
])
def test_whole_months_left(on, until, months):
    assert whole_months_between(on, until) == months


def test_a_plan_for_every_make_applies_to_any_make_and_a_make_plan_only_to_its_own():
    everyone, toyota_only = a_plan("ALL"), a_plan("TOY", make="Toyota")
    assert everyone.applies_to(**CAMRY) and toyota_only.applies_to(**{**CAMRY, "make": "TOYOTA"})
    assert not toyota_only.applies_to(**{**CAMRY, "make": "Honda"})


def test_a_campaign_applies_to_its_models_and_vin_range_only():
    recall = a_plan("RC-1", make="Toyota", type="campaign", months=None, km=None, models=["Camry"],
                    vin_from="LVSHCAMB0CE000000", vin_to="LVSHCAMB9CE099999")
    assert recall.applies_to(**CAMRY)
    assert not recall.applies_to(**{**CAMRY, "model": "Corolla"})
    assert not recall.applies_to(**{**CAMRY, "vin": "LVSHCAMB1CE154249"})


def test_a_retired_plan_applies_to_nothing():
    plan = a_plan(active=False)
    assert not plan.applies_to(**CAMRY)


def test_a_makes_own_plan_stands_in_for_the_default_it_replaces():
    default, toyota = a_plan("CN-REPAIR"), a_plan("TOY-REPAIR", make="Toyota", km=100_000, replaces="CN-REPAIR")
    assert [p.code for p in in_force_for([default, toyota], **CAMRY)] == ["TOY-REPAIR"]
    assert [p.code for p in in_force_for([default, toyota], **{**CAMRY, "make": "Honda"})] == ["CN-REPAIR"]


@pytest.mark.parametrize("terms, field", [
    (dict(type="basic", months=None), "months"),
    (dict(vin_from="LVSHCAMB9CE099999", vin_to="LVSHCAMB0CE000000"), "vin_to"),
    (dict(make="Toyota", replaces="P-1"), "replaces"),
    (dict(replaces="OTHER"), "replaces"),
])
def test_inconsistent_terms_are_refused_naming_the_field(terms, field):
    with pytest.raises(PlanTermsInvalid) as refused:
        a_plan("P-1", **terms)
    assert refused.value.context["field"] == field


def test_campaigns_and_goodwill_need_no_months():
    assert a_plan(type="campaign", months=None, km=None).months is None
    assert a_plan(type="goodwill", months=None).months is None


def test_a_change_against_an_old_version_is_refused_and_changes_nothing():
    plan = a_plan(km=60_000)
    plan.version = 3
    with pytest.raises(StaleVersion):
        plan.change(2, at=AT, by="manager", km=100_000)
    assert plan.km == 60_000


def test_a_change_is_announced_with_what_changed_and_a_no_op_is_not():
    plan = a_plan(components=["engine", "brakes"])
    plan.events.clear()
    plan.change(1, at=AT, by="manager", components=["brakes", "engine"], km=60_000)
    assert plan.events == []
    plan.change(1, at=AT, by="manager", km=100_000, components=["engine"])
    [changed] = plan.events
    assert changed.changed == ("km", "components") and changed.km == 100_000
    with pytest.raises(NothingToChange):
        plan.change(1, at=AT, by="manager")


def test_china_family_car_defaults():
    plans = {plan.code: plan for plan in default_plans("D001", AT)}
    repair, three_guarantees = plans["CN-REPAIR"], plans["CN-3G"]
    assert (repair.type, repair.months, repair.km, repair.transferable) == (PlanType.BASIC, 36, 60_000, True)
    assert (three_guarantees.type, three_guarantees.months, three_guarantees.km) == (
        PlanType.THREE_GUARANTEES, 24, 50_000)
    assert plans["CN-REPLACED-PART"].start_basis == "installation"
    assert plans["CN-POWERTRAIN"].transferable is False
    assert all(plan.events == [] and plan.origin == "default" for plan in plans.values())


def test_a_change_that_would_make_the_plan_inconsistent_changes_nothing():
    plan = a_plan(km=60_000)
    plan.events.clear()
    with pytest.raises(PlanTermsInvalid):
        plan.change(1, at=AT, by="manager", km=100_000, months=None)
    assert (plan.km, plan.months, plan.events) == (60_000, 36, [])
