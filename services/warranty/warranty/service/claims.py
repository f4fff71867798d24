"""Use cases for warranty claims (保修索赔): filing and editing, submitting against the rules,
the manager's decision and payment (in full or short), appeal and cancellation, the supplier
recovery an approved claim opens, and the lemon-law (三包) thresholds a submitted claim makes the
vehicle reach.

Each use case with a request body takes a command: a frozen dataclass of what the clerk or the
manager asks, defined here beside its use case (the API's schemas load into it). The claim's
number comes from the URL, and the version the clerk saw with an edit from If-Match, not from
the command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from shared.auth import Caller
from shared.numbers import document_number

from warranty.domain import claim_rules, lemon_law
from warranty.domain.claim import Claim, ClaimHeader, LineDecision, Trace
from warranty.domain.claim_rules import EarlierClaim, PartFacts, SubmissionFacts
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.eligibility import Concern, Fitted, Question, assess
from warranty.domain.errors import ClaimNotFound, ClaimPlanNotKnown, ClaimVehicleNotKnown
from warranty.domain.recovery import RecoveryCosts, SupplierRecovery
from warranty.domain.vehicle import Vehicle
from warranty.service.coverage import load_defaults_once
from warranty.service.ports import WarrantyUnitOfWork


@dataclass(frozen=True)
class FileClaim:
    """A new claim: the vehicle it is filed on, its header, its lines (each the fields of a
    `ClaimLine`: kind, quantity, unit price, …) and the attachments it references."""

    vin: str
    header: ClaimHeader
    lines: tuple[dict, ...] = ()
    attachments: tuple[dict, ...] = ()


@dataclass(frozen=True)
class EditClaim:
    """Only what changes. `header`: new values of `ClaimHeader` fields, by name. `lines`,
    `attachments`: the whole new list; None leaves it as it is. `reason`: why, for the history."""

    header: Mapping[str, object] = field(default_factory=dict)
    lines: tuple[dict, ...] | None = None
    attachments: tuple[dict, ...] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StatedReason:
    """Why: all an information request (what is missing), an appeal or a cancellation asks."""

    reason: str


@dataclass(frozen=True)
class DecideClaim:
    """The manager's decision on every line (approved amount, reason code when less), and why."""

    lines: tuple[LineDecision, ...]
    reason: str | None = None


@dataclass(frozen=True)
class RecordPayment:
    """The manufacturer's remittance (索赔结算): its reference, the day paid (None: today), the
    amount (None: the approved amount) and, when less, why it was short."""

    payment_reference: str
    paid_on: date | None = None
    paid_amount: Decimal | None = None
    short_payment_reason: str | None = None


def file_claim(uow: WarrantyUnitOfWork, caller: Caller, command: FileClaim) -> Claim:
    """A new claim, as a draft; nothing is checked against the rules until it is submitted."""
    vin = command.vin.strip().upper()
    plan = command.header.coverage_plan
    with uow:
        load_defaults_once(uow)
        if uow.vehicles.get(vin) is None:
            raise ClaimVehicleNotKnown(vin)
        if uow.plans.get(plan) is None:
            raise ClaimPlanNotKnown(plan)
        number = document_number("WC", uow.today())
        claim = Claim(caller.dealer, number, vin=vin, **asdict(command.header), lines=command.lines,
                      attachments=command.attachments, today=uow.today(), at=uow.now(), by=caller.sub)
        uow.claims.add(claim)
        uow.commit()
    return claim


def edit_claim(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, expected_version: int,
               command: EditClaim) -> Claim:
    """Change a draft, or a claim the manager asked about: its header, lines or attachments."""
    with uow:
        claim = _for_update(uow, claim_number)
        plan = command.header.get("coverage_plan")
        if plan is not None and uow.plans.get(plan) is None:
            raise ClaimPlanNotKnown(plan)
        claim.edit(expected_version, today=uow.today(), at=uow.now(), by=caller.sub, reason=command.reason,
                   lines=command.lines, attachments=command.attachments, **command.header)
        uow.commit()
    return claim


