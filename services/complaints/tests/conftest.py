from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from complaints.app import COMPLAINTS

FRIDAY_4PM = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def service():
    return COMPLAINTS


class Clock:
    """A clock the test moves (`clock.now = ...`); a test module that wants it overrides `app`
    with `service.create_app(settings, clock=clock)`."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(timezone.utc)  # as the real clock answers


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
