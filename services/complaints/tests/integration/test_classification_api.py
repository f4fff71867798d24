"""Classification through the API: automatic at intake, corrected by the desk, told to parts."""

from __future__ import annotations

BRAKES_FAILED = {
    "channel": "phone", "text": "高速上刹车踩下去没反应，差点追尾，上个月刚换的刹车总泵。",
    "customer_name": "赵女士", "customer_phone": "13700001111", "vin": "LVSHCAMB1CE054249",
    "part_number": "47201-0K010", "lot": "L2026-10-07",
}
LOUNGE = {"channel": "web", "text": "Suggestion: the customer lounge could use a better coffee machine."}


def _record(client, token, complaint=BRAKES_FAILED, **identity):
    created = client.post("/api/v1/complaints", json=complaint, headers=token(["complaints_agent"], **identity))
    assert created.status_code == 201, created.get_json()
    return created


def _classified_events(client, token):
    items = client.get("/api/v1/events?limit=100", headers=token(["integration"])).get_json()["items"]
    return [item["event"] for item in items if item["event"]["type"] == "complaints.complaint.classified"]


def test_intake_classifies_the_text_and_tells_parts_the_part_and_lot(client, token):
    body = _record(client, token).get_json()
    assert (body["category"], body["severity"]) == ("product_quality", "critical")
    automatic = body["classification"]
    assert automatic["automatic"] and automatic["actor"] == "classifier" and automatic["safety_related"]
    assert 0 < automatic["confidence"] <= 1 and automatic["terms"] and automatic["severity_terms"]
    assert automatic["reason"] is None and body["classifications"] == [automatic]
    assert body["timeline"][-1]["kind"] == "classified"
    assert body["timeline"][-1]["details"] == {
        "category": "product_quality", "severity": "critical", "confidence": automatic["confidence"],
        "terms": automatic["terms"], "needs_review": body["needs_review"]}

    [event] = _classified_events(client, token)
    assert event["subject"] == body["id"] and event["sequence"] == 2  # after complaint.received
    data = event["data"]
    assert {key: data[key] for key in ("complaint_number", "category", "part_number", "lot")} == {
        "complaint_number": body["id"], "category": "product_quality",
        "part_number": "47201-0K010", "lot": "L2026-10-07"}
    assert data["severity"] == "critical" and data["safety_related"] and not data["overridden"]
    assert data["terms"] == automatic["terms"] and data["confidence"] == automatic["confidence"]
    assert "13700001111" not in str(event) and "赵女士" not in str(event)


def test_a_suggestion_is_other_and_low(client, token):
    body = _record(client, token, LOUNGE).get_json()
    assert (body["category"], body["severity"]) == ("other", "low")
    [event] = _classified_events(client, token)
    assert event["data"]["part_number"] is None and event["data"]["lot"] is None


def test_the_desk_corrects_it_with_a_reason_and_the_automatic_result_is_kept(client, token):
    complaint = _record(client, token, LOUNGE).get_json()
    changed = client.post(f"/api/v1/complaints/{complaint['id']}/classification",
                          json={"category": "after_sales_service", "severity": "normal",
                                "reason": "the coffee machine was promised at the last visit"},
                          headers=token(["complaints_agent"], sub="agent-qian"))
    assert changed.status_code == 200, changed.get_json()
    assert changed.headers["ETag"] == f'"{complaint["version"] + 1}"'
    body = changed.get_json()
    assert (body["category"], body["severity"]) == ("after_sales_service", "normal")
    automatic, corrected = body["classifications"]
    assert automatic == complaint["classification"]
    assert (corrected["actor"], corrected["reason"], corrected["automatic"], corrected["confidence"]) == (
        "agent-qian", "the coffee machine was promised at the last visit", False, None)
    assert body["classification"] == corrected
    last = body["timeline"][-1]
    assert (last["kind"], last["actor"]) == ("reclassified", "agent-qian")
    assert "the coffee machine was promised" in last["summary"]
    assert last["details"] == {"category": "after_sales_service", "severity": "normal",
                               "reason": "the coffee machine was promised at the last visit"}

    # stored, not only answered
    again = client.get(f"/api/v1/complaints/{complaint['id']}", headers=token(["service_manager"])).get_json()
    assert again["classifications"] == body["classifications"]
    first, second = _classified_events(client, token)
    assert first["data"]["category"] == "other" and not first["data"]["overridden"]
    assert second["data"]["category"] == "after_sales_service" and second["data"]["overridden"]
    assert second["sequence"] > first["sequence"]


