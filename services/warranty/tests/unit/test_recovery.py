"""A supplier recovery's life, without a database: open → charged → recovered, disputed or
written off, the amount adjusted on the way, every step in the history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shared.errors import StaleVersion

from warranty.domain.claim import ClaimLine
from warranty.domain.errors import (
    NothingToChange,
    RecoveryAmountInvalid,
    RecoveryClosed,
    RecoveryTransitionNotAllowed,
)
from warranty.domain.events import (
    SupplierRecoveryAdjusted,
    SupplierRecoveryCharged,
    SupplierRecoveryDisputed,
    SupplierRecoveryOpened,
    SupplierRecoveryRecovered,
    SupplierRecoveryWrittenOff,
)
from warranty.domain.recovery import (
    CHARGED,
    DISPUTED,
    OPEN,
    RECOVERED,
    RECOVERY_STATUSES,
    STEPS,
    WRITTEN_OFF,
    RecoveryCosts,
    SupplierRecovery,
)

APPROVED = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
LATER = APPROVED + timedelta(days=3)
STEP_EVENTS = {"charge": SupplierRecoveryCharged, "dispute": SupplierRecoveryDisputed,
               "recover": SupplierRecoveryRecovered, "write_off": SupplierRecoveryWrittenOff}


def a_recovery(parts="860.00", labour="480.00") -> SupplierRecovery:
    recovery = SupplierRecovery("D001", claim_number="WC-1", vin="LVSHCAMB1CE054249", supplier="AISIN",
                                part_number="16100-29575", lot="LOT-AISIN-7",
                                costs=RecoveryCosts(Decimal(parts), Decimal(labour)), currency="CNY", at=APPROVED,
                                by="manager-wang")
    recovery.version = 1
    return recovery


def in_status(status: str) -> SupplierRecovery:
    recovery = a_recovery()
    path = {OPEN: [], CHARGED: ["charge"], DISPUTED: ["charge", "dispute"], RECOVERED: ["charge", "recover"],
            WRITTEN_OFF: ["charge", "write_off"]}[status]
    for step in path:
        take(recovery, step)
    recovery.events.clear()
    return recovery


def take(recovery: SupplierRecovery, step: str, reason: str = "as agreed", reference: str | None = None) -> None:
    getattr(recovery, step)(recovery.version, reason=reason, reference=reference, at=LATER, by="manager-wang")
    recovery.version += 1  # as the mapper's version column does on flush


def test_an_approved_claims_lines_open_the_recovery_as_parts_and_labour():
    lines = [ClaimLine("D001", 1, "labour", operation="WATER-PUMP", quantity=Decimal("2"),
                       unit_price=Decimal("180.00")),
             ClaimLine("D001", 2, "part", part_number="P-1", quantity=Decimal("1"), unit_price=Decimal("860.00")),
             ClaimLine("D001", 3, "sublet", quantity=Decimal("1"), unit_price=Decimal("120.00"))]
    for line, approved in zip(lines, ("300.00", "860.00", "120.00"), strict=True):
        line.approved_amount = Decimal(approved)
    costs = RecoveryCosts.approved_on(lines)
    assert (costs.parts, costs.labour, costs.handling, costs.amount) == (
        Decimal("860.00"), Decimal("420.00"), Decimal("0.00"), Decimal("1280.00"))


def test_a_new_recovery_is_open_with_its_opening_in_the_history_and_an_event():
    recovery = a_recovery()
    assert (recovery.status, recovery.amount) == (OPEN, Decimal("1340.00"))
    [opened] = recovery.history
    assert (opened.action, opened.from_status, opened.to_status, opened.amount, opened.by) == (
        "opened", None, OPEN, Decimal("1340.00"), "manager-wang")
    [event] = recovery.events
    assert event == SupplierRecoveryOpened("WC-1", "LVSHCAMB1CE054249", "AISIN", "16100-29575", "LOT-AISIN-7",
                                           Decimal("1340.00"), "CNY", Decimal("860.00"), Decimal("480.00"),
                                           Decimal("0.00"))


def test_charged_disputed_charged_again_and_recovered_each_step_kept_with_who_when_why():
    recovery = in_status(OPEN)
    take(recovery, "charge", reason="debit note sent", reference="DN-2026-001")
    take(recovery, "dispute", reason="supplier says misuse")
    take(recovery, "charge", reason="photos prove a seal defect", reference="DN-2026-001")
    take(recovery, "recover", reason="credit note received", reference="CN-88")
    assert recovery.status == RECOVERED
    assert [(h.action, h.from_status, h.to_status, h.reason, h.reference) for h in recovery.history[1:]] == [
        ("charged", OPEN, CHARGED, "debit note sent", "DN-2026-001"),
        ("disputed", CHARGED, DISPUTED, "supplier says misuse", None),
        ("charged", DISPUTED, CHARGED, "photos prove a seal defect", "DN-2026-001"),
        ("recovered", CHARGED, RECOVERED, "credit note received", "CN-88"),
    ]
    assert all((h.at, h.by) == (LATER, "manager-wang") for h in recovery.history[1:])
    assert [type(e) for e in recovery.events] == [SupplierRecoveryCharged, SupplierRecoveryDisputed,
                                                  SupplierRecoveryCharged, SupplierRecoveryRecovered]
    assert recovery.events[-1] == SupplierRecoveryRecovered("WC-1", "AISIN", RECOVERED, Decimal("1340.00"), "CNY",
                                                            "credit note received", "CN-88")


LEGAL = {(start, step) for step, (starts, _) in STEPS.items() for start in starts}


@pytest.mark.parametrize("status", RECOVERY_STATUSES)
@pytest.mark.parametrize("step", sorted(STEPS))
def test_every_step_from_every_status_leads_where_the_machine_says_or_changes_nothing(status, step):
    recovery = in_status(status)
    history = len(recovery.history)
    if (status, step) in LEGAL:
        take(recovery, step)
        assert recovery.status == STEPS[step][1]
        assert len(recovery.history) == history + 1
        assert [type(e) for e in recovery.events] == [STEP_EVENTS[step]]
    else:
        with pytest.raises(RecoveryTransitionNotAllowed) as refused:
            take(recovery, step)
        assert refused.value.context["recovery_status"] == status
        assert (recovery.status, len(recovery.history), recovery.events) == (status, history, [])


def test_the_machine_is_the_one_the_desk_works_by():
    assert LEGAL == {(OPEN, "charge"), (CHARGED, "dispute"), (CHARGED, "recover"), (CHARGED, "write_off"),
                     (DISPUTED, "recover"), (DISPUTED, "write_off"), (DISPUTED, "charge")}


def test_an_adjustment_changes_the_named_parts_keeps_the_others_and_says_why():
    recovery = in_status(CHARGED)
    recovery.adjust(recovery.version, reason="supplier pays labour at its own rate",
                    labour=Decimal("400.00"), handling=Decimal("50.00"), at=LATER, by="manager-wang")
    assert (recovery.parts_amount, recovery.labour_amount, recovery.handling_amount, recovery.amount) == (
        Decimal("860.00"), Decimal("400.00"), Decimal("50.00"), Decimal("1310.00"))
    adjusted = recovery.history[-1]
    assert (adjusted.action, adjusted.from_status, adjusted.to_status, adjusted.amount, adjusted.reason) == (
        "adjusted", CHARGED, CHARGED, Decimal("1310.00"), "supplier pays labour at its own rate")
    assert recovery.events == [SupplierRecoveryAdjusted(
        "WC-1", "AISIN", CHARGED, Decimal("1310.00"), "CNY", "supplier pays labour at its own rate",
        Decimal("1340.00"), Decimal("860.00"), Decimal("400.00"), Decimal("50.00"))]


@pytest.mark.parametrize("status", [RECOVERED, WRITTEN_OFF])
def test_a_closed_recovery_keeps_its_amount(status):
    recovery = in_status(status)
    with pytest.raises(RecoveryClosed):
        recovery.adjust(recovery.version, reason="late", handling=Decimal("10.00"), at=LATER, by="m")
    assert (recovery.amount, recovery.events) == (Decimal("1340.00"), [])


@pytest.mark.parametrize(("changes", "error"), [
    ({"parts": Decimal("-1.00")}, RecoveryAmountInvalid),
    ({"parts": Decimal("0.00"), "labour": Decimal("0.00")}, RecoveryAmountInvalid),
    ({"parts": Decimal("860.00")}, NothingToChange),
])
def test_an_adjustment_to_nothing_below_zero_or_to_the_same_amount_is_refused(changes, error):
    recovery = in_status(OPEN)
    with pytest.raises(error):
        recovery.adjust(recovery.version, reason="check", at=LATER, by="m", **changes)
    assert (recovery.costs, len(recovery.history), recovery.events) == (
        RecoveryCosts(Decimal("860.00"), Decimal("480.00")), 1, [])


def test_a_step_or_adjustment_against_a_stale_version_changes_nothing():
    recovery = in_status(OPEN)
    with pytest.raises(StaleVersion):
        recovery.charge(recovery.version - 1, reason="late", reference=None, at=LATER, by="m")
    with pytest.raises(StaleVersion):
        recovery.adjust(recovery.version + 1, reason="late", handling=Decimal("9.00"), at=LATER, by="m")
    assert (recovery.status, recovery.amount, len(recovery.history), recovery.events) == (
        OPEN, Decimal("1340.00"), 1, [])
