"""Investigation, actions, resolution, feedback, closing, reopening, follow-ups and merging through
the API, on the tests' clock (Friday 4 December 2026, 16:00 in Beijing, unless moved)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.testing import a_cloudevent, apply_event

from complaints.handlers import parts_events

BRAKES = {"channel": "phone", "text": "换的刹车片一周就异响", "customer_name": "王先生", "customer_phone": "13812341234",
          "vin": "LVSHCAMB1CE054249", "part_number": "04465-33450", "lot": "L2026-11"}
INVESTIGATION = {"findings": "pads from lot L2026-11 glazed after 300 km", "root_cause": "supplier"}
ACCEPTED = {"told": "pads and discs replaced free of charge", "accepted": True, "satisfaction": 4,
            "comment": "quick and polite"}


@pytest.fixture
def settings(infra, service):
    return infra.settings(service, COMPLAINT_REOPEN_DAYS="7")


@pytest.fixture
def app(service, settings, clock):
    return service.create_app(settings, clock=clock)


@pytest.fixture
def desk(client, token):
    """POST to a complaint's sub-resource as an agent; returns the response."""

    def post(complaint_id: str, what: str, body: dict, sub: str = "agent-zhao"):
        return client.post(f"/api/v1/complaints/{complaint_id}/{what}", json=body,
                           headers=token(["complaints_agent"], sub=sub))

    return post


def _record(client, token, body=BRAKES) -> dict:
    created = client.post("/api/v1/complaints", json=body, headers=token(["complaints_agent"], sub="agent-zhao"))
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _get(client, token, complaint_id: str) -> dict:
    return client.get(f"/api/v1/complaints/{complaint_id}", headers=token(["service_manager"])).get_json()


def _ok(response) -> dict:
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _refused(response, status: int) -> dict:
    assert response.status_code == status, response.get_json()
    assert response.headers["Content-Type"].startswith("application/problem+json")
    return response.get_json()


def _resolved(client, token, desk) -> dict:
    complaint = _record(client, token)
    _ok(desk(complaint["id"], "investigation", INVESTIGATION))
    return _ok(desk(complaint["id"], "resolution", {"resolution": "pads and discs replaced"}))


def _closed(client, token, desk) -> dict:
    complaint = _resolved(client, token, desk)
    _ok(desk(complaint["id"], "feedback", ACCEPTED))
    return _ok(desk(complaint["id"], "closure", {"note": "customer satisfied"}))


# ---------------------------------------------------------------- investigation and actions


def test_evidence_findings_and_root_cause_are_kept_and_on_the_timeline(client, token, desk):
    complaint = _record(client, token)
    body = _ok(desk(complaint["id"], "evidence", {"kind": "photo", "reference": "IMG_2041.jpg",
                                                  "note": "glazed pads"}))
    assert body["status"] == "in_progress"
    assert body["evidence"] == [{"kind": "photo", "reference": "IMG_2041.jpg", "note": "glazed pads",
                                 "added_by": "agent-zhao", "added_at": body["evidence"][0]["added_at"]}]
    body = _ok(desk(complaint["id"], "investigation", INVESTIGATION, sub="agent-qian"))
    assert (body["findings"], body["root_cause"]) == (INVESTIGATION["findings"], "supplier")
    added, last = body["timeline"][-2:]
    assert (last["kind"], last["actor"]) == ("investigated", "agent-qian") and "root cause supplier" in last["summary"]
    assert last["details"] == {"root_cause": "supplier", "findings": INVESTIGATION["findings"]}
    assert added["details"] == {"kind": "photo", "reference": "IMG_2041.jpg", "note": "glazed pads"}

    bad = _refused(desk(complaint["id"], "evidence", {"kind": "hologram", "reference": "x"}), 422)
    assert bad["errors"].keys() == {"kind"}
    bad = _refused(desk(complaint["id"], "investigation", {"root_cause": "bad_luck"}), 422)
    assert bad["errors"].keys() == {"root_cause"}
    bad = _refused(desk(complaint["id"], "investigation", {}), 422)
    assert bad["code"] == "findings_or_root_cause_required"
    assert _get(client, token, complaint["id"])["version"] == body["version"]  # nothing half-applied


