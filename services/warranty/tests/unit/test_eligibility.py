"""Is this repair covered? Boundaries, reasons and what is left, without a database."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from warranty.domain.coverage import CoveragePlan
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.eligibility import Concern, Fitted, Question, assess, check_date
from warranty.domain.errors import EligibilityDateInFuture
from warranty.domain.vehicle import Vehicle

AT = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
DEFAULTS = default_plans("D001", AT)
ENGINE = Concern(component="engine")
DEFAULT_LIMIT = Decimal("5000.00")  # CLAIM_PRE_AUTHORISATION_ABOVE


def a_vehicle(in_service=date(2024, 9, 15), owner_count=1, title_status="clean", **overrides) -> Vehicle:
    values = dict(make="Toyota", model="Camry", model_year=2024, in_service_date=in_service,
                  owner_count=owner_count, title_status=title_status, at=AT, today=date(2030, 1, 1))
    values.update(overrides)
    return Vehicle("D001", "LVSHCAMB1CE054249", **values)


def a_plan(code, **terms) -> CoveragePlan:
    values = dict(make="*", name=code, type="basic", months=36, km=60_000)
    values.update(terms)
    return CoveragePlan("D001", code, at=AT, by="manager", **values)


def ask(vehicle, on, odometer, concern=ENGINE, plans=DEFAULTS, fitted=(), estimated_cost=None):
    answer = assess(vehicle, list(plans), Question(on, odometer, concern, estimated_cost), list(fitted),
                    default_pre_authorisation_above=DEFAULT_LIMIT)
    return answer, {plan.plan.code: plan for plan in answer.plans}


def brake_pads(source="aftermarket", installed_on=date(2026, 3, 1), odometer=21_000, number="AM-BP-2231"):
    return Fitted(part_number=number, component="brakes", source=source, safety_critical=True,
                  installed_on=installed_on, odometer=odometer, repair_order="RO-1")


# ---------------------------------------------------------------- time and distance boundaries


def test_covered_on_the_day_before_the_anniversary_and_not_on_it():
    vehicle = a_vehicle(in_service=date(2024, 9, 15))
    _, last_day = ask(vehicle, date(2027, 9, 14), 40_000)
    _, anniversary = ask(vehicle, date(2027, 9, 15), 40_000)
    assert last_day["CN-REPAIR"].covered
    assert (last_day["CN-REPAIR"].covered_until, last_day["CN-REPAIR"].days_left) == (date(2027, 9, 14), 1)
    assert last_day["CN-REPAIR"].months_left == 0
    assert not anniversary["CN-REPAIR"].covered
    assert anniversary["CN-REPAIR"].reasons == ("expired_time",)
    assert (anniversary["CN-REPAIR"].days_left, anniversary["CN-REPAIR"].months_left) == (0, 0)


def test_the_km_limit_itself_is_covered_and_one_more_is_not():
    vehicle = a_vehicle(in_service=date(2025, 6, 1))
    _, at_limit = ask(vehicle, date(2026, 11, 25), 50_000)
    _, over = ask(vehicle, date(2026, 11, 25), 50_001)
    assert at_limit["CN-3G"].covered and at_limit["CN-3G"].km_left == 0
    assert over["CN-3G"].reasons == ("expired_distance",) and over["CN-3G"].km_left == 0
    _, repair_limit = ask(vehicle, date(2026, 11, 25), 60_000)
    _, repair_over = ask(vehicle, date(2026, 11, 25), 60_001)
    assert repair_limit["CN-REPAIR"].covered
    assert repair_over["CN-REPAIR"].reasons == ("expired_distance",)


def test_a_leap_day_start_is_covered_through_the_end_of_february():
    vehicle = a_vehicle(in_service=date(2024, 2, 29))
    _, last_day = ask(vehicle, date(2026, 2, 28), 30_000)
    _, first_of_march = ask(vehicle, date(2026, 3, 1), 30_000)
    assert last_day["CN-3G"].covered and last_day["CN-3G"].covered_until == date(2026, 2, 28)
    assert first_of_march["CN-3G"].reasons == ("expired_time",)


def test_what_is_left_is_told_in_months_days_and_km():
    _, plans = ask(a_vehicle(in_service=date(2024, 9, 15)), date(2026, 11, 25), 42_000)
    repair = plans["CN-REPAIR"]
    assert (repair.months_left, repair.days_left, repair.km_left) == (9, 294, 18_000)
    assert plans["CN-CORROSION"].km_left is None and plans["CN-CORROSION"].covered_up_to_km is None


def test_a_repair_before_the_in_service_date_is_not_covered_yet():
    _, plans = ask(a_vehicle(in_service=date(2026, 11, 20)), date(2026, 11, 19), 10)
    assert "not_started" in plans["CN-REPAIR"].reasons


# ---------------------------------------------------------------- components


def test_consumables_are_excluded_and_a_plan_for_other_groups_does_not_cover():
    answer, plans = ask(a_vehicle(), date(2026, 11, 25), 20_000, Concern(component="filters"))
    assert plans["CN-REPAIR"].reasons == ("excluded_component",)
    assert plans["CN-POWERTRAIN"].reasons == ("component_not_covered",)
    assert not answer.covered


def test_the_engine_is_covered_by_the_repair_warranty_and_powertrain():
    answer, plans = ask(a_vehicle(in_service=date(2025, 6, 1)), date(2026, 11, 25), 20_000)
    assert answer.covered
    assert {code for code, plan in plans.items() if plan.covered} == {
        "CN-REPAIR", "CN-3G", "CN-POWERTRAIN", "CN-GOODWILL"}


# ---------------------------------------------------------------- the vehicle's history


def test_powertrain_is_for_the_first_owner_only_and_the_legal_periods_transfer():
    _, plans = ask(a_vehicle(in_service=date(2025, 6, 1), owner_count=2), date(2026, 11, 25), 20_000)
    assert plans["CN-POWERTRAIN"].reasons == ("not_first_owner",)
    assert plans["CN-REPAIR"].covered and plans["CN-3G"].covered


def test_a_transferable_plan_covers_the_second_owner_and_first_owner_only_does_not():
    first_owner_only = a_plan("FIRST", transferable=False)
    transferable = a_plan("ANY", transferable=True)
    _, plans = ask(a_vehicle(owner_count=2), date(2026, 11, 25), 20_000, plans=[first_owner_only, transferable])
    assert not plans["FIRST"].covered and plans["ANY"].covered
    _, first = ask(a_vehicle(owner_count=1), date(2026, 11, 25), 20_000, plans=[first_owner_only])
    assert first["FIRST"].covered


@pytest.mark.parametrize("title, voids", [("salvage", True), ("rebuilt", True), ("flood", True),
                                          ("lemon_buyback", False), ("clean", False)])
def test_a_branded_title_ends_the_warranty(title, voids):
    _, plans = ask(a_vehicle(title_status=title), date(2026, 11, 25), 20_000)
    assert ("salvage_title" in plans["CN-REPAIR"].reasons) is voids


def test_a_suspected_rollback_stops_km_limited_cover_only():
    vehicle = a_vehicle()
    vehicle.record_odometer(km=45_000, read_on=date(2026, 6, 1), source="repair_order", reference="RO-0",
                            today=date(2026, 11, 25), at=AT, by="advisor")
    answer, plans = ask(vehicle, date(2026, 11, 25), 30_000, Concern(component="body"))
    assert answer.odometer_rollback_suspected
    assert plans["CN-REPAIR"].reasons == ("odometer_rollback_suspected",)
    assert plans["CN-CORROSION"].covered  # no km limit to doubt


def test_an_odometer_at_or_above_the_history_raises_no_doubt():
    vehicle = a_vehicle()
    vehicle.record_odometer(km=45_000, read_on=date(2026, 6, 1), source="repair_order", reference="RO-0",
                            today=date(2026, 11, 25), at=AT, by="advisor")
    answer, plans = ask(vehicle, date(2026, 11, 25), 45_000)
    assert not answer.odometer_rollback_suspected and plans["CN-REPAIR"].covered


# ---------------------------------------------------------------- aftermarket parts


def test_an_aftermarket_part_on_a_safety_critical_component_is_not_covered():
    aftermarket_pads = Concern(component="brakes", part_number="AM-BP-2231", source="aftermarket",
                               safety_critical=True)
    _, plans = ask(a_vehicle(), date(2026, 11, 25), 20_000, aftermarket_pads)
    assert plans["CN-REPAIR"].reasons == ("aftermarket_part_on_critical_component",)


def test_an_aftermarket_part_fitted_on_the_component_concerned_voids_its_cover_but_not_others():
    fitted = [brake_pads(source="aftermarket")]
    _, brakes = ask(a_vehicle(), date(2026, 11, 25), 25_000, Concern(component="brakes"), fitted=fitted)
    _, engine = ask(a_vehicle(), date(2026, 11, 25), 25_000, ENGINE, fitted=fitted)
    assert "aftermarket_part_on_critical_component" in brakes["CN-REPAIR"].reasons
    assert engine["CN-REPAIR"].covered


def test_the_aftermarket_part_that_voids_cover_is_named():
    fitted = [brake_pads(installed_on=date(2026, 1, 5), number="AM-OLD"), brake_pads(number="AM-BP-2231")]
    _, brakes = ask(a_vehicle(), date(2026, 11, 25), 25_000, Concern(component="brakes", part_number="04465-OEM",
                                                                      source="oem", safety_critical=True), fitted=fitted)
    assert brakes["CN-REPAIR"].aftermarket_part == "AM-BP-2231"  # the latest fitted, not the OEM part asked about
    asked = Concern(component="brakes", part_number="AM-ASKED", source="aftermarket", safety_critical=True)
    _, itself = ask(a_vehicle(), date(2026, 11, 25), 25_000, asked, fitted=fitted)
    assert itself["CN-REPAIR"].aftermarket_part == "AM-ASKED"
    _, engine = ask(a_vehicle(), date(2026, 11, 25), 25_000, ENGINE, fitted=fitted)
    assert engine["CN-REPAIR"].aftermarket_part is None


def test_an_oem_part_or_a_non_critical_aftermarket_part_changes_nothing():
    oem = [brake_pads(source="oem")]
    wipers = Concern(component="brakes", part_number="AM-W", source="aftermarket", safety_critical=False)
    _, with_oem = ask(a_vehicle(), date(2026, 11, 25), 25_000, Concern(component="brakes"), fitted=oem)
    _, non_critical = ask(a_vehicle(), date(2026, 11, 25), 25_000, wipers)
    assert with_oem["CN-REPAIR"].covered and non_critical["CN-REPAIR"].covered


# ---------------------------------------------------------------- replaced parts and workmanship


def test_a_replaced_part_is_covered_from_its_install_day_and_odometer():
    pads = brake_pads(source="oem", installed_on=date(2026, 3, 1), odometer=21_000, number="04465-33450")
    concern = Concern(component="brakes", part_number="04465-33450", source="oem", safety_critical=True)
    _, last_day = ask(a_vehicle(), date(2027, 2, 28), 41_000, concern, fitted=[pads])
    _, next_day = ask(a_vehicle(), date(2027, 3, 1), 30_000, concern, fitted=[pads])
    _, too_far = ask(a_vehicle(), date(2026, 12, 1), 41_001, concern, fitted=[pads])
    replaced = last_day["CN-REPLACED-PART"]
    assert replaced.covered and replaced.starts_on == date(2026, 3, 1) and replaced.covered_up_to_km == 41_000
    assert replaced.installation == pads
    assert next_day["CN-REPLACED-PART"].reasons == ("expired_time",)
    assert too_far["CN-REPLACED-PART"].reasons == ("expired_distance",)


def test_a_part_we_never_fitted_has_no_replaced_part_cover():
    _, plans = ask(a_vehicle(), date(2026, 11, 25), 20_000, Concern(component="brakes", part_number="X-1"))
    assert plans["CN-REPLACED-PART"].reasons == ("part_not_installed",)
    assert plans["CN-REPLACED-PART"].starts_on is None and plans["CN-REPLACED-PART"].km_left is None


def test_without_an_odometer_on_the_issue_the_reading_at_write_up_starts_the_km():
    vehicle = a_vehicle()
    vehicle.record_odometer(km=21_500, read_on=date(2026, 3, 1), source="repair_order", reference="RO-1",
                            today=date(2026, 11, 25), at=AT, by="advisor")
    pads = brake_pads(source="oem", odometer=None, number="P-1")
    _, plans = ask(vehicle, date(2026, 11, 25), 30_000, Concern(component="brakes", part_number="P-1"),
                   fitted=[pads])
    assert plans["CN-REPLACED-PART"].starting_km == 21_500
    assert plans["CN-REPLACED-PART"].km_left == 11_500


def test_with_no_odometer_known_at_install_only_time_is_told():
    pads = brake_pads(source="oem", odometer=None, number="P-1")
    _, plans = ask(a_vehicle(), date(2026, 11, 25), 30_000, Concern(component="brakes", part_number="P-1"),
                   fitted=[pads])
    replaced = plans["CN-REPLACED-PART"]
    assert replaced.covered and replaced.km_left is None and replaced.warnings == ("install_odometer_unknown",)


# ---------------------------------------------------------------- pre-authorisation, deductible, campaigns


def test_goodwill_always_needs_pre_authorisation_and_a_threshold_only_above_it():
    threshold = a_plan("EXPENSIVE", pre_authorisation_above=Decimal("5000.00"), deductible=Decimal("200.00"))
    _, cheap = ask(a_vehicle(), date(2026, 11, 25), 20_000, plans=[*DEFAULTS, threshold],
                   estimated_cost=Decimal("5000.00"))
    _, dear = ask(a_vehicle(), date(2026, 11, 25), 20_000, plans=[threshold], estimated_cost=Decimal("5000.01"))
    assert cheap["CN-GOODWILL"].pre_authorisation_required
    assert not cheap["EXPENSIVE"].pre_authorisation_required and not cheap["CN-REPAIR"].pre_authorisation_required
    assert dear["EXPENSIVE"].pre_authorisation_required
    assert dear["EXPENSIVE"].plan.deductible == Decimal("200.00")


@pytest.mark.parametrize(("estimate", "required"), [
    (None, False), (Decimal("4999.99"), False), (Decimal("5000.00"), False), (Decimal("5000.01"), True),
])
def test_a_plan_without_a_limit_of_its_own_needs_pre_authorisation_above_the_default(estimate, required):
    _, plans = ask(a_vehicle(), date(2026, 11, 25), 20_000, estimated_cost=estimate)
    assert plans["CN-REPAIR"].pre_authorisation_limit == DEFAULT_LIMIT
    assert plans["CN-REPAIR"].pre_authorisation_required is required


def test_a_plans_own_limit_wins_over_the_default_and_nothing_uncovered_needs_pre_authorisation():
    own = a_plan("OWN", pre_authorisation_above=Decimal("2000.00"))
    _, at_limit = ask(a_vehicle(), date(2026, 11, 25), 20_000, plans=[own], estimated_cost=Decimal("2000.00"))
    _, above = ask(a_vehicle(), date(2026, 11, 25), 20_000, plans=[own], estimated_cost=Decimal("2000.01"))
    _, expired = ask(a_vehicle(), date(2026, 11, 25), 60_001, plans=[own], estimated_cost=Decimal("9000.00"))
    assert at_limit["OWN"].pre_authorisation_limit == Decimal("2000.00")
    assert not at_limit["OWN"].pre_authorisation_required and above["OWN"].pre_authorisation_required
    assert not expired["OWN"].pre_authorisation_required


def test_an_appointment_is_asked_about_up_to_the_days_ahead_configured():
    today = date(2026, 11, 25)
    check_date(date(2027, 2, 23), today=today, days_ahead=90)
    with pytest.raises(EligibilityDateInFuture) as refused:
        check_date(date(2027, 2, 24), today=today, days_ahead=90)
    assert refused.value.context == {"field": "date", "latest": "2027-02-23", "days_ahead": 90}
    with pytest.raises(EligibilityDateInFuture):
        check_date(date(2026, 11, 26), today=today, days_ahead=0)


def test_an_open_campaign_is_listed_whatever_was_asked_and_a_closed_one_is_not():
    recall = a_plan("RC-24A", make="Toyota", type="campaign", months=None, km=None, components=["brakes"],
                    ends_on=date(2026, 12, 31))
    other_model = a_plan("RC-24B", make="Toyota", type="campaign", months=None, km=None, models=["Corolla"])
    answer, plans = ask(a_vehicle(title_status="salvage", owner_count=3), date(2026, 11, 25), 20_000,
                        plans=[recall, other_model])
    assert [c.code for c in answer.open_campaigns] == ["RC-24A"]
    assert plans["RC-24A"].reasons == ("component_not_covered",)  # asked about the engine
    _, brakes = ask(a_vehicle(title_status="salvage", owner_count=3), date(2026, 11, 25), 20_000,
                    Concern(component="brakes"), plans=[recall])
    assert brakes["RC-24A"].covered  # a recall is done whatever the title or the owners
    closed, plans = ask(a_vehicle(), date(2027, 1, 1), 20_000, plans=[recall])
    assert closed.open_campaigns == () and plans["RC-24A"].reasons == ("plan_ended", "component_not_covered")
