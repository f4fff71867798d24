"""Dead letters can be looked at without disturbing them, and replayed once the cause is fixed."""

from __future__ import annotations

import dataclasses
import json

from shared.events import dead_letters
from shared.events.tables import inbox
from shared.testing import wait_until
from shared.tests.test_event_bus import Bus, tally_handlers
from shared.tests.widgets import WIDGETS


def dead_letter_ids(bus, handlers) -> list[str]:
    return [letter.event_id for letter in dead_letters.peek(bus.settings, handlers.subscriptions)]


def test_listing_leaves_them_and_replaying_one_applies_it_once_the_handler_is_fixed(infra):
    bus = Bus(infra, CONSUMER_MAX_ATTEMPTS="2")
    poison = {"P1", "P2"}
    handlers = tally_handlers(poison=poison)
    bus.make("tally")
    for code in ["A", "P1", "P2", "B"]:
        bus.make(code)

    with bus.consumer(handlers), bus.relay():
        wait_until(lambda: bus.tally() == 2, what="the good messages")
        wait_until(lambda: len(dead_letter_ids(bus, handlers)) == 2, what="both poisoned messages dead-lettered")

        listed = dead_letters.peek(bus.settings, handlers.subscriptions)
        assert [letter.body["data"]["code"] for letter in listed] == ["P1", "P2"]
        assert {(letter.handler, letter.reason, letter.attempts, letter.event_type) for letter in listed} == {
            ("widgets.count_made", "failed", 2, "widgets.widget.made")}
        assert "cannot count P1" in listed[0].error
        assert dead_letter_ids(bus, handlers) == [letter.event_id for letter in listed]  # looking took nothing
        assert [letter.event_id for letter in dead_letters.peek(bus.settings, handlers.subscriptions, limit=1)] == [
            listed[0].event_id]
        assert dead_letter_ids(bus, handlers) == [letter.event_id for letter in listed]  # nor moved anything

        poison.clear()  # the bug is fixed
        replayed = dead_letters.replay(bus.settings, handlers.subscriptions, event_ids={listed[0].event_id})
        assert [letter.body["data"]["code"] for letter in replayed] == ["P1"]
        wait_until(lambda: bus.tally() == 3, what="the replayed message to be applied")
        assert dead_letter_ids(bus, handlers) == [listed[1].event_id]

        everything = dead_letters.replay(bus.settings, handlers.subscriptions)
        assert [letter.event_id for letter in everything] == [listed[1].event_id]
        wait_until(lambda: bus.tally() == 4, what="the second replayed message")

    assert dead_letter_ids(bus, handlers) == []
    assert bus.count(inbox) == 5  # tally, A, B, P1, P2: each applied once


