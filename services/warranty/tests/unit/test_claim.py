"""The claim's lifecycle and the rules at submission, without a database."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from warranty.domain import claim_rules
from warranty.domain.claim import Claim, ClaimStatus, LineDecision, Trace
from warranty.domain.claim_rules import ClaimRules, EarlierClaim, PartFacts, SubmissionFacts
from warranty.domain.coverage import CoveragePlan, PlanType
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.eligibility import (
    AFTERMARKET_ON_CRITICAL,
    COMPONENT_NOT_COVERED,
    EXPIRED_DISTANCE,
    Concern,
    PlanAnswer,
    Question,
    assess,
)
from warranty.domain.errors import (
    AppealAlreadyUsed,
    CampaignNotOpen,
    CausalPartRequired,
    ClaimAlreadyDecided,
    ClaimCampaignInvalid,
    ClaimDateInFuture,
    ClaimLineInvalid,
    ClaimNotEditable,
    ClaimNotPayable,
    ClaimTransitionNotAllowed,
    ComponentGroupMismatch,
    DecisionInvalid,
    DuplicateClaim,
    EmptyClaim,
    NotEligible,
    PartNotCovered,
    PaymentAboveApproved,
    PaymentNotShort,
    PreAuthorisationRequired,
    RepairBeforeFailure,
    ShortPaymentReasonRequired,
    SubmissionDeadlinePassed,
)
from warranty.domain.events import (
    ClaimAppealed,
    ClaimApproved,
    ClaimPaid,
    ClaimPartiallyApproved,
    ClaimRejected,
    ClaimSubmitted,
)
from warranty.domain.vehicle import Vehicle

NOON = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)
LABOUR = {"kind": "labour", "operation": "WATER-PUMP", "quantity": Decimal("2"), "unit_price": Decimal("180.00"),
          "repair_order_line": "1"}
PUMP = {"kind": "part", "part_number": "P-1", "quantity": Decimal("1"), "unit_price": Decimal("860.00"),
        "causal": True, "repair_order_line": "2"}
RULES = ClaimRules()


def a_claim(**changes) -> Claim:
    details = dict(vin="LVSHCAMB1CE054249", repair_order="RO-1", repair_date=date(2026, 11, 20), odometer=31_000,
                   failure_date=date(2026, 11, 18), claim_type="warranty", coverage_plan="CN-REPAIR",
                   lines=[LABOUR, PUMP])
    claim = Claim("D001", "WC-1", **{**details, **changes}, today=TODAY, at=NOON, by="clerk")
    claim.version = 1
    return claim


def covering(threshold: Decimal | None = None, reasons: tuple[str, ...] = (),
             aftermarket_part: str | None = None) -> PlanAnswer:
    plan = CoveragePlan("D001", "CN-REPAIR", origin="default", at=NOON, by="x", name="repair", type=PlanType.BASIC,
                        months=36, km=60_000, pre_authorisation_above=threshold)
    return PlanAnswer(plan=plan, covered=not reasons, reasons=reasons, warnings=(), starts_on=None, starting_km=0,
                      covered_until=None, covered_up_to_km=None, months_left=None, days_left=None, km_left=None,
                      pre_authorisation_required=False,
                      pre_authorisation_limit=plan.pre_authorisation_limit(RULES.pre_authorisation_above),
                      aftermarket_part=aftermarket_part)


def submitted(claim: Claim | None = None) -> Claim:
    claim = claim or a_claim()
    flags = claim_rules.check(claim, SubmissionFacts(plan=covering()), RULES, today=TODAY, resubmission=False)
    claim.submit(flags=flags, at=NOON, by="clerk")
    return claim


def full(claim: Claim) -> list[LineDecision]:
    return [LineDecision(line.number, line.amount) for line in claim.lines]


def nothing(claim: Claim) -> list[LineDecision]:
    return [LineDecision(line.number, Decimal("0.00"), "not_covered") for line in claim.lines]


def test_a_new_claim_is_a_draft_with_its_amounts_and_its_filing_recorded():
    claim = a_claim()
    assert claim.status is ClaimStatus.DRAFT
    assert [line.amount for line in claim.lines] == [Decimal("360.00"), Decimal("860.00")]
    assert claim.claimed_amount == Decimal("1220.00") and claim.causal_part_number == "P-1"
    assert [(h.action, h.to_status, h.by) for h in claim.history] == [("filed", "draft", "clerk")]
    assert claim.events == []


@pytest.mark.parametrize(("changes", "error"), [
    ({"repair_date": date(2026, 11, 26)}, ClaimDateInFuture),
    ({"failure_date": date(2026, 11, 21)}, RepairBeforeFailure),
    ({"lines": [{**PUMP, "unit_price": Decimal("-1")}]}, ClaimLineInvalid),
    ({"lines": [{**PUMP, "quantity": Decimal("0")}]}, ClaimLineInvalid),
    ({"lines": [PUMP, {**PUMP, "repair_order_line": "3"}]}, ClaimLineInvalid),  # two causal parts
    ({"lines": [LABOUR, {**LABOUR, "operation": "X"}]}, ClaimLineInvalid),  # one repair order line twice
    ({"lines": [{**LABOUR, "causal": True}]}, ClaimLineInvalid),
])
def test_a_claim_that_cannot_be_true_is_not_filed(changes, error):
    with pytest.raises(error):
        a_claim(**changes)


def test_an_edit_against_a_stale_version_or_an_invalid_one_changes_nothing():
    claim = a_claim()
    with pytest.raises(StaleVersion):
        claim.edit(7, cause="seal", today=TODAY, at=NOON, by="clerk")
    with pytest.raises(RepairBeforeFailure):
        claim.edit(1, repair_date=date(2026, 11, 1), lines=[PUMP], today=TODAY, at=NOON, by="clerk")
    assert (claim.repair_date, len(claim.lines), len(claim.history)) == (date(2026, 11, 20), 2, 1)


def test_submission_announces_the_claim_and_a_submitted_claim_is_not_edited():
    claim = submitted()
    assert claim.status is ClaimStatus.SUBMITTED
    [event] = claim.events
    assert isinstance(event, ClaimSubmitted) and event.claim_number == "WC-1" and event.claimed_amount == Decimal("1220.00")
    with pytest.raises(ClaimNotEditable):
        claim.edit(1, cause="x", today=TODAY, at=NOON, by="clerk")
    with pytest.raises(ClaimTransitionNotAllowed):
        claim.submit(flags=[], at=NOON, by="clerk")


def test_the_outcome_follows_from_the_lines():
    approved = submitted()
    approved.decide(full(approved), reason=None, trace=Trace("LOT-7", "AISIN"), at=NOON, by="manager")
    assert approved.status is ClaimStatus.APPROVED and approved.approved_amount == Decimal("1220.00")
    event = approved.events[-1]
    assert isinstance(event, ClaimApproved) and (event.causal_part_number, event.causal_lot) == ("P-1", "LOT-7")

    partly = submitted()
    partly.decide([LineDecision(1, Decimal("180.00"), "labour_over_standard_time"), LineDecision(2, Decimal("860.00"))],
                  reason=None, trace=None, at=NOON, by="manager")
    assert partly.status is ClaimStatus.PARTIALLY_APPROVED and partly.approved_amount == Decimal("1040.00")
    assert isinstance(partly.events[-1], ClaimPartiallyApproved) and partly.events[-1].causal_lot is None

    rejected = submitted()
    rejected.decide(nothing(rejected), reason="misuse", trace=Trace("LOT-7", "AISIN"), at=NOON, by="manager")
    assert rejected.status is ClaimStatus.REJECTED and rejected.causal_lot is None
    assert isinstance(rejected.events[-1], ClaimRejected) and rejected.events[-1].reason_codes == ("not_covered",)


@pytest.mark.parametrize("decisions", [
    [LineDecision(1, Decimal("360.00"))],  # a line left out
    [LineDecision(1, Decimal("360.00")), LineDecision(1, Decimal("360.00")), LineDecision(2, Decimal("860.00"))],
    [LineDecision(1, Decimal("400.00")), LineDecision(2, Decimal("860.00"))],  # more than claimed
    [LineDecision(1, Decimal("100.00")), LineDecision(2, Decimal("860.00"))],  # cut without a reason
    [LineDecision(1, Decimal("100.00"), "because"), LineDecision(2, Decimal("860.00"))],
])
def test_a_bad_decision_changes_nothing(decisions):
    claim = submitted()
    with pytest.raises(DecisionInvalid):
        claim.decide(decisions, reason=None, trace=None, at=NOON, by="manager")
    assert claim.status is ClaimStatus.SUBMITTED and all(line.approved_amount is None for line in claim.lines)


def test_a_claim_is_decided_once_paid_once_approved_and_appealed_once():
    claim = submitted()
    with pytest.raises(ClaimNotPayable):
        claim.record_payment(payment_reference="P", paid_on=TODAY, today=TODAY, at=NOON, by="manager")
    claim.decide(nothing(claim), reason=None, trace=None, at=NOON, by="manager")
    with pytest.raises(ClaimAlreadyDecided):
        claim.decide(full(claim), reason=None, trace=None, at=NOON, by="manager")
    claim.appeal(reason="new evidence", at=NOON, by="clerk")
    assert (claim.status, claim.appealed) == (ClaimStatus.SUBMITTED, True)  # back in the manager's queue
    assert isinstance(claim.events[-1], ClaimAppealed) and claim.events[-1].status == "submitted"
    claim.decide(nothing(claim), reason=None, trace=None, at=NOON, by="manager")
    with pytest.raises(AppealAlreadyUsed):
        claim.appeal(reason="again", at=NOON, by="clerk")
    with pytest.raises(ClaimTransitionNotAllowed):
        claim.cancel(reason="x", at=NOON, by="clerk")


def test_the_cut_lines_of_a_partial_approval_are_appealed_once_and_decided_again():
    claim = submitted()
    claim.decide([LineDecision(1, Decimal("180.00"), "labour_over_standard_time"), LineDecision(2, Decimal("860.00"))],
                 reason=None, trace=None, at=NOON, by="manager")
    claim.appeal(reason="the standard time is 2.5 hours", at=NOON, by="clerk")
    assert (claim.status, claim.appealed) == (ClaimStatus.SUBMITTED, True)
    assert [h.action for h in claim.history][-1] == "appealed" and claim.history[-1].from_status == "partially_approved"
    claim.decide(full(claim), reason="standard time confirmed", trace=None, at=NOON, by="manager")
    assert (claim.status, claim.approved_amount) == (ClaimStatus.APPROVED, Decimal("1220.00"))
    with pytest.raises(ClaimTransitionNotAllowed):  # approved in full: nothing to appeal
        claim.appeal(reason="again", at=NOON, by="clerk")


def test_a_partial_approval_appealed_once_is_not_appealed_again():
    claim = submitted()
    cut = [LineDecision(1, Decimal("180.00"), "labour_over_standard_time"), LineDecision(2, Decimal("860.00"))]
    claim.decide(cut, reason=None, trace=None, at=NOON, by="manager")
    claim.appeal(reason="photos", at=NOON, by="clerk")
    claim.decide(cut, reason=None, trace=None, at=NOON, by="manager")
    with pytest.raises(AppealAlreadyUsed):
        claim.appeal(reason="again", at=NOON, by="clerk")
    assert claim.status is ClaimStatus.PARTIALLY_APPROVED


def test_the_manufacturer_may_pay_less_than_approved_saying_why():
    claim = submitted()
    claim.decide(full(claim), reason=None, trace=None, at=NOON, by="manager")
    claim.record_payment(payment_reference="PAY-1", paid_on=TODAY, today=TODAY, at=NOON, by="manager",
                         paid_amount=Decimal("1100.00"), short_payment_reason="labour rate capped at 120")
    assert (claim.status, claim.paid_amount, claim.short_paid_amount) == (
        ClaimStatus.PAID, Decimal("1100.00"), Decimal("120.00"))
    paid = claim.events[-1]
    assert isinstance(paid, ClaimPaid)
    assert (paid.paid_amount, paid.approved_amount, paid.short_paid_amount, paid.short_payment_reason) == (
        Decimal("1100.00"), Decimal("1220.00"), Decimal("120.00"), "labour rate capped at 120")
    assert claim.history[-1].reason == "PAY-1: labour rate capped at 120"


@pytest.mark.parametrize(("amount", "reason", "error"), [
    (Decimal("1220.01"), None, PaymentAboveApproved),
    (Decimal("1220.01"), "extra", PaymentAboveApproved),
    (Decimal("1000.00"), None, ShortPaymentReasonRequired),
    (Decimal("1220.00"), "no reason to give", PaymentNotShort),
    (None, "no reason to give", PaymentNotShort),
])
def test_a_payment_that_cannot_be_right_changes_nothing(amount, reason, error):
    claim = submitted()
    claim.decide(full(claim), reason=None, trace=None, at=NOON, by="manager")
    events = len(claim.events)
    with pytest.raises(error):
        claim.record_payment(payment_reference="PAY-1", paid_on=TODAY, today=TODAY, at=NOON, by="manager",
                             paid_amount=amount, short_payment_reason=reason)
    assert (claim.status, claim.paid_amount, claim.payment_reference, len(claim.events)) == (
        ClaimStatus.APPROVED, None, None, events)


def test_info_requested_goes_back_to_the_clerk_and_returns_on_resubmission():
    claim = submitted()
    claim.request_info(reason="photo", at=NOON, by="manager")
    claim.edit(1, cause="seal failed", today=TODAY, at=NOON, by="clerk")
    claim.submit(flags=[], at=NOON, by="clerk")
    assert [h.action for h in claim.history] == ["filed", "submitted", "info_requested", "edited", "resubmitted"]
    claim.decide(full(claim), reason=None, trace=None, at=NOON, by="manager")
    claim.record_payment(payment_reference="PAY-1", paid_on=TODAY, today=TODAY, at=NOON, by="manager")
    assert (claim.status, claim.paid_amount, claim.short_paid_amount) == (
        ClaimStatus.PAID, Decimal("1220.00"), Decimal("0.00"))


# ---------------------------------------------------------------- rules


def check(claim: Claim, facts: SubmissionFacts | None = None, today: date = TODAY, **rules) -> list[str]:
    return claim_rules.check(claim, facts or SubmissionFacts(plan=covering()), ClaimRules(**rules), today=today,
                             resubmission=False)


def earlier(**changes) -> EarlierClaim:
    values = dict(claim_number="WC-0", vin="LVSHCAMB1CE054249", repair_order="RO-0", repair_date=date(2026, 10, 1),
                  odometer=20_000, causal_part_number="P-1", repair_order_lines=frozenset())
    return EarlierClaim(**{**values, **changes})


def test_the_rules_refuse_with_their_own_codes():
    with pytest.raises(EmptyClaim):
        check(a_claim(lines=[]))
    with pytest.raises(CausalPartRequired):
        check(a_claim(lines=[LABOUR]))
    with pytest.raises(SubmissionDeadlinePassed):
        check(a_claim(), today=date(2026, 12, 21))
    assert check(a_claim(), today=date(2026, 12, 20)) == []  # the 30th day still counts
    assert check(a_claim(), today=date(2026, 12, 30), submission_days=45) == []
    with pytest.raises(DuplicateClaim):
        check(a_claim(), SubmissionFacts(plan=covering(), earlier_claims=(earlier(repair_date=date(2026, 11, 20)),)))
    with pytest.raises(DuplicateClaim):
        check(a_claim(), SubmissionFacts(plan=covering(), earlier_claims=(
            earlier(repair_order="RO-1", causal_part_number="P-9", repair_order_lines=frozenset({"2"})),)))
    with pytest.raises(NotEligible):
        check(a_claim(), SubmissionFacts(plan=covering(reasons=(EXPIRED_DISTANCE,))))
    with pytest.raises(NotEligible):
        check(a_claim(), SubmissionFacts(plan=None))
    with pytest.raises(PartNotCovered):
        check(a_claim(), SubmissionFacts(plan=covering(), parts={"P-1": PartFacts("aftermarket", True)}))
    with pytest.raises(PartNotCovered) as fitted_earlier:
        check(a_claim(), SubmissionFacts(plan=covering(reasons=(AFTERMARKET_ON_CRITICAL,), aftermarket_part="AM-9")))
    assert fitted_earlier.value.context["part_number"] == "AM-9"  # the culprit, not the claim's part P-1
    assert check(a_claim(), SubmissionFacts(plan=covering(), parts={"P-1": PartFacts("aftermarket", False)})) == []


def test_pre_authorisation_above_the_plans_threshold_or_the_default_must_predate_the_repair():
    with pytest.raises(PreAuthorisationRequired):
        check(a_claim(), SubmissionFacts(plan=covering(threshold=Decimal("1000.00"))))
    with pytest.raises(PreAuthorisationRequired):
        check(a_claim(), pre_authorisation_above=Decimal("1219.99"))
    with pytest.raises(PreAuthorisationRequired):
        check(a_claim(pre_authorisation_number="PA-1", pre_authorised_on=date(2026, 11, 21)),
              pre_authorisation_above=Decimal("0"))
    assert check(a_claim(pre_authorisation_number="PA-1", pre_authorised_on=date(2026, 11, 20)),
                 SubmissionFacts(plan=covering(threshold=Decimal("0")))) == []
    assert check(a_claim(), pre_authorisation_above=Decimal("1220.00")) == []


def test_repeat_repairs_and_long_labour_are_flagged():
    assert check(a_claim(), SubmissionFacts(plan=covering(), earlier_claims=(earlier(),))) == ["repeat_repair"]
    far = earlier(repair_date=date(2026, 1, 1), odometer=10_000)
    assert check(a_claim(), SubmissionFacts(plan=covering(), earlier_claims=(far,))) == []
    assert check(a_claim(), SubmissionFacts(plan=covering(), earlier_claims=(far,)), repeat_repair_km=21_000) == [
        "repeat_repair"]
    long = a_claim(lines=[{**LABOUR, "quantity": Decimal("2.6")}, PUMP])
    assert check(long) == ["labour_over_standard_time"]
    assert check(long, standard_hours={"WATER-PUMP": Decimal("3")}) == []


# ---------------------------------------------------------------- campaign claims

INSPECTION = {"kind": "labour", "operation": "BRAKE-HOSE-INSPECT", "quantity": Decimal("0.5"),
              "unit_price": Decimal("180.00")}


def a_recall(**terms) -> CoveragePlan:
    return CoveragePlan("D001", "RC-1", at=NOON, by="manager", **{
        "make": "Toyota", "name": "brake hose recall", "type": "campaign", "components": ["brakes"], **terms})


def campaign_answer(component: str | None) -> PlanAnswer:
    vehicle = Vehicle("D001", "LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
                      in_service_date=date(2024, 9, 15), owner_count=1, at=NOON, today=TODAY)
    assessment = assess(vehicle, [a_recall()], Question(date(2026, 11, 20), 31_000, Concern(component=component)),
                        [], default_pre_authorisation_above=RULES.pre_authorisation_above)
    return assessment.plans[0]


def test_a_labour_only_campaign_inspection_names_its_component_and_passes():
    inspection = a_claim(claim_type="campaign", coverage_plan="RC-1", lines=[INSPECTION], component_group="brakes",
                         campaign="RC-1")
    facts = SubmissionFacts(plan=campaign_answer("brakes"), open_campaigns=frozenset({"RC-1"}))
    assert check(inspection, facts) == []
    inspection.submit(flags=[], at=NOON, by="clerk")
    assert (inspection.events[-1].component_group, inspection.events[-1].campaign) == ("brakes", "RC-1")
    inspection.decide(full(inspection), reason=None, trace=None, at=NOON, by="manager")
    assert inspection.status is ClaimStatus.APPROVED


def test_without_its_component_a_campaign_inspection_is_not_covered_by_a_campaign_for_one_group():
    unnamed = a_claim(claim_type="campaign", coverage_plan="RC-1", lines=[INSPECTION])
    with pytest.raises(NotEligible) as refused:
        check(unnamed, SubmissionFacts(plan=campaign_answer(None)))
    assert refused.value.context["reasons"] == [COMPONENT_NOT_COVERED]


def test_a_warranty_claim_still_needs_its_causal_part_and_only_a_campaign_claim_names_a_campaign():
    with pytest.raises(CausalPartRequired):
        check(a_claim(lines=[LABOUR], component_group="engine"))
    with pytest.raises(ClaimCampaignInvalid):
        a_claim(campaign="RC-1")
    claim = a_claim(claim_type="campaign", campaign="RC-1")
    with pytest.raises(ClaimCampaignInvalid):
        claim.edit(1, claim_type="warranty", today=TODAY, at=NOON, by="clerk")
    assert claim.claim_type.value == "campaign"


def test_a_campaign_not_open_for_the_vehicle_or_a_component_against_the_causal_part_is_refused():
    with pytest.raises(CampaignNotOpen):
        check(a_claim(claim_type="campaign", campaign="RC-OLD"), SubmissionFacts(plan=covering(),
                                                                                 open_campaigns=frozenset({"RC-1"})))
    with pytest.raises(ComponentGroupMismatch):
        check(a_claim(component_group="brakes"),
              SubmissionFacts(plan=covering(), parts={"P-1": PartFacts("oem", False, "engine")}))
    assert check(a_claim(component_group="engine"),
                 SubmissionFacts(plan=covering(), parts={"P-1": PartFacts("oem", False, "engine")})) == []


# ---------------------------------------------------------------- one pre-authorisation rule


@pytest.mark.parametrize(("own_limit", "amount"), [
    (None, Decimal("4999.99")), (None, Decimal("5000.00")), (None, Decimal("5000.01")), (None, Decimal("6000.00")),
    (Decimal("2000.00"), Decimal("1999.99")), (Decimal("2000.00"), Decimal("2000.00")),
    (Decimal("2000.00"), Decimal("2000.01")), (Decimal("0.00"), Decimal("10.00")),
])
def test_eligibility_and_submission_agree_on_pre_authorisation(own_limit, amount):
    plans = [plan for plan in default_plans("D001", NOON) if plan.code == "CN-REPAIR"]
    plans[0].pre_authorisation_above = own_limit
    vehicle = Vehicle("D001", "LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
                      in_service_date=date(2024, 9, 15), owner_count=1, at=NOON, today=TODAY)
    [answer] = assess(vehicle, plans, Question(date(2026, 11, 20), 31_000, Concern("engine"), amount), [],
                      default_pre_authorisation_above=RULES.pre_authorisation_above).plans
    claim = a_claim(lines=[{**PUMP, "unit_price": amount}])
    try:
        check(claim, SubmissionFacts(plan=answer))
        refused = False
    except PreAuthorisationRequired as error:
        refused = True
        assert error.context["threshold"] == str(answer.pre_authorisation_limit)
    assert answer.pre_authorisation_required is refused


# ---------------------------------------------------------------- lines named from 0, lots, a review before submitting


@pytest.mark.parametrize(("lines", "field", "line"), [
    ([{**PUMP, "quantity": Decimal("0")}], "lines.0.quantity", 0),
    ([LABOUR, {**PUMP, "unit_price": Decimal("-1")}], "lines.1.unit_price", 1),
    ([PUMP, {**PUMP, "repair_order_line": "3"}], "lines.1.causal", 1),
    ([LABOUR, {**LABOUR, "operation": "X"}, PUMP], "lines.0.repair_order_line", 0),
    ([LABOUR, {**LABOUR, "lot": "LOT-1", "repair_order_line": "9"}], "lines.1.lot", 1),
])
def test_a_refused_line_is_named_by_its_position_from_0_as_every_422_names_fields(lines, field, line):
    with pytest.raises(ClaimLineInvalid) as refused:
        a_claim(lines=lines)
    assert (refused.value.context["field"], refused.value.context["line"]) == (field, line)
    assert refused.value.detail.startswith(f"line {line + 1}: ")  # the sentence says the number the claim shows


def test_a_part_lines_lot_is_kept_and_announced_with_the_submission():
    claim = submitted(a_claim(lines=[LABOUR, {**PUMP, "lot": "LOT-AISIN-7"},
                                     {**PUMP, "part_number": "P-2", "causal": False, "repair_order_line": "3"}]))
    assert [line.lot for line in claim.lines] == [None, "LOT-AISIN-7", None]
    [event] = claim.events
    assert [(part.part_number, part.lot, part.causal) for part in event.parts] == [
        ("P-1", "LOT-AISIN-7", True), ("P-2", None, False)]


def review(claim: Claim, facts: SubmissionFacts, today: date = TODAY) -> claim_rules.Review:
    return claim_rules.review(claim, facts, RULES, today=today, resubmission=False)


def test_a_review_lists_every_broken_rule_in_submission_order_and_changes_nothing():
    claim = a_claim(lines=[LABOUR, {**PUMP, "supplied_by": "customer"}])
    facts = SubmissionFacts(
        plan=covering(reasons=(EXPIRED_DISTANCE,)), parts={"P-1": PartFacts("oem", True)},
        earlier_claims=(earlier(repair_order="RO-1", causal_part_number="P-9", repair_order_lines=frozenset({"1"})),))
    found = review(claim, facts, today=date(2026, 12, 21))
    assert not found.submittable
    assert [(problem.code, problem.context["field"], problem.context.get("line")) for problem in found.problems] == [
        ("submission_deadline_passed", "repair_date", None),
        ("duplicate_claim", "lines", 0),
        ("aftermarket_part_on_critical_component", "lines", 1),
        ("claim_not_eligible", "coverage_plan", None),
    ]
    assert (claim.status, claim.events, len(claim.history)) == (ClaimStatus.DRAFT, [], 1)
    with pytest.raises(SubmissionDeadlinePassed):  # submitting answers the first of them
        claim_rules.check(claim, facts, RULES, today=date(2026, 12, 21), resubmission=False)


def test_a_review_of_a_claim_that_passes_says_so_with_its_flags():
    found = review(a_claim(lines=[{**LABOUR, "quantity": Decimal("2.6")}, PUMP]), SubmissionFacts(plan=covering()))
    assert (found.submittable, found.problems, found.flags) == (True, (), ("labour_over_standard_time",))


def test_a_review_of_an_empty_warranty_claim_names_both_what_is_missing():
    found = review(a_claim(lines=[]), SubmissionFacts(plan=None))
    assert [problem.code for problem in found.problems] == ["claim_empty", "causal_part_required", "claim_not_eligible"]


def test_a_claim_that_cannot_be_submitted_now_cannot_be_reviewed_either():
    with pytest.raises(ClaimTransitionNotAllowed):
        review(submitted(), SubmissionFacts(plan=covering()))


def test_the_labour_operations_are_the_configured_standard_times_with_the_seeded_names():
    seeded = {operation.operation: operation for operation in RULES.labour_operations()}
    assert seeded["WATER-PUMP"] == claim_rules.LabourOperation("WATER-PUMP", Decimal("2.5"), "更换水泵",
                                                                "Replace water pump")
    configured = ClaimRules(standard_hours={"WATER-PUMP": Decimal("3"), "EV-BATTERY-SWAP": Decimal("4.5")})
    assert [(o.operation, o.standard_hours, o.name_en) for o in configured.labour_operations()] == [
        ("EV-BATTERY-SWAP", Decimal("4.5"), None), ("WATER-PUMP", Decimal("3"), "Replace water pump")]
