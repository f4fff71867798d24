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
class ClaimedPart:
    """A part line of a claim: the part fitted in the repair and the lot it was issued from."""

    part_number: str
    quantity: Decimal
    lot: str | None  # null: the clerk did not name it
    causal: bool
    supplied_by: str  # dealer, or customer (客户自购)


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
    component_group: str | None  # named on the claim; else the causal part's category tells it
    campaign: str | None  # a campaign claim's campaign plan or recalled lot, when named
    parts: tuple[ClaimedPart, ...]  # the part lines, in the claim's order


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
    """A rejection, or a partial approval's cut lines, contested: the claim is `submitted` again."""

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
    approved_amount: Decimal
    short_paid_amount: Decimal  # approved less paid: 0.00 when paid in full
    short_payment_reason: str | None


@dataclass(frozen=True)
class ClaimCancelled(_ClaimEvent):
    type: ClassVar[str] = "warranty.claim.cancelled"
    version: ClassVar[int] = 1
    reason: str


@dataclass(frozen=True)
class SupplierRecoveryOpened(Event):
    """Recovering an approved claim's cost from the supplier of the causal part's lot;
    `amount` is parts + labour + handling."""

    type: ClassVar[str] = "warranty.supplier_recovery.opened"
    version: ClassVar[int] = 1
    claim_number: str  # or the parts-warranty case's number
    vin: str | None  # none for a part sold over the counter for no named vehicle
    supplier: str
    part_number: str
    lot: str
    amount: Decimal
    currency: str
    parts: Decimal
    labour: Decimal
    handling: Decimal


# ---------------------------------------------------------------- supplier recoveries
# A recovery's events are about its claim (`subject` is the claim number) and carry the
# recovery's status and amount after the step.


@dataclass(frozen=True)
class _RecoveryEvent(Event):
    claim_number: str
    supplier: str
    status: str
    amount: Decimal
    currency: str
    reason: str


@dataclass(frozen=True)
class _RecoveryStep(_RecoveryEvent):
    reference: str | None  # the debit note, the supplier's letter or payment, when named


@dataclass(frozen=True)
class SupplierRecoveryCharged(_RecoveryStep):
    """The debit note went to the supplier (or went again after a dispute)."""

    type: ClassVar[str] = "warranty.supplier_recovery.charged"
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class SupplierRecoveryDisputed(_RecoveryStep):
    type: ClassVar[str] = "warranty.supplier_recovery.disputed"
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class SupplierRecoveryRecovered(_RecoveryStep):
    """The supplier paid or credited `amount`."""

    type: ClassVar[str] = "warranty.supplier_recovery.recovered"
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class SupplierRecoveryWrittenOff(_RecoveryStep):
    """The dealer gave up on `amount`: the cost stays with the dealer."""

    type: ClassVar[str] = "warranty.supplier_recovery.written_off"
    version: ClassVar[int] = 1


@dataclass(frozen=True)
class SupplierRecoveryAdjusted(_RecoveryEvent):
    """The amount asked of the supplier changed; `amount` is the new total."""

    type: ClassVar[str] = "warranty.supplier_recovery.adjusted"
    version: ClassVar[int] = 1
    previous_amount: Decimal
    parts: Decimal
    labour: Decimal
    handling: Decimal


# ---------------------------------------------------------------- claim attachments


@dataclass(frozen=True)
class ClaimAttachmentAdded(Event):
    """A file (a photo of the failed part, the repair order scan, a pre-authorisation letter)
    was attached to a claim; the bytes stay with warranty, `attachment_id` names them."""

    type: ClassVar[str] = "warranty.claim.attachment_added"
    version: ClassVar[int] = 1
    claim_number: str
    vin: str
    attachment_id: str
    kind: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str


# ---------------------------------------------------------------- the parts warranty (配件保修)


@dataclass(frozen=True)
class PartsWarrantyCaseOpened(Event):
    """A customer brought back a part sold over the counter under its parts warranty (报修).
    `accepted_late`: out of warranty (after `expires_on`), accepted by a warranty manager."""

    type: ClassVar[str] = "warranty.parts_warranty.case_opened"
    version: ClassVar[int] = 1
    case: str
    sale: str
    part_number: str
    lot: str
    supplier: str | None
    quantity: Decimal
    vin: str | None
    customer_id: str | None
    expires_on: date
    accepted_late: bool


@dataclass(frozen=True)
class PartsWarrantyReplacementApproved(Event):
    """A faulty sold part is to be exchanged: the parts service issues `quantity` of
    `part_number` from stock to the case (`location`: where it was sold from)."""

    type: ClassVar[str] = "warranty.parts_warranty.replacement_approved"
    version: ClassVar[int] = 1
    case: str
    sale: str
    part_number: str
    lot: str
    location: str | None
    quantity: Decimal
    supplier: str | None


@dataclass(frozen=True)
class PartsWarrantyCaseClosed(Event):
    """The case was settled: repaired, replaced or refused (`outcome`), after the fault was
    assessed (`covered`: a defect). `supplier_recovery`: the lot's supplier is charged."""

    type: ClassVar[str] = "warranty.parts_warranty.case_closed"
    version: ClassVar[int] = 1
    case: str
    sale: str
    part_number: str
    lot: str
    supplier: str | None
    quantity: Decimal
    fault: str
    covered: bool
    outcome: str
    overridden: bool
    supplier_recovery: bool
