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
