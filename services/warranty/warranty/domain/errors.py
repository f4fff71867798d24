from __future__ import annotations

from shared.errors import Conflict, NotFound, RuleViolation


class VehicleNotFound(NotFound):
    code = "vehicle_not_found"

    def __init__(self, vin: str):
        super().__init__(f"no vehicle {vin} is registered with this dealer", vin=vin)


class VehicleAlreadyRegistered(Conflict):
    code = "vehicle_already_registered"

    def __init__(self, vin: str):
        super().__init__(f"vehicle {vin} is already registered", vin=vin)


class InServiceDateInFuture(RuleViolation):
    code = "in_service_date_in_future"

    def __init__(self):
        super().__init__("the in-service (invoice) date cannot be in the future", field="in_service_date")


class CatalogPartNotKnown(NotFound):
    code = "catalog_part_not_known"

    def __init__(self, part_number: str):
        super().__init__(
            f"warranty has not heard of part {part_number} from the parts catalog",
            part_number=part_number,
        )


class NothingToChange(RuleViolation):
    code = "nothing_to_change"

    def __init__(self):
        super().__init__("the update names no field to change")


class OdometerReadingInFuture(RuleViolation):
    code = "odometer_reading_in_future"

    def __init__(self):
        super().__init__("an odometer reading cannot be dated after today", field="read_on")


class CoveragePlanNotFound(NotFound):
    code = "coverage_plan_not_found"

    def __init__(self, code: str):
        super().__init__(f"no coverage plan {code} for this dealer", plan=code)


class CoveragePlanCodeTaken(Conflict):
    code = "coverage_plan_code_taken"

    def __init__(self, code: str):
        super().__init__(f"coverage plan {code} exists already; change it instead", plan=code, field="code")


class PlanTermsInvalid(RuleViolation):
    code = "plan_terms_invalid"

    def __init__(self, field: str, detail: str):
        super().__init__(detail, field=field)


class ReplacedPlanNotFound(RuleViolation):
    code = "replaced_plan_not_found"

    def __init__(self, code: str):
        super().__init__(f"there is no plan {code} to replace", field="replaces", plan=code)


class ComponentNotKnown(RuleViolation):
    code = "component_not_known"

    def __init__(self, part_number: str):
        super().__init__(
            f"warranty has not heard of part {part_number} from the parts catalog, so its component "
            "group is unknown; name the component_group as well",
            field="part_number", part_number=part_number,
        )


class EligibilityDateInFuture(RuleViolation):
    code = "eligibility_date_in_future"

    def __init__(self, latest: str, days_ahead: int):
        super().__init__(f"ask about a repair done already or an appointment up to {days_ahead} days ahead "
                         f"(until {latest})", field="date", latest=latest, days_ahead=days_ahead)


# ---------------------------------------------------------------- claims


class ClaimNotFound(NotFound):
    code = "claim_not_found"

    def __init__(self, claim_number: str):
        super().__init__(f"no warranty claim {claim_number} for this dealer", claim_number=claim_number)


class ClaimVehicleNotKnown(RuleViolation):
    code = "claim_vehicle_not_known"

    def __init__(self, vin: str):
        super().__init__(f"register vehicle {vin} before claiming on it", field="vin", vin=vin)


class ClaimPlanNotKnown(RuleViolation):
    code = "claim_plan_not_known"

    def __init__(self, plan: str):
        super().__init__(f"there is no coverage plan {plan} to claim under", field="coverage_plan", plan=plan)


class ClaimDateInFuture(RuleViolation):
    code = "claim_date_in_future"

    def __init__(self, field: str):
        super().__init__(f"the {field.replace('_', ' ')} cannot be after today", field=field)


class RepairBeforeFailure(RuleViolation):
    code = "repair_before_failure"

    def __init__(self):
        super().__init__("the repair date cannot be before the failure date", field="repair_date")


class DaysOutOfServiceInvalid(RuleViolation):
    code = "days_out_of_service_invalid"

    def __init__(self):
        super().__init__("the days out of service cannot be negative", field="days_out_of_service")


