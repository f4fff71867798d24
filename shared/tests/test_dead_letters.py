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
