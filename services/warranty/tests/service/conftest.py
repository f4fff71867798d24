"""Use cases on in-memory ports (`fakes.py`): no database, broker or HTTP, on the integration
tests' clock (25 November 2026, 10:00 in Beijing, unless a test moves it).

The desk's usual claim: a water pump that leaked on the Camry (sold 15 September 2024), repaired
on RO-2026-0100 on 20 November, with labour, the pump (the causal part) and sublet work."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from shared.auth import Caller
from shared.fakes import Clock

from warranty.config import WarrantyRules
from warranty.domain.claim import Claim, ClaimHeader, LineDecision
from warranty.service import catalog, claims, vehicles
from warranty.service.claims import FileClaim
from warranty.service.vehicles import RegisterVehicle

from services.warranty.tests.integration.conftest import START
from services.warranty.tests.service.fakes import FakeAttachmentStore, FakeUnitOfWork, FakeUnitsOfWork, Store

DEALER = "D001"
VIN = "LVSHCAMB1CE054249"


def caller(sub: str = "clerk-li", *roles: str, dealer: str = DEALER) -> Caller:
    return Caller(sub=sub, dealer=dealer, roles=frozenset(roles or ("warranty_clerk",)))


CLERK = caller("clerk-li")
MANAGER = caller("manager-wang", "warranty_manager")
PARTS = Caller.for_event("/aftersales/parts", DEALER)  # as the consumer applies the parts service's events

PUMP = "16100-29575"
LABOUR = {"kind": "labour", "operation": "WATER-PUMP", "quantity": Decimal("2.000"), "unit_price": Decimal("180.00"),
          "repair_order_line": "1"}
PUMP_LINE = {"kind": "part", "part_number": PUMP, "quantity": Decimal("1.000"), "unit_price": Decimal("860.00"),
             "causal": True, "repair_order_line": "2"}
SUBLET = {"kind": "sublet", "description": "coolant flush at partner shop", "quantity": Decimal("1.000"),
          "unit_price": Decimal("120.00")}
HEADER = ClaimHeader(repair_order="RO-2026-0100", repair_date=date(2026, 11, 20), odometer=31_000,
                     failure_date=date(2026, 11, 18), claim_type="warranty", coverage_plan="CN-REPAIR",
                     complaint="coolant leak under the car", cause="water pump seal", correction="replaced water pump")
IN_FULL = (LineDecision(1, Decimal("360.00")), LineDecision(2, Decimal("860.00")), LineDecision(3, Decimal("120.00")))
NOTHING = tuple(LineDecision(n, Decimal("0.00"), "not_covered") for n in (1, 2, 3))


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def files() -> FakeAttachmentStore:
    return FakeAttachmentStore()


@pytest.fixture
def units(store, clock, files) -> FakeUnitsOfWork:
    return FakeUnitsOfWork(store, WarrantyRules(), clock, files)


@pytest.fixture
def uow(units):
    """A new unit of work for a dealer (D001 unless named), as the API opens one per request."""

    def open_(dealer: str = DEALER, actor: str = "clerk-li") -> FakeUnitOfWork:
        return units(dealer=dealer, actor=actor, correlation_id="test")

    return open_


@pytest.fixture
def camry(uow):
    """The Camry, registered; as the dealer's first vehicle it brings the default plans."""
    return vehicles.register_vehicle(uow(), caller("advisor-zhou", "service_advisor"), RegisterVehicle(
        vin=VIN, make="Toyota", model="Camry", model_year=2024, in_service_date=date(2024, 9, 15)))


@pytest.fixture
def pump_known(uow):
    """The parts catalog told us what the pump is: an OEM engine part."""
    learn(uow, PUMP, category="engine")


def learn(uow, part_number: str, *, category: str, source: str = "oem", safety_critical: bool = False,
          sequence: int = 1) -> None:
    catalog.learn_part(uow(), PARTS, part_number=part_number, sequence=sequence, name=None, category=category,
                       source=source, safety_critical=safety_critical, at=at("2026-01-05 09:00"))


def file(uow, vin: str = VIN, lines=(LABOUR, PUMP_LINE, SUBLET), **header) -> Claim:
    """The usual claim as a draft; `header`: what differs from `HEADER`."""
    return claims.file_claim(uow(), CLERK, FileClaim(vin, replace(HEADER, **header), tuple(lines)))


def submitted(uow, **header) -> Claim:
    return claims.submit(uow(), CLERK, file(uow, **header).claim_number)


def at(text: str) -> datetime:
    """A moment in Beijing time, as events carry them: `at("2025-06-01 10:00")`."""
    return datetime.fromisoformat(f"{text}+08:00")
