"""Ownership, the business calendar and the SLA clocks through the API, on a clock the tests move
(`clock`, from conftest): Friday 4 December 2026, 16:00 in Beijing, unless moved. Default calendar: Mon–Fri 09–12, 13–18."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from complaints.service.clocks import escalate_overdue

BEIJING = ZoneInfo("Asia/Shanghai")
ENGINE_NOISE = {"channel": "phone", "text": "保养后发动机有异响，希望免费检查。", "customer_name": "王先生",
                "customer_phone": "13812341234"}


def beijing(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)


def utc(day: int, hour: int, minute: int = 0) -> str:
    """How the API writes a Beijing time: in UTC."""
    return beijing(day, hour, minute).astimezone(timezone.utc).isoformat()


@pytest.fixture
def app(service, settings, clock):
    return service.create_app(settings, clock=clock)


@pytest.fixture
def sweep(service, settings, clock):
    """Run the escalation sweep once, on the tests' clock; returns how many clocks it escalated."""
    units = service.units_of_work(settings, clock)
    return lambda: escalate_overdue(units)


def _record(client, token, body=ENGINE_NOISE, sub="agent-zhao") -> dict:
    created = client.post("/api/v1/complaints", json=body, headers=token(["complaints_agent"], sub=sub))
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _clocks(body: dict) -> dict[str, dict]:
    return {clock["clock"]: clock for clock in body["clocks"]}


def _get(client, token, complaint_id: str) -> dict:
    return client.get(f"/api/v1/complaints/{complaint_id}", headers=token(["service_manager"])).get_json()


# ---------------------------------------------------------------- ownership (首问责任制)


def test_assigning_work_keeps_the_receiver_as_owner(client, token, events):
    complaint = _record(client, token)
    assigned = client.post(f"/api/v1/complaints/{complaint['id']}/assignment",
                           json={"department": "workshop", "handler": "tech-sun", "note": "check the timing chain"},
                           headers=token(["complaints_agent"], sub="agent-zhao"))
    assert assigned.status_code == 200, assigned.get_json()
    body = assigned.get_json()
    assert (body["owner"], body["department"], body["handler"]) == ("agent-zhao", "workshop", "tech-sun")
    last = body["timeline"][-1]
    assert (last["kind"], last["actor"], last["at"]) == ("assigned", "agent-zhao", utc(4, 16))
    assert "check the timing chain" in last["summary"]
    assert last["details"] == {"department": "workshop", "handler": "tech-sun", "owner": "agent-zhao",
                               "note": "check the timing chain"}
    [event] = events("complaints.complaint.assigned")
    assert event["subject"] == complaint["id"]
    assert {k: event["data"][k] for k in ("owner", "previous_owner", "department", "handler", "assigned_by")} == {
        "owner": "agent-zhao", "previous_owner": None, "department": "workshop", "handler": "tech-sun",
        "assigned_by": "agent-zhao"}


def test_only_the_service_manager_changes_the_owner_and_only_with_a_reason(client, token, events):
    complaint = _record(client, token)
    url = f"/api/v1/complaints/{complaint['id']}/owner"
    refused = client.post(url, json={"owner": "agent-qian", "reason": "leave"},
                          headers=token(["complaints_agent"], sub="agent-zhao"))
    assert refused.status_code == 403
    no_reason = client.post(url, json={"owner": "agent-qian"}, headers=token(["service_manager"], sub="manager-li"))
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["errors"]
    same = client.post(url, json={"owner": "agent-zhao", "reason": "x"}, headers=token(["service_manager"]))
    assert same.status_code == 409 and same.get_json()["code"] == "already_owner"
    assert _get(client, token, complaint["id"])["version"] == complaint["version"]  # nothing applied

    changed = client.post(url, json={"owner": "agent-qian", "reason": "agent-zhao is on leave until Monday"},
                          headers=token(["service_manager"], sub="manager-li"))
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["owner"] == "agent-qian"
    last = body["timeline"][-1]
    assert (last["kind"], last["actor"]) == ("owner_changed", "manager-li")
    assert "agent-zhao → agent-qian" in last["summary"] and "on leave" in last["summary"]
    assert last["details"] == {"previous": "agent-zhao", "owner": "agent-qian",
                               "reason": "agent-zhao is on leave until Monday"}
    [event] = events("complaints.complaint.assigned")
    assert (event["data"]["owner"], event["data"]["previous_owner"], event["data"]["reason"]) == (
        "agent-qian", "agent-zhao", "agent-zhao is on leave until Monday")


