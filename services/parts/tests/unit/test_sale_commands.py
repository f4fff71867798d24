"""The commands the counter sales use cases take, as the API's schemas load them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from parts.api.promotion_schemas import GroupPriceSet
from parts.api.sale_schemas import (
    CustomerGroupCreate,
    CustomerGroupUpdate,
    SaleCancellation,
    SaleCreate,
    SalePayment,
    SaleReturnCreate,
)
from parts.domain.sales import Refund, ReturnAsked, Vehicle
from parts.service.sales import (
    AddCustomerGroup,
    CancelSale,
    ChangeCustomerGroup,
    Customer,
    OpenSale,
    PaySale,
    ReturnParts,
    SaleLineAsked,
    SetGroupPrice,
)


def test_a_new_sale_groups_the_customer_and_ignores_a_clients_price():
    command = SaleCreate().load({
        "customer_kind": "trade", "customer_account": "G-1", "customer_group": "GARAGE",
        "vehicle": {"make": "Toyota", "model": "Camry", "vin": "lvshcamb1ce054249"},
        "lines": [{"part_number": "PADS", "quantity": "2", "unit_price": "1.00"},
                  {"part_number": "OIL", "quantity": "4.5", "location": "MAIN", "promotion": "SPRING"}],
    })
    assert command == OpenSale(
        customer=Customer(kind="trade", account="G-1", group="GARAGE"),
        lines=(SaleLineAsked("PADS", Decimal("2")), SaleLineAsked("OIL", Decimal("4.5"), "MAIN", "SPRING")),
        vehicle=Vehicle(make="Toyota", model="Camry", vin="LVSHCAMB1CE054249"),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.lines = ()


def test_a_sale_without_a_vehicle_has_an_undescribed_one():
    command = SaleCreate().load({"customer_kind": "walk_in", "lines": [{"part_number": "PADS", "quantity": "1"}]})
    assert command.vehicle == Vehicle() and not command.vehicle.described


def test_a_return_knows_where_each_line_is_in_the_request():
    command = SaleReturnCreate().load({"lines": [{"part_number": "PADS", "quantity": "1"},
                                                 {"part_number": "OIL", "quantity": "1", "condition": "faulty",
                                                  "lot": "LOT-1"}]})
    assert command == ReturnParts(lines=(
        ReturnAsked("PADS", Decimal("1"), field="lines.0"),
        ReturnAsked("OIL", Decimal("1"), condition="faulty", lot="LOT-1", field="lines.1"),
    ))
    assert command.refund == Refund() and command.exchange is None


def test_an_exchange_carries_its_replacement_lines_and_the_refund_asked():
    command = SaleReturnCreate().load({"lines": [{"part_number": "PADS", "quantity": "1"}], "reason": "wrong part",
                                       "refund": {"method": "cash", "amount": "10.00"},
                                       "exchange": [{"part_number": "PADS-2", "quantity": "1"}]})
    assert command.refund == Refund(method="cash", amount=Decimal("10.00"))
    assert command.exchange == (SaleLineAsked("PADS-2", Decimal("1")),)


def test_each_step_of_an_order_loads_into_its_command():
    assert SalePayment().load({"method": "cash", "amount": "5.00"}) == PaySale("cash", None, Decimal("5.00"))
    assert SaleCancellation().load({}) == CancelSale("cancelled at the counter")


def test_customer_group_commands():
    assert CustomerGroupCreate().load({"code": "GARAGE", "name": "Garages"}) == AddCustomerGroup(
        "GARAGE", "Garages", Decimal("0"))
    assert CustomerGroupUpdate().load({"discount_percent": "5"}) == ChangeCustomerGroup({"discount_percent": Decimal("5")})
    assert GroupPriceSet().load({"price": "12.50"}) == SetGroupPrice(Decimal("12.50"))
