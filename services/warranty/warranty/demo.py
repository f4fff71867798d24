"""Demo data for the embedded default: a few vehicles for dealer D001."""

from __future__ import annotations

from datetime import date

from shared.auth import Caller
from shared.unit_of_work import UnitOfWorkFactory

from warranty.domain.errors import VehicleAlreadyRegistered
from warranty.service import vehicles

DEMO_DEALER = "D001"

VEHICLES = [
    dict(vin="LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
         in_service_date=date(2024, 9, 15)),
    dict(vin="LFV2A21K3F4100010", make="Volkswagen", model="Sagitar", model_year=2023,
         in_service_date=date(2023, 5, 8)),
    dict(vin="1HGCM82633A004352", make="Honda", model="Accord", model_year=2022,
         in_service_date=date(2022, 3, 1), owner_count=2),
]


def load(units_of_work: UnitOfWorkFactory) -> None:
    advisor = Caller(sub="demo-loader", dealer=DEMO_DEALER, roles=frozenset({"warranty_clerk"}))
    for entry in VEHICLES:
        uow = units_of_work(dealer=DEMO_DEALER, actor=advisor.sub, correlation_id="demo-data")
        try:
            vehicles.register_vehicle(uow, advisor, **entry)
        except VehicleAlreadyRegistered:
            pass