def test_the_advisor_who_records_a_complaint_works_it(client, token, events):
    advisor = token(["service_advisor"], sub="advisor-wu")
    created = client.post("/api/v1/complaints", json=ENGINE_NOISE, headers=advisor)
    assert created.status_code == 201, created.get_json()
    complaint_id = created.get_json()["id"]
    assert created.get_json()["owner"] == "advisor-wu"
    url = f"/api/v1/complaints/{complaint_id}"
    acknowledged = client.post(f"{url}/acknowledgement", json={"note": "told the customer at the counter"},
                               headers=advisor)
    assert acknowledged.status_code == 200, acknowledged.get_json()
    responded = client.post(f"{url}/responses", json={"summary": "workshop checks it on Monday"}, headers=advisor)
    assert responded.status_code == 200, responded.get_json()
    assigned = client.post(f"{url}/assignment", json={"department": "workshop"}, headers=advisor)
    assert assigned.status_code == 200, assigned.get_json()
    body = _get(client, token, complaint_id)
    assert [e["actor"] for e in body["timeline"] if e["kind"] in ("acknowledged", "responded", "assigned")] == [
        "advisor-wu"] * 3
    assert body["acknowledged_at"] is not None and body["first_response_at"] is not None


def test_other_peoples_complaints_follow_the_role_rules(client, token):
    complaint = _record(client, token, sub="agent-zhao")
    url = f"/api/v1/complaints/{complaint['id']}"
    other_advisor = token(["service_advisor"], sub="advisor-wu")
    for path, body in (("acknowledgement", {}), ("responses", {"summary": "we are on it"}),
                       ("pause", {"waiting_for": "customer", "reason": "no answer"})):
        refused = client.post(f"{url}/{path}", json=body, headers=other_advisor)
        assert refused.status_code == 403, (path, refused.get_json())
        assert refused.get_json()["code"] == "not_complaint_owner"
    assert _get(client, token, complaint["id"])["version"] == complaint["version"]  # nothing applied
    # the desk works an advisor's complaint too
    advisors = client.post("/api/v1/complaints", json=ENGINE_NOISE, headers=other_advisor).get_json()
    by_desk = client.post(f"/api/v1/complaints/{advisors['id']}/acknowledgement", json={},
                          headers=token(["complaints_agent"], sub="agent-qian"))
    assert by_desk.status_code == 200, by_desk.get_json()
    outsider = client.post(f"{url}/acknowledgement", json={}, headers=token(["warranty_clerk"], sub="advisor-wu"))
    assert outsider.status_code == 403


def test_another_dealers_complaint_is_not_found(client, token):
    complaint = _record(client, token)
    answer = client.post(f"/api/v1/complaints/{complaint['id']}/assignment", json={"department": "workshop"},
                         headers=token(["complaints_agent"], dealer="D002"))
    assert answer.status_code == 404


# ---------------------------------------------------------------- clocks


def test_each_clock_is_shown_in_business_time(client, token):
    body = _record(client, token)  # Friday 16:00
    clocks = _clocks(body)
    assert (clocks["acknowledge"]["status"], clocks["acknowledge"]["due_at"]) == ("running", utc(4, 18))
    assert clocks["first_response"]["due_at"] == utc(8, 16)  # Fri 2 h + Mon 8 h + Tue 6 h
    assert clocks["escalation"]["due_at"] == utc(8, 16)
    assert (clocks["resolution"]["status"], clocks["resolution"]["due_at"]) == ("not_set", None)
    assert clocks["first_response"]["target_minutes"] == 16 * 60