def test_actions_have_owners_and_due_dates_and_overdue_ones_are_listed(client, token, desk, clock):
    complaint = _record(client, token)
    body = _ok(desk(complaint["id"], "actions", {"kind": "supplier_accountability", "description": "claim the pads back",
                                                 "owner": "parts-manager", "due_on": "2026-12-07"}))
    _ok(desk(complaint["id"], "actions", {"kind": "process_change", "description": "check pads on delivery",
                                          "owner": "workshop-lead", "due_on": "2026-12-31"}))
    [claim_back] = [a for a in body["actions"]]
    assert (claim_back["kind"], claim_back["owner"], claim_back["overdue"], claim_back["done_on"]) == (
        "supplier_accountability", "parts-manager", False, None)

    clock.now += timedelta(days=4)  # Tuesday 8 December: the first is overdue
    listed = _ok(client.get("/api/v1/actions?overdue=true", headers=token(["service_manager"])))
    assert [(a["id"], a["complaint_id"], a["overdue"]) for a in listed["items"]] == [
        (claim_back["id"], complaint["id"], True)]
    shown = _get(client, token, complaint["id"])
    assert [a["overdue"] for a in shown["actions"]] == [True, False]

    late = desk(complaint["id"], f"actions/{claim_back['id']}/done", {"done_on": "2026-12-09"})
    assert _refused(late, 422)["code"] == "date_in_future"
    done = _ok(desk(complaint["id"], f"actions/{claim_back['id']}/done", {"note": "debit note DN-7"},
                    sub="parts-manager"))
    assert [(a["done_on"], a["done_by"], a["overdue"]) for a in done["actions"]][0] == (
        "2026-12-08", "parts-manager", False)
    assert done["timeline"][-1]["kind"] == "action_done"
    assert done["timeline"][-1]["details"] == {"number": 1, "kind": "supplier_accountability", "done_on": "2026-12-08",
                                               "description": "claim the pads back", "note": "debit note DN-7"}
    planned = [e for e in done["timeline"] if e["kind"] == "action_planned"][1]
    assert planned["details"] == {"number": 2, "kind": "process_change", "owner": "workshop-lead",
                                  "due_on": "2026-12-31", "description": "check pads on delivery"}
    assert _ok(client.get("/api/v1/actions?overdue=true", headers=token(["complaints_agent"])))["items"] == []
    again = desk(complaint["id"], f"actions/{claim_back['id']}/done", {})
    assert _refused(again, 409)["code"] == "action_already_done"
    assert _refused(desk(complaint["id"], "actions/nope/done", {}), 404)["code"] == "action_not_found"
    page = _ok(client.get("/api/v1/actions?limit=1", headers=token(["complaints_agent"])))
    rest = _ok(client.get(f"/api/v1/actions?cursor={page['next_cursor']}", headers=token(["complaints_agent"])))
    assert [a["kind"] for a in page["items"] + rest["items"]] == ["supplier_accountability", "process_change"]


# ---------------------------------------------------------------- resolution and feedback


