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