class ClaimCampaignInvalid(RuleViolation):
    code = "claim_campaign_invalid"

    def __init__(self):
        super().__init__("only a campaign claim names the campaign it was done for", field="campaign")


class ClaimLineInvalid(RuleViolation):
    """`line` is the line's position in `lines`, from 0, as a 422's `errors` name it
    (`lines.0.quantity`); the sentence says the line's `number` (from 1), as the claim shows it."""

    code = "claim_line_invalid"

    def __init__(self, index: int, field: str, detail: str):
        super().__init__(f"line {index + 1}: {detail}", field=f"lines.{index}.{field}", line=index)


class ClaimTransitionNotAllowed(Conflict):
    """The claim's status does not allow this step (409)."""

    code = "claim_transition_not_allowed"

    def __init__(self, claim_number: str, status: str, action: str, detail: str | None = None):
        super().__init__(detail or f"claim {claim_number} is {status}; it cannot be {action}",
                         claim_number=claim_number, status=status, action=action)


class ClaimNotEditable(ClaimTransitionNotAllowed):
    code = "claim_not_editable"

    def __init__(self, claim_number: str, status: str):
        super().__init__(claim_number, status, "edited",
                         f"claim {claim_number} is {status}; only a draft or a claim asked for information can change")


class ClaimAlreadyDecided(ClaimTransitionNotAllowed):
    code = "claim_already_decided"

    def __init__(self, claim_number: str, status: str):
        super().__init__(claim_number, status, "decided", f"claim {claim_number} has been decided already ({status})")


class ClaimNotPayable(ClaimTransitionNotAllowed):
    code = "claim_not_payable"

    def __init__(self, claim_number: str, status: str):
        super().__init__(claim_number, status, "paid",
                         f"claim {claim_number} is {status}; only an approved or partially approved claim is paid")


class AppealAlreadyUsed(ClaimTransitionNotAllowed):
    code = "appeal_already_used"

    def __init__(self, claim_number: str, status: str):
        super().__init__(claim_number, status, "appealed", f"claim {claim_number} has been appealed once already")


class PaymentAboveApproved(RuleViolation):
    code = "payment_above_approved"

    def __init__(self, approved: str, paid: str):
        super().__init__(f"the payment {paid} is more than the {approved} approved", field="paid_amount",
                         approved_amount=approved, paid_amount=paid)


class ShortPaymentReasonRequired(RuleViolation):
    code = "short_payment_reason_required"

    def __init__(self, approved: str, paid: str):
        super().__init__(f"{paid} paid of {approved} approved: say why the manufacturer paid less",
                         field="short_payment_reason", approved_amount=approved, paid_amount=paid)


class PaymentNotShort(RuleViolation):
    code = "payment_not_short"

    def __init__(self, approved: str):
        super().__init__(f"the approved {approved} is paid in full; there is no short payment to explain",
                         field="short_payment_reason", approved_amount=approved)


class DecisionInvalid(RuleViolation):
    code = "decision_invalid"

    def __init__(self, field: str, detail: str, **context):
        super().__init__(detail, field=field, **context)


# Rules at submit: each failure its own code (SPEC §6).


class EmptyClaim(RuleViolation):
    code = "claim_empty"

    def __init__(self):
        super().__init__("a claim needs at least one line with an amount to submit", field="lines")


class NotEligible(RuleViolation):
    code = "claim_not_eligible"

    def __init__(self, plan: str, reasons: tuple[str, ...]):
        super().__init__(f"plan {plan} does not cover this repair at its date and odometer: {', '.join(reasons)}",
                         field="coverage_plan", plan=plan, reasons=list(reasons))


class SubmissionDeadlinePassed(RuleViolation):
    code = "submission_deadline_passed"

    def __init__(self, deadline: str):
        super().__init__(f"claims for this repair had to be submitted by {deadline}", field="repair_date",
                         deadline=deadline)


class DuplicateClaim(RuleViolation):
    """`line`: the position (from 0) of a line whose repair order line is claimed already."""

    code = "duplicate_claim"

    def __init__(self, other: str, detail: str, line: int | None = None):
        super().__init__(f"{detail} (claim {other})", field="lines", duplicate_of=other, line=line)


