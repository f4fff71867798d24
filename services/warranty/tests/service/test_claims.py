"""A warranty claim's life through its use cases: filed from its header and lines, checked and
submitted against the rules (a refusal leaves the claim as it was), asked about and edited,
decided line by line, appealed once, paid, cancelled; and the lemon-law thresholds a submitted
claim makes its vehicle reach. Today is 25 November 2026 in Beijing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from warranty.domain.claim import LineDecision
from warranty.domain.errors import (
    AppealAlreadyUsed,
    ClaimNotFound,
    ClaimPlanNotKnown,
    ClaimVehicleNotKnown,
    DecisionInvalid,
    DuplicateClaim,
    NotEligible,
    ShortPaymentReasonRequired,
    SubmissionDeadlinePassed,
)
from warranty.domain.events import (
    ClaimAppealed,
    ClaimPaid,
    ClaimPartiallyApproved,
    ClaimSubmitted,
    LemonLawThresholdReached,
)
from warranty.service import claims, vehicles
from warranty.service.claims import DecideClaim, EditClaim, FileClaim, RecordPayment, StatedReason
from warranty.service.vehicles import RegisterVehicle

from services.warranty.tests.service.conftest import (
    CLERK,
    HEADER,
    IN_FULL,
    LABOUR,
    MANAGER,
    NOTHING,
    PUMP,
    PUMP_LINE,
    SUBLET,
    VIN,
    at,
    caller,
    file,
    learn,
    submitted,
)


def stored(store, claim):
    return store.one("claims", claim_number=claim.claim_number)


def test_a_claim_is_filed_as_a_draft_from_its_header_and_lines(uow, store, camry):
    claim = file(uow, vin=VIN.lower())

    kept = stored(store, claim)
    assert kept.claim_number.startswith("WC-20261125-")
    assert (kept.vin, kept.status.value, kept.header, kept.version) == (VIN, "draft", HEADER, 1)
    assert [line.amount for line in kept.lines] == [Decimal("360.00"), Decimal("860.00"), Decimal("120.00")]
    assert (kept.claimed_amount, kept.causal_part_number) == (Decimal("1340.00"), PUMP)
    assert [(h.action, h.to_status, h.by) for h in kept.history] == [("filed", "draft", "clerk-li")]
    assert store.events_of(ClaimSubmitted) == []  # a draft is nobody else's business yet


def test_a_claim_on_a_vehicle_or_plan_we_do_not_know_leaves_nothing_behind(uow, store):
    with pytest.raises(ClaimVehicleNotKnown):
        file(uow)
    assert store.rows.plans == []  # the defaults a first claim would have brought went with it

    vehicles.register_vehicle(uow(), caller("advisor-zhou", "service_advisor"), RegisterVehicle(
        vin=VIN, make="Toyota", model="Camry", model_year=2024, in_service_date=date(2024, 9, 15)))
    with pytest.raises(ClaimPlanNotKnown):
        file(uow, coverage_plan="CN-NOPE")
    assert store.rows.claims == []


def test_submitting_checks_the_rules_and_announces_the_claim_with_its_parts(uow, store, camry, pump_known):
    claim = submitted(uow)

    kept = stored(store, claim)
    assert (kept.status.value, kept.flags, kept.submitted_at) == ("submitted", [], at("2026-11-25 10:00"))
    [announced] = store.events_of(ClaimSubmitted)
    assert (announced.claim_number, announced.claimed_amount) == (claim.claim_number, Decimal("1340.00"))
    assert [(part.part_number, part.causal) for part in announced.parts] == [(PUMP, True)]


def test_a_claim_past_its_deadline_is_refused_and_stays_the_draft_it_was(uow, store, camry, pump_known):
    late = file(uow, repair_date=date(2026, 10, 20), failure_date=date(2026, 10, 19))  # 30 days ran out on 19 Nov

    with pytest.raises(SubmissionDeadlinePassed):
        claims.submit(uow(), CLERK, late.claim_number)

    kept = stored(store, late)
    assert (kept.status.value, kept.submitted_at, kept.version) == ("draft", None, 1)
    assert [h.action for h in kept.history] == ["filed"]
    assert store.events_of(ClaimSubmitted) == []


def test_a_review_names_every_rule_the_claim_breaks_and_changes_nothing(uow, store, camry, pump_known):
    claim = file(uow, lines=(LABOUR, SUBLET), repair_date=date(2026, 10, 20), failure_date=date(2026, 10, 19))

    review = claims.review(uow(), CLERK, claim.claim_number)

    assert [problem.code for problem in review.problems] == ["causal_part_required", "submission_deadline_passed"]
    assert not review.submittable
    assert (stored(store, claim).status.value, stored(store, claim).version) == ("draft", 1)


def test_the_plan_covers_the_component_the_catalog_gives_the_causal_part(uow, store, camry, pump_known):
    # The powertrain plan covers engines: the pump is one, by the catalog.
    claims.submit(uow(), CLERK, file(uow, coverage_plan="CN-POWERTRAIN").claim_number)
    # The same plan, on a part the catalog puts in the brakes.
    learn(uow, "43512-06190", category="brakes", safety_critical=True)  # a front brake disc
    disc = dict(PUMP_LINE, part_number="43512-06190", repair_order_line="5")
    brakes = file(uow, lines=(disc,), repair_order="RO-2026-0101", coverage_plan="CN-POWERTRAIN")

    with pytest.raises(NotEligible) as refused:
        claims.submit(uow(), CLERK, brakes.claim_number)

    assert refused.value.context["reasons"] == ["component_not_covered"]
    assert stored(store, brakes).status.value == "draft"


def test_a_second_claim_on_the_same_part_soon_after_is_flagged_and_the_same_repair_twice_is_refused(
        uow, store, camry, pump_known):
    first = submitted(uow)
    again = submitted(uow, repair_order="RO-2026-0104", repair_date=date(2026, 11, 24), odometer=31_400,
                      failure_date=date(2026, 11, 23))
    assert stored(store, again).flags == ["repeat_repair"]

    twice = file(uow, repair_order="RO-2026-0105")  # same VIN, causal part and repair date as the first
    with pytest.raises(DuplicateClaim) as refused:
        claims.submit(uow(), CLERK, twice.claim_number)
    assert refused.value.context["duplicate_of"] == first.claim_number
    assert stored(store, twice).status.value == "draft"


def test_a_draft_or_a_cancelled_claim_is_not_a_duplicate(uow, store, camry, pump_known):
    cancelled = submitted(uow)
    claims.cancel(uow(), CLERK, cancelled.claim_number, StatedReason(reason="filed on the wrong repair order"))
    file(uow)  # a draft of the same repair

    claim = submitted(uow, repair_order="RO-2026-0107")

    assert stored(store, claim).status.value == "submitted"
    assert stored(store, cancelled).status.value == "cancelled"


def test_a_claim_asked_about_is_edited_and_sent_again_without_its_deadline_checked_again(
        uow, store, clock, camry, pump_known):
    claim = submitted(uow)
    claims.request_info(uow(), MANAGER, claim.claim_number, StatedReason(reason="photo of the leaking seal"))
    clock.now += timedelta(days=40)  # the deadline passed meanwhile; the claim was on time when first sent
    version = stored(store, claim).version

    with pytest.raises(StaleVersion):
        claims.edit_claim(uow(), CLERK, claim.claim_number, version - 1, EditClaim(header={"odometer": 31_050}))
    claims.edit_claim(uow(), CLERK, claim.claim_number, version, EditClaim(header={"odometer": 31_050},
                                                                             reason="odometer from the RO"))
    claims.submit(uow(), CLERK, claim.claim_number)

    kept = stored(store, claim)
    assert (kept.status.value, kept.header.odometer) == ("submitted", 31_050)
    assert [h.action for h in kept.history] == ["filed", "submitted", "info_requested", "edited", "resubmitted"]


def test_each_line_is_decided_and_the_claim_follows_from_its_lines(uow, store, camry, pump_known):
    claim = submitted(uow)
    missing_a_line = IN_FULL[:2]
    with pytest.raises(DecisionInvalid):
        claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=missing_a_line))
    assert [line.approved_amount for line in stored(store, claim).lines] == [None, None, None]

    cut = (IN_FULL[0], LineDecision(2, Decimal("430.00"), "price_over_list"), IN_FULL[2])
    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=cut, reason="pump at list price"))

    kept = stored(store, claim)
    assert (kept.status.value, kept.approved_amount) == ("partially_approved", Decimal("910.00"))
    [decided] = store.events_of(ClaimPartiallyApproved)
    assert (decided.approved_amount, decided.reason_codes) == (Decimal("910.00"), ("price_over_list",))


def test_a_rejection_is_appealed_once(uow, store, camry, pump_known):
    claim = submitted(uow)
    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=NOTHING, reason="seal damaged by the customer"))
    claims.appeal(uow(), CLERK, claim.claim_number, StatedReason(reason="the seal failed on its own: see the photos"))
    assert (stored(store, claim).status.value, stored(store, claim).appealed) == ("submitted", True)
    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=NOTHING, reason="still not covered"))

    with pytest.raises(AppealAlreadyUsed):
        claims.appeal(uow(), CLERK, claim.claim_number, StatedReason(reason="once more"))

    assert stored(store, claim).status.value == "rejected"
    assert len(store.events_of(ClaimAppealed)) == 1


def test_a_short_payment_says_why(uow, store, camry, pump_known):
    claim = submitted(uow)
    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=IN_FULL))
    with pytest.raises(ShortPaymentReasonRequired):
        claims.record_payment(uow(), MANAGER, claim.claim_number,
                              RecordPayment(payment_reference="OEM-PAY-889", paid_amount=Decimal("1200.00")))
    assert stored(store, claim).status.value == "approved"

    claims.record_payment(uow(), MANAGER, claim.claim_number, RecordPayment(
        payment_reference="OEM-PAY-889", paid_amount=Decimal("1200.00"),
        short_payment_reason="sublet capped by the maker"))

    kept = stored(store, claim)
    assert (kept.status.value, kept.paid_amount, kept.short_paid_amount, kept.paid_on) == (
        "paid", Decimal("1200.00"), Decimal("140.00"), date(2026, 11, 25))
    [paid] = store.events_of(ClaimPaid)
    assert (paid.paid_amount, paid.short_payment_reason) == (Decimal("1200.00"), "sublet capped by the maker")


def test_another_dealers_claims_and_vehicles_are_not_seen(uow, store, camry, pump_known):
    claim = file(uow)
    elsewhere = caller("clerk-sun", dealer="D002")

    with pytest.raises(ClaimNotFound):
        claims.submit(uow("D002"), elsewhere, claim.claim_number)
    with pytest.raises(ClaimVehicleNotKnown):
        claims.file_claim(uow("D002"), elsewhere, FileClaim(VIN, HEADER, (PUMP_LINE,)))

    assert stored(store, claim).status.value == "draft"
    assert store.all("claims", dealer="D002") == []


def test_each_lemon_law_threshold_a_vehicle_reaches_is_announced_once(uow, store, pump_known):
    # A new car: its three-guarantees period runs to 19 January 2028.
    vehicles.register_vehicle(uow(), caller("advisor-zhou", "service_advisor"), RegisterVehicle(
        vin="LFV2A21K8C4000013", make="VW", model="Lavida", model_year=2026, in_service_date=date(2026, 1, 20)))
    long_repair = dict(vin="LFV2A21K8C4000013", odometer=12_000, days_out_of_service=36)
    first = submitted(uow, **long_repair)
    assert [e.threshold for e in store.events_of(LemonLawThresholdReached)] == ["days_out_of_service"]

    # Off the road again, and the engine's pump replaced a second time.
    second = submitted(uow, **long_repair, repair_order="RO-2026-0110", repair_date=date(2026, 11, 24),
                       failure_date=date(2026, 11, 22))

    assert [(e.threshold, e.count, e.claim_numbers) for e in store.events_of(LemonLawThresholdReached)] == [
        ("days_out_of_service", 36, (first.claim_number,)),
        ("powertrain_part_replacements", 2, (first.claim_number, second.claim_number)),
    ]
    assert store.one("vehicles", vin="LFV2A21K8C4000013").lemon_law_reported == [
        "days_out_of_service", "powertrain_part_replacements"]
