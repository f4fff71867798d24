"""Demo data for the embedded default: a few vehicles for dealer D001, their odometer history
(one reading suspected of a rollback), Toyota's own repair warranty, an open brake campaign
and three claims on the Camry (one paid, one waiting for the manager, one draft), so the
claim lists and manager reports show something. The first vehicle brings China's default
plans; fitted parts come from the parts service's demo issues through the events."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from shared.auth import Caller
from shared.unit_of_work import UnitOfWorkFactory

from warranty.domain.claim import ClaimHeader, LineDecision
from warranty.domain.errors import CoveragePlanCodeTaken, VehicleAlreadyRegistered
from warranty.service import claims, coverage, vehicles
from warranty.service.claims import DecideClaim, FileClaim, RecordPayment
from warranty.service.coverage import AddPlan
from warranty.service.vehicles import RecordOdometer, RegisterVehicle

DEMO_DEALER = "D001"

VEHICLES = [
    RegisterVehicle(vin="LVSHCAMB1CE054249", make="Toyota", model="Camry", model_year=2024,
                    in_service_date=date(2024, 9, 15)),
    RegisterVehicle(vin="LFV2A21K3F4100010", make="Volkswagen", model="Sagitar", model_year=2023,
                    in_service_date=date(2023, 5, 8)),
    RegisterVehicle(vin="1HGCM82633A004352", make="Honda", model="Accord", model_year=2022,
                    in_service_date=date(2022, 3, 1), owner_count=2),
]

READINGS = {
    "LVSHCAMB1CE054249": [(date(2025, 9, 20), 12_800, "RO-DEMO-0001"), (date(2026, 9, 10), 21_400, "RO-DEMO-0002")],
    "LFV2A21K3F4100010": [(date(2025, 5, 6), 31_000, "RO-DEMO-0003")],
    # The second reading is lower than the first: kept, and flagged as a suspected rollback.
    "1HGCM82633A004352": [(date(2025, 3, 2), 38_000, "RO-DEMO-0004"), (date(2026, 2, 27), 35_500, "RO-DEMO-0005")],
}

PLANS = [
    AddPlan("TOYOTA-REPAIR", dict(
        make="Toyota", name="丰田整车保修 3年或10万公里 Toyota repair warranty", type="basic", months=36, km=100_000,
        exclusions=["filters", "fluids", "maintenance", "wear_items"], replaces="CN-REPAIR")),
    AddPlan("RC-TOY-2611", dict(
        make="Toyota", name="凯美瑞制动软管召回 Camry brake hose recall", type="campaign", models=["Camry"],
        components=["brakes"], ends_on=date(2027, 6, 30))),
    AddPlan("GOODWILL-VW", dict(
        make="Volkswagen", name="大众善意维修 VW goodwill", type="goodwill", months=60, km=120_000,
        deductible=Decimal("500.00"), pre_authorisation_above=Decimal("0.00"), transferable=False)),
]


CAMRY = "LVSHCAMB1CE054249"


def camry_claims(today: date) -> list[FileClaim]:
    """Repairs of the last weeks, so they are inside the filing deadline on any day."""
    def repaired(days_ago: int, repair_order: str, odometer: int, *, lines: tuple[dict, ...], **header) -> FileClaim:
        return FileClaim(CAMRY, ClaimHeader(
            repair_order=repair_order, repair_date=today - timedelta(days=days_ago),
            failure_date=today - timedelta(days=days_ago + 1), odometer=odometer, claim_type="warranty",
            coverage_plan="TOYOTA-REPAIR", **header), lines=lines)

    return [
        repaired(20, "RO-DEMO-0006", 23_150, complaint="冷却液渗漏 Coolant leaking under the engine",
                 cause="水泵密封失效 Water pump seal failed", correction="更换水泵 Replaced the water pump",
                 lines=(dict(kind="labour", operation="16-110", description="Replace water pump",
                             quantity=Decimal("1.5"), unit_price=Decimal("180.00")),
                        dict(kind="part", part_number="16100-09490", description="Water pump",
                             quantity=Decimal("1"), unit_price=Decimal("860.00"), causal=True))),
        repaired(6, "RO-DEMO-0007", 23_820, complaint="左前车窗升不上去 Front left window will not close",
                 cause="升降器电机烧毁 Regulator motor burnt out", correction="更换升降器 Replaced the regulator",
                 lines=(dict(kind="labour", operation="68-210", description="Replace window regulator",
                             quantity=Decimal("1.2"), unit_price=Decimal("180.00")),
                        dict(kind="part", part_number="69802-06210", description="Window regulator with motor",
                             quantity=Decimal("1"), unit_price=Decimal("1240.00"), causal=True))),
        repaired(2, "RO-DEMO-0008", 23_905, complaint="空调不制冷 Air conditioning blows warm",
                 lines=(dict(kind="labour", operation="88-100", description="Diagnose the A/C system",
                             quantity=Decimal("0.5"), unit_price=Decimal("180.00")),)),
    ]


def load(units_of_work: UnitOfWorkFactory) -> None:
    clerk = Caller(sub="demo-loader", dealer=DEMO_DEALER, roles=frozenset({"warranty_manager"}))

    def uow():
        return units_of_work(dealer=DEMO_DEALER, actor=clerk.sub, correlation_id="demo-data")

    first_load = False
    for vehicle in VEHICLES:
        try:
            vehicles.register_vehicle(uow(), clerk, vehicle)
        except VehicleAlreadyRegistered:
            continue  # loaded before, with its readings
        first_load = True
        for read_on, km, repair_order in READINGS[vehicle.vin]:
            vehicles.record_odometer(uow(), clerk, vehicle.vin, RecordOdometer(km=km, source="repair_order",
                                                                              read_on=read_on, reference=repair_order))
    for plan in PLANS:
        try:
            coverage.add_plan(uow(), clerk, plan)
        except CoveragePlanCodeTaken:
            pass
    if first_load:
        _file_claims(uow, clerk)


def _file_claims(uow, clerk: Caller) -> None:
    paid, waiting, _draft = [claims.file_claim(uow(), clerk, claim) for claim in camry_claims(uow().today())]
    for claim in (paid, waiting):
        claims.submit(uow(), clerk, claim.claim_number)
    claims.decide(uow(), clerk, paid.claim_number,
                  DecideClaim(lines=tuple(LineDecision(line.number, line.amount) for line in paid.lines)))
    claims.record_payment(uow(), clerk, paid.claim_number, RecordPayment(payment_reference="TMC-PAY-DEMO-01"))
