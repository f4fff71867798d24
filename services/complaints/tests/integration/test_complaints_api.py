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


def test_a_complaint_has_a_number_to_read_out_and_is_found_by_it(client, token):
    agent = token(["complaints_agent"])
    letter = {"channel": "letter", "text": "来信投诉：刹车异响", "received_at": "2026-11-20T23:30:00+08:00"}
    first = client.post("/api/v1/complaints", json=letter, headers=agent).get_json()
    # 16:30 UTC on the 20th is already the 21st in Beijing, the dealer's calendar
    late = client.post("/api/v1/complaints", json={**letter, "received_at": "2026-11-20T16:30:00+00:00"},
                       headers=agent).get_json()
    second = client.post("/api/v1/complaints", json=letter, headers=agent).get_json()
    other_dealer = client.post("/api/v1/complaints", json=letter, headers=token(["complaints_agent"], dealer="D002"))
    assert (first["number"], late["number"], second["number"]) == (
        "TS-20261120-0001", "TS-20261121-0001", "TS-20261120-0002")
    assert other_dealer.get_json()["number"] == "TS-20261120-0001"

    by_number = client.get("/api/v1/complaints/TS-20261120-0002", headers=agent)
    assert by_number.status_code == 200 and by_number.get_json()["id"] == second["id"]
    assert client.get("/api/v1/complaints/ts-20261120-0002", headers=agent).get_json()["id"] == second["id"]
    assert client.get(f"/api/v1/complaints/{second['id']}", headers=agent).get_json()["number"] == "TS-20261120-0002"
    listed = client.get("/api/v1/complaints?number=TS-20261120-0001", headers=agent).get_json()["items"]
    assert [(c["id"], c["number"]) for c in listed] == [(first["id"], "TS-20261120-0001")]
    assert client.get("/api/v1/complaints/TS-20261120-0009", headers=agent).status_code == 404
    [received, *_] = client.get("/api/v1/events", headers=token(["integration"])).get_json()["items"]
    assert received["event"]["data"]["number"] == "TS-20261120-0001"


def test_a_letter_dated_without_an_hour_counts_from_the_start_of_that_day(client, token):
    agent = token(["complaints_agent"])
    letter = client.post("/api/v1/complaints", json={"channel": "letter", "text": "来信：保养后异响",
                                                     "received_at": "2026-11-20"}, headers=agent)
    assert letter.status_code == 201, letter.get_json()
    body = letter.get_json()
    assert body["received_at"] == "2026-11-19T16:00:00+00:00"  # 00:00 on the 20th in Beijing
    assert body["number"] == "TS-20261120-0001"
    assert {c["clock"]: c["started_at"] for c in body["clocks"]}["acknowledge"] == "2026-11-19T16:00:00+00:00"

    def refused(received_at):
        response = client.post("/api/v1/complaints", json={"channel": "letter", "text": "来信",
                                                           "received_at": received_at}, headers=agent)
        assert response.status_code == 422, response.get_json()
        return response.get_json()

    assert refused("2999-01-01")["code"] == "received_in_future"
    assert refused("2026-13-01")["errors"].keys() == {"received_at"}
    assert refused("20261120")["errors"].keys() == {"received_at"}
    assert len(client.get("/api/v1/complaints", headers=agent).get_json()["items"]) == 1