def test_a_complaint_is_resolved_rejected_resolved_again_accepted_and_closed(client, token, desk, events):
    complaint = _record(client, token)
    no_cause = desk(complaint["id"], "resolution", {"resolution": "pads replaced"})
    assert _refused(no_cause, 409)["code"] == "root_cause_required"
    _ok(desk(complaint["id"], "investigation", INVESTIGATION))
    _ok(desk(complaint["id"], "actions", {"kind": "replace", "description": "new pads", "owner": "workshop",
                                          "due_on": "2026-12-05"}))
    body = _ok(desk(complaint["id"], "resolution", {"resolution": "pads replaced"}))
    assert (body["status"], body["resolved_by"]) == ("resolved", "agent-zhao")
    assert {c["clock"]: c["status"] for c in body["clocks"]}["first_response"] == "met"

    rejected = _ok(desk(complaint["id"], "feedback", {"told": "pads replaced", "accepted": False, "satisfaction": 2,
                                                      "comment": "still squeaks"}))
    assert (rejected["status"], rejected["resolved_at"], rejected["satisfaction"]) == ("in_progress", None, 2)
    assert rejected["timeline"][-1]["kind"] == "feedback_rejected"
    closing = desk(complaint["id"], "closure", {})
    assert _refused(closing, 409)["code"] == "complaint_not_resolved"

    _ok(desk(complaint["id"], "resolution", {"resolution": "pads and discs replaced"}))
    closing = desk(complaint["id"], "closure", {})
    assert _refused(closing, 409)["code"] == "accepted_feedback_required"
    _ok(desk(complaint["id"], "feedback", ACCEPTED))
    [action] = _get(client, token, complaint["id"])["actions"]
    _ok(desk(complaint["id"], f"actions/{action['id']}/done", {"done_on": "2026-12-04"}))
    closed = _ok(desk(complaint["id"], "closure", {"note": "customer satisfied"}, sub="agent-qian"))
    assert (closed["status"], closed["closed_by"], closed["satisfaction"]) == ("closed", "agent-qian", 4)
    assert [(f["accepted"], f["satisfaction"]) for f in closed["feedback"]] == [(False, 2), (True, 4)]
    assert [e["kind"] for e in closed["timeline"]][-7:] == [
        "action_planned", "resolved", "feedback_rejected", "resolved", "feedback_accepted", "action_done", "closed"]
    assert closed["timeline"][-1]["actor"] == "agent-qian"
    resolved, rejected_entry = closed["timeline"][-6:-4]
    assert resolved["details"] == {"root_cause": "supplier", "resolution": "pads replaced"}
    assert resolved["summary"] == "resolved (root cause supplier): pads replaced"
    assert rejected_entry["details"] == {"satisfaction": 2, "comment": "still squeaks"}
    assert closed["timeline"][-1]["details"] == {"note": "customer satisfied"}

    first, second = events("complaints.complaint.resolved")
    assert first["subject"] == complaint["id"]
    assert {k: second["data"][k] for k in ("root_cause", "actions", "part_number", "lot", "resolved_by")} == {
        "root_cause": "supplier", "actions": ["replace"], "part_number": "04465-33450", "lot": "L2026-11",
        "resolved_by": "agent-zhao"}
    [event] = events("complaints.complaint.closed")
    assert {k: event["data"][k] for k in ("complaint_id", "closed_by", "satisfaction", "merged_into")} == {
        "complaint_id": complaint["id"], "closed_by": "agent-qian", "satisfaction": 4, "merged_into": None}
    assert "13812341234" not in str(event)


def test_open_actions_keep_it_open_unless_a_service_manager_closes_it_with_a_reason(client, token, desk, events):
    complaint = _record(client, token)
    _ok(desk(complaint["id"], "investigation", INVESTIGATION))
    for kind, due in (("replace", "2026-12-05"), ("supplier_accountability", "2026-12-31")):
        _ok(desk(complaint["id"], "actions", {"kind": kind, "description": kind, "owner": "workshop", "due_on": due}))
    _ok(desk(complaint["id"], "resolution", {"resolution": "pads replaced"}))
    _ok(desk(complaint["id"], "feedback", ACCEPTED))
    first_action = _get(client, token, complaint["id"])["actions"][0]
    _ok(desk(complaint["id"], f"actions/{first_action['id']}/done", {"done_on": "2026-12-04"}))

    refused = _refused(desk(complaint["id"], "closure", {"reason": "the customer is happy"}), 409)
    assert refused["code"] == "open_actions"
    assert [(a["number"], a["kind"]) for a in refused["open_actions"]] == [(2, "supplier_accountability")]
    manager = token(["service_manager"], sub="manager-li")
    url = f"/api/v1/complaints/{complaint['id']}/closure"
    assert _refused(client.post(url, json={}, headers=manager), 409)["code"] == "open_actions"
    assert _get(client, token, complaint["id"])["status"] == "resolved" and events("complaints.complaint.closed") == []

    closed = _ok(client.post(url, json={"reason": "the supplier's 8D report is due next month"}, headers=manager))
    assert (closed["status"], closed["closed_by"]) == ("closed", "manager-li")
    last = closed["timeline"][-1]
    assert (last["kind"], last["actor"]) == ("closed", "manager-li")
    assert last["summary"] == (
        "closed; with actions #2 not done yet, because: the supplier's 8D report is due next month")
    assert last["details"] == {"reason": "the supplier's 8D report is due next month", "open_actions": [2]}
    assert len(events("complaints.complaint.closed")) == 1