def submit(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str) -> Claim:
    """Check the rules (eligibility at the repair date and odometer, deadline, duplicates, …)
    and send the claim, with its flags, to the manager."""
    with uow:
        # The vehicle first: two claims on one VIN submitted at once are checked for
        # duplicates, and counted for the lemon law, one after the other.
        vehicle = _vehicle_for_update(uow, claim_number)
        claim = _for_update(uow, claim_number)
        claim.check_submittable()
        flags = claim_rules.check(claim, _facts(uow, claim, vehicle), uow.rules.claims, today=uow.today(),
                                  resubmission=claim.submitted_at is not None)
        claim.submit(flags=flags, at=uow.now(), by=caller.sub)
        _watch_lemon_law(uow, vehicle)
        uow.commit()
    return claim


def review(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str) -> claim_rules.Review:
    """Run every rule submission would, and say all that would refuse the claim; nothing is
    changed, locked or announced (the unit of work is left without a commit)."""
    with uow:
        claim = uow.claims.get(claim_number)
        if claim is None:
            raise ClaimNotFound(claim_number)
        vehicle = uow.vehicles.get(claim.vin)
        if vehicle is None:  # claims are filed only on registered vehicles, which are never deleted
            raise ClaimVehicleNotKnown(claim.vin)
        return claim_rules.review(claim, _facts(uow, claim, vehicle), uow.rules.claims, today=uow.today(),
                                  resubmission=claim.submitted_at is not None)


def request_info(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, command: StatedReason) -> Claim:
    with uow:
        claim = _for_update(uow, claim_number)
        claim.request_info(reason=command.reason, at=uow.now(), by=caller.sub)
        uow.commit()
    return claim


def decide(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, command: DecideClaim) -> Claim:
    """Decide every line. An approved claim whose causal part is traced to a lot and supplier
    opens a recovery against that supplier in the same commit."""
    with uow:
        claim = _for_update(uow, claim_number)
        trace = _trace(uow, claim)
        claim.decide(list(command.lines), reason=command.reason, trace=trace, at=uow.now(), by=caller.sub)
        if (claim.approved and trace is not None and trace.supplier is not None
                and uow.recoveries.for_claim(claim.claim_number) is None):
            uow.recoveries.add(SupplierRecovery(
                caller.dealer, claim_number=claim.claim_number, vin=claim.vin, supplier=trace.supplier,
                part_number=claim.causal_part_number, lot=trace.lot, costs=RecoveryCosts.approved_on(claim.lines),
                currency=claim.currency, at=uow.now(), by=caller.sub,
            ))
        uow.commit()
    return claim


def appeal(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, command: StatedReason) -> Claim:
    """Appeal a rejection or a partial approval's cut lines: the claim is submitted again; a
    rejected repair counts again towards the lemon-law thresholds."""
    with uow:
        vehicle = _vehicle_for_update(uow, claim_number)
        claim = _for_update(uow, claim_number)
        claim.appeal(reason=command.reason, at=uow.now(), by=caller.sub)
        _watch_lemon_law(uow, vehicle)
        uow.commit()
    return claim


def cancel(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, command: StatedReason) -> Claim:
    with uow:
        claim = _for_update(uow, claim_number)
        claim.cancel(reason=command.reason, at=uow.now(), by=caller.sub)
        uow.commit()
    return claim


def record_payment(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, command: RecordPayment) -> Claim:
    with uow:
        claim = _for_update(uow, claim_number)
        claim.record_payment(payment_reference=command.payment_reference, paid_on=command.paid_on or uow.today(),
                             paid_amount=command.paid_amount, short_payment_reason=command.short_payment_reason,
                             today=uow.today(), at=uow.now(), by=caller.sub)
        uow.commit()
    return claim


def _for_update(uow: WarrantyUnitOfWork, claim_number: str) -> Claim:
    claim = uow.claims.get_for_update(claim_number)
    if claim is None:
        raise ClaimNotFound(claim_number)
    return claim


