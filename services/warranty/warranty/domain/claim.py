"""Warranty claims (保修索赔单) to the manufacturer, and their lifecycle.

A clerk files a claim as a draft: the header (repair order, dates, odometer, the complaint,
cause and correction, the plan it is made under, the component group repaired and, for a
campaign claim, the campaign) and its lines: labour operations with hours, parts with the
causal part marked (the one that failed), sublet work. The rules are checked at submission (see
`claim_rules`). The manager asks for more information, or decides every line with an approved
amount and a reason code; the outcome follows from the lines: all approved in full, partly, or
nothing. A rejected claim, or the cut lines of a partly approved one, may be appealed once: the
claim is submitted again (`appealed` tells it apart) and back in the manager's queue. An
approved claim is paid, possibly short, with the reason. A draft or a submitted claim can be
cancelled. Every step is kept in the claim's history: who, when, why.

    draft → submitted ⇄ info_requested
    submitted → approved | partially_approved | rejected
    rejected | partially_approved → submitted (appealed, once)
    approved | partially_approved → paid
    draft | submitted → cancelled
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from warranty.domain.errors import (
    AppealAlreadyUsed,
    ClaimAlreadyDecided,
    ClaimCampaignInvalid,
    ClaimDateInFuture,
    ClaimLineInvalid,
    ClaimNotEditable,
    ClaimNotPayable,
    ClaimTransitionNotAllowed,
    DaysOutOfServiceInvalid,
    DecisionInvalid,
    NothingToChange,
    PaymentAboveApproved,
    PaymentNotShort,
    RepairBeforeFailure,
    ShortPaymentReasonRequired,
)
from warranty.domain.events import (
    ClaimAppealed,
    ClaimApproved,
    ClaimCancelled,
    ClaimedPart,
    ClaimInfoRequested,
    ClaimPaid,
    ClaimPartiallyApproved,
    ClaimRejected,
    ClaimSubmitted,
)

CENT = Decimal("0.01")


class ClaimStatus(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    INFO_REQUESTED = "info_requested"
    APPROVED = "approved"
    PARTIALLY_APPROVED = "partially_approved"
    REJECTED = "rejected"
    PAID = "paid"
    CANCELLED = "cancelled"


class ClaimType(str, Enum):
    WARRANTY = "warranty"
    CAMPAIGN = "campaign"  # recall or service campaign (召回/服务活动)
    GOODWILL = "goodwill"  # 善意维修
    PRE_AUTHORISATION = "pre_authorisation"  # asking the manufacturer before the repair


@dataclass(frozen=True)
class ClaimHeader:
    """What the clerk writes on the claim form (索赔单表头) apart from its lines and attachments:
    the repair order and its dates and odometer, the claim's type and plan, the complaint, cause
    and correction, the pre-authorisation, the days off the road (三包), the component group and,
    for a campaign claim, the campaign. Not the VIN: a claim is filed on a vehicle and stays on it.

    One value: an edit replaces it whole, once it has passed `check`. The database maps it column
    by column, each column also an attribute of its own for the read side (`Claim.repair_date`).
    A field added later needs a default (it comes after the others).
    """

    repair_order: str
    repair_date: date
    odometer: int
    failure_date: date
    claim_type: ClaimType
    coverage_plan: str
    complaint: str | None = None
    cause: str | None = None
    correction: str | None = None
    pre_authorisation_number: str | None = None
    pre_authorised_on: date | None = None
    days_out_of_service: int | None = None  # the vehicle off the road for this repair (三包)
    # Named when no causal part tells them: an inspection for a campaign (检查, labour only).
    component_group: str | None = None
    campaign: str | None = None  # a campaign plan's code or a recalled lot, as eligibility lists them

    def __post_init__(self):
        # The member, whether given as its value ("warranty") or as the member the column loads.
        object.__setattr__(self, "claim_type", ClaimType(self.claim_type))

    def check(self, today: date) -> None:
        """What a header cannot say: a campaign on another type of claim, a date after `today`,
        a repair before the failure, negative days off the road. Checked by the claim that takes
        the header rather than on construction: a command carries it before its use case has
        looked anything up."""
        if self.campaign is not None and self.claim_type is not ClaimType.CAMPAIGN:
            raise ClaimCampaignInvalid()
        for name in ("repair_date", "failure_date", "pre_authorised_on"):
            value = getattr(self, name)
            if value is not None and value > today:
                raise ClaimDateInFuture(name)
        if self.repair_date < self.failure_date:
            raise RepairBeforeFailure()
        if self.days_out_of_service is not None and self.days_out_of_service < 0:
            raise DaysOutOfServiceInvalid()


HEADER_NAMES: tuple[str, ...] = tuple(field.name for field in fields(ClaimHeader))


class LineKind(str, Enum):
    LABOUR = "labour"  # quantity: hours; unit price: the labour rate
    PART = "part"
    SUBLET = "sublet"  # work bought in (外协), quantity usually 1


EDITABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.INFO_REQUESTED})
APPEALABLE = frozenset({ClaimStatus.REJECTED, ClaimStatus.PARTIALLY_APPROVED})
DECIDED = frozenset({ClaimStatus.APPROVED, ClaimStatus.PARTIALLY_APPROVED, ClaimStatus.REJECTED, ClaimStatus.PAID})
PAYABLE = frozenset({ClaimStatus.APPROVED, ClaimStatus.PARTIALLY_APPROVED})
CANCELLABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.SUBMITTED})
# Claims that count for duplicates and repeat repairs: filed with the manufacturer, not withdrawn.
LIVE = frozenset(set(ClaimStatus) - {ClaimStatus.DRAFT, ClaimStatus.CANCELLED})

# Why a line is approved for less than claimed (reason codes of a decision).
DECISION_REASONS = (
    "not_covered",  # outside the plan's terms
    "labour_over_standard_time",
    "price_over_list",
    "not_related_to_failure",
    "insufficient_evidence",
    "customer_damage",  # misuse, accident, lack of maintenance
    "duplicate",
    "other",
)


class ClaimLine(DealerOwned):
    def __init__(self, dealer: str, number: int, kind: str, *, quantity: Decimal, unit_price: Decimal,
                 description: str | None = None, operation: str | None = None, part_number: str | None = None,
                 causal: bool = False, supplied_by: str = "dealer", repair_order_line: str | None = None,
                 lot: str | None = None):
        self.dealer = dealer
        self.number = number
        self.kind = LineKind(kind)
        self.description = description
        self.operation = operation
        self.part_number = part_number
        self.quantity = quantity
        self.unit_price = unit_price
        self.causal = causal
        self.supplied_by = supplied_by  # "customer": 客户自购配件
        self.repair_order_line = repair_order_line
        self.lot = lot  # the lot the part was issued from (领料批次), when the clerk names it
        self.approved_amount: Decimal | None = None
        self.reason_code: str | None = None
        self._check()
        self.amount = (quantity * unit_price).quantize(CENT, ROUND_HALF_UP)

    @property
    def index(self) -> int:
        """The line's position in the claim's `lines`, from 0: how errors name it (`lines.0.quantity`)."""
        return self.number - 1

    def _check(self) -> None:
        if self.quantity <= 0:
            raise ClaimLineInvalid(self.index, "quantity", "the quantity (or hours) must be more than 0")
        if self.unit_price < 0:
            raise ClaimLineInvalid(self.index, "unit_price", "a price cannot be negative")
        if self.kind is LineKind.LABOUR and not self.operation:
            raise ClaimLineInvalid(self.index, "operation", "a labour line names its labour operation")
        if self.kind is LineKind.PART and not self.part_number:
            raise ClaimLineInvalid(self.index, "part_number", "a part line names its part number")
        if self.kind is not LineKind.PART and self.part_number:
            raise ClaimLineInvalid(self.index, "part_number", "only a part line names a part number")
        if self.kind is not LineKind.PART and self.lot:
            raise ClaimLineInvalid(self.index, "lot", "only a part line names a lot")
        if self.causal and self.kind is not LineKind.PART:
            raise ClaimLineInvalid(self.index, "causal", "only a part line can be the causal part")
        if self.kind is not LineKind.PART and self.supplied_by != "dealer":
            raise ClaimLineInvalid(self.index, "supplied_by", "only a part can be supplied by the customer")


class ClaimHistoryEntry(DealerOwned):
    """One step in a claim's life: who did what, when and why. Never changed."""

    def __init__(self, dealer: str, *, action: str, from_status: str | None, to_status: str, at: datetime, by: str,
                 reason: str | None = None):
        self.dealer = dealer
        self.action = action
        self.from_status = from_status
        self.to_status = to_status
        self.at = at
        self.by = by
        self.reason = reason


