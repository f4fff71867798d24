"""Warranty learns part facts from the parts service's events."""

from __future__ import annotations

from shared.testing import a_cloudevent, apply_event

from warranty.handlers import parts_events

PART = {"part_number": "AM-BP-2231", "name_zh": "副厂前刹车片", "name_en": None, "category": "brakes",
        "source": "aftermarket", "safety_critical": True, "list_price": "320.00", "unit": "set"}


def known_part(client, token, number="AM-BP-2231"):
    return client.get(f"/api/v1/catalog/{number}", headers=token(["warranty_clerk"]))


def test_a_created_part_becomes_known(settings, units, client, token):
    outcome = apply_event(settings, units, parts_events.handlers,
                          a_cloudevent("parts.part.created", PART, sequence=1))
    assert outcome.applied
    body = known_part(client, token).get_json()
    assert body == {**body, "source": "aftermarket", "safety_critical": True, "category": "brakes",
                    "name": "副厂前刹车片"}


def test_an_update_that_overtakes_the_creation_is_not_rolled_back(settings, units, client, token):
    updated = a_cloudevent("parts.part.updated", {**PART, "source": "oem", "changed": ["source"]}, sequence=2)
    created = a_cloudevent("parts.part.created", PART, sequence=1)
    assert apply_event(settings, units, parts_events.handlers, updated).applied
    assert apply_event(settings, units, parts_events.handlers, created).applied
    assert known_part(client, token).get_json()["source"] == "oem"


def test_the_same_event_twice_is_applied_once(settings, units, client, token):
    event = a_cloudevent("parts.part.created", PART, sequence=1)
    assert apply_event(settings, units, parts_events.handlers, event).applied
    assert not apply_event(settings, units, parts_events.handlers, event).applied


def test_an_event_from_another_dealer_stays_with_that_dealer(settings, units, client, token):
    apply_event(settings, units, parts_events.handlers,
                a_cloudevent("parts.part.created", PART, dealer="D002"))
    assert known_part(client, token).status_code == 404
    assert client.get("/api/v1/catalog/AM-BP-2231", headers=token(["warranty_clerk"], dealer="D002")).status_code == 200


def test_a_part_event_missing_what_warranty_needs_is_dead_lettered(settings, units):
    outcome = apply_event(settings, units, parts_events.handlers,
                          a_cloudevent("parts.part.created", {"part_number": "X"}))
    assert outcome.dead_letter_reason == "invalid_data"
    assert "category" in outcome.error
