"""Use cases for vehicles: registering them, their odometer, their owners and title."""

from __future__ import annotations

from datetime import date

from shared.auth import Caller

from warranty.domain.errors import VehicleAlreadyRegistered, VehicleNotFound
from warranty.domain.vehicle import OdometerReading, Vehicle
from warranty.domain.vin import normalise_vin
from warranty.service.coverage import load_defaults_once
from warranty.service.ports import WarrantyUnitOfWork


def register_vehicle(
    uow: WarrantyUnitOfWork,
    caller: Caller,
    *,
    vin: str,
    make: str,
    model: str,
    model_year: int,
    in_service_date: date,
    owner_count: int = 1,
    title_status: str = "clean",
) -> Vehicle:
    """The dealer's first vehicle also brings the default coverage plans (see coverage_defaults)."""
    vin = normalise_vin(vin, verify_check_digit=uow.rules.verify_vin_check_digit)
    with uow:
        if uow.vehicles.get(vin) is not None:
            raise VehicleAlreadyRegistered(vin)
        vehicle = Vehicle(
            caller.dealer,
            vin,
            make=make,
            model=model,
            model_year=model_year,
            in_service_date=in_service_date,
            owner_count=owner_count,
            title_status=title_status,
            at=uow.now(),
            today=uow.today(),
        )
        load_defaults_once(uow)
        uow.vehicles.add(vehicle)
        uow.commit()
    return vehicle


def record_odometer(uow: WarrantyUnitOfWork, caller: Caller, vin: str, *, km: int, read_on: date | None = None,
                    source: str, reference: str | None = None) -> OdometerReading:
    """Keep what the odometer showed (today unless dated); a rollback is flagged, not refused."""
    with uow:
        vehicle = uow.vehicles.get_for_update(vin.strip().upper())
        if vehicle is None:
            raise VehicleNotFound(vin)
        reading = vehicle.record_odometer(
            km=km, read_on=read_on or uow.today(), source=source, reference=reference,
            today=uow.today(), at=uow.now(), by=caller.sub,
        )
        uow.commit()
    return reading


def change_vehicle(uow: WarrantyUnitOfWork, caller: Caller, vin: str, expected_version: int, *,
                   reason: str | None = None, **changes: int | str) -> Vehicle:
    """A change of hands (过户) or a branded title."""
    with uow:
        vehicle = uow.vehicles.get_for_update(vin.strip().upper())
        if vehicle is None:
            raise VehicleNotFound(vin)
        vehicle.change(expected_version, reason=reason, **changes)
        uow.commit()
    return vehicle
