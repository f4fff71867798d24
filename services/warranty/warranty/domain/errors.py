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
