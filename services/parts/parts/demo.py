"""Demo data for the embedded default: dealer D001's catalog, stores, suppliers and stock."""

from __future__ import annotations

from decimal import Decimal

from shared.auth import Caller
from shared.unit_of_work import UnitOfWorkFactory

from parts.domain.errors import CustomerGroupCodeTaken, LocationCodeTaken, PartNumberTaken, SupplierCodeTaken
from parts.domain.part_details import PartDetails
from parts.service import catalog, receipts, reorder, sales, supply
from parts.service.catalog import AddPart
from parts.service.receipts import ReceiptLineAsked, ReceiveDelivery
from parts.service.reorder import SetReorderRule
from parts.service.sales import AddCustomerGroup
from parts.service.supply import AddLocation, AddSupplier

DEMO_DEALER = "D001"

CATALOG = [
    AddPart("04465-33450", PartDetails(name_zh="前刹车片", name_en="Front brake pads", category="brakes", unit="set",
                                       source="oem", safety_critical=True, list_price=Decimal("680.00"))),
    AddPart("90915-YZZE1", PartDetails(name_zh="机油滤清器", name_en="Oil filter", category="filters", unit="pcs",
                                       source="oem", safety_critical=False, list_price=Decimal("58.00"))),
    AddPart("08880-83717", PartDetails(name_zh="全合成机油 0W-20", name_en="Engine oil 0W-20", category="fluids",
                                       unit="L", source="oem", safety_critical=False, list_price=Decimal("96.00"))),
    AddPart("AM-BP-2231", PartDetails(name_zh="副厂前刹车片", name_en="Aftermarket front brake pads",
                                      category="brakes", unit="set", source="aftermarket", safety_critical=True,
                                      list_price=Decimal("320.00"))),
    AddPart("17801-21050", PartDetails(name_zh="空气滤清器", name_en="Air filter", category="filters", unit="pcs",
                                       source="oem", safety_critical=False, list_price=Decimal("145.00"))),
    AddPart("89661-06K31", PartDetails(name_zh="发动机控制单元", name_en="Engine control unit",
                                       category="electrical", unit="pcs", source="oem", safety_critical=False,
                                       list_price=Decimal("8800.00"))),
    # Added whole, after what they name: the old filter number a clerk may still be asked for
    # (superseded), and the pads with the vehicles they fit and the aftermarket set in their place.
    AddPart("90915-10003", PartDetails(name_zh="机油滤清器（旧号）", name_en="Oil filter (old number)",
                                       category="filters", unit="pcs", source="oem", safety_critical=False,
                                       list_price=Decimal("55.00")),
            superseded_by="90915-YZZE1"),
    AddPart("04465-06090", PartDetails(name_zh="前刹车片（凯美瑞）", name_en="Front brake pads (Camry)",
                                       category="brakes", unit="set", source="oem", safety_critical=True,
                                       list_price=Decimal("720.00")),
            alternates=("AM-BP-2231",),
            fitments=(dict(make="Toyota", model="Camry", year_from=2018, year_to=2023, displacement=Decimal("2.5")),
                      dict(make="Toyota", model="RAV4", year_from=2019, year_to=2023, displacement=Decimal("2.0")))),
]

LOCATIONS = [AddLocation(code="MAIN", warehouse="主仓库 Main store", bin="A-01"),
             AddLocation(code="BODY", warehouse="钣喷仓 Body shop store", bin="B-01")]

SUPPLIERS = [AddSupplier(code="GTMC", name="广汽丰田配件中心", qualified=True, lead_time_days=3),
             AddSupplier(code="HX-AUTO", name="华兴汽配", qualified=True, lead_time_days=5),
             AddSupplier(code="CHEAP-PARTS", name="未评审供应商", qualified=False, lead_time_days=10)]

DELIVERIES = [
    ("GTMC", [("04465-33450", "6", "410.00", "passed"), ("90915-YZZE1", "40", "31.00", "passed"),
              ("08880-83717", "120", "52.00", "passed"), ("17801-21050", "12", "80.00", "passed"),
              ("89661-06K31", "1", "6100.00", "passed")]),
    ("HX-AUTO", [("AM-BP-2231", "8", "150.00", "passed"), ("04465-33450", "4", "405.00", "pending")]),
    ("GTMC", [("04465-06090", "2", "430.00", "passed")]),
]


# Brake pads run low (a reorder suggestion shows); oil filters follow demand.
REORDER_RULES = [
    SetReorderRule(part_number="04465-33450", safety_stock=Decimal("4"), reorder_point=Decimal("8"),
                   max_stock=Decimal("20"), pack_multiple=Decimal("2"), location="MAIN"),
    SetReorderRule(part_number="90915-YZZE1", safety_stock=Decimal("10"), reorder_point=Decimal("20"),
                   max_stock=Decimal("60"), pack_multiple=Decimal("10"), location="MAIN", mode="demand",
                   lead_time_days=3),
]

# Counter customers with their own terms (客户类别): a discount off list price.
CUSTOMER_GROUPS = [AddCustomerGroup("GARAGE", "合作修理厂 Partner garages", discount_percent=Decimal("10")),
                   AddCustomerGroup("FLEET", "车队客户 Fleet customers", discount_percent=Decimal("5"))]


def load(units_of_work: UnitOfWorkFactory) -> None:
    manager = Caller(sub="demo-loader", dealer=DEMO_DEALER, roles=frozenset({"parts_manager"}))

    def uow():
        return units_of_work(dealer=DEMO_DEALER, actor=manager.sub, correlation_id="demo-data")

    for command in CATALOG:
        try:
            catalog.add_part(uow(), manager, command)
        except PartNumberTaken:
            pass
    for command in CUSTOMER_GROUPS:
        try:
            sales.add_customer_group(uow(), manager, command)
        except CustomerGroupCodeTaken:
            pass
    try:
        for command in LOCATIONS:
            supply.add_location(uow(), manager, command)
    except LocationCodeTaken:
        return  # the stores, suppliers and deliveries were loaded before
    for command in SUPPLIERS:
        try:
            supply.add_supplier(uow(), manager, command)
        except SupplierCodeTaken:
            pass
    for supplier, lines in DELIVERIES:
        receipts.receive(uow(), manager, ReceiveDelivery(supplier, delivery_note=f"DN-{supplier}-001", lines=tuple(
            ReceiptLineAsked(number, Decimal(quantity), Decimal(cost), "MAIN", inspection=inspection,
                             supplier_lot=f"{supplier}-2611")
            for number, quantity, cost, inspection in lines
        )))
    for command in REORDER_RULES:
        reorder.set_rule(uow(), manager, command)
