"""The warranty desk on a clock the tests set: 25 November 2026, 10:00 in Beijing, unless moved."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

START = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(service, settings, clock):
    return service.create_app(settings, clock=clock)


CAMRY = {"vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry", "model_year": 2024,
         "in_service_date": "2024-09-15"}


@pytest.fixture
def camry(client, token):
    """A Camry sold on 15 September 2024; registering it loads the dealer's default plans."""
    response = client.post("/api/v1/vehicles", json=CAMRY, headers=token(["service_advisor"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def events(client, token):
    """events(type) -> the data of every event of that type in the service's feed."""

    def of_type(type_: str) -> list[dict]:
        items = client.get("/api/v1/events?limit=200", headers=token(["integration"])).get_json()["items"]
        return [item["event"]["data"] for item in items if item["event"]["type"] == type_]

    return of_type
