"""Use cases for supplier recoveries (供应商索赔): the warranty manager charges the supplier,
records its dispute, its payment or the write-off, and adjusts the amount on the way. Each
step names the version it was taken against (If-Match) and says why.

Each step takes a command: a frozen dataclass of what the manager records, defined here beside
its use case (the API's schemas load into it). The claim number names the recovery in the URL;
the version comes from If-Match, not from the command."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.auth import Caller

from warranty.domain.errors import RecoveryNotFound
from warranty.domain.recovery import SupplierRecovery
from warranty.service.ports import WarrantyUnitOfWork


@dataclass(frozen=True)
class StepNote:
    """Why a step of a recovery was taken, and its document (`reference`; None: not given): the
    debit note (索赔通知) of a charge, the supplier's letter of a dispute, the payment or credit
    note of a recovery, anything of a write-off."""

    reason: str
    reference: str | None = None


@dataclass(frozen=True)
class AdjustRecovery:
    """Only the parts of the amount that change (None: as it is), and why."""

    reason: str
    parts: Decimal | None = None
    labour: Decimal | None = None
    handling: Decimal | None = None


def charge(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, expected_version: int,
           command: StepNote) -> SupplierRecovery:
    """The debit note (索赔通知) went to the supplier; `reference` is its number."""
    with uow:
        recovery = _for_update(uow, claim_number)
        recovery.charge(expected_version, reason=command.reason, reference=command.reference, at=uow.now(),
                        by=caller.sub)
        uow.commit()
    return recovery


def dispute(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, expected_version: int,
            command: StepNote) -> SupplierRecovery:
    """The supplier contests the charge."""
    with uow:
        recovery = _for_update(uow, claim_number)
        recovery.dispute(expected_version, reason=command.reason, reference=command.reference, at=uow.now(),
                         by=caller.sub)
        uow.commit()
    return recovery


def recover(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, expected_version: int,
            command: StepNote) -> SupplierRecovery:
    """The supplier paid or credited the amount; `reference` is its payment or credit note."""
    with uow:
        recovery = _for_update(uow, claim_number)
        recovery.recover(expected_version, reason=command.reason, reference=command.reference, at=uow.now(),
                         by=caller.sub)
        uow.commit()
    return recovery


def write_off(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, expected_version: int,
              command: StepNote) -> SupplierRecovery:
    """The dealer gives up on the amount."""
    with uow:
        recovery = _for_update(uow, claim_number)
        recovery.write_off(expected_version, reason=command.reason, reference=command.reference, at=uow.now(),
                           by=caller.sub)
        uow.commit()
    return recovery


def adjust(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, expected_version: int,
           command: AdjustRecovery) -> SupplierRecovery:
    with uow:
        recovery = _for_update(uow, claim_number)
        recovery.adjust(expected_version, reason=command.reason, parts=command.parts, labour=command.labour,
                        handling=command.handling, at=uow.now(), by=caller.sub)
        uow.commit()
    return recovery


def _for_update(uow: WarrantyUnitOfWork, claim_number: str) -> SupplierRecovery:
    recovery = uow.recoveries.get_for_update(claim_number)
    if recovery is None:
        raise RecoveryNotFound(claim_number)
    return recovery
