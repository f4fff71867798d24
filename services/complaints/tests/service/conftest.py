"""Use cases on in-memory ports (`fakes.py`): no database, broker or HTTP, on the tests' clock
(Friday 4 December 2026, 16:00 in Beijing, unless a test moves it)."""

from __future__ import annotations

import pytest

from shared.auth import Caller

from complaints.config import ComplaintsRules

from services.complaints.tests.service.fakes import FakeSenders, FakeUnitOfWork, FakeUnitsOfWork, Store

DEALER = "D001"


@pytest.fixture(scope="session")
def rules() -> ComplaintsRules:
    return ComplaintsRules()  # the defaults; reading the classifier once costs a quarter of a second


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def units(store, rules, clock) -> FakeUnitsOfWork:
    return FakeUnitsOfWork(store, rules, clock)


@pytest.fixture
def uow(units):
    """A new unit of work for a dealer (D001 unless named), as the API opens one per request."""

    def open_(dealer: str = DEALER, actor: str = "agent-zhao") -> FakeUnitOfWork:
        return units(dealer=dealer, actor=actor, correlation_id="test")

    return open_


@pytest.fixture
def senders() -> FakeSenders:
    return FakeSenders()


def caller(sub: str = "agent-zhao", *roles: str, dealer: str = DEALER) -> Caller:
    return Caller(sub=sub, dealer=dealer, roles=frozenset(roles or ("complaints_agent",)))