@dataclass(frozen=True)
class LineDecision:
    number: int
    approved_amount: Decimal
    reason_code: str | None = None


@dataclass(frozen=True)
class Trace:
    """Where the causal part came from, from the parts service's issues: its lot and supplier."""

    lot: str
    supplier: str | None


class ClaimFigures:
    """What a claim's lines add up to and which line failed: the aggregate's, and the read
    path's for a claim read as plain rows (the claims list), so both say the same. Needs
    `lines` (each with `amount`, `approved_amount`, `causal`, `part_number`) and `paid_amount`."""

    lines: list
    paid_amount: Decimal | None

    @property
    def claimed_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def approved_amount(self) -> Decimal | None:
        if any(line.approved_amount is None for line in self.lines) or not self.lines:
            return None
        return sum((line.approved_amount for line in self.lines), Decimal("0.00"))

    @property
    def short_paid_amount(self) -> Decimal | None:
        """What the manufacturer paid less than it approved; None until paid."""
        if self.paid_amount is None or self.approved_amount is None:
            return None
        return self.approved_amount - self.paid_amount

    @property
    def causal_line(self):
        return next((line for line in self.lines if line.causal), None)

    @property
    def causal_part_number(self) -> str | None:
        line = self.causal_line
        return line.part_number if line else None