def test_complaints_are_found_by_customer_vehicle_people_period_and_words(client, token):
    zhao, qian = token(["complaints_agent"], sub="agent-zhao"), token(["complaints_agent"], sub="agent-qian")
    brakes = client.post("/api/v1/complaints", json={**BRAKE_NOISE, "received_at": "2026-11-20T09:00:00+08:00"},
                         headers=zhao).get_json()
    wipers = client.post("/api/v1/complaints", json={
        "channel": "email", "text": "The WIPER motor stopped after the service 100%", "customer_name": "Li Lei",
        "customer_phone": "13900005678", "vin": "LSGPC52U6AF102938", "plate": "沪a12345",
        "received_at": "2026-11-22T23:30:00+08:00"}, headers=qian).get_json()
    assert wipers["plate"] == "沪A12345"
    client.post(f"/api/v1/complaints/{wipers['id']}/assignment", json={"department": "workshop",
                                                                         "handler": "tech-sun"}, headers=qian)

    def found(query, headers=zhao):
        response = client.get(f"/api/v1/complaints?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [c["id"] for c in response.get_json()["items"]]

    assert found("customer_phone=1234") == [brakes["id"]]
    assert found("customer_name=li%20lei") == [wipers["id"]]
    assert found("vin=054249") == [brakes["id"]]
    assert found("plate=a123") == [wipers["id"]]
    assert found("owner=agent-qian") == [wipers["id"]] and found("handler=tech-sun") == [wipers["id"]]
    assert found("q=刹车") == [brakes["id"]] and found("q=wiper%20motor") == [wipers["id"]]
    assert found("q=100%25") == [wipers["id"]] and found("q=%25") == [wipers["id"]]  # % is a character here
    assert found("received_from=2026-11-21&received_to=2026-11-22") == [wipers["id"]]
    assert found("received_to=2026-11-20") == [brakes["id"]]
    assert found("q=wiper&owner=agent-zhao") == []
    page = client.get("/api/v1/complaints?limit=1&received_from=2026-11-01", headers=zhao).get_json()
    rest = client.get(f"/api/v1/complaints?limit=1&received_from=2026-11-01&cursor={page['next_cursor']}",
                      headers=zhao).get_json()
    assert [c["id"] for c in page["items"] + rest["items"]] == [wipers["id"], brakes["id"]]

    advisor = token(["service_advisor"])
    refused = client.get("/api/v1/complaints?customer_phone=1234", headers=advisor)
    assert refused.status_code == 403 and refused.get_json()["code"] == "personal_data_search"
    assert found("vin=054249", headers=advisor) == [brakes["id"]]


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
    assert [e["details"] for e in timeline if e["kind"] != "classified"] == [
        {"channel": "phone"}, {"claim_number": "WC-2026-0001", "happening": "approved"}]


def test_a_warranty_information_request_on_the_timeline_says_what_was_asked_for(settings, units, client, token):
    agent = token(["complaints_agent"])
    complaint_id = client.post("/api/v1/complaints", json=BRAKE_NOISE, headers=agent).get_json()["id"]
    asked = a_cloudevent("warranty.claim.info_requested", {
        "claim_number": "WC-2026-0001", "reason": "photos of the worn pads and the odometer"})
    assert apply_event(settings, units, warranty_events.handlers, asked).applied

    timeline = client.get(f"/api/v1/complaints/{complaint_id}", headers=agent).get_json()["timeline"]
    assert (timeline[-1]["kind"], timeline[-1]["summary"]) == (
        "claim_info_requested", "warranty claim WC-2026-0001 info requested: photos of the worn pads and the odometer")
    assert timeline[-1]["details"] == {"claim_number": "WC-2026-0001", "happening": "info_requested",
                                       "asked": "photos of the worn pads and the odometer"}


def test_every_operation_is_guarded(app, token):
    assert_every_operation_is_guarded(app, token)


def test_each_change_raises_the_version_by_one(client, token):
    """A change is written once: the ETag of its answer is the one before plus one (the clocks
    are read before the change, so no query flushes it half-way)."""
    agent = token(["complaints_agent"], sub="agent-one")
    created = client.post("/api/v1/complaints", json={"channel": "web", "text": "The lounge coffee machine is broken."},
                          headers=agent)
    assert created.status_code == 201, created.get_json()
    number, version = created.get_json()["id"], int(created.headers["ETag"].strip('"'))
    steps = [
        ("acknowledgement", {}),
        ("responses", {"summary": "we are on it"}),
        ("assignment", {"department": "service"}),
        ("classification", {"category": "after_sales_service", "severity": "normal", "reason": "a service matter"}),
        ("investigation", {"findings": "the machine was not serviced"}),
    ]
    for step, body in steps:
        answer = client.post(f"/api/v1/complaints/{number}/{step}", json=body, headers=agent)
        assert answer.status_code == 200, (step, answer.get_json())
        assert answer.headers["ETag"] == f'"{version + 1}"', step
        assert answer.get_json()["version"] == version + 1
        version += 1
