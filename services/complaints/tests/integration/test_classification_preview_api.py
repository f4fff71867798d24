"""The classifier's reading of a text as the desk types it (分类预览): the same reading intake then
records, and nothing recorded by asking."""

from __future__ import annotations

BRAKES = "高速上刹车踩下去没反应，差点追尾，上个月刚换的刹车总泵。"
PREVIEW = "/api/v1/classifications"


def test_the_preview_reads_the_text_as_intake_then_records_it(client, token):
    agent = token(["complaints_agent"])
    preview = client.post(PREVIEW, json={"text": f"  {BRAKES}\n"}, headers=agent)
    assert preview.status_code == 200, preview.get_json()
    read = preview.get_json()
    assert (read["category"], read["severity"], read["safety_related"]) == ("product_quality", "critical", True)
    assert read["terms"] and read["severity_terms"] and 0 < read["confidence"] <= 1

    recorded = client.post("/api/v1/complaints", json={"channel": "phone", "text": BRAKES}, headers=agent).get_json()
    automatic = recorded["classification"]
    assert {key: automatic[key] for key in ("category", "severity", "safety_related", "confidence", "terms",
                                            "severity_terms")} == {key: read[key] for key in automatic if key in read}
    assert read["needs_review"] == recorded["needs_review"]


def test_asking_records_nothing_and_tells_nobody(client, token):
    agent = token(["complaints_agent"])
    for text in (BRAKES, "车内有异味 😷 空调一开就难闻", "The wipers leave streaks."):
        assert client.post(PREVIEW, json={"text": text}, headers=agent).status_code == 200
    assert client.get("/api/v1/complaints", headers=agent).get_json()["items"] == []
    assert client.get("/api/v1/events", headers=token(["integration"])).get_json()["items"] == []


def test_a_text_intake_would_refuse_is_refused_the_same_way(client, token):
    agent = token(["service_advisor"])

    def refused(body):
        response = client.post(PREVIEW, json=body, headers=agent)
        assert response.status_code == 422, response.get_json()
        assert response.mimetype == "application/problem+json"
        return response.get_json()

    blank = refused({"text": "  \n "})
    assert (blank["code"], blank["field"]) == ("complaint_text_required", "text")
    assert refused({"text": ""})["errors"].keys() == {"text"}
    assert refused({"text": "长" * 5001})["errors"].keys() == {"text"}
    assert refused({})["errors"].keys() == {"text"}
    assert refused({"text": BRAKES, "channel": "phone"})["errors"].keys() == {"channel"}


def test_only_who_receives_complaints_may_ask(client, token):
    for role in ("warranty_clerk", "parts_clerk", "integration"):
        response = client.post(PREVIEW, json={"text": BRAKES}, headers=token([role]))
        assert response.status_code == 403, (role, response.get_json())
    assert client.post(PREVIEW, json={"text": BRAKES}).status_code == 401
