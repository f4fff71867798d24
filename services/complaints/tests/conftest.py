from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.fakes import Clock

from complaints.app import COMPLAINTS

FRIDAY_4PM = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def service():
    return COMPLAINTS


@pytest.fixture
def clock() -> Clock:
    return Clock(FRIDAY_4PM)


@pytest.fixture
def events(client, token):
    """The events the service emitted of one type, oldest first, as the feed serves them."""

    def of_type(type_: str) -> list[dict]:
        items = client.get("/api/v1/events?limit=200", headers=token(["integration"])).get_json()["items"]
        return [item["event"] for item in items if item["event"]["type"] == type_]

    return of_type