def _vehicle_for_update(uow: WarrantyUnitOfWork, claim_number: str) -> Vehicle:
    """The claim's vehicle, locked before the claim (the order every use case locks them in)."""
    vin = uow.claims.vin_of(claim_number)
    if vin is None:
        raise ClaimNotFound(claim_number)
    vehicle = uow.vehicles.get_for_update(vin)
    if vehicle is None:  # claims are filed only on registered vehicles, which are never deleted
        raise ClaimVehicleNotKnown(vin)
    return vehicle


def _watch_lemon_law(uow: WarrantyUnitOfWork, vehicle: Vehicle) -> None:
    """Count the vehicle's repairs again; a lemon-law threshold reached for the first time is
    announced in the same commit."""
    claims = uow.claims.on_vehicle(vehicle.vin)
    catalog = uow.traces.catalog({claim.causal_part_number for claim in claims if claim.causal_part_number})
    vehicle.note_lemon_law(lemon_law.exposure_of(vehicle.in_service_date, claims, catalog, uow.rules.lemon_law))


def _facts(uow: WarrantyUnitOfWork, claim: Claim, vehicle: Vehicle) -> SubmissionFacts:
    """What the rules need: the plan re-assessed at the repair date and odometer (for the
    component the claim names, else its causal part's), the campaigns open for the vehicle, the
    other claims on the VIN or repair order, and the catalog's facts on the claimed parts."""
    fitted = uow.traces.fitted_to(claim.vin)
    part_numbers = {line.part_number for line in claim.lines if line.part_number}
    known = uow.traces.catalog(part_numbers | {part.part_number for part in fitted})
    causal = known.get(claim.causal_part_number or "")
    concern = Concern(component=claim.header.component_group or (causal.category if causal else None),
                      part_number=claim.causal_part_number, source=causal.source if causal else None,
                      safety_critical=bool(causal.safety_critical) if causal else False)
    plans = uow.traces.plans() or default_plans(claim.dealer, uow.now())
    assessment = assess(
        vehicle, plans,
        Question(on=claim.header.repair_date, odometer=claim.header.odometer, concern=concern,
                 estimated_cost=claim.claimed_amount),
        [_as_fitted(part, known.get(part.part_number)) for part in fitted],
        uow.traces.open_recalls(claim.vin),
        default_pre_authorisation_above=uow.rules.claims.pre_authorisation_above,
    )
    answer = next((answer for answer in assessment.plans if answer.plan.code == claim.header.coverage_plan), None)
    earlier = tuple(
        EarlierClaim(other.claim_number, other.vin, other.header.repair_order, other.header.repair_date,
                     other.header.odometer, other.causal_part_number,
                     frozenset(line.repair_order_line for line in other.lines if line.repair_order_line))
        for other in uow.claims.live_on(claim.vin, claim.header.repair_order)
    )
    parts = {number: PartFacts(known[number].source, bool(known[number].safety_critical), known[number].category)
             for number in part_numbers if number in known}
    return SubmissionFacts(plan=answer, earlier_claims=earlier, parts=parts,
                           open_campaigns=frozenset(campaign.code for campaign in assessment.open_campaigns))


def _as_fitted(part, known) -> Fitted:
    return Fitted(part_number=part.part_number, component=known.category if known else None,
                  source=part.source or (known.source if known else None),
                  safety_critical=bool(known.safety_critical) if known else False,
                  installed_on=part.installed_on, odometer=part.odometer, repair_order=part.repair_order)


def _trace(uow: WarrantyUnitOfWork, claim: Claim) -> Trace | None:
    """The causal part that failed: its latest fitting to this VIN before this repair (not the
    replacement fitted on the claim's own repair order), with its lot and supplier."""
    causal = claim.causal_part_number
    if causal is None:
        return None
    fittings = [part for part in uow.traces.fitted_to(claim.vin)
                if part.part_number == causal and part.repair_order != claim.header.repair_order
                and part.installed_on <= claim.header.repair_date]
    if not fittings:
        return None
    latest = max(fittings, key=lambda part: (part.installed_on, part.installed_at))
    return Trace(lot=latest.lot, supplier=latest.supplier)