def test_bad_feedback_is_refused_with_the_field_and_changes_nothing(client, token, desk):
    complaint = _resolved(client, token, desk)
    for score in (0, 6):
        refused = _refused(desk(complaint["id"], "feedback", {**ACCEPTED, "satisfaction": score}), 422)
        assert refused["errors"].keys() == {"satisfaction"}
    long_comment = _refused(desk(complaint["id"], "feedback", {**ACCEPTED, "comment": "吵" * 1001}), 422)
    assert long_comment["errors"].keys() == {"comment"}
    long_findings = _refused(desk(complaint["id"], "resolution", {"resolution": "长" * 2001}), 422)
    assert long_findings["errors"].keys() == {"resolution"}
    assert _refused(desk(complaint["id"], "feedback", {"told": "x"}), 422)["errors"].keys() == {"accepted"}
    shown = _get(client, token, complaint["id"])
    assert (shown["version"], shown["feedback"], shown["status"]) == (complaint["version"], [], "resolved")
    in_progress = desk(complaint["id"], "evidence", {"kind": "document", "reference": "report.pdf"})
    assert _refused(in_progress, 409)["code"] == "complaint_awaiting_feedback"


# ---------------------------------------------------------------- closing, reopening, follow-ups


def test_reopening_within_the_configured_window_only(client, token, desk, clock, events):
    complaint = _closed(client, token, desk)
    refused = desk(complaint["id"], "closure", {})
    assert _refused(refused, 409)["code"] == "complaint_closed"
    clock.now += timedelta(days=6)
    reopened = _ok(desk(complaint["id"], "reopening", {"reason": "squeaks again"}, sub="agent-qian"))
    assert (reopened["status"], reopened["closed_at"], reopened["resolved_at"]) == ("reopened", None, None)
    last = reopened["timeline"][-1]
    assert last["kind"] == "reopened" and last["details"] == {"closed_at": complaint["closed_at"],
                                                              "reason": "squeaks again"}
    assert last["summary"] == "reopened (closed 2026-12-04 08:00 UTC): squeaks again"  # 16:00 in Beijing
    [event] = events("complaints.complaint.reopened")
    assert (event["data"]["reason"], event["data"]["reopened_by"], event["data"]["closed_at"]) == (
        "squeaks again", "agent-qian", complaint["closed_at"])
    again = desk(complaint["id"], "reopening", {"reason": "twice"})
    assert _refused(again, 409)["code"] == "complaint_not_closed"

    _ok(desk(complaint["id"], "resolution", {"resolution": "caliper replaced"}))
    _ok(desk(complaint["id"], "feedback", ACCEPTED))
    _ok(desk(complaint["id"], "closure", {}))
    clock.now += timedelta(days=8)  # COMPLAINT_REOPEN_DAYS=7 in these tests
    late = _refused(desk(complaint["id"], "reopening", {"reason": "squeaks a third time"}), 409)
    assert (late["code"], late["reopen_days"]) == ("reopen_window_passed", 7)
    assert _get(client, token, complaint["id"])["status"] == "closed"
    assert len(events("complaints.complaint.closed")) == 2


def test_follow_up_visits_after_closing(client, token, desk):
    complaint = _record(client, token)
    early = desk(complaint["id"], "follow-ups", {"visited_on": "2026-12-04", "visited_by": "agent-li", "note": "call"})
    assert _refused(early, 409)["code"] == "complaint_not_resolved"
    complaint = _closed(client, token, desk)
    future = desk(complaint["id"], "follow-ups", {"visited_on": "2026-12-05", "visited_by": "agent-li", "note": "x"})
    assert _refused(future, 422)["code"] == "date_in_future"
    bad = desk(complaint["id"], "follow-ups", {"visited_on": "2026-12-04", "visited_by": "agent-li", "note": "x",
                                               "satisfaction": 6})
    assert _refused(bad, 422)["errors"].keys() == {"satisfaction"}
    body = _ok(desk(complaint["id"], "follow-ups", {"visited_on": "2026-12-04", "visited_by": "agent-li",
                                                    "note": "no more noise", "satisfaction": 5}, sub="agent-li"))
    assert body["follow_ups"] == [{"visited_on": "2026-12-04", "visited_by": "agent-li", "note": "no more noise",
                                   "satisfaction": 5, "recorded_by": "agent-li",
                                   "recorded_at": body["follow_ups"][0]["recorded_at"]}]
    assert body["timeline"][-1]["kind"] == "follow_up" and body["status"] == "closed"
    assert body["timeline"][-1]["details"] == {"visited_by": "agent-li", "visited_on": "2026-12-04",
                                               "satisfaction": 5, "note": "no more noise"}