class CausalPartRequired(RuleViolation):
    code = "causal_part_required"

    def __init__(self):
        super().__init__("a warranty claim needs one part line marked causal (the part that failed)", field="lines")


class PreAuthorisationRequired(RuleViolation):
    code = "pre_authorisation_required"

    def __init__(self, threshold: str, detail: str | None = None):
        super().__init__(detail or f"a claim above {threshold} needs a pre-authorisation granted before the repair",
                         field="pre_authorisation_number", threshold=threshold)


class PartNotCovered(RuleViolation):
    """客户自购配件或关键部位用副厂件，技术质量不作担保. `part_number` names the part that caused
    it: a line of the claim (`line`, its position from 0), or an aftermarket part fitted earlier to
    the component repaired (no `line`)."""

    code = "aftermarket_part_on_critical_component"

    def __init__(self, part_number: str | None, line: int | None = None):
        culprit = f"part {part_number}: " if part_number else ""
        super().__init__(f"{culprit}a customer-supplied or aftermarket part on a safety-critical component "
                         "is not covered", field="lines", part_number=part_number, line=line)


class CampaignNotOpen(RuleViolation):
    code = "campaign_not_open"

    def __init__(self, campaign: str):
        super().__init__(f"{campaign} is not an open campaign for this vehicle at the repair date",
                         field="campaign", campaign=campaign)


class ComponentGroupMismatch(RuleViolation):
    code = "component_group_mismatch"

    def __init__(self, named: str, causal_part: str, category: str):
        super().__init__(f"the claim names component group {named}, but its causal part {causal_part} is in "
                         f"{category}", field="component_group", component_group=named, category=category)


# ---------------------------------------------------------------- lot recalls


class LotRecallNotFound(NotFound):
    code = "lot_recall_not_found"

    def __init__(self, lot: str):
        super().__init__(f"no quarantined lot {lot} is known to warranty for this dealer", lot=lot)


class ReportPeriodInvalid(RuleViolation):
    code = "report_period_invalid"

    def __init__(self):
        super().__init__("the period ends before it starts", field="to")


# ---------------------------------------------------------------- supplier recoveries


class RecoveryNotFound(NotFound):
    code = "supplier_recovery_not_found"

    def __init__(self, claim_number: str):
        super().__init__(f"no supplier recovery for claim {claim_number} at this dealer", claim_number=claim_number)


class RecoveryTransitionNotAllowed(Conflict):
    """The recovery's status does not allow this step (409)."""

    code = "recovery_transition_not_allowed"

    def __init__(self, claim_number: str, status: str, step: str, allowed_from: list[str]):
        super().__init__(
            f"the recovery of claim {claim_number} is {status}; it can be {step.replace('_', ' ')} only when "
            f"{' or '.join(allowed_from)}",
            claim_number=claim_number, recovery_status=status, step=step, allowed_from=allowed_from,
        )


class RecoveryClosed(Conflict):
    code = "recovery_closed"

    def __init__(self, claim_number: str, status: str):
        super().__init__(f"the recovery of claim {claim_number} is {status}; its amount can no longer change",
                         claim_number=claim_number, recovery_status=status)


class RecoveryAmountInvalid(RuleViolation):
    code = "recovery_amount_invalid"

    def __init__(self, field: str, detail: str):
        super().__init__(detail, field=field)


# ---------------------------------------------------------------- claim attachments


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"

    def __init__(self, claim_number: str, attachment_id: str):
        super().__init__(f"claim {claim_number} has no attachment {attachment_id}", claim_number=claim_number,
                         attachment_id=attachment_id)


class AttachmentContentMissing(NotFound):
    """The attachment is listed but its bytes are not in the store (lost there)."""

    code = "attachment_content_missing"

    def __init__(self, attachment_id: str):
        super().__init__(f"the file of attachment {attachment_id} is missing from the attachment store",
                         attachment_id=attachment_id)


