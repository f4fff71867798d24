"""Use cases on in-memory ports (`fakes.py`): no database, broker or HTTP, on the tests' clock
(Monday 7 December 2026, 09:00 in Beijing, unless a test moves it).

`desk` sets up what most tests need through the use cases themselves, as a dealer would: the
main store and the body shop's, a qualified and an unqualified supplier, and three parts.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shared.auth import Caller
from shared.fakes import Clock

from parts.config import PartsRules
from parts.domain.part_details import PartDetails
from parts.service import catalog, receipts, supply

from services.parts.tests.service.fakes import FakeUnitOfWork, FakeUnitsOfWork, Store

DEALER = "D001"
BEIJING = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 12, 7, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_9AM)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def units(store, clock) -> FakeUnitsOfWork:
    return FakeUnitsOfWork(store, PartsRules(), clock)


@pytest.fixture
def uow(units):
    """A new unit of work for a dealer (D001 unless named), as the API opens one per request."""

    def open_(dealer: str = DEALER, actor: str = "clerk-li") -> FakeUnitOfWork:
        return units(dealer=dealer, actor=actor, correlation_id="test")

    return open_


def caller(sub: str = "clerk-li", *roles: str, dealer: str = DEALER) -> Caller:
    return Caller(sub=sub, dealer=dealer, roles=frozenset(roles or ("parts_clerk",)))


CLERK = caller()
MANAGER = caller("manager-wang", "parts_manager")


def details(name: str, unit: str, price: str, category: str = "brakes") -> PartDetails:
    return PartDetails(name_zh=None, name_en=name, category=category, unit=unit, source="oem",
                       safety_critical=False, list_price=Decimal(price))


@pytest.fixture
def desk(uow):
    """Locations MAIN and BODY, suppliers S1 (qualified) and S9 (not), parts PADS (by the set,
    680.00), OIL (by the litre, 96.00) and ECU (by the piece, 8800.00)."""
    for code, warehouse in (("MAIN", "Main store"), ("BODY", "Body shop store")):
        supply.add_location(uow(), MANAGER, supply.AddLocation(code=code, warehouse=warehouse, bin=f"{code}-01"))
    for code, qualified in (("S1", True), ("S9", False)):
        supply.add_supplier(uow(), MANAGER, supply.AddSupplier(code=code, name=f"Supplier {code}", qualified=qualified,
                                                               lead_time_days=5))
    for number, unit, price in (("PADS", "set", "680.00"), ("OIL", "L", "96.00"), ("ECU", "pcs", "8800.00")):
        catalog.add_part(uow(), CLERK, catalog.AddPart(number, details(number, unit, price)))


def line(part: str = "PADS", quantity: str = "4", location: str = "MAIN", inspection: str = "passed",
         cost: str = "410.00") -> receipts.ReceiptLineAsked:
    return receipts.ReceiptLineAsked(part, Decimal(quantity), Decimal(cost), location, inspection=inspection,
                                     supplier_lot="B-2026-11")


def receive(uow, *lines: receipts.ReceiptLineAsked, supplier: str = "S1", **delivery):
    """Book a delivery of these lines; returns the receipt."""
    return receipts.receive(uow(), CLERK, receipts.ReceiveDelivery(supplier, tuple(lines), **delivery))