# ---------------------------------------------------------------- duplicates


def test_a_duplicate_is_merged_into_the_original(client, token, desk, events):
    original = _record(client, token)
    duplicate = _record(client, token, {**BRAKES, "channel": "wechat"})
    merged = _ok(desk(original["id"], "duplicates", {"duplicate_id": duplicate["id"], "reason": "same car"}))
    assert merged["id"] == original["id"] and merged["status"] == "open"
    taken = merged["timeline"][-1]
    assert (taken["kind"], taken["summary"]) == (
        "duplicate_merged", f"complaint {duplicate['number']} merged into this one as a duplicate: same car")
    assert taken["details"] == {"number": duplicate["number"], "id": duplicate["id"], "reason": "same car"}
    gone = _get(client, token, duplicate["id"])
    assert (gone["status"], gone["merged_into"]) == ("merged", original["id"])
    assert gone["timeline"][-1]["kind"] == "merged_into" and gone["timeline"][-1]["details"] == {
        "number": original["number"], "id": original["id"], "reason": "same car"}
    assert original["id"] not in gone["timeline"][-1]["summary"]  # the number, as the desk reads it out
    [event] = events("complaints.complaint.closed")
    assert (event["subject"], event["data"]["merged_into"]) == (duplicate["id"], original["id"])
    assert _ok(client.get("/api/v1/complaints?status=merged", headers=token(["complaints_agent"])))["items"][0][
        "id"] == duplicate["id"]

    itself = desk(original["id"], "duplicates", {"duplicate_id": original["id"]})
    assert _refused(itself, 422)["code"] == "merge_into_itself"
    into_merged = desk(duplicate["id"], "duplicates", {"duplicate_id": original["id"]})
    assert _refused(into_merged, 409)["code"] == "merge_target_closed"
    work_on_merged = desk(duplicate["id"], "evidence", {"kind": "photo", "reference": "x"})
    assert _refused(work_on_merged, 409)["code"] == "complaint_merged"
    unknown = desk(original["id"], "duplicates", {"duplicate_id": "no-such-complaint"})
    assert _refused(unknown, 404)["code"] == "complaint_not_found"
    elsewhere = client.post(f"/api/v1/complaints/{original['id']}/duplicates", json={"duplicate_id": duplicate["id"]},
                            headers=token(["complaints_agent"], dealer="D002"))
    assert elsewhere.status_code == 404
    assert _get(client, token, original["id"])["version"] == merged["version"]


# ---------------------------------------------------------------- news of a named lot


def test_news_of_a_named_lot_shows_on_the_timeline_once(settings, units, client, token):
    named = _record(client, token)
    other = _record(client, token, {**BRAKES, "lot": "L2026-12"})
    quarantined = a_cloudevent("parts.lot.quarantined", {
        "lot": "L2026-11", "part_number": "04465-33450", "supplier": "SUP-BREMBO", "supplier_lot": "B-77",
        "reason": "pads glaze early", "affected_vins": ["LVSHCAMB1CE054249", "LFV2A21K8D3000001"], "by": "pm-wu",
        "new_field": "ignored"})
    assert apply_event(settings, units, parts_events.handlers, quarantined).applied
    assert not apply_event(settings, units, parts_events.handlers, quarantined).applied
    released = a_cloudevent("parts.lot.released", {"lot": "L2026-11", "part_number": "04465-33450",
                                                   "supplier": "SUP-BREMBO", "reason": "supplier report ok",
                                                   "by": "pm-wu"})
    assert apply_event(settings, units, parts_events.handlers, released).applied

    timeline = _get(client, token, named["id"])["timeline"]
    assert [(e["kind"], e["summary"], e["actor"]) for e in timeline if e["kind"].startswith("lot_")] == [
        ("lot_quarantined", "lot L2026-11 of part 04465-33450, supplier SUP-BREMBO quarantined: pads glaze early "
                            "(2 vehicles affected)", "event:/aftersales/parts"),
        ("lot_released", "lot L2026-11 of part 04465-33450 released: supplier report ok", "event:/aftersales/parts"),
    ]
    assert [e["details"] for e in timeline if e["kind"].startswith("lot_")] == [
        {"lot": "L2026-11", "part_number": "04465-33450", "happening": "quarantined", "reason": "pads glaze early",
         "supplier": "SUP-BREMBO", "affected_vehicles": 2},
        {"lot": "L2026-11", "part_number": "04465-33450", "happening": "released", "reason": "supplier report ok"},
    ]
    assert [e["kind"] for e in _get(client, token, other["id"])["timeline"]] == ["received", "classified"]
    no_lot = a_cloudevent("parts.lot.released", {"part_number": "04465-33450"})
    assert apply_event(settings, units, parts_events.handlers, no_lot).dead_letter_reason == "invalid_data"


