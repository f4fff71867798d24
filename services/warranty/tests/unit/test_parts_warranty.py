"""The parts warranty's rules: the term from the purchase date (month ends included), the
policy's most specific rule, and the case's steps."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from warranty.domain.errors import (
    PartsWarrantyDecisionNeedsOverride,
    PartsWarrantyExpired,
    PartsWarrantyFollowedUp,
    PartsWarrantyPolicyInvalid,
    PartsWarrantyQuantityExceedsSold,
    PartsWarrantyReasonRequired,
    PartsWarrantyStepNotAllowed,
)
from warranty.domain.events import (
    PartsWarrantyCaseClosed,
    PartsWarrantyCaseOpened,
    PartsWarrantyReplacementApproved,
)
from warranty.domain.parts_warranty import PartsWarrantyCase, PartsWarrantyPolicy, PolicyRule, SoldPart, add_months

NOON = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 15), 12, date(2027, 1, 15)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),   # February is shorter
    (date(2027, 12, 31), 2, date(2028, 2, 29)),  # a leap year
    (date(2026, 8, 31), 1, date(2026, 9, 30)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year end
    (date(2026, 2, 28), 12, date(2027, 2, 28)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
])
def test_the_term_runs_to_the_same_day_or_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_the_most_specific_rule_wins_and_the_default_covers_the_rest():
    policy = PartsWarrantyPolicy("D001", default_months=12, rules=[
        PolicyRule(months=6, category="brakes"),
        PolicyRule(months=24, supplier="BOSCH"),
        PolicyRule(months=36, category="brakes", supplier="BOSCH"),
    ])
    assert policy.term_for("brakes", "BOSCH") == 36
    assert policy.term_for("filters", "BOSCH") == 24
    assert policy.term_for("brakes", "HX-AUTO") == 6
    assert policy.term_for("filters", "HX-AUTO") == 12
    assert policy.term_for(None, None) == 12


@pytest.mark.parametrize(("default", "rules", "field"), [
    (0, [], "default_months"),
    (121, [], "default_months"),
    (12, [PolicyRule(months=6)], "rules.0"),
    (12, [PolicyRule(months=6, category="brakes"), PolicyRule(months=0, supplier="S")], "rules.1.months"),
    (12, [PolicyRule(months=6, category="brakes"), PolicyRule(months=9, category="brakes")], "rules.1"),
])
def test_a_policy_that_makes_no_sense_is_refused_and_the_old_one_stays(default, rules, field):
    policy = PartsWarrantyPolicy("D001")
    with pytest.raises(PartsWarrantyPolicyInvalid) as refused:
        policy.replace(0, default_months=default, rules=rules, at=NOON, by="manager")
    assert refused.value.context["field"] == field
    assert (policy.default_months, policy.rules) == (12, ())


def test_a_policy_changed_meanwhile_is_not_overwritten():
    policy = PartsWarrantyPolicy("D001")
    policy.version = 3
    with pytest.raises(StaleVersion):
        policy.replace(2, default_months=6, rules=[], at=NOON, by="manager")
    assert policy.default_months == 12


def a_sold_part(quantity="2", purchased_on=date(2026, 1, 31), months=12, supplier="HX-AUTO") -> SoldPart:
    return SoldPart("D001", sale="SO-1", part_number="BP-1", lot="LOT-1", supplier=supplier, location="MAIN",
                    quantity=Decimal(quantity), unit_price=Decimal("320.00"), currency="CNY", customer_id=None,
                    vin=None, category="brakes", months=months, purchased_on=purchased_on, sold_at=NOON)


def test_a_sold_part_is_covered_to_its_expiry_day_included():
    part = a_sold_part(purchased_on=date(2026, 1, 31), months=1)
    assert part.expires_on == date(2026, 2, 28)
    assert part.covers(date(2026, 2, 28))
    assert not part.covers(date(2026, 3, 1))


def test_out_of_warranty_is_refused_for_a_clerk_and_accepted_by_a_manager_with_a_reason():
    part = a_sold_part(purchased_on=date(2025, 1, 10))
    with pytest.raises(PartsWarrantyExpired) as refused:
        part.take_into_case(Decimal("1"), on=date(2026, 11, 25), by_manager=False, override_reason="goodwill")
    assert refused.value.context["expires_on"] == "2026-01-10"
    with pytest.raises(PartsWarrantyExpired):
        part.take_into_case(Decimal("1"), on=date(2026, 11, 25), by_manager=True, override_reason=None)
    assert part.in_cases == 0
    assert part.take_into_case(Decimal("1"), on=date(2026, 11, 25), by_manager=True, override_reason="goodwill")
    assert part.in_cases == 1


def test_no_more_than_was_sold_comes_back_across_cases():
    part = a_sold_part(quantity="2", purchased_on=date(2026, 10, 1))
    part.take_into_case(Decimal("1.5"), on=date(2026, 11, 25), by_manager=False, override_reason=None)
    with pytest.raises(PartsWarrantyQuantityExceedsSold) as refused:
        part.take_into_case(Decimal("1"), on=date(2026, 11, 25), by_manager=False, override_reason=None)
    assert refused.value.context["field"] == "quantity"
    assert part.in_cases == Decimal("1.5")


def a_case(part=None, quantity="1") -> PartsWarrantyCase:
    case = PartsWarrantyCase("D001", "PW-1", part or a_sold_part(purchased_on=date(2026, 10, 1)),
                             quantity=Decimal(quantity), report="squeals and grinds", accepted_late=False,
                             override_reason=None, on=date(2026, 11, 25), at=NOON, by="clerk")
    case.version = 1
    return case


def step(case, name, **kwargs):
    getattr(case, name)(case.version, at=NOON, by=kwargs.pop("by", "clerk"), **kwargs)
    case.version += 1  # as the mapper's version column does on flush


def test_a_covered_defect_replaced_runs_open_assessed_decided_closed_then_followed_up():
    case = a_case(quantity="2")
    assert [type(event) for event in case.events] == [PartsWarrantyCaseOpened]
    step(case, "assess", fault="defect", findings="pad backing plate cracked", supplier_at_fault=None)
    assert (case.status, case.covered, case.supplier_at_fault) == ("assessed", True, True)
    step(case, "decide", outcome="replace", reason=None, repair_cost=None, by_manager=False)
    assert case.recovers_from_supplier and case.recovery_parts == Decimal("640.00")
    step(case, "complete", note="new pads handed over")
    step(case, "follow_up", satisfaction=5, note="happy")
    assert (case.status, case.satisfaction) == ("closed", 5)
    replacement, closed = case.events[1:]
    assert isinstance(replacement, PartsWarrantyReplacementApproved)
    assert (replacement.part_number, replacement.lot, replacement.quantity, replacement.sale) == (
        "BP-1", "LOT-1", Decimal("2"), "SO-1")
    assert isinstance(closed, PartsWarrantyCaseClosed)
    assert (closed.outcome, closed.covered, closed.supplier_recovery) == ("replace", True, True)


@pytest.mark.parametrize("fault", ["misuse", "wear", "third_party_fitting"])
def test_a_fault_not_covered_is_refused_with_a_reason(fault):
    case = a_case()
    step(case, "assess", fault=fault, findings="see photos", supplier_at_fault=True)
    assert (case.covered, case.supplier_at_fault) == (False, False)
    with pytest.raises(PartsWarrantyReasonRequired):
        step(case, "decide", outcome="refuse", reason=None, repair_cost=None, by_manager=False)
    step(case, "decide", outcome="refuse", reason="worn out by use", repair_cost=None, by_manager=False)
    assert (case.outcome, case.overridden, case.recovers_from_supplier) == ("refuse", False, False)


def test_going_against_the_assessment_needs_a_manager_and_a_reason():
    case = a_case()
    step(case, "assess", fault="defect", findings="cracked", supplier_at_fault=None)
    with pytest.raises(PartsWarrantyDecisionNeedsOverride):
        step(case, "decide", outcome="refuse", reason="customer too late", repair_cost=None, by_manager=False)
    assert case.status == "assessed"
    step(case, "decide", outcome="refuse", reason="fitted by another garage after all", repair_cost=None,
         by_manager=True, by="manager")
    assert (case.outcome, case.overridden) == ("refuse", True)

    wear = a_case()
    step(wear, "assess", fault="wear", findings="worn", supplier_at_fault=None)
    with pytest.raises(PartsWarrantyDecisionNeedsOverride):
        step(wear, "decide", outcome="repair", reason=None, repair_cost=None, by_manager=True)
    step(wear, "decide", outcome="repair", reason="goodwill for a fleet customer", repair_cost=Decimal("80.00"),
         by_manager=True)
    assert (wear.overridden, wear.recovers_from_supplier) == (True, False)


def test_a_defect_the_supplier_does_not_answer_for_opens_no_recovery():
    case = a_case()
    step(case, "assess", fault="defect", findings="crushed in our store", supplier_at_fault=False)
    step(case, "decide", outcome="repair", reason=None, repair_cost=Decimal("50.00"), by_manager=False)
    assert not case.recovers_from_supplier


@pytest.mark.parametrize(("name", "kwargs"), [
    ("decide", {"outcome": "repair", "reason": None, "repair_cost": None, "by_manager": False}),
    ("complete", {"note": None}),
    ("follow_up", {"satisfaction": 3, "note": None}),
])
def test_a_step_out_of_order_is_refused_and_changes_nothing(name, kwargs):
    case = a_case()
    with pytest.raises(PartsWarrantyStepNotAllowed):
        step(case, name, **kwargs)
    assert (case.status, case.outcome, case.satisfaction) == ("open", None, None)


def test_a_step_against_an_old_version_is_refused():
    case = a_case()
    with pytest.raises(StaleVersion):
        case.assess(case.version - 1, fault="defect", findings="x", supplier_at_fault=None, at=NOON, by="clerk")
    assert case.status == "open"


def test_a_case_is_followed_up_once():
    case = a_case()
    step(case, "assess", fault="wear", findings="worn", supplier_at_fault=None)
    step(case, "decide", outcome="refuse", reason="wear", repair_cost=None, by_manager=False)
    step(case, "complete", note=None)
    step(case, "follow_up", satisfaction=2, note="unhappy")
    with pytest.raises(PartsWarrantyFollowedUp):
        step(case, "follow_up", satisfaction=5, note=None)
    assert case.satisfaction == 2
