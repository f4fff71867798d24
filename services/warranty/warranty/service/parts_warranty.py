"""Use cases for the parts warranty (配件保修) on parts sold over the counter: the dealer's
policy, each sold part's warranty recorded from the parts service's sale, and the case when a
customer brings a part back (report → fault assessment → free repair, replacement or refusal →
follow-up). A supplier defect repaired or replaced opens a supplier recovery against the lot's
supplier, as an approved claim does.

What the desk asks through the API comes as a command: a frozen dataclass defined here beside
its use case (the API's schemas load into it). A case's number comes from the URL and the
version the desk saw from If-Match, not from the command. What the parts service's events tell
(sales, returns, replacements issued) comes as arguments from the event handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from warranty.domain.errors import PartsWarrantyCaseNotFound, SoldPartNotFound
from warranty.domain.parts_warranty import (
    REFUSE,
    PartsWarrantyCase,
    PartsWarrantyPolicy,
    PolicyRule,
    SoldPart,
    SoldPartReturn,
)
from warranty.domain.recovery import RecoveryCosts, SupplierRecovery
from warranty.service.ports import WarrantyUnitOfWork

OVERRIDERS = frozenset({"warranty_manager", "admin"})


@dataclass(frozen=True)
class SetPolicy:
    """The whole policy: the default term in months, and the rules per part category and/or
    supplier."""

    default_months: int
    rules: tuple[PolicyRule, ...] = ()


@dataclass(frozen=True)
class OpenCase:
    """A part the customer brought back (报修): the sale, part and lot it came from, how many,
    the customer's report, and, for one out of warranty, the manager's reason to accept it."""

    sale: str
    part_number: str
    lot: str
    quantity: Decimal
    report: str
    override_reason: str | None = None


@dataclass(frozen=True)
class AssessFault:
    """The fault found (鉴定故障) and what was seen; `supplier_at_fault`, for a defect: None
    leaves it to the rule (the lot's supplier answers for it)."""

    fault: str
    findings: str
    supplier_at_fault: bool | None = None


@dataclass(frozen=True)
class DecideCase:
    """Repair, replace or refuse; the reason (to refuse or to override) and a repair's cost."""

    outcome: str
    reason: str | None = None
    repair_cost: Decimal | None = None


@dataclass(frozen=True)
class CompleteCase:
    """The part handed over or given back; a note on how."""

    note: str | None = None


@dataclass(frozen=True)
class RecordFollowUp:
    """The customer's satisfaction (1–5) after the case closed (跟踪服务), and a note."""

    satisfaction: int
    note: str | None = None


def set_policy(uow: WarrantyUnitOfWork, caller: Caller, expected_version: int,
               command: SetPolicy) -> PartsWarrantyPolicy:
    """The terms from now on; parts already sold keep the term they were sold with."""
    with uow:
        policy = uow.parts_warranty.policy_for_update()
        created = policy is None
        if created:
            policy = PartsWarrantyPolicy.standard(caller.dealer)
        policy.replace(expected_version, default_months=command.default_months, rules=command.rules, at=uow.now(),
                       by=caller.sub)
        if created:
            uow.parts_warranty.add_policy(policy)
        uow.commit()
    return policy


def record_sale(uow: WarrantyUnitOfWork, caller: Caller, *, sale: str, customer_id: str | None, vin: str | None,
                currency: str, lines: list[dict], at: datetime) -> list[SoldPart]:
    """Parts were sold over the counter: each part and lot gets its warranty from the purchase
    date, for the term the policy gives it today. A sale seen before is left as it is."""
    with uow:
        policy = uow.parts_warranty.policy() or PartsWarrantyPolicy.standard(caller.dealer)
        recorded: dict[tuple[str, str], SoldPart] = {}
        for line in lines:
            for lot in line["lots"]:
                key = (line["part_number"], lot["lot"])
                if key in recorded:  # the same part and lot on two lines of the sale
                    recorded[key].add(lot["quantity"])
                    continue
                if uow.parts_warranty.sold_part(sale, *key) is not None:
                    continue
                known = uow.catalog.get(line["part_number"])
                category = known.category if known is not None else None
                part = SoldPart(
                    caller.dealer, sale=sale, part_number=line["part_number"], lot=lot["lot"],
                    supplier=lot["supplier"], location=line["location"], quantity=lot["quantity"],
                    unit_price=line["unit_price"], currency=currency, customer_id=customer_id,
                    vin=vin.strip().upper() if vin else None, category=category,
                    months=policy.term_for(category, lot["supplier"]), purchased_on=uow.local_date(at), sold_at=at,
                )
                uow.parts_warranty.add_sold_part(part)
                recorded[key] = part
        for (part_number, lot), part in recorded.items():
            part.take_back(uow.parts_warranty.returned_before_sale(sale, part_number, lot))
        uow.commit()
    return list(recorded.values())


def record_return(uow: WarrantyUnitOfWork, caller: Caller, *, sale: str, sale_return: str, lines: list[dict],
                  at: datetime) -> None:
    """Parts of a counter sale came back to the parts counter (销售退货): they are no longer
    under warranty. Each return counts once per part and lot; one that arrives before its sale
    is kept and applied when the sale is recorded."""
    with uow:
        returned: dict[tuple[str, str], Decimal] = {}
        for line in lines:
            key = (line["part_number"], line["lot"])
            returned[key] = returned.get(key, Decimal("0")) + line["quantity"]
        for (part_number, lot), quantity in sorted(returned.items()):
            if uow.parts_warranty.return_recorded(sale_return, part_number, lot):
                continue
            uow.parts_warranty.add_return(SoldPartReturn(
                caller.dealer, sale=sale, sale_return=sale_return, part_number=part_number, lot=lot,
                quantity=quantity, returned_at=at,
            ))
            part = uow.parts_warranty.sold_part_for_update(sale, part_number, lot)
            if part is not None:
                part.take_back(quantity)
        uow.commit()


def open_case(uow: WarrantyUnitOfWork, caller: Caller, command: OpenCase) -> PartsWarrantyCase:
    """The customer brought a part back (报修). Out of warranty, only a warranty manager may
    accept it, with a reason."""
    with uow:
        part = uow.parts_warranty.sold_part_for_update(command.sale, command.part_number, command.lot)
        if part is None:
            raise _not_sold(uow, command.sale, command.part_number, command.lot)
        accepted_late = part.take_into_case(command.quantity, on=uow.today(), by_manager=_overrides(caller),
                                            override_reason=command.override_reason)
        case = PartsWarrantyCase(caller.dealer, document_number("PW", uow.today()), part,
                                 quantity=command.quantity, report=command.report, accepted_late=accepted_late,
                                 override_reason=command.override_reason, on=uow.today(), at=uow.now(),
                                 by=caller.sub)
        uow.parts_warranty.add_case(case)
        uow.commit()
    return case


def assess(uow: WarrantyUnitOfWork, caller: Caller, number: str, expected_version: int,
           command: AssessFault) -> PartsWarrantyCase:
    """The fault assessed (鉴定故障)."""
    with uow:
        case = _for_update(uow, number)
        case.assess(expected_version, fault=command.fault, findings=command.findings,
                    supplier_at_fault=command.supplier_at_fault, at=uow.now(), by=caller.sub)
        uow.commit()
    return case


def decide(uow: WarrantyUnitOfWork, caller: Caller, number: str, expected_version: int,
           command: DecideCase) -> PartsWarrantyCase:
    """Repair, replace or refuse. A refusal gives the quantity back to the sold part; a supplier
    defect repaired or replaced opens a recovery against the lot's supplier in the same commit."""
    with uow:
        case = _for_update(uow, number)
        # Locked after the case: open_case locks the sold part but no case, so no cycle.
        part = uow.parts_warranty.sold_part_for_update(case.sale, case.part_number, case.lot)
        case.decide(expected_version, outcome=command.outcome, reason=command.reason, repair_cost=command.repair_cost,
                    by_manager=_overrides(caller), at=uow.now(), by=caller.sub)
        if case.outcome == REFUSE and part is not None:
            part.release(case.quantity)
        if case.recovers_from_supplier and uow.recoveries.for_claim(case.number) is None:
            uow.recoveries.add(SupplierRecovery(
                caller.dealer, claim_number=case.number, vin=case.vin, supplier=case.supplier,
                part_number=case.part_number, lot=case.lot,
                costs=RecoveryCosts(parts=case.recovery_parts, labour=case.repair_cost or Decimal("0.00")),
                currency=case.currency, at=uow.now(), by=caller.sub,
            ))
        uow.commit()
    return case


def record_replacement_issued(uow: WarrantyUnitOfWork, caller: Caller, *, case: str, at: datetime) -> None:
    """Parts issued the case's replacement from stock: it is ready to hand over. A case we do
    not hold (another dealer's, or never ours) is left alone."""
    with uow:
        found = uow.parts_warranty.case_for_update(case)
        if found is not None:
            found.replacement_issued(at)
        uow.commit()


def complete(uow: WarrantyUnitOfWork, caller: Caller, number: str, expected_version: int,
             command: CompleteCase) -> PartsWarrantyCase:
    with uow:
        case = _for_update(uow, number)
        case.complete(expected_version, note=command.note, at=uow.now(), by=caller.sub)
        uow.commit()
    return case


def follow_up(uow: WarrantyUnitOfWork, caller: Caller, number: str, expected_version: int,
              command: RecordFollowUp) -> PartsWarrantyCase:
    with uow:
        case = _for_update(uow, number)
        case.follow_up(expected_version, satisfaction=command.satisfaction, note=command.note, at=uow.now(),
                       by=caller.sub)
        uow.commit()
    return case


def _overrides(caller: Caller) -> bool:
    return bool(caller.roles & OVERRIDERS)


def _for_update(uow: WarrantyUnitOfWork, number: str) -> PartsWarrantyCase:
    case = uow.parts_warranty.case_for_update(number)
    if case is None:
        raise PartsWarrantyCaseNotFound(number)
    return case


def _not_sold(uow: WarrantyUnitOfWork, sale: str, part_number: str, lot: str) -> SoldPartNotFound:
    """Which of sale, part or lot the desk got wrong."""
    parts = uow.parts_warranty.parts_sold_on(sale)
    field = "sale" if not parts else "part_number" if part_number not in parts else "lot"
    return SoldPartNotFound(sale, part_number, lot, field=field)
