"""The parts warranty (配件保修) on parts sold over the counter.

Each sold part is under warranty from its purchase date for a term the dealer's policy sets,
per part category and/or supplier (the most specific rule wins), else the dealer's default.
When the customer brings a part back, a parts-warranty case follows the desk's steps:

    open → assessed → decided → closed           报修 → 鉴定故障 → 维修/更换/拒赔 → 完成
    closed: the follow-up on satisfaction (跟踪服务), once

The assessment says whether the fault is covered (a defect) or not (misuse, wear, wrong fitting
by a third party). The decision follows it: free repair or replacement when covered, refusal
when not; going against the assessment is a warranty manager's override, with a reason.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from shared.errors import StaleVersion
from shared.model import Aggregate, DealerOwned

from warranty.domain.errors import (
    PartsWarrantyDecisionNeedsOverride,
    PartsWarrantyExpired,
    PartsWarrantyFollowedUp,
    PartsWarrantyPolicyInvalid,
    PartsWarrantyQuantityExceedsSold,
    PartsWarrantyReasonRequired,
    PartsWarrantyStepNotAllowed,
)
from warranty.domain.events import (
    PartsWarrantyCaseClosed,
    PartsWarrantyCaseOpened,
    PartsWarrantyReplacementApproved,
)

DEFAULT_MONTHS = 12  # the dealer's term until its warranty manager sets one
MAX_MONTHS = 120

# ---------------------------------------------------------------- the term


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day when that month is shorter
    (31 January + 1 month → 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PolicyRule:
    """A term for a part category, a supplier, or the two together."""

    months: int
    category: str | None = None
    supplier: str | None = None

    def matches(self, category: str | None, supplier: str | None) -> bool:
        return ((self.category is None or self.category == category)
                and (self.supplier is None or self.supplier == supplier))

    @property
    def specificity(self) -> int:
        # Category and supplier together beat supplier alone, which beats category alone: the
        # supplier's own promise on its parts is closer to the part than the category's.
        return (2 if self.supplier is not None else 0) + (1 if self.category is not None else 0)

    def as_dict(self) -> dict:
        return {"months": self.months, "category": self.category, "supplier": self.supplier}


class PartsWarrantyPolicy(DealerOwned):
    """The dealer's warranty terms for parts sold over the counter. One per dealer; until it is
    first saved, `standard()` (12 months for everything) applies, at version 0."""

    version: int

    def __init__(self, dealer: str, *, default_months: int = DEFAULT_MONTHS, rules: Iterable[PolicyRule] = (),
                 at: datetime | None = None, by: str | None = None):
        self.dealer = dealer
        self.version = 0
        self.default_months = default_months
        self.rule_rows = [rule.as_dict() for rule in rules]
        self.updated_at = at
        self.updated_by = by

    @classmethod
    def standard(cls, dealer: str) -> PartsWarrantyPolicy:
        return cls(dealer)

    @property
    def rules(self) -> tuple[PolicyRule, ...]:
        return tuple(PolicyRule(**row) for row in self.rule_rows)

    def term_for(self, category: str | None, supplier: str | None) -> int:
        """Months of warranty for a part of this category from this supplier."""
        matching = [rule for rule in self.rules if rule.matches(category, supplier)]
        if not matching:
            return self.default_months
        return max(matching, key=lambda rule: rule.specificity).months

    def replace(self, expected_version: int, *, default_months: int, rules: Iterable[PolicyRule], at: datetime,
                by: str) -> None:
        StaleVersion.check(expected_version, self.version)
        rules = tuple(rules)
        check_policy(default_months, rules)
        self.default_months = default_months
        self.rule_rows = [rule.as_dict() for rule in rules]
        self.updated_at = at
        self.updated_by = by


def check_policy(default_months: int, rules: tuple[PolicyRule, ...]) -> None:
    if not 1 <= default_months <= MAX_MONTHS:
        raise PartsWarrantyPolicyInvalid("default_months", f"a term is 1 to {MAX_MONTHS} months")
    seen: set[tuple[str | None, str | None]] = set()
    for index, rule in enumerate(rules):
        field = f"rules.{index}"
        if rule.category is None and rule.supplier is None:
            raise PartsWarrantyPolicyInvalid(field, "a rule names a category, a supplier or both")
        if not 1 <= rule.months <= MAX_MONTHS:
            raise PartsWarrantyPolicyInvalid(f"{field}.months", f"a term is 1 to {MAX_MONTHS} months")
        if (rule.category, rule.supplier) in seen:
            raise PartsWarrantyPolicyInvalid(field, "two rules for the same category and supplier")
        seen.add((rule.category, rule.supplier))


# ---------------------------------------------------------------- what was sold


class SoldPart(DealerOwned):
    """One part of a counter sale from one lot, under warranty from its purchase date to
    `expires_on` (that day included), with the term the policy gave it on the day of sale."""

    def __init__(self, dealer: str, *, sale: str, part_number: str, lot: str, supplier: str | None,
                 location: str | None, quantity: Decimal, unit_price: Decimal, currency: str,
                 customer_id: str | None, vin: str | None, category: str | None, months: int,
                 purchased_on: date, sold_at: datetime):
        self.dealer = dealer
        self.sale = sale
        self.part_number = part_number
        self.lot = lot
        self.supplier = supplier
        self.location = location
        self.quantity = quantity
        self.unit_price = unit_price
        self.currency = currency
        self.customer_id = customer_id
        self.vin = vin
        self.category = category
        self.months = months
        self.purchased_on = purchased_on
        self.expires_on = add_months(purchased_on, months)
        self.sold_at = sold_at
        self.in_cases = Decimal("0")
        self.returned = Decimal("0")

    def add(self, quantity: Decimal) -> None:
        """The same part and lot on another line of the sale."""
        self.quantity += quantity

    def take_back(self, quantity: Decimal) -> None:
        """Units returned to the parts counter (销售退货) leave the warranty: `quantity` is what
        stays under it, `returned` what went back. Never below none, whatever the parts service
        accepted (a unit already in a case stays in its case)."""
        returned = min(quantity, self.quantity)
        self.quantity -= returned
        self.returned += returned

    def covers(self, on: date) -> bool:
        return self.purchased_on <= on <= self.expires_on

    def take_into_case(self, quantity: Decimal, *, on: date, by_manager: bool, override_reason: str | None) -> bool:
        """Count `quantity` as brought back under warranty. True when it was out of warranty and
        a manager accepted it all the same (with a reason)."""
        left = self.quantity - self.in_cases
        if quantity > left:
            raise PartsWarrantyQuantityExceedsSold(self.sale, self.part_number, asked=quantity, sold=self.quantity,
                                                   in_cases=self.in_cases)
        accepted_late = False
        if not self.covers(on):
            if not (by_manager and override_reason):
                raise PartsWarrantyExpired(self.sale, self.part_number, self.expires_on)
            accepted_late = True
        self.in_cases += quantity
        return accepted_late

    def release(self, quantity: Decimal) -> None:
        """A refused case gives its quantity back: the part may be brought again."""
        self.in_cases -= quantity


class SoldPartReturn(DealerOwned):
    """Units of a sold part and lot that one return of the parts service took back. Kept even
    when the sale is not known yet (events arrive in any order), and applied when it is; one
    per return, part and lot, so a return is never counted twice."""

    def __init__(self, dealer: str, *, sale: str, sale_return: str, part_number: str, lot: str, quantity: Decimal,
                 returned_at: datetime):
        self.dealer = dealer
        self.sale = sale
        self.sale_return = sale_return
        self.part_number = part_number
        self.lot = lot
        self.quantity = quantity
        self.returned_at = returned_at


# ---------------------------------------------------------------- the case

OPEN = "open"
ASSESSED = "assessed"
DECIDED = "decided"
CLOSED = "closed"
CASE_STATUSES = (OPEN, ASSESSED, DECIDED, CLOSED)

DEFECT = "defect"
COVERED_FAULTS = (DEFECT,)
NOT_COVERED_FAULTS = ("misuse", "wear", "third_party_fitting")
FAULTS = COVERED_FAULTS + NOT_COVERED_FAULTS

REPAIR = "repair"
REPLACE = "replace"
REFUSE = "refuse"
OUTCOMES = (REPAIR, REPLACE, REFUSE)

# Each step: the statuses it may start from.
STEPS = {"assess": frozenset({OPEN, ASSESSED}), "decide": frozenset({ASSESSED}), "complete": frozenset({DECIDED}),
         "follow_up": frozenset({CLOSED})}


class PartsWarrantyCase(Aggregate):
    """A sold part the customer brought back under the parts warranty (配件保修单)."""

    version: int

    def __init__(self, dealer: str, number: str, part: SoldPart, *, quantity: Decimal, report: str,
                 accepted_late: bool, override_reason: str | None, on: date, at: datetime, by: str):
        self.dealer = dealer
        self.number = number
        self.sale = part.sale
        self.part_number = part.part_number
        self.lot = part.lot
        self.supplier = part.supplier
        self.location = part.location
        self.vin = part.vin
        self.customer_id = part.customer_id
        self.quantity = quantity
        self.unit_price = part.unit_price
        self.currency = part.currency
        self.purchased_on = part.purchased_on
        self.expires_on = part.expires_on
        self.report = report
        self.accepted_late = accepted_late
        self.late_reason = override_reason if accepted_late else None
        self.status = OPEN
        self.opened_on = on  # the dealer's day, for reports by period
        self.opened_at = at
        self.opened_by = by
        self.updated_at = at
        self.fault = self.covered = self.supplier_at_fault = self.findings = None
        self.assessed_at = self.assessed_by = None
        self.outcome = self.decision_reason = None
        self.overridden = False
        self.repair_cost = None
        self.decided_at = self.decided_by = None
        self.replacement_issued_at = None
        self.resolution_note = None
        self.closed_at = self.closed_by = None
        self.satisfaction = self.follow_up_note = None
        self.followed_up_at = self.followed_up_by = None
        self.events.append(PartsWarrantyCaseOpened(
            case=number, sale=self.sale, part_number=self.part_number, lot=self.lot, supplier=self.supplier,
            quantity=quantity, vin=self.vin, customer_id=self.customer_id, expires_on=self.expires_on,
            accepted_late=accepted_late,
        ))

    @property
    def subject(self) -> str:
        return self.number

    @property
    def recovers_from_supplier(self) -> bool:
        """A covered defect the lot's supplier answers for, repaired or replaced free."""
        return (self.outcome in (REPAIR, REPLACE) and self.fault == DEFECT and bool(self.supplier_at_fault)
                and self.supplier is not None)

    @property
    def recovery_parts(self) -> Decimal:
        """What the supplier is asked for the part: the replacement at the price it was sold."""
        return (self.unit_price * self.quantity).quantize(Decimal("0.01")) if self.outcome == REPLACE else Decimal(
            "0.00")

    def assess(self, expected_version: int, *, fault: str, findings: str, supplier_at_fault: bool | None,
               at: datetime, by: str) -> None:
        """The fault assessed (鉴定故障); may be assessed again until decided."""
        self._check("assess", expected_version)
        self.fault = fault
        self.covered = fault in COVERED_FAULTS
        # A defect is the supplier's unless the assessor says otherwise (damage in our store).
        self.supplier_at_fault = (supplier_at_fault is not False) if self.covered else False
        self.findings = findings
        self.status = ASSESSED
        self.assessed_at = self.updated_at = at
        self.assessed_by = by

    def decide(self, expected_version: int, *, outcome: str, reason: str | None, repair_cost: Decimal | None,
               by_manager: bool, at: datetime, by: str) -> None:
        """Free repair, replacement or refusal, as the assessment says; otherwise a manager's
        override with a reason."""
        self._check("decide", expected_version)
        follows = (outcome == REFUSE) != bool(self.covered)
        if outcome == REFUSE and not reason:
            raise PartsWarrantyReasonRequired("a refusal says why")
        if not follows and not (by_manager and reason):
            raise PartsWarrantyDecisionNeedsOverride(self.number, outcome, self.fault)
        self.outcome = outcome
        self.decision_reason = reason
        self.overridden = not follows
        self.repair_cost = repair_cost if outcome == REPAIR else None
        self.status = DECIDED
        self.decided_at = self.updated_at = at
        self.decided_by = by
        if outcome == REPLACE:
            self.events.append(PartsWarrantyReplacementApproved(
                case=self.number, sale=self.sale, part_number=self.part_number, lot=self.lot,
                location=self.location, quantity=self.quantity, supplier=self.supplier,
            ))

    def replacement_issued(self, at: datetime) -> None:
        """The parts counter issued the replacement from stock (保修换件出库): the desk may hand
        it over. The first issue counts; a replacement never approved is not ours to mark."""
        if self.outcome == REPLACE and self.replacement_issued_at is None:
            self.replacement_issued_at = self.updated_at = at

    def complete(self, expected_version: int, *, note: str | None, at: datetime, by: str) -> None:
        """The repaired part or the exchange was handed over, or the refused part given back."""
        self._check("complete", expected_version)
        self.resolution_note = note
        self.status = CLOSED
        self.closed_at = self.updated_at = at
        self.closed_by = by
        self.events.append(PartsWarrantyCaseClosed(
            case=self.number, sale=self.sale, part_number=self.part_number, lot=self.lot, supplier=self.supplier,
            quantity=self.quantity, fault=self.fault, covered=bool(self.covered), outcome=self.outcome,
            overridden=self.overridden, supplier_recovery=self.recovers_from_supplier,
        ))

    def follow_up(self, expected_version: int, *, satisfaction: int, note: str | None, at: datetime,
                  by: str) -> None:
        """The customer's satisfaction, asked after the case closed (跟踪服务)."""
        self._check("follow_up", expected_version)
        if self.satisfaction is not None:
            raise PartsWarrantyFollowedUp(self.number)
        self.satisfaction = satisfaction
        self.follow_up_note = note
        self.followed_up_at = self.updated_at = at
        self.followed_up_by = by

    def _check(self, step: str, expected_version: int) -> None:
        StaleVersion.check(expected_version, self.version)
        if self.status not in STEPS[step]:
            raise PartsWarrantyStepNotAllowed(self.number, self.status, step, allowed_from=sorted(STEPS[step]))