def test_phone_and_id_numbers_in_free_text_are_masked_for_roles_that_may_not_see_them(client, token, desk):
    complaint = _record(client, token, {
        "channel": "phone", "customer_name": "张伟", "customer_phone": "13812341234",
        "text": "张伟来电：刹车异响，回电 139-8765-4321 或 010-12345678，身份证11010519491231002X",
        "desired_remedy": "免费更换，联系 +86 137 0000 1111"})
    url = complaint["id"]
    _ok(desk(url, "investigation", {"findings": "车主张伟留的电话13987654321可以打通"}))
    _ok(desk(url, "evidence", {"kind": "document", "reference": "doc-1", "note": "身份证复印件 110105491231002"}))
    _ok(desk(url, "pause", {"waiting_for": "customer", "reason": "等张伟回电 13987654321"}))
    _ok(desk(url, "actions", {"kind": "goodwill", "description": "赠送保养，通知 13987654321",
                              "owner": "agent-zhao", "due_on": "2026-12-31"}))

    shown = client.get(f"/api/v1/complaints/{url}", headers=token(["service_advisor"])).get_json()
    assert (shown["customer_name"], shown["customer_phone"]) == ("张*", "138****1234")
    assert shown["text"] == "张*来电：刹车异响，回电 ***-****-4321 或 ***-****5678，身份证**************002X"
    assert shown["desired_remedy"] == "免费更换，联系 +** *** **** 1111"
    assert shown["findings"] == "车主张*留的电话*******4321可以打通"
    assert shown["evidence"][0]["note"] == "身份证复印件 ***********1002"
    assert shown["pauses"][0]["reason"] == "等张*回电 *******4321"
    assert shown["actions"][0]["description"] == "赠送保养，通知 *******4321"
    assert shown["evidence"][0]["reference"] == "doc-1" and shown["pauses"][0]["waiting_for"] == "customer"
    paused = next(e for e in shown["timeline"] if e["kind"] == "paused")
    assert paused["details"] == {"waiting_for": "customer", "reason": "等张*回电 *******4321"}
    assert "13987654321" not in str(shown["timeline"]) and "张伟" not in str(shown["timeline"])
    assert next(e for e in shown["timeline"] if e["kind"] == "action_planned")["details"]["owner"] == "agent-zhao"
    listed = client.get("/api/v1/complaints", headers=token(["integration"])).get_json()["items"]
    assert listed[0]["text"] == shown["text"]
    actions = client.get("/api/v1/actions", headers=token(["service_advisor"])).get_json()["items"]
    assert actions[0]["description"] == "赠送保养，通知 *******4321"

    whole = _get(client, token, url)  # the service manager sees what was typed; nothing stored was changed
    assert whole["text"].startswith("张伟来电") and "139-8765-4321" in whole["text"]
    assert "11010519491231002X" in whole["text"] and whole["customer_name"] == "张伟"
    assert whole["pauses"][0]["reason"] == "等张伟回电 13987654321"
    assert next(e for e in whole["timeline"] if e["kind"] == "paused")["details"]["reason"] == "等张伟回电 13987654321"
    by_agent = client.get("/api/v1/actions", headers=token(["complaints_agent"])).get_json()["items"]
    assert by_agent[0]["description"] == "赠送保养，通知 13987654321"
