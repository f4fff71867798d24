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
from warranty.domain.eligibility import AFTERMARKET_ON_CRITICAL, EXPIRED_DISTANCE, PlanAnswer
from warranty.domain.errors import (
    AppealAlreadyUsed,
    CausalPartRequired,
    ClaimAlreadyDecided,
    ClaimDateInFuture,
    ClaimLineInvalid,
    ClaimNotEditable,
    ClaimNotPayable,
    ClaimTransitionNotAllowed,
    DecisionInvalid,
    DuplicateClaim,
    EmptyClaim,
    NotEligible,
    PartNotCovered,
    PreAuthorisationRequired,
    RepairBeforeFailure,
    SubmissionDeadlinePassed,
)
from warranty.domain.events import ClaimApproved, ClaimPartiallyApproved, ClaimRejected, ClaimSubmitted

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


def covering(threshold: Decimal | None = None, reasons: tuple[str, ...] = ()) -> PlanAnswer:
    plan = CoveragePlan("D001", "CN-REPAIR", origin="default", at=NOON, by="x", name="repair", type=PlanType.BASIC,
                        months=36, km=60_000, pre_authorisation_above=threshold)
    return PlanAnswer(plan=plan, covered=not reasons, reasons=reasons, warnings=(), starts_on=None, starting_km=0,
                      covered_until=None, covered_up_to_km=None, months_left=None, days_left=None, km_left=None,
                      pre_authorisation_required=False)


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
    assert claim.status is ClaimStatus.APPEALED
    claim.decide(nothing(claim), reason=None, trace=None, at=NOON, by="manager")
    with pytest.raises(AppealAlreadyUsed):
        claim.appeal(reason="again", at=NOON, by="clerk")
    with pytest.raises(ClaimTransitionNotAllowed):
        claim.cancel(reason="x", at=NOON, by="clerk")


def test_info_requested_goes_back_to_the_clerk_and_returns_on_resubmission():
    claim = submitted()
    claim.request_info(reason="photo", at=NOON, by="manager")
    claim.edit(1, cause="seal failed", today=TODAY, at=NOON, by="clerk")
    claim.submit(flags=[], at=NOON, by="clerk")
    assert [h.action for h in claim.history] == ["filed", "submitted", "info_requested", "edited", "resubmitted"]
    claim.decide(full(claim), reason=None, trace=None, at=NOON, by="manager")
    claim.record_payment(payment_reference="PAY-1", paid_on=TODAY, today=TODAY, at=NOON, by="manager")
    assert (claim.status, claim.paid_amount) == (ClaimStatus.PAID, Decimal("1220.00"))


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
    with pytest.raises(PartNotCovered):
        check(a_claim(), SubmissionFacts(plan=covering(reasons=(AFTERMARKET_ON_CRITICAL,))))
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
