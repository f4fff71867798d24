"""What the warranty service tells the world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from shared.model import Event


@dataclass(frozen=True)
class VehicleRegistered(Event):
    type: ClassVar[str] = "warranty.vehicle.registered"
    version: ClassVar[int] = 1
    vin: str
    make: str
    model: str
    model_year: int
    in_service_date: date


@dataclass(frozen=True)
class VehicleUpdated(Event):
    """The owner count (a change of hands, 过户) or the title status changed."""

    type: ClassVar[str] = "warranty.vehicle.updated"
    version: ClassVar[int] = 1
    vin: str
    owner_count: int
    title_status: str
    changed: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class OdometerRecorded(Event):
    """An odometer reading was kept; `rollback_suspected` when it contradicts an earlier one."""

    type: ClassVar[str] = "warranty.vehicle.odometer_recorded"
    version: ClassVar[int] = 1
    vin: str
    km: int
    read_on: date
    source: str
    reference: str | None
    rollback_suspected: bool


@dataclass(frozen=True)
class LemonLawThresholdReached(Event):
    """A vehicle reached a lemon-law (三包) threshold within its three-guarantees period: the
    owner may be entitled to a replacement or a refund. Announced once per threshold and VIN.
    `part_number` is the part counted for the per-part thresholds; `claim_numbers` the repairs
    counted."""

    type: ClassVar[str] = "warranty.vehicle.lemon_law_threshold"
    version: ClassVar[int] = 1
    vin: str
    threshold: str
    count: int
    limit: int
    part_number: str | None
    claim_numbers: tuple[str, ...]
    in_service_date: date
    period_ends_on: date


@dataclass(frozen=True)
class _PlanTerms(Event):
    code: str
    make: str
    name: str
    plan_type: str
    months: int | None
    km: int | None
    components: tuple[str, ...]
    exclusions: tuple[str, ...]
    deductible: Decimal
    currency: str
    transferable: bool
    pre_authorisation_above: Decimal | None
    models: tuple[str, ...]
    vin_from: str | None
    vin_to: str | None
    ends_on: date | None
    replaces: str | None
    active: bool


@dataclass(frozen=True)
class CoveragePlanAdded(_PlanTerms):
    """A warranty manager added a coverage plan (the loaded defaults are not announced)."""

    type: ClassVar[str] = "warranty.coverage_plan.added"
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class CoveragePlanChanged(_PlanTerms):
    """A plan's terms after a change, and which terms changed."""

    type: ClassVar[str] = "warranty.coverage_plan.changed"
    version: ClassVar[int] = 1
    changed: tuple[str, ...]


# ---------------------------------------------------------------- claims
# Every claim event carries `claim_number` (the complaints service files it on a complaint's
# timeline by it) and `vin`.


@dataclass(frozen=True)
class _ClaimEvent(Event):
    claim_number: str
    vin: str
    status: str

    @property
    def subject(self) -> str:
        return self.claim_number


@dataclass(frozen=True)
class ClaimSubmitted(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.submitted"
    version: ClassVar[int] = 1
    repair_order: str
    repair_date: date
    claim_type: str
    coverage_plan: str
    causal_part_number: str | None
    claimed_amount: Decimal
    currency: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ClaimInfoRequested(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.info_requested"
    version: ClassVar[int] = 1
    reason: str


@dataclass(frozen=True)
class _ClaimDecided(_ClaimEvent):
    """What parts counts as a field failure of the lot's supplier: the causal part and its lot
    (null when warranty never saw the part fitted)."""

    causal_part_number: str | None
    causal_lot: str | None
    supplier: str | None
    claimed_amount: Decimal
    approved_amount: Decimal
    currency: str
    reason: str | None


@dataclass(frozen=True)
class ClaimApproved(_ClaimDecided):
    type: ClassVar[str] = "warranty.claim.approved"
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class ClaimPartiallyApproved(_ClaimDecided):
    type: ClassVar[str] = "warranty.claim.partially_approved"
    version: ClassVar[int] = 1
    reason_codes: tuple[str, ...]


@dataclass(frozen=True)
class ClaimRejected(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.rejected"
    version: ClassVar[int] = 1
    reason_codes: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class ClaimAppealed(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.appealed"
    version: ClassVar[int] = 1
    reason: str


@dataclass(frozen=True)
class ClaimPaid(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.paid"
    version: ClassVar[int] = 1
    paid_amount: Decimal
    currency: str
    payment_reference: str
    paid_on: date


@dataclass(frozen=True)
class ClaimCancelled(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.cancelled"
    version: ClassVar[int] = 1
    reason: str


@dataclass(frozen=True)
class SupplierRecoveryOpened(Event):
    """Recovering an approved claim's cost from the supplier of the causal part's lot."""

    type: ClassVar[str] = "warranty.supplier_recovery.opened"
    version: ClassVar[int] = 1
    claim_number: str
    vin: str
    supplier: str
    part_number: str
    lot: str
    amount: Decimal
    currency: str
