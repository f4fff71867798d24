"""Use cases for vehicles."""

from __future__ import annotations

from datetime import date

from shared.auth import Caller

from warranty.adapters.unit_of_work import WarrantyUnitOfWork
from warranty.domain.errors import VehicleAlreadyRegistered
from warranty.domain.vehicle import Vehicle
from warranty.domain.vin import normalise_vin


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
) -> Vehicle:
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
            at=uow.now(),
            today=uow.today(),
        )
        uow.vehicles.add(vehicle)
        uow.commit()
    return vehicle
