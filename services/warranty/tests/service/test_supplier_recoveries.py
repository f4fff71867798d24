"""Supplier recovery (供应商索赔) through its use cases: the approved claim whose failed part is
traced to a lot opens it against the lot's supplier, then the warranty manager charges, hears the
dispute, recovers or writes off, each step against the version the manager saw."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from warranty.domain.errors import RecoveryClosed, RecoveryNotFound, RecoveryTransitionNotAllowed
from warranty.domain.events import ClaimApproved, SupplierRecoveryAdjusted, SupplierRecoveryOpened
from warranty.service import claims, installations, recoveries
from warranty.service.claims import DecideClaim
from warranty.service.recoveries import AdjustRecovery, StepNote

from services.warranty.tests.service.conftest import IN_FULL, MANAGER, PARTS, PUMP, VIN, at, caller, submitted

PUMP_ISSUE = dict(part_number=PUMP, location="MAIN", quantity=Decimal("1.000"), source="oem", technician=None,
                  odometer=None)


@pytest.fixture
def pump_traced(uow, camry, pump_known):
    """The pump that failed went in on an earlier repair order from AISIN's lot; the new one,
    from DENSO's, went in on the claim's own repair order."""
    installations.record_installation(uow(), PARTS, issue="ISS-000001", repair_order="RO-2025-0007", vin=VIN,
                                      lot="LOT-AISIN-7", supplier="AISIN", **PUMP_ISSUE, at=at("2025-06-01 10:00"))
    installations.record_installation(uow(), PARTS, issue="ISS-000310", repair_order="RO-2026-0100", vin=VIN,
                                      lot="LOT-DENSO-2", supplier="DENSO", **PUMP_ISSUE, at=at("2026-11-20 15:00"))


@pytest.fixture
def recovery(uow, store, pump_traced):
    claim = submitted(uow)
    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=IN_FULL))
    return store.one("recoveries", claim_number=claim.claim_number)


def test_an_approved_claim_traced_to_a_lot_opens_a_recovery_against_the_failed_parts_supplier(
        uow, store, pump_traced):
    claim = submitted(uow)

    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=IN_FULL))

    [approved] = store.events_of(ClaimApproved)
    assert (approved.causal_lot, approved.supplier) == ("LOT-AISIN-7", "AISIN")
    kept = store.one("recoveries", claim_number=claim.claim_number)
    assert (kept.supplier, kept.lot, kept.status, kept.version) == ("AISIN", "LOT-AISIN-7", "open", 1)
    assert (kept.parts_amount, kept.labour_amount, kept.amount) == (
        Decimal("860.00"), Decimal("480.00"), Decimal("1340.00"))
    [opened] = store.events_of(SupplierRecoveryOpened)
    assert (opened.claim_number, opened.supplier, opened.amount) == (claim.claim_number, "AISIN", Decimal("1340.00"))


def test_a_claim_whose_part_we_never_fitted_opens_no_recovery(uow, store, camry, pump_known):
    claim = submitted(uow)

    claims.decide(uow(), MANAGER, claim.claim_number, DecideClaim(lines=IN_FULL))

    assert store.one("claims", claim_number=claim.claim_number).status.value == "approved"
    assert store.rows.recoveries == []


def test_a_recovery_is_charged_disputed_and_recovered_each_step_on_the_version_seen(uow, store, recovery):
    number = recovery.claim_number
    recoveries.charge(uow(), MANAGER, number, 1, StepNote(reason="debit note sent", reference="DN-2026-118"))
    with pytest.raises(StaleVersion):
        # not the version now
        recoveries.dispute(uow(), MANAGER, number, 1, StepNote(reason="supplier says fitted wrong"))
    recoveries.dispute(uow(), MANAGER, number, 2, StepNote(reason="supplier says fitted wrong"))
    recoveries.recover(uow(), MANAGER, number, 3, StepNote(reason="credit note received", reference="CN-88"))

    with pytest.raises(RecoveryTransitionNotAllowed):
        recoveries.write_off(uow(), MANAGER, number, 4, StepNote(reason="give up"))

    kept = store.one("recoveries", claim_number=number)
    assert (kept.status, kept.version) == ("recovered", 4)
    assert [(h.action, h.from_status, h.reference) for h in kept.history] == [
        ("opened", None, None), ("charged", "open", "DN-2026-118"), ("disputed", "charged", None),
        ("recovered", "disputed", "CN-88")]


def test_an_amount_is_adjusted_while_the_recovery_is_open_and_never_after(uow, store, recovery):
    number = recovery.claim_number
    recoveries.adjust(uow(), MANAGER, number, 1,
                      AdjustRecovery(reason="handling fee agreed", handling=Decimal("50.00")))
    recoveries.charge(uow(), MANAGER, number, 2, StepNote(reason="debit note sent"))
    recoveries.write_off(uow(), MANAGER, number, 3, StepNote(reason="supplier went bankrupt"))

    with pytest.raises(RecoveryClosed):
        recoveries.adjust(uow(), MANAGER, number, 4, AdjustRecovery(reason="too late", labour=Decimal("1.00")))

    kept = store.one("recoveries", claim_number=number)
    assert (kept.status, kept.amount, kept.handling_amount) == ("written_off", Decimal("1390.00"), Decimal("50.00"))
    [adjusted] = store.events_of(SupplierRecoveryAdjusted)
    assert (adjusted.amount, adjusted.previous_amount) == (Decimal("1390.00"), Decimal("1340.00"))


def test_another_dealer_cannot_touch_the_recovery(uow, store, recovery):
    with pytest.raises(RecoveryNotFound):
        recoveries.charge(uow("D002"), caller("manager-sun", "warranty_manager", dealer="D002"),
                          recovery.claim_number, 1, StepNote(reason="not ours"))
    assert store.one("recoveries", claim_number=recovery.claim_number).status == "open"