def test_acknowledging_and_answering_stop_their_clocks(client, token, clock):
    complaint_id = _record(client, token)["id"]
    clock.now = beijing(4, 17)
    acknowledged = client.post(f"/api/v1/complaints/{complaint_id}/acknowledgement", json={},
                               headers=token(["complaints_agent"]))
    assert acknowledged.status_code == 200, acknowledged.get_json()
    assert _clocks(acknowledged.get_json())["acknowledge"]["status"] == "met"
    again = client.post(f"/api/v1/complaints/{complaint_id}/acknowledgement", json={},
                        headers=token(["complaints_agent"]))
    assert again.status_code == 409 and again.get_json()["code"] == "already_acknowledged"
    assert again.headers["Content-Type"].startswith("application/problem+json")

    clock.now = beijing(7, 10)
    answered = client.post(f"/api/v1/complaints/{complaint_id}/responses",
                           json={"summary": "technician will inspect it on Tuesday"},
                           headers=token(["complaints_agent"], sub="agent-zhao"))
    assert answered.status_code == 200, answered.get_json()
    body = answered.get_json()
    assert body["first_response_at"] == utc(7, 10)
    clocks = _clocks(body)
    assert (clocks["first_response"]["status"], clocks["escalation"]["status"]) == ("met", "met")
    assert clocks["first_response"]["used_minutes"] == 3 * 60  # Friday 16–18 and Monday 09–10
    assert body["timeline"][-1]["kind"] == "responded"


def test_pausing_holds_the_clocks_and_bad_transitions_are_refused(client, token, clock):
    complaint_id = _record(client, token)["id"]
    url = f"/api/v1/complaints/{complaint_id}"
    clock.now = beijing(7, 9)  # Monday, after 2 business hours on Friday
    paused = client.post(f"{url}/pause", json={"waiting_for": "customer", "reason": "customer to bring the car"},
                         headers=token(["complaints_agent"]))
    assert paused.status_code == 200, paused.get_json()
    body = paused.get_json()
    assert body["paused"] and _clocks(body)["first_response"] == {**_clocks(body)["first_response"],
                                                                    "status": "paused", "due_at": None}
    twice = client.post(f"{url}/pause", json={"waiting_for": "supplier", "reason": "again"},
                        headers=token(["complaints_agent"]))
    assert twice.status_code == 409 and twice.get_json()["code"] == "complaint_already_paused"
    bad = client.post(f"{url}/pause", json={"waiting_for": "weather", "reason": "rain"},
                      headers=token(["complaints_agent"]))
    assert bad.status_code == 422 and "waiting_for" in bad.get_json()["errors"]

    clock.now = beijing(8, 9)  # a whole working day later
    resumed = client.post(f"{url}/resume", json={"reason": "car is in the workshop"},
                          headers=token(["complaints_agent"]))
    assert resumed.status_code == 200, resumed.get_json()
    body = resumed.get_json()
    assert not body["paused"] and body["pauses"][0]["until"] == utc(8, 9)
    assert _clocks(body)["first_response"]["due_at"] == utc(9, 16)  # a day later than without the pause
    again = client.post(f"{url}/resume", json={"reason": "again"}, headers=token(["complaints_agent"]))
    assert again.status_code == 409 and again.get_json()["code"] == "complaint_not_paused"
    assert _get(client, token, complaint_id)["version"] == body["version"]


def test_the_resolution_clock_runs_to_the_promised_date(client, token):
    complaint_id = _record(client, token)["id"]
    url = f"/api/v1/complaints/{complaint_id}/promise"
    early = client.post(url, json={"promised_resolution_on": "2026-12-01"}, headers=token(["complaints_agent"]))
    assert early.status_code == 422 and early.get_json()["code"] == "promise_before_receipt"
    promised = client.post(url, json={"promised_resolution_on": "2026-12-09"}, headers=token(["complaints_agent"]))
    assert promised.status_code == 200, promised.get_json()
    assert _clocks(promised.get_json())["resolution"]["due_at"] == utc(9, 18)
    moved = client.post(url, json={"promised_resolution_on": "2026-12-11"}, headers=token(["complaints_agent"]))
    assert moved.status_code == 422 and moved.get_json()["code"] == "reason_required"


# ---------------------------------------------------------------- the calendar


