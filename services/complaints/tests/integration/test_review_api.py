"""The desk reviews what the classifier is unsure of, and its corrections become training examples."""

from __future__ import annotations

import json

import pytest

from complaints.learning import main as learning_main
from complaints.training.corpus import read

VAGUE = {"channel": "web", "text": "你好，麻烦回个电话。"}
BRAKES = {"channel": "phone", "text": "昨天刚在店里换的刹车油，今天一脚踩下去软绵绵的，差点追尾。"}


@pytest.fixture
def app(service, infra):
    """Every automatic classification below certainty goes to review (COMPLAINTS_REVIEW_BELOW=1)."""
    return service.create_app(infra.settings(service, COMPLAINTS_REVIEW_BELOW="1"))


def _record(client, token, complaint):
    created = client.post("/api/v1/complaints", json=complaint, headers=token(["complaints_agent"]))
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _listed(client, token, query):
    page = client.get(f"/api/v1/complaints?{query}", headers=token(["complaints_agent"]))
    assert page.status_code == 200, page.get_json()
    return [c["id"] for c in page.get_json()["items"]]


def test_an_unsure_classification_is_flagged_listed_and_announced(client, token, events):
    complaint = _record(client, token, VAGUE)
    assert complaint["needs_review"] is True
    assert complaint["classification"]["confidence"] < 1 and complaint["category"] is not None
    assert "to be reviewed by the desk" in complaint["timeline"][-1]["summary"]
    assert _listed(client, token, "needs_review=true") == [complaint["id"]]
    assert _listed(client, token, "needs_review=false") == []
    [classified] = events("complaints.complaint.classified")
    assert classified["data"]["needs_review"] is True and not classified["data"]["overridden"]
    refused = client.get("/api/v1/complaints?needs_review=maybe", headers=token(["complaints_agent"]))
    assert refused.status_code == 422 and "needs_review" in refused.get_json()["errors"]


def test_a_correction_clears_the_flag_and_is_kept_as_a_training_example(
        service, infra, client, token, events, monkeypatch, tmp_path):
    vague = _record(client, token, VAGUE)
    brakes = _record(client, token, BRAKES)
    url = f"/api/v1/complaints/{vague['id']}/classification"
    corrected = client.post(url, json={"category": "after_sales_service", "severity": "low",
                                       "reason": "asks for a call back about the last visit"},
                            headers=token(["complaints_agent"], sub="agent-qian"))
    assert corrected.status_code == 200, corrected.get_json()
    body = corrected.get_json()
    assert body["needs_review"] is False and (body["category"], body["severity"]) == ("after_sales_service", "low")
    assert _listed(client, token, "needs_review=true") == [brakes["id"]]
    assert events("complaints.complaint.classified")[-1]["data"]["needs_review"] is False

    # corrected again: the example follows the latest correction, one per complaint
    again = client.post(url, json={"category": "other", "reason": "only wants the opening hours"},
                        headers=token(["service_manager"], sub="manager-li"))
    assert again.status_code == 200, again.get_json()

    for name, value in infra.environ(service).items():
        monkeypatch.setenv(name, value)
    exported = tmp_path / "corrections.jsonl"
    assert learning_main(["export-corrections", str(exported)]) == 0
    [example] = read(exported)
    assert (example.id, example.text, example.category, example.severity, example.safety_related) == (
        f"C-{vague['id']}", VAGUE["text"], "other", "low", False)
    row = json.loads(exported.read_text(encoding="utf-8"))
    assert (row["channel"], row["lang"], row["writer"], row["reason"]) == (
        "web", "zh-Hans", "desk", "only wants the opening hours")


def test_no_review_when_the_threshold_is_zero(service, infra, token):
    client = service.create_app(infra.settings(service, COMPLAINTS_REVIEW_BELOW="0")).test_client()
    complaint = _record(client, token, VAGUE)
    assert complaint["needs_review"] is False
    assert _listed(client, token, "needs_review=true") == []


def test_a_safety_complaint_is_critical_whatever_the_review(client, token):
    complaint = _record(client, token, BRAKES)
    assert (complaint["severity"], complaint["classification"]["safety_related"]) == ("critical", True)
    assert complaint["classification"]["severity_terms"]
