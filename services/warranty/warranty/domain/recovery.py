"""Supplier recovery (供应商索赔): charging an approved claim back to the supplier of the lot the
causal part came from. Opened when the claim is approved and the part is traced to a lot and a
supplier through the parts service's issues, for what the manufacturer approved: the part lines
as parts, the labour and sublet lines as labour, and no handling charge (管理费) yet. A
parts-warranty case (配件保修) that finds a supplier defect and repairs or replaces the part
opens one the same way, under the case's number, for the replacement's price or the repair.

    open → charged                        the debit note went to the supplier
    charged → recovered | disputed | written_off
    disputed → recovered | written_off | charged (charged again once settled)

Until it is recovered or written off, the warranty manager may adjust the amount (parts,
labour, handling), always with a reason. Every step and adjustment is kept in the recovery's
history: who, when, why, and the amounts after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from warranty.domain.claim import ClaimLine, LineKind
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

OPEN = "open"
CHARGED = "charged"
DISPUTED = "disputed"
RECOVERED = "recovered"
WRITTEN_OFF = "written_off"
RECOVERY_STATUSES = (OPEN, CHARGED, DISPUTED, RECOVERED, WRITTEN_OFF)
CLOSED = frozenset({RECOVERED, WRITTEN_OFF})
# Each step: the statuses it may start from, and where it leads.
STEPS = {
    "charge": (frozenset({OPEN, DISPUTED}), CHARGED),
    "dispute": (frozenset({CHARGED}), DISPUTED),
    "recover": (frozenset({CHARGED, DISPUTED}), RECOVERED),
    "write_off": (frozenset({CHARGED, DISPUTED}), WRITTEN_OFF),
}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RecoveryCosts:
    """What the supplier is asked to pay, by what it pays for."""

    parts: Decimal
    labour: Decimal
    handling: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.parts + self.labour + self.handling

    @classmethod
    def approved_on(cls, lines: Iterable[ClaimLine]) -> RecoveryCosts:
        """The approved amounts of a decided claim: part lines as parts, labour and sublet
        (work bought in) as labour."""
        parts = labour = ZERO
        for line in lines:
            if line.kind is LineKind.PART:
                parts += line.approved_amount or ZERO
            else:
                labour += line.approved_amount or ZERO
        return cls(parts=parts, labour=labour)


class RecoveryHistoryEntry(DealerOwned):
    """One step or adjustment of a recovery, with the amounts after it. Never changed."""

    def __init__(self, dealer: str, *, action: str, from_status: str | None, to_status: str, costs: RecoveryCosts,
                 at: datetime, by: str, reason: str | None = None, reference: str | None = None):
        self.dealer = dealer
        self.action = action
        self.from_status = from_status
        self.to_status = to_status
        self.parts_amount = costs.parts
        self.labour_amount = costs.labour
        self.handling_amount = costs.handling
        self.amount = costs.amount
        self.at = at
        self.by = by
        self.reason = reason
        self.reference = reference


class SupplierRecovery(Aggregate):
    version: int
    history: list[RecoveryHistoryEntry]

    def __init__(self, dealer: str, *, claim_number: str, vin: str | None, supplier: str, part_number: str, lot: str,
                 costs: RecoveryCosts, currency: str, at: datetime, by: str):
        self.dealer = dealer
        self.claim_number = claim_number
        self.vin = vin
        self.supplier = supplier
        self.part_number = part_number
        self.lot = lot
        self.currency = currency
        self.status = OPEN
        self.opened_at = at
        self.history = []
        self._set(costs, at)
        self._record("opened", None, at=at, by=by)
        self.events.append(SupplierRecoveryOpened(
            claim_number, vin, supplier, part_number, lot, self.amount, currency, costs.parts, costs.labour,
            costs.handling,
        ))

    @property
    def subject(self) -> str:
        return self.claim_number

    @property
    def costs(self) -> RecoveryCosts:
        return RecoveryCosts(self.parts_amount, self.labour_amount, self.handling_amount)

    # ------------------------------------------------------------ the warranty manager's steps

    def charge(self, expected_version: int, *, reason: str, reference: str | None, at: datetime, by: str) -> None:
        """The debit note (索赔通知) went to the supplier; `reference` is its number."""
        self._step("charge", SupplierRecoveryCharged, expected_version, reason=reason, reference=reference, at=at,
                   by=by)

    def dispute(self, expected_version: int, *, reason: str, reference: str | None, at: datetime, by: str) -> None:
        """The supplier contests the charge."""
        self._step("dispute", SupplierRecoveryDisputed, expected_version, reason=reason, reference=reference, at=at,
                   by=by)

    def recover(self, expected_version: int, *, reason: str, reference: str | None, at: datetime, by: str) -> None:
        """The supplier paid or credited the amount; `reference` is its payment or credit note."""
        self._step("recover", SupplierRecoveryRecovered, expected_version, reason=reason, reference=reference, at=at,
                   by=by)

    def write_off(self, expected_version: int, *, reason: str, reference: str | None, at: datetime, by: str) -> None:
        """The dealer gives up on the amount: the cost stays with the dealer."""
        self._step("write_off", SupplierRecoveryWrittenOff, expected_version, reason=reason, reference=reference,
                   at=at, by=by)

    def adjust(self, expected_version: int, *, reason: str, at: datetime, by: str, parts: Decimal | None = None,
               labour: Decimal | None = None, handling: Decimal | None = None) -> None:
        """A new amount, by part: the named parts change, the others stay."""
        StaleVersion.check(expected_version, self.version)
        if self.status in CLOSED:
            raise RecoveryClosed(self.claim_number, self.status)
        before = self.costs
        after = RecoveryCosts(parts=before.parts if parts is None else parts,
                              labour=before.labour if labour is None else labour,
                              handling=before.handling if handling is None else handling)
        if after == before:
            raise NothingToChange()
        _check(after)
        self._set(after, at)
        self._record("adjusted", self.status, at=at, by=by, reason=reason)
        self.events.append(SupplierRecoveryAdjusted(
            self.claim_number, self.supplier, self.status, self.amount, self.currency, reason, before.amount,
            after.parts, after.labour, after.handling,
        ))

    # ------------------------------------------------------------ inside

    def _step(self, step: str, happened, expected_version: int, *, reason: str, reference: str | None,
              at: datetime, by: str) -> None:
        StaleVersion.check(expected_version, self.version)
        starts, leads_to = STEPS[step]
        if self.status not in starts:
            raise RecoveryTransitionNotAllowed(self.claim_number, self.status, step,
                                               allowed_from=sorted(starts))
        was = self.status
        self.status = leads_to
        self.updated_at = at
        self._record(leads_to, was, at=at, by=by, reason=reason, reference=reference)
        self.events.append(happened(self.claim_number, self.supplier, self.status, self.amount, self.currency,
                                    reason, reference))

    def _set(self, costs: RecoveryCosts, at: datetime) -> None:
        self.parts_amount = costs.parts
        self.labour_amount = costs.labour
        self.handling_amount = costs.handling
        self.amount = costs.amount
        self.updated_at = at

    def _record(self, action: str, was: str | None, *, at: datetime, by: str, reason: str | None = None,
                reference: str | None = None) -> None:
        self.history.append(RecoveryHistoryEntry(
            self.dealer, action=action, from_status=was, to_status=self.status, costs=self.costs, at=at, by=by,
            reason=reason, reference=reference,
        ))


def _check(costs: RecoveryCosts) -> None:
    for name in ("parts", "labour", "handling"):
        if getattr(costs, name) < 0:
            raise RecoveryAmountInvalid(name, f"the {name} amount cannot be negative")
    if costs.amount <= 0:
        raise RecoveryAmountInvalid("parts", "a recovery asks for more than 0.00; write it off instead")