class AttachmentTooLarge(RuleViolation):
    status = 413
    code = "attachment_too_large"
    title = "Content too large"

    def __init__(self, size: int, limit: int):
        super().__init__(f"the file has {size} bytes; an attachment may have at most {limit} bytes "
                         f"({limit / 1024 / 1024:.0f} MB)", field="file", size_bytes=size, max_bytes=limit)


class AttachmentEmpty(RuleViolation):
    code = "attachment_empty"

    def __init__(self):
        super().__init__("the file is empty", field="file")


class AttachmentTypeNotAllowed(RuleViolation):
    code = "attachment_type_not_allowed"

    def __init__(self, detail: str, *, declared: str | None, detected: str | None, allowed: list[str]):
        super().__init__(detail, field="file", declared_type=declared, detected_type=detected, allowed_types=allowed)


class ClaimClosedToAttachments(Conflict):
    code = "claim_closed_to_attachments"

    def __init__(self, claim_number: str, status: str):
        super().__init__(f"claim {claim_number} is {status}; nothing more can be attached to it",
                         claim_number=claim_number, claim_status=status)


# ---------------------------------------------------------------- the parts warranty (配件保修)


class PartsWarrantyPolicyInvalid(RuleViolation):
    code = "parts_warranty_policy_invalid"

    def __init__(self, field: str, detail: str):
        super().__init__(detail, field=field)


class SoldPartNotFound(RuleViolation):
    """Asked at the counter, about what the customer says was sold: a 422 naming the field."""

    code = "parts_warranty_sale_unknown"

    def __init__(self, sale: str, part_number: str, lot: str | None, *, field: str):
        super().__init__(f"no part {part_number}{f' from lot {lot}' if lot else ''} was sold on sale {sale}",
                         field=field, sale=sale, part_number=part_number, lot=lot)


class PartsWarrantyExpired(RuleViolation):
    code = "parts_warranty_expired"

    def __init__(self, sale: str, part_number: str, expires_on):
        super().__init__(
            f"the warranty on {part_number} of sale {sale} ran out on {expires_on.isoformat()}; a warranty "
            "manager may accept it all the same with a reason (override_reason)",
            field="part_number", sale=sale, part_number=part_number, expires_on=expires_on.isoformat(),
        )


class PartsWarrantyQuantityExceedsSold(RuleViolation):
    code = "parts_warranty_quantity_exceeds_sold"

    def __init__(self, sale: str, part_number: str, *, asked, sold, in_cases):
        super().__init__(
            f"{asked} of {part_number} asked, but sale {sale} sold {sold} and {in_cases} are already in cases",
            field="quantity", asked=str(asked), sold=str(sold), in_cases=str(in_cases),
        )


class PartsWarrantyCaseNotFound(NotFound):
    code = "parts_warranty_case_not_found"

    def __init__(self, number: str):
        super().__init__(f"no parts-warranty case {number} for this dealer", case=number)


class PartsWarrantyStepNotAllowed(Conflict):
    code = "parts_warranty_step_not_allowed"

    def __init__(self, number: str, status: str, step: str, *, allowed_from: list[str]):
        super().__init__(f"case {number} is {status}; {step} is taken from {', '.join(allowed_from)}",
                         case=number, status=status, step=step, allowed_from=allowed_from)


class PartsWarrantyDecisionNeedsOverride(RuleViolation):
    code = "parts_warranty_decision_needs_override"

    def __init__(self, number: str, outcome: str, fault: str | None):
        super().__init__(
            f"the fault was assessed as {fault}, which does not lead to {outcome}; only a warranty manager may "
            "decide otherwise, with a reason",
            field="outcome", case=number, outcome=outcome, fault=fault,
        )


class PartsWarrantyReasonRequired(RuleViolation):
    code = "parts_warranty_reason_required"

    def __init__(self, detail: str):
        super().__init__(detail, field="reason")


class PartsWarrantyFollowedUp(Conflict):
    code = "parts_warranty_followed_up"

    def __init__(self, number: str):
        super().__init__(f"case {number} was already followed up", case=number)