def test_the_cli_prints_one_json_line_per_dead_letter(infra, monkeypatch, capsys):
    bus = Bus(infra, CONSUMER_MAX_ATTEMPTS="1")
    handlers = tally_handlers(poison={"P"})
    bus.make("tally")
    bus.make("P")
    with bus.consumer(handlers), bus.relay():
        wait_until(lambda: len(dead_letter_ids(bus, handlers)) == 1, what="the message dead-lettered")

    for name, value in infra.environ(WIDGETS).items():
        monkeypatch.setenv(name, value)
    service = dataclasses.replace(WIDGETS, handlers=(handlers,))
    capsys.readouterr()
    assert service.main(["dead-letters", "list", "--handler", "widgets.count_made"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    shown = json.loads(line)
    assert (shown["handler"], shown["reason"], shown["body"]["data"]["code"]) == ("widgets.count_made", "failed", "P")
    assert len(dead_letter_ids(bus, handlers)) == 1


# ---------------------------------------------------------------- the same over HTTP, for admin


def admin_api(bus, handlers):
    from shared.auth import mint

    app = dataclasses.replace(WIDGETS, handlers=(handlers,)).create_app(bus.settings)

    def as_role(role: str) -> dict:
        return {"Authorization": "Bearer " + mint(bus.settings.jwt_secret, "ops", "D001", [role])}

    return app.test_client(), as_role


def test_an_admin_lists_reads_and_replays_dead_letters_over_http(infra):
    bus = Bus(infra, CONSUMER_MAX_ATTEMPTS="2")
    poison = {"P1", "P2"}
    handlers = tally_handlers(poison=poison)
    client, as_role = admin_api(bus, handlers)
    admin = as_role("admin")
    bus.make("tally")
    for code in ["A", "P1", "P2"]:
        bus.make(code)

    with bus.consumer(handlers), bus.relay():
        wait_until(lambda: len(dead_letter_ids(bus, handlers)) == 2, what="both poisoned messages dead-lettered")
        listed = client.get("/api/v1/admin/dead-letters?handler=widgets.count_made", headers=admin)
        assert listed.status_code == 200, listed.get_data(as_text=True)
        # Listed in the order they were dead-lettered, which is the consumer's: a batch retries
        # a failed event alone, so P2 may run out of attempts before P1 does.
        in_queue = listed.get_json()["items"]
        items = sorted(in_queue, key=lambda item: item["subject"])
        assert [(i["handler"], i["event_type"], i["subject"], i["reason"], i["attempts"]) for i in items] == [
            ("widgets.count_made", "widgets.widget.made", "P1", "failed", 2),
            ("widgets.count_made", "widgets.widget.made", "P2", "failed", 2)]
        assert "cannot count P1" in items[0]["error"] and items[0]["dead_lettered_at"]
        first = items[0]["event_id"]

        [envelope] = client.get(f"/api/v1/admin/dead-letters/{first}", headers=admin).get_json()["items"]
        assert (envelope["event_id"], envelope["body"]["id"], envelope["body"]["data"]["code"]) == (first, first, "P1")
        assert dead_letter_ids(bus, handlers) == [i["event_id"] for i in in_queue]  # looking moved nothing

        poison.clear()  # the bug is fixed
        replayed = client.post(f"/api/v1/admin/dead-letters/{first}/replay", headers=admin)
        assert [i["event_id"] for i in replayed.get_json()["items"]] == [first]
        wait_until(lambda: bus.tally() == 2, what="the replayed message to be applied")
        assert dead_letter_ids(bus, handlers) == [items[1]["event_id"]]

        rest = client.post("/api/v1/admin/dead-letters/replay", json={"handler": "widgets.count_made"}, headers=admin)
        assert [i["event_id"] for i in rest.get_json()["items"]] == [items[1]["event_id"]]
        wait_until(lambda: bus.tally() == 3, what="the second replayed message")
        # A replay of what is already applied and gone is a 404, not a second application.
        gone = client.post(f"/api/v1/admin/dead-letters/{first}/replay", headers=admin)
        assert (gone.status_code, gone.get_json()["code"]) == (404, "dead_letter_not_found")

    assert dead_letter_ids(bus, handlers) == []
    assert bus.count(inbox) == 4  # tally, A, P1, P2: each applied once
    assert bus.tally() == 3


def test_dead_letters_are_for_admin_only_and_name_what_is_unknown(infra):
    bus = Bus(infra)
    client, as_role = admin_api(bus, tally_handlers())
    operations = [("GET", "/api/v1/admin/dead-letters"), ("GET", "/api/v1/admin/dead-letters/e-1"),
                  ("POST", "/api/v1/admin/dead-letters/e-1/replay"), ("POST", "/api/v1/admin/dead-letters/replay")]
    for method, url in operations:
        refused = client.open(url, method=method, json={"handler": "widgets.count_made"},
                              headers=as_role("service_manager"))
        assert (refused.status_code, refused.get_json()["code"]) == (403, "forbidden")
    admin = as_role("admin")
    assert client.get("/api/v1/admin/dead-letters", headers=admin).get_json() == {"items": []}
    missing = client.get("/api/v1/admin/dead-letters/e-1", headers=admin)
    assert (missing.status_code, missing.mimetype, missing.get_json()["code"]) == (
        404, "application/problem+json", "dead_letter_not_found")
    unknown = client.get("/api/v1/admin/dead-letters?handler=widgets.nobody", headers=admin)
    assert (unknown.status_code, unknown.get_json()["errors"]) == (422, {"handler": [unknown.get_json()["detail"]]})


def test_with_the_broker_unreachable_dead_letters_answer_503_with_retry_after(real_infra):
    bus = Bus(real_infra, BROKER_URL="amqp://guest:guest@127.0.0.1:1//")
    client, as_role = admin_api(bus, tally_handlers())
    response = client.get("/api/v1/admin/dead-letters", headers=as_role("admin"))
    assert (response.status_code, response.mimetype, response.get_json()["code"]) == (
        503, "application/problem+json", "unavailable")
    assert response.headers["Retry-After"] == "5"
