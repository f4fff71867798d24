"""The service manager's reports over complaints handled on the tests' clock. Default calendar:
Mon–Fri 09–12 and 13–18 in Beijing."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

BEIJING = ZoneInfo("Asia/Shanghai")
BRAKES = {"channel": "phone", "text": "换的刹车片一周就异响", "part_number": "04465-33450", "lot": "L2026-11"}
WAITING = {"channel": "wechat", "text": "预约了周六保养，到店后等了两个小时没人接待。"}
OLD_LETTER = {"channel": "letter", "text": "去年的发票还没开", "received_at": "2026-11-20T10:00:00+08:00"}


def beijing(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=BEIJING)


@pytest.fixture
def app(service, settings, clock):
    return service.create_app(settings, clock=clock)


@pytest.fixture
def handled(client, token, clock):
    """Friday 4 Dec 16:00: A, B (both naming the lot) and C received; D is a letter of 20 Nov.
    A: acknowledged at 17:00, promised for Monday, resolved Monday 10:00, rated 4, closed.
    B: resolved Tuesday 15:00, rated 2, accepted, not closed. C and D: untouched.
    The reports are read on Tuesday 8 Dec at 16:00."""
    headers = token(["complaints_agent"])

    def post(url: str, body: dict) -> dict:
        response = client.post(url, json=body, headers=headers)
        assert response.status_code in (200, 201), response.get_json()
        return response.get_json()

    a, b, c, d = (post("/api/v1/complaints", body) for body in (BRAKES, BRAKES, WAITING, OLD_LETTER))
    clock.now = beijing(4, 17)
    post(f"/api/v1/complaints/{a['id']}/acknowledgement", {})
    post(f"/api/v1/complaints/{a['id']}/promise", {"promised_resolution_on": "2026-12-07"})
    for complaint, resolved_at, score in ((a, beijing(7, 10), 4), (b, beijing(8, 15), 2)):
        clock.now = resolved_at
        post(f"/api/v1/complaints/{complaint['id']}/investigation", {"root_cause": "supplier"})
        post(f"/api/v1/complaints/{complaint['id']}/resolution", {"resolution": "pads replaced"})
        post(f"/api/v1/complaints/{complaint['id']}/feedback", {"told": "pads replaced", "accepted": True,
                                                                "satisfaction": score})
    post(f"/api/v1/complaints/{a['id']}/closure", {})
    clock.now = beijing(8, 16)
    return a, b, c, d


def _report(client, token, name: str, query: str = "") -> dict:
    response = client.get(f"/api/v1/reports/{name}{query}", headers=token(["service_manager"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_counts_by_category_severity_and_status_in_a_period(client, token, handled):
    counts = _report(client, token, "counts")
    assert counts["total"] == 4
    assert counts["by_status"] == {"open": 2, "in_progress": 0, "resolved": 1, "closed": 1, "reopened": 0,
                                   "merged": 0}
    assert {k: v for k, v in counts["by_category"].items() if v} == Counter(c["category"] for c in handled)
    assert sum(counts["by_severity"].values()) == 4 and counts["by_category"]["unclassified"] == 0

    december = _report(client, token, "counts", "?received_from=2026-12-01&received_to=2026-12-04")
    assert (december["total"], december["by_status"]["open"]) == (3, 1)
    november = _report(client, token, "counts", "?received_to=2026-11-30")
    assert november["total"] == 1 and november["by_status"]["open"] == 1
    backwards = client.get("/api/v1/reports/counts?received_from=2026-12-05&received_to=2026-12-01",
                           headers=token(["service_manager"]))
    assert backwards.status_code == 422 and backwards.get_json()["errors"].keys() == {"received_to"}


def test_sla_compliance_per_clock(client, token, handled):
    clocks = {c["clock"]: c for c in _report(client, token, "sla", "?received_from=2026-12-01")["clocks"]}
    # A acknowledged after 1 business hour; B only by its resolution after 15; C never (16 so far).
    assert {k: clocks["acknowledge"][k] for k in ("met", "missed", "running", "not_set", "met_rate")} == {
        "met": 1, "missed": 2, "running": 0, "not_set": 0, "met_rate": 0.333}
    # First response (16 business hours): A after 3, B after 15, C has run out.
    assert (clocks["first_response"]["met"], clocks["first_response"]["missed"]) == (2, 1)
    assert (clocks["escalation"]["met"], clocks["escalation"]["missed"]) == (2, 1)
    assert (clocks["resolution"]["met"], clocks["resolution"]["not_set"]) == (1, 2)


def test_time_to_resolve_in_wall_clock_and_business_hours(client, token, handled):
    times = _report(client, token, "resolution-times")
    # A: Fri 16:00 → Mon 10:00 is 66 h, 3 business hours; B: Fri 16:00 → Tue 15:00 is 95 h, 15 business hours.
    assert times == {"resolved": 2, "wall_hours": {"median": 80.5, "p90": 92.1},
                     "business_hours": {"median": 9.0, "p90": 13.8}}
    none = _report(client, token, "resolution-times", "?received_to=2026-11-30")
    assert none == {"resolved": 0, "wall_hours": {"median": None, "p90": None},
                    "business_hours": {"median": None, "p90": None}}


def test_satisfaction_root_causes_and_parts(client, token, handled):
    assert _report(client, token, "satisfaction") == {
        "rated": 2, "mean": 3.0, "distribution": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}}
    assert _report(client, token, "root-causes")["items"] == [{"root_cause": "supplier", "complaints": 2}]
    assert _report(client, token, "parts", "?limit=5") == {
        "by_part": [{"part_number": "04465-33450", "complaints": 2}],
        "by_lot": [{"lot": "L2026-11", "part_number": "04465-33450", "complaints": 2}]}
    assert _report(client, token, "parts", "?received_to=2026-11-30") == {"by_part": [], "by_lot": []}


def test_reports_are_for_the_desk_and_its_manager(client, token):
    for role in ("integration", "service_advisor"):
        assert client.get("/api/v1/reports/counts", headers=token([role])).status_code == 403
    assert client.get("/api/v1/reports/counts", headers=token(["complaints_agent"])).status_code == 200