HOURS = {day: [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]
         for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


def test_the_calendar_refuses_overlapping_hours_and_changes_nothing(client, token):
    default = client.get("/api/v1/calendar", headers=token(["complaints_agent"]))
    assert default.status_code == 200 and default.headers["ETag"] == '"0"'
    overlapping = {"hours": {**HOURS, "monday": [{"start": "09:00", "end": "12:30"}, {"start": "12:00", "end": "18:00"}]}}
    refused = client.put("/api/v1/calendar", json=overlapping, headers={**token(["service_manager"]), "If-Match": '"0"'})
    assert refused.status_code == 422
    problem = refused.get_json()
    assert problem["code"] == "overlapping_hours" and "hours.monday" in problem["errors"]
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/calendar", headers=token(["service_manager"])).get_json() == default.get_json()

    by_agent = client.put("/api/v1/calendar", json={"hours": HOURS}, headers={**token(["complaints_agent"]),
                                                                              "If-Match": '"0"'})
    assert by_agent.status_code == 403
    no_etag = client.put("/api/v1/calendar", json={"hours": HOURS}, headers=token(["service_manager"]))
    assert no_etag.status_code == 428


def test_a_make_up_saturday_brings_the_deadlines_forward(client, token):
    complaint_id = _record(client, token)["id"]  # Friday 16:00
    changed = client.put("/api/v1/calendar", json={"hours": HOURS, "make_up_days": ["2026-12-05"],
                                                   "holidays": ["2026-12-08"]},
                         headers={**token(["service_manager"], sub="manager-li"), "If-Match": '"0"'})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert changed.headers["ETag"] == '"1"' and body["make_up_days"] == ["2026-12-05"]
    assert body["hours"]["monday"] == HOURS["monday"] and "saturday" not in body["hours"]
    # Fri 2 h + Sat (调休) 8 h + Mon 6 h; Tuesday's holiday no longer matters
    assert _clocks(_get(client, token, complaint_id))["first_response"]["due_at"] == utc(7, 16)
    stale = client.put("/api/v1/calendar", json={"hours": HOURS}, headers={**token(["service_manager"]),
                                                                          "If-Match": '"0"'})
    assert stale.status_code == 412


# ---------------------------------------------------------------- the escalation sweep


def test_the_sweep_escalates_each_clock_once(client, token, clock, sweep, events):
    complaint_id = _record(client, token)["id"]  # Friday 16:00
    clock.now = beijing(4, 17, 59)
    assert sweep() == 0
    clock.now = beijing(7, 9)  # Monday: acknowledge ran out Friday 18:00
    assert sweep() == 1
    assert sweep() == 0
    clock.now = beijing(8, 16)  # Tuesday 16:00: first response and escalation ran out
    assert sweep() == 2
    clock.now = beijing(15, 9)
    assert sweep() == 0

    escalated = events("complaints.complaint.escalated")
    assert [e["data"]["clocks"] for e in escalated] == [["acknowledge"], ["first_response", "escalation"]]
    assert [(e["data"]["clock"], e["data"]["due_at"]) for e in escalated] == [
        ("acknowledge", utc(4, 18)), ("first_response", utc(8, 16))]
    assert {e["subject"] for e in escalated} == {complaint_id}
    assert {e["data"]["escalated_to"] for e in escalated} == {"service_manager"}
    body = _get(client, token, complaint_id)
    assert [e["clock"] for e in body["escalations"]] == ["acknowledge", "first_response", "escalation"]
    assert _clocks(body)["acknowledge"]["escalated_at"] == utc(7, 9)
    assert [entry["kind"] for entry in body["timeline"]].count("escalated") == 2
    listed = client.get("/api/v1/complaints?escalated=true", headers=token(["service_manager"])).get_json()
    assert [item["id"] for item in listed["items"]] == [complaint_id]


def test_an_unanswered_complaint_found_late_is_escalated_once_naming_every_clock(client, token, clock, sweep,
                                                                                 events):
    complaint_id = _record(client, token)["id"]  # Friday 16:00
    clock.now = beijing(9, 9)  # nobody swept since: acknowledge, first response and escalation all ran out
    assert sweep() == 3
    assert sweep() == 0
    [escalated] = events("complaints.complaint.escalated")
    assert escalated["subject"] == complaint_id
    assert escalated["data"]["clocks"] == ["acknowledge", "first_response", "escalation"]
    assert (escalated["data"]["clock"], escalated["data"]["due_at"]) == ("acknowledge", utc(4, 18))
    body = _get(client, token, complaint_id)
    assert {c["clock"] for c in body["escalations"]} == {"acknowledge", "first_response", "escalation"}
    [entry] = [entry for entry in body["timeline"] if entry["kind"] == "escalated"]
    assert entry["details"] == {"clocks": ["acknowledge", "first_response", "escalation"], "first_due_at": utc(4, 18),
                                "escalated_to": "service_manager"}
    assert "(first at 2026-12-04 10:00 UTC)" in entry["summary"]  # Friday 18:00 in Beijing


def test_an_answered_or_paused_complaint_is_not_escalated(client, token, clock, sweep, events):
    answered = _record(client, token)["id"]
    waiting = _record(client, token)["id"]
    clock.now = beijing(4, 17)
    for complaint_id in (answered, waiting):
        client.post(f"/api/v1/complaints/{complaint_id}/acknowledgement", json={},
                    headers=token(["complaints_agent"]))
    client.post(f"/api/v1/complaints/{answered}/responses", json={"summary": "called back"},
                headers=token(["complaints_agent"]))
    client.post(f"/api/v1/complaints/{waiting}/pause", json={"waiting_for": "supplier", "reason": "analysis"},
                headers=token(["complaints_agent"]))
    clock.now = beijing(18, 9)
    assert sweep() == 0
    assert events("complaints.complaint.escalated") == []


def test_the_job_runs_from_the_command_line(service, settings, infra, monkeypatch, token):
    """`python -m complaints job escalate-overdue`, on the real clock: a letter received long ago."""
    app = service.create_app(settings)
    client = app.test_client()
    letter = {**ENGINE_NOISE, "channel": "letter", "received_at": "2026-01-05T09:00:00+08:00"}
    complaint_id = _record(client, token, letter)["id"]
    for name, value in infra.environ(service).items():
        monkeypatch.setenv(name, value)
    assert service.main(["job", "escalate-overdue"]) == 0
    escalations = _get(client, token, complaint_id)["escalations"]
    assert {e["clock"] for e in escalations} == {"acknowledge", "first_response", "escalation"}


# ---------------------------------------------------------------- targets per severity (分级时效)

BRAKE_FAILURE = {"channel": "phone", "text": "高速行驶时刹车突然失灵，差点出事故！"}
CRITICAL = {"severity": "critical", "acknowledge_minutes": 30, "first_response_minutes": 240, "escalation_minutes": 240}


def test_a_critical_complaint_gets_the_dealers_shorter_targets(client, token, clock, sweep, events):
    manager = token(["service_manager"], sub="manager-li")
    shown = client.get("/api/v1/sla-targets", headers=token(["complaints_agent"])).get_json()
    assert shown["version"] == 0 and {t["severity"]: (t["acknowledge_minutes"], t["configured"])
                                      for t in shown["targets"]}["critical"] == (120, False)
    floor_mat = _record(client, token)  # normal, Friday 16:00
    assert client.put("/api/v1/sla-targets", json={"targets": [CRITICAL]},
                      headers={**token(["complaints_agent"]), "If-Match": '"0"'}).status_code == 403
    bad = client.put("/api/v1/sla-targets", json={"targets": [{**CRITICAL, "acknowledge_minutes": 300}]},
                     headers={**manager, "If-Match": '"0"'})
    assert bad.status_code == 422 and bad.get_json()["code"] == "invalid_sla_targets"
    changed = client.put("/api/v1/sla-targets", json={"targets": [CRITICAL]}, headers={**manager, "If-Match": '"0"'})
    assert changed.status_code == 200, changed.get_json()
    assert changed.headers["ETag"] == '"1"'
    by_severity = {t["severity"]: t for t in changed.get_json()["targets"]}
    assert (by_severity["critical"]["first_response_minutes"], by_severity["critical"]["configured"]) == (240, True)
    assert (by_severity["low"]["first_response_minutes"], by_severity["low"]["configured"]) == (960, False)
    stale = client.put("/api/v1/sla-targets", json={"targets": []}, headers={**manager, "If-Match": '"0"'})
    assert stale.status_code == 412

    brakes = _record(client, token, BRAKE_FAILURE)
    assert brakes["severity"] == "critical"
    assert (_clocks(brakes)["acknowledge"]["due_at"], _clocks(brakes)["first_response"]["due_at"]) == (
        utc(4, 16, 30), utc(7, 11))
    assert _clocks(_get(client, token, floor_mat["id"]))["acknowledge"]["due_at"] == utc(4, 18)

    clock.now = beijing(4, 16, 31)
    assert sweep() == 1
    [escalated] = events("complaints.complaint.escalated")
    assert (escalated["subject"], escalated["data"]["clocks"]) == (brakes["id"], ["acknowledge"])

    # a person raising the floor mat to critical puts it on the critical targets at once
    raised = client.post(f"/api/v1/complaints/{floor_mat['id']}/classification",
                         json={"severity": "critical", "reason": "the mat jammed the brake pedal"},
                         headers=token(["complaints_agent"]))
    assert raised.status_code == 200, raised.get_json()
    assert _clocks(raised.get_json())["acknowledge"]["status"] == "breached"
    assert sweep() == 1


def test_a_holiday_and_a_make_up_day_are_added_and_removed_one_at_a_time(client, token):
    complaint_id = _record(client, token)["id"]  # Friday 16:00: first response due Tuesday 16:00
    manager = token(["service_manager"], sub="manager-li")

    def first_response_due() -> str:
        return _clocks(_get(client, token, complaint_id))["first_response"]["due_at"]

    saturday = client.put("/api/v1/calendar/make-up-days/2026-12-05", headers={**manager, "If-Match": '"0"'})
    assert saturday.status_code == 200, saturday.get_json()
    assert saturday.headers["ETag"] == '"1"' and saturday.get_json()["make_up_days"] == ["2026-12-05"]
    assert saturday.get_json()["updated_by"] == "manager-li"
    assert first_response_due() == utc(7, 16)  # Fri 2 h + Sat (调休) 8 h + Mon 6 h

    monday = client.put("/api/v1/calendar/holidays/2026-12-07", headers={**manager, "If-Match": '"1"'})
    assert monday.status_code == 200 and monday.headers["ETag"] == '"2"'
    body = monday.get_json()
    assert (body["holidays"], body["make_up_days"]) == (["2026-12-07"], ["2026-12-05"])
    assert body["hours"]["monday"] == HOURS["monday"]
    assert first_response_due() == utc(8, 16)  # Monday off

    again = client.put("/api/v1/calendar/holidays/2026-12-07", headers={**manager, "If-Match": '"2"'})
    assert again.status_code == 200 and again.headers["ETag"] == '"2"'  # already a holiday: nothing changes

    both = client.put("/api/v1/calendar/holidays/2026-12-05", headers={**manager, "If-Match": '"2"'})
    assert both.status_code == 422 and both.get_json()["code"] == "invalid_calendar"

    removed = client.delete("/api/v1/calendar/make-up-days/2026-12-05", headers={**manager, "If-Match": '"2"'})
    assert removed.status_code == 200 and removed.headers["ETag"] == '"3"'
    assert (removed.get_json()["holidays"], removed.get_json()["make_up_days"]) == (["2026-12-07"], [])
    assert first_response_due() == utc(9, 16)
    unheld = client.delete("/api/v1/calendar/holidays/2026-12-07", headers={**manager, "If-Match": '"3"'})
    assert unheld.status_code == 200 and unheld.get_json()["holidays"] == []
    assert first_response_due() == utc(8, 16)


def test_one_day_changes_are_refused_without_the_right_role_version_or_date(client, token):
    manager = token(["service_manager"])
    by_agent = client.put("/api/v1/calendar/holidays/2026-12-07", headers={**token(["complaints_agent"]),
                                                                          "If-Match": '"0"'})
    assert by_agent.status_code == 403
    assert client.put("/api/v1/calendar/holidays/2026-12-07", headers=manager).status_code == 428
    stale = client.delete("/api/v1/calendar/make-up-days/2026-12-05", headers={**manager, "If-Match": '"4"'})
    assert stale.status_code == 412
    not_a_day = client.put("/api/v1/calendar/holidays/2026-13-40", headers={**manager, "If-Match": '"0"'})
    assert not_a_day.status_code == 422 and "day" in not_a_day.get_json()["errors"]
    assert client.get("/api/v1/calendar", headers=manager).headers["ETag"] == '"0"'


def test_a_day_worked_to_midnight_counts_to_24_00(client, token):
    all_day = {day: [{"start": "00:00", "end": "24:00"}] for day in HOURS}
    changed = client.put("/api/v1/calendar", json={"hours": all_day},
                         headers={**token(["service_manager"]), "If-Match": '"0"'})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["hours"]["friday"] == [{"start": "00:00", "end": "24:00"}]
    complaint_id = _record(client, token)["id"]  # Friday 16:00 + 16 business hours: 8 on Friday, 8 on Monday
    assert _clocks(_get(client, token, complaint_id))["first_response"]["due_at"] == utc(7, 8)
    late_start = client.put("/api/v1/calendar", json={"hours": {"monday": [{"start": "24:00", "end": "24:00"}]}},
                            headers={**token(["service_manager"]), "If-Match": '"1"'})
    assert late_start.status_code == 422
