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

    def __init__(self):
        super().__init__("ask about a repair today or earlier", field="date")


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


class ClaimLineInvalid(RuleViolation):
    code = "claim_line_invalid"

    def __init__(self, number: int, field: str, detail: str):
        super().__init__(f"line {number}: {detail}", field=f"lines.{number}.{field}", line=number)


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
    code = "duplicate_claim"

    def __init__(self, other: str, detail: str):
        super().__init__(f"{detail} (claim {other})", field="lines", duplicate_of=other)


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
    """客户自购配件或关键部位用副厂件，技术质量不作担保."""

    code = "aftermarket_part_on_critical_component"

    def __init__(self, part_number: str | None):
        super().__init__("a customer-supplied or aftermarket part on a safety-critical component is not covered",
                         field="lines", part_number=part_number)


# ---------------------------------------------------------------- lot recalls


class LotRecallNotFound(NotFound):
    code = "lot_recall_not_found"

    def __init__(self, lot: str):
        super().__init__(f"no quarantined lot {lot} is known to warranty for this dealer", lot=lot)


class ReportPeriodInvalid(RuleViolation):
    code = "report_period_invalid"

    def __init__(self):
        super().__init__("the period ends before it starts", field="to")