def test_a_correction_may_change_the_severity_only(client, token):
    complaint_id = _record(client, token, LOUNGE).get_json()["id"]
    body = client.post(f"/api/v1/complaints/{complaint_id}/classification",
                       json={"severity": "high", "reason": "third complaint this month"},
                       headers=token(["service_manager"])).get_json()
    assert (body["category"], body["severity"]) == ("other", "high")


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(client, token):
    complaint = _record(client, token, LOUNGE).get_json()
    url = f"/api/v1/complaints/{complaint['id']}/classification"
    agent = token(["complaints_agent"])

    def refused(payload):
        response = client.post(url, json=payload, headers=agent)
        assert response.status_code == 422, response.get_json()
        assert response.headers["Content-Type"].startswith("application/problem+json")
        return response.get_json()

    assert refused({"category": "product_quality"})["errors"].keys() == {"reason"}
    assert refused({"category": "product_quality", "reason": ""})["errors"].keys() == {"reason"}
    assert refused({"category": "product_quality", "reason": "   "})["code"] == "reason_required"
    assert refused({"reason": "just because"})["code"] == "category_or_severity_required"
    assert refused({"category": "spam", "reason": "x"})["errors"].keys() == {"category"}
    assert refused({"severity": "apocalyptic", "reason": "x"})["errors"].keys() == {"severity"}
    after = client.get(f"/api/v1/complaints/{complaint['id']}", headers=agent).get_json()
    assert after["classifications"] == complaint["classifications"] and after["version"] == complaint["version"]
    assert len(_classified_events(client, token)) == 1


def test_only_the_complaints_desk_and_its_manager_correct_classifications(client, token):
    complaint_id = _record(client, token, LOUNGE).get_json()["id"]
    url = f"/api/v1/complaints/{complaint_id}/classification"
    payload = {"category": "contract_dispute", "reason": "about the service plan"}
    for role in ("service_advisor", "integration", "parts_clerk", "warranty_clerk"):
        assert client.post(url, json=payload, headers=token([role])).status_code == 403, role
    assert client.post(url, json=payload, headers=token(["complaints_agent"], dealer="D002")).status_code == 404
    missing = client.post("/api/v1/complaints/no-such-complaint/classification", json=payload,
                          headers=token(["complaints_agent"]))
    assert missing.status_code == 404 and missing.get_json()["code"] == "complaint_not_found"
    assert client.post(url, json=payload, headers=token(["service_manager"])).status_code == 200


def test_a_retried_correction_is_applied_once(client, token):
    complaint_id = _record(client, token, LOUNGE).get_json()["id"]
    url = f"/api/v1/complaints/{complaint_id}/classification"
    headers = {**token(["complaints_agent"]), "Idempotency-Key": "reclassify-1"}
    payload = {"category": "after_sales_service", "reason": "asked at the front desk"}
    first = client.post(url, json=payload, headers=headers)
    second = client.post(url, json=payload, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.get_json() == first.get_json()
    assert len(second.get_json()["classifications"]) == 2
    assert len(_classified_events(client, token)) == 2


def test_the_list_filters_by_category_and_severity(client, token):
    brakes = _record(client, token).get_json()["id"]
    lounge = _record(client, token, LOUNGE).get_json()["id"]
    agent = token(["complaints_agent"])

    def listed(query):
        return [c["id"] for c in client.get(f"/api/v1/complaints?{query}", headers=agent).get_json()["items"]]

    assert listed("category=product_quality") == [brakes]
    assert listed("severity=low") == [lounge]
    assert listed("category=logistics_delivery") == []
    assert client.get("/api/v1/complaints?severity=dire", headers=agent).status_code == 422