class Claim(ClaimFigures, Aggregate):
    version: int
    header: ClaimHeader
    lines: list[ClaimLine]
    history: list[ClaimHistoryEntry]

    def __init__(self, dealer: str, claim_number: str, *, vin: str, lines: Sequence[dict],
                 attachments: Sequence[dict] | None = None, currency: str = "CNY", today: date, at: datetime,
                 by: str, **header):
        """`header`: the fields of `ClaimHeader`, by name (as `edit` takes them)."""
        written = ClaimHeader(**header)
        written.check(today)
        self.dealer = dealer
        self.claim_number = claim_number
        self.vin = vin
        self.status = ClaimStatus.DRAFT
        self.currency = currency
        self.header = written
        self.attachments = list(attachments or [])
        self.lines = []
        self.history = []
        self._set_lines(lines)
        self.flags: list[str] = []
        self.causal_lot: str | None = None
        self.causal_supplier: str | None = None
        self.appealed = False
        self.submitted_at: datetime | None = None
        self.decided_at: datetime | None = None
        self.paid_amount: Decimal | None = None
        self.paid_on: date | None = None
        self.payment_reference: str | None = None
        self.short_payment_reason: str | None = None
        self.created_at = at
        self.created_by = by
        self.updated_at = at
        self._record("filed", None, at=at, by=by)

    @property
    def subject(self) -> str:
        return self.claim_number

    # ------------------------------------------------------------ the clerk's steps

    def edit(self, expected_version: int, *, today: date, at: datetime, by: str, reason: str | None = None,
             lines: Sequence[dict] | None = None, attachments: Sequence[dict] | None = None, **header) -> None:
        """Change a draft, or a claim the manager asked about; all or nothing. `header`: new
        values of `ClaimHeader` fields, by name; `lines` and `attachments` replace the whole list."""
        StaleVersion.check(expected_version, self.version)
        if self.status not in EDITABLE:
            raise ClaimNotEditable(self.claim_number, self.status.value)
        if not header and lines is None and attachments is None:
            raise NothingToChange()
        made = None if lines is None else self._made_lines(lines)
        wanted = replace(self.header, **header)
        wanted.check(today)
        self.header = wanted
        if made is not None:
            self.lines.clear()
            self.lines.extend(made)
        if attachments is not None:
            self.attachments = list(attachments)
        self.updated_at = at
        self._record("edited", self.status, at=at, by=by, reason=reason)

    def submit(self, *, flags: list[str], at: datetime, by: str) -> None:
        """Send to the manufacturer, once the rules (`claim_rules.check`) have passed."""
        self.check_submittable()
        was = self.status
        self.flags = sorted(set(flags))
        self.submitted_at = at
        self._move(ClaimStatus.SUBMITTED, "submitted" if was is ClaimStatus.DRAFT else "resubmitted", at=at, by=by)
        self.events.append(ClaimSubmitted(
            self.claim_number, self.vin, self.status.value, self.header.repair_order, self.header.repair_date,
            self.header.claim_type.value, self.header.coverage_plan, self.causal_part_number, self.claimed_amount,
            self.currency, tuple(self.flags), self.header.component_group, self.header.campaign,
            parts=tuple(ClaimedPart(line.part_number, line.quantity, line.lot, line.causal, line.supplied_by)
                        for line in self.lines if line.kind is LineKind.PART),
        ))

    def check_submittable(self) -> None:
        if self.status not in EDITABLE:
            raise ClaimTransitionNotAllowed(self.claim_number, self.status.value, "submitted")

    def appeal(self, *, reason: str, at: datetime, by: str) -> None:
        """Contest a rejection, or the cut lines of a partial approval: the claim is submitted
        again, to be decided line by line once more (the earlier decisions shown until then)."""
        if self.status not in APPEALABLE:
            raise ClaimTransitionNotAllowed(self.claim_number, self.status.value, "appealed",
                                            f"claim {self.claim_number} is {self.status.value}; only a rejected "
                                            "or partially approved claim can be appealed")
        if self.appealed:
            raise AppealAlreadyUsed(self.claim_number, self.status.value)
        self.appealed = True
        self._move(ClaimStatus.SUBMITTED, "appealed", at=at, by=by, reason=reason)
        self.events.append(ClaimAppealed(self.claim_number, self.vin, self.status.value, reason))

    def cancel(self, *, reason: str, at: datetime, by: str) -> None:
        if self.status not in CANCELLABLE:
            raise ClaimTransitionNotAllowed(self.claim_number, self.status.value, "cancelled",
                                            f"claim {self.claim_number} is {self.status.value}; "
                                            "only a draft or a submitted claim can be cancelled")
        self._move(ClaimStatus.CANCELLED, "cancelled", at=at, by=by, reason=reason)
        self.events.append(ClaimCancelled(self.claim_number, self.vin, self.status.value, reason))

    # ------------------------------------------------------------ the manager's steps

    def request_info(self, *, reason: str, at: datetime, by: str) -> None:
        if self.status is not ClaimStatus.SUBMITTED:
            raise ClaimTransitionNotAllowed(self.claim_number, self.status.value, "asked for information")
        self._move(ClaimStatus.INFO_REQUESTED, "info_requested", at=at, by=by, reason=reason)
        self.events.append(ClaimInfoRequested(self.claim_number, self.vin, self.status.value, reason))

    def decide(self, decisions: list[LineDecision], *, reason: str | None, trace: Trace | None, at: datetime,
               by: str) -> None:
        """Every line gets an approved amount (0 to reject it), with a reason code when it is
        less than claimed; the claim's outcome follows from the lines."""
        if self.status in DECIDED:
            raise ClaimAlreadyDecided(self.claim_number, self.status.value)
        if self.status is not ClaimStatus.SUBMITTED:
            raise ClaimTransitionNotAllowed(self.claim_number, self.status.value, "decided")
        by_number = self._checked(decisions)
        for line in self.lines:
            decision = by_number[line.number]
            line.approved_amount = decision.approved_amount
            line.reason_code = decision.reason_code
        approved = self.approved_amount
        codes = tuple(sorted({line.reason_code for line in self.lines if line.reason_code}))
        self.decided_at = at
        if approved == 0:
            self._move(ClaimStatus.REJECTED, "rejected", at=at, by=by, reason=reason)
            self.events.append(ClaimRejected(self.claim_number, self.vin, self.status.value, codes, reason))
            return
        if trace is not None:
            self.causal_lot, self.causal_supplier = trace.lot, trace.supplier
        facts = dict(
            claim_number=self.claim_number, vin=self.vin, causal_part_number=self.causal_part_number,
            causal_lot=self.causal_lot, supplier=self.causal_supplier, claimed_amount=self.claimed_amount,
            approved_amount=approved, currency=self.currency, reason=reason,
        )
        if approved == self.claimed_amount:
            self._move(ClaimStatus.APPROVED, "approved", at=at, by=by, reason=reason)
            self.events.append(ClaimApproved(status=self.status.value, **facts))
        else:
            self._move(ClaimStatus.PARTIALLY_APPROVED, "partially_approved", at=at, by=by, reason=reason)
            self.events.append(ClaimPartiallyApproved(status=self.status.value, reason_codes=codes, **facts))

    def record_payment(self, *, payment_reference: str, paid_on: date, today: date, at: datetime, by: str,
                       paid_amount: Decimal | None = None, short_payment_reason: str | None = None) -> None:
        """The manufacturer paid (索赔结算): what was approved unless `paid_amount` says less, and
        then `short_payment_reason` says why. Never more than approved."""
        if self.status not in PAYABLE:
            raise ClaimNotPayable(self.claim_number, self.status.value)
        if paid_on > today:
            raise ClaimDateInFuture("paid_on")
        approved = self.approved_amount
        paid = approved if paid_amount is None else paid_amount
        if paid > approved:
            raise PaymentAboveApproved(str(approved), str(paid))
        if paid < approved and not short_payment_reason:
            raise ShortPaymentReasonRequired(str(approved), str(paid))
        if paid == approved and short_payment_reason:
            raise PaymentNotShort(str(approved))
        self.paid_amount = paid
        self.paid_on = paid_on
        self.payment_reference = payment_reference
        self.short_payment_reason = short_payment_reason
        audited = payment_reference if paid == approved else f"{payment_reference}: {short_payment_reason}"
        self._move(ClaimStatus.PAID, "paid", at=at, by=by, reason=audited)
        self.events.append(ClaimPaid(self.claim_number, self.vin, self.status.value, self.paid_amount,
                                     self.currency, payment_reference, paid_on, approved,
                                     self.short_paid_amount, short_payment_reason))

    @property
    def approved(self) -> bool:
        return self.status in PAYABLE

    # ------------------------------------------------------------ inside

    def _checked(self, decisions: list[LineDecision]) -> dict[int, LineDecision]:
        by_number: dict[int, LineDecision] = {}
        for decision in decisions:
            if decision.number in by_number:
                raise DecisionInvalid("lines", f"line {decision.number} is decided twice", line=decision.number)
            by_number[decision.number] = decision
        numbers = {line.number for line in self.lines}
        if set(by_number) != numbers:
            raise DecisionInvalid("lines", "decide every line of the claim once",
                                  missing=sorted(numbers - set(by_number)), unknown=sorted(set(by_number) - numbers))
        for line in self.lines:
            decision = by_number[line.number]
            if decision.approved_amount < 0 or decision.approved_amount > line.amount:
                raise DecisionInvalid("lines", f"line {line.number}: approve between 0.00 and {line.amount}",
                                      line=line.number)
            if decision.reason_code is not None and decision.reason_code not in DECISION_REASONS:
                raise DecisionInvalid("lines", f"line {line.number}: unknown reason code {decision.reason_code}",
                                      line=line.number)
            if decision.approved_amount < line.amount and decision.reason_code is None:
                raise DecisionInvalid("lines", f"line {line.number}: say why it is approved for less than claimed",
                                      line=line.number)
        return by_number

    def _set_lines(self, lines: Sequence[dict]) -> None:
        made = self._made_lines(lines)
        self.lines.clear()
        self.lines.extend(made)

    def _made_lines(self, lines: Sequence[dict]) -> list[ClaimLine]:
        made = [ClaimLine(self.dealer, number, **line) for number, line in enumerate(lines, start=1)]
        causal = [line for line in made if line.causal]
        if len(causal) > 1:
            raise ClaimLineInvalid(causal[1].index, "causal", "only one part can be the causal part")
        references = [line.repair_order_line for line in made if line.repair_order_line]
        for line in made:
            if line.repair_order_line and references.count(line.repair_order_line) > 1:
                raise ClaimLineInvalid(line.index, "repair_order_line", "a repair order line is claimed once")
        return made

    def _move(self, to: ClaimStatus, action: str, *, at: datetime, by: str, reason: str | None = None) -> None:
        was = self.status
        self.status = to
        self.updated_at = at
        self._record(action, was, at=at, by=by, reason=reason)

    def _record(self, action: str, was: ClaimStatus | None, *, at: datetime, by: str, reason: str | None = None) -> None:
        self.history.append(ClaimHistoryEntry(
            self.dealer, action=action, from_status=None if was is None else was.value, to_status=self.status.value,
            at=at, by=by, reason=reason,
        ))
