"""China's family-car defaults (家用汽车产品修理、更换、退货责任规定), for every make.

A dealer gets these the first time it needs plans (its first vehicle or its first plan
change) and then configures them: longer terms for a make go in a make's own plan that
`replaces` the default. The law's two periods are minimums: the repair warranty (包修期)
3 years / 60,000 km and the three-guarantees period (三包有效期) 2 years / 50,000 km; both
stay with the vehicle when it changes hands. The other terms are common manufacturer terms,
meant to be adjusted per make.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from warranty.domain.coverage import CoveragePlan, PlanType

# Consumables and wear parts (易损耗零部件, 保养件) have their own shorter terms, not the vehicle's.
CONSUMABLES = ["filters", "fluids", "maintenance", "wear_items"]

DEFAULTS: list[dict] = [
    dict(code="CN-REPAIR", name="包修期 Repair warranty", type=PlanType.BASIC, months=36, km=60_000,
         exclusions=CONSUMABLES),
    dict(code="CN-3G", name="三包有效期 Three-guarantees period", type=PlanType.THREE_GUARANTEES,
         months=24, km=50_000, exclusions=CONSUMABLES),
    dict(code="CN-POWERTRAIN", name="动力总成 Powertrain, first owner", type=PlanType.POWERTRAIN,
         months=60, km=100_000, components=["engine", "transmission", "drivetrain"], transferable=False),
    dict(code="CN-CORROSION", name="车身防腐 Corrosion perforation", type=PlanType.CORROSION,
         months=72, km=None, components=["body"]),
    dict(code="CN-EMISSIONS", name="排放关键部件 Key emission parts (国六)", type=PlanType.EMISSIONS,
         months=60, km=80_000, components=["emissions"]),
    dict(code="CN-BATTERY", name="动力蓄电池 Traction battery", type=PlanType.BATTERY,
         months=96, km=120_000, components=["traction_battery", "drive_motor"]),
    dict(code="CN-REPLACED-PART", name="更换配件 Replaced part", type=PlanType.REPLACED_PART,
         months=12, km=20_000, exclusions=CONSUMABLES),
    # 机动车维修管理规定: a major repair is guaranteed 100 days or 20,000 km; months here.
    dict(code="CN-WORKMANSHIP", name="维修质量保证 Repair workmanship", type=PlanType.WORKMANSHIP,
         months=3, km=20_000, exclusions=CONSUMABLES),
    dict(code="CN-GOODWILL", name="善意维修 Goodwill", type=PlanType.GOODWILL, months=48, km=100_000,
         exclusions=CONSUMABLES, transferable=False, pre_authorisation_above=Decimal("0.00")),
]


def default_plans(dealer: str, at: datetime) -> list[CoveragePlan]:
    return [
        CoveragePlan(dealer, terms["code"], origin="default", at=at, by="system:defaults",
                     **{name: value for name, value in terms.items() if name != "code"})
        for terms in DEFAULTS
    ]
