from __future__ import annotations

from shared.testing import a_cloudevent, apply_event, assert_every_operation_is_guarded

from complaints.handlers import warranty_events

BRAKE_NOISE = {"channel": "phone", "text": "刹车时有异响，上周刚换的刹车片。", "customer_name": "王先生",
               "customer_phone": "13812341234", "vin": "LVSHCAMB1CE054249", "claim_number": "WC-2026-0001"}


def test_the_agent_who_records_a_complaint_owns_it(client, token):
    created = client.post("/api/v1/complaints", json=BRAKE_NOISE, headers=token(["complaints_agent"], sub="agent-zhao"))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["owner"] == "agent-zhao" and body["status"] == "open"
    assert body["customer_phone"] == "13812341234"
    assert [entry["kind"] for entry in body["timeline"]] == ["received", "classified"]
    items = client.get("/api/v1/events", headers=token(["integration"])).get_json()["items"]
    assert [item["event"]["type"] for item in items] == [
        "complaints.complaint.received", "complaints.complaint.classified"]
    assert {item["event"]["subject"] for item in items} == {body["id"]}
    assert "13812341234" not in str(items) and "王先生" not in str(items)


def test_personal_data_is_masked_for_roles_that_do_not_need_it(client, token):
    complaint_id = client.post("/api/v1/complaints", json=BRAKE_NOISE, headers=token(["complaints_agent"])).get_json()["id"]
    as_advisor = client.get(f"/api/v1/complaints/{complaint_id}", headers=token(["service_advisor"])).get_json()
    assert as_advisor["customer_phone"] == "138****1234" and as_advisor["customer_name"] == "王**"
    as_manager = client.get(f"/api/v1/complaints/{complaint_id}", headers=token(["service_manager"])).get_json()
    assert as_manager["customer_phone"] == "13812341234"
    listed = client.get("/api/v1/complaints", headers=token(["integration"])).get_json()["items"]
    assert listed[0]["customer_phone"] == "138****1234"


def test_the_list_is_newest_received_first(client, token):
    agent = token(["complaints_agent"])
    for day in ("2026-11-20", "2026-11-22", "2026-11-21"):
        client.post("/api/v1/complaints", json={"channel": "letter", "text": f"letter of {day}",
                                               "received_at": f"{day}T08:00:00+08:00"}, headers=agent)
    page = client.get("/api/v1/complaints?limit=2", headers=agent).get_json()
    rest = client.get(f"/api/v1/complaints?cursor={page['next_cursor']}", headers=agent).get_json()
    texts = [c["text"] for c in page["items"] + rest["items"]]
    assert texts == ["letter of 2026-11-22", "letter of 2026-11-21", "letter of 2026-11-20"]


def test_bad_complaints_are_refused(client, token):
    agent = token(["complaints_agent"])

    def refused(payload):
        response = client.post("/api/v1/complaints", json=payload, headers=agent)
        assert response.status_code == 422, response.get_json()
        return response.get_json()

    assert refused({**BRAKE_NOISE, "channel": "pigeon"})["errors"].keys() == {"channel"}
    assert refused({**BRAKE_NOISE, "text": ""})["errors"].keys() == {"text"}
    assert refused({**BRAKE_NOISE, "text": "长" * 5001})["errors"].keys() == {"text"}
    assert refused({**BRAKE_NOISE, "text": "   "})["code"] == "complaint_text_required"
    assert refused({**BRAKE_NOISE, "received_at": "2999-01-01T00:00:00+08:00"})["code"] == "received_in_future"
    assert refused({**BRAKE_NOISE, "received_at": "2026-11-01T08:00:00"})["errors"].keys() == {"received_at"}
    assert client.get("/api/v1/complaints", headers=agent).get_json()["items"] == []


def test_news_of_a_named_claim_shows_on_the_timeline_once(settings, units, client, token):
    agent = token(["complaints_agent"])
    complaint_id = client.post("/api/v1/complaints", json=BRAKE_NOISE, headers=agent).get_json()["id"]
    approved = a_cloudevent("warranty.claim.approved", {"claim_number": "WC-2026-0001", "amount": "680.00"})
    assert apply_event(settings, units, warranty_events.handlers, approved).applied
    assert not apply_event(settings, units, warranty_events.handlers, approved).applied
    other_claim = a_cloudevent("warranty.claim.approved", {"claim_number": "WC-2026-0999"})
    assert apply_event(settings, units, warranty_events.handlers, other_claim).applied

    timeline = client.get(f"/api/v1/complaints/{complaint_id}", headers=agent).get_json()["timeline"]
    assert [(e["kind"], e["summary"], e["actor"]) for e in timeline if e["kind"] != "classified"] == [
        ("received", "received via phone", "tester"),
        ("claim_approved", "warranty claim WC-2026-0001 approved", "event:/aftersales/warranty"),
    ]


def test_every_operation_is_guarded(app, token):
    assert_every_operation_is_guarded(app, token)
