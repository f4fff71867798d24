"""Demo data for the embedded default: a few vehicles for dealer D001, their odometer history
(one reading suspected of a rollback), Toyota's own repair warranty and an open brake campaign.
The first vehicle brings China's default plans; fitted parts come from the parts service's
demo issues through the events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.auth import Caller
from shared.unit_of_work import UnitOfWorkFactory

from warranty.domain.errors import CoveragePlanCodeTaken, VehicleAlreadyRegistered
from warranty.service import coverage, vehicles

DEMO_DEALER = "D001"

VEHICLES = [
    dict(vin="LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
         in_service_date=date(2024, 9, 15)),
    dict(vin="LFV2A21K3F4100010", make="Volkswagen", model="Sagitar", model_year=2023,
         in_service_date=date(2023, 5, 8)),
    dict(vin="1HGCM82633A004352", make="Honda", model="Accord", model_year=2022,
         in_service_date=date(2022, 3, 1), owner_count=2),
]

READINGS = {
    "LVSHCAMB1CE054249": [(date(2025, 9, 20), 12_800, "RO-DEMO-0001"), (date(2026, 9, 10), 21_400, "RO-DEMO-0002")],
    "LFV2A21K3F4100010": [(date(2025, 5, 6), 31_000, "RO-DEMO-0003")],
    # The second reading is lower than the first: kept, and flagged as a suspected rollback.
    "1HGCM82633A004352": [(date(2025, 3, 2), 38_000, "RO-DEMO-0004"), (date(2026, 2, 27), 35_500, "RO-DEMO-0005")],
}

PLANS = [
    dict(code="TOYOTA-REPAIR", make="Toyota", name="丰田整车保修 3年或10万公里 Toyota repair warranty",
         type="basic", months=36, km=100_000, exclusions=["filters", "fluids", "maintenance", "wear_items"],
         replaces="CN-REPAIR"),
    dict(code="RC-TOY-2611", make="Toyota", name="凯美瑞制动软管召回 Camry brake hose recall", type="campaign",
         models=["Camry"], components=["brakes"], ends_on=date(2027, 6, 30)),
    dict(code="GOODWILL-VW", make="Volkswagen", name="大众善意维修 VW goodwill", type="goodwill", months=60,
         km=120_000, deductible=Decimal("500.00"), pre_authorisation_above=Decimal("0.00"), transferable=False),
]


def load(units_of_work: UnitOfWorkFactory) -> None:
    clerk = Caller(sub="demo-loader", dealer=DEMO_DEALER, roles=frozenset({"warranty_manager"}))

    def uow():
        return units_of_work(dealer=DEMO_DEALER, actor=clerk.sub, correlation_id="demo-data")

    for entry in VEHICLES:
        try:
            vehicles.register_vehicle(uow(), clerk, **entry)
        except VehicleAlreadyRegistered:
            continue  # loaded before, with its readings
        for read_on, km, repair_order in READINGS[entry["vin"]]:
            vehicles.record_odometer(uow(), clerk, entry["vin"], km=km, read_on=read_on, source="repair_order",
                                     reference=repair_order)
    for plan in PLANS:
        try:
            coverage.add_plan(uow(), clerk, **plan)
        except CoveragePlanCodeTaken:
            pass
