"""Use cases for vehicles: registering them, their odometer, their owners and title.

Each takes a command: a frozen dataclass of what the desk asks, defined here beside its use
case (the API's schemas load into it). The VIN of a vehicle already registered comes from the
URL, the version the desk saw from If-Match, not from the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.auth import Caller

from warranty.domain.errors import VehicleAlreadyRegistered, VehicleNotFound
from warranty.domain.vehicle import OdometerReading, Vehicle
from warranty.domain.vin import normalise_vin
from warranty.service.coverage import load_defaults_once
from warranty.service.ports import WarrantyUnitOfWork


@dataclass(frozen=True)
class RegisterVehicle:
    """A vehicle sold: its VIN as read, make, model, model year, the purchase invoice date, and
    its owners so far and title."""

    vin: str
    make: str
    model: str
    model_year: int
    in_service_date: date
    owner_count: int = 1
    title_status: str = "clean"


@dataclass(frozen=True)
class RecordOdometer:
    """What the odometer showed, on which day (None: today), read for what (`source`, and the
    repair order or inspection as `reference`)."""

    km: int
    source: str
    read_on: date | None = None
    reference: str | None = None


@dataclass(frozen=True)
class ChangeVehicle:
    """A change of hands (过户: the new owner count) or a branded title; None leaves it as it
    is. `reason`: why, carried by the event."""

    owner_count: int | None = None
    title_status: str | None = None
    reason: str | None = None

    def changes(self) -> dict[str, int | str]:
        return {name: value for name, value in (("owner_count", self.owner_count), ("title_status", self.title_status))
                if value is not None}


def register_vehicle(uow: WarrantyUnitOfWork, caller: Caller, command: RegisterVehicle) -> Vehicle:
    """The dealer's first vehicle also brings the default coverage plans (see coverage_defaults)."""
    vin = normalise_vin(command.vin, verify_check_digit=uow.rules.verify_vin_check_digit)
    with uow:
        if uow.vehicles.get(vin) is not None:
            raise VehicleAlreadyRegistered(vin)
        vehicle = Vehicle(
            caller.dealer,
            vin,
            make=command.make,
            model=command.model,
            model_year=command.model_year,
            in_service_date=command.in_service_date,
            owner_count=command.owner_count,
            title_status=command.title_status,
            at=uow.now(),
            today=uow.today(),
        )
        load_defaults_once(uow)
        uow.vehicles.add(vehicle)
        uow.commit()
    return vehicle


def record_odometer(uow: WarrantyUnitOfWork, caller: Caller, vin: str, command: RecordOdometer) -> OdometerReading:
    """Keep what the odometer showed (today unless dated); a rollback is flagged, not refused."""
    with uow:
        vehicle = uow.vehicles.get_for_update(vin.strip().upper())
        if vehicle is None:
            raise VehicleNotFound(vin)
        reading = vehicle.record_odometer(
            km=command.km, read_on=command.read_on or uow.today(), source=command.source, reference=command.reference,
            today=uow.today(), at=uow.now(), by=caller.sub,
        )
        uow.commit()
    return reading


def change_vehicle(uow: WarrantyUnitOfWork, caller: Caller, vin: str, expected_version: int,
                   command: ChangeVehicle) -> Vehicle:
    """A change of hands (过户) or a branded title."""
    with uow:
        vehicle = uow.vehicles.get_for_update(vin.strip().upper())
        if vehicle is None:
            raise VehicleNotFound(vin)
        vehicle.change(expected_version, reason=command.reason, **command.changes())
        uow.commit()
    return vehicle
