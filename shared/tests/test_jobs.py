"""A scheduled job works off its whole backlog in one round, a batch at a time."""

from __future__ import annotations

from shared.jobs import drain


def test_every_due_item_is_handled_once_across_batches():
    due = list(range(23))
    handled: list[int] = []

    def find(limit):
        return due[:limit]

    def handle(item):
        due.remove(item)
        handled.append(item)
        return 1

    assert drain(find, handle, batch=5) == 23
    assert handled == list(range(23)) and due == []


def test_items_another_worker_holds_are_not_retried_for_ever():
    held = {0, 1, 2}  # locked elsewhere: found again every time, never handled here
    due = list(range(10))

    def find(limit):
        return due[:limit]

    def handle(item):
        if item in held:
            return 0
        due.remove(item)
        return 1

    assert drain(find, handle, batch=4) == 7
    assert due == [0, 1, 2]


def test_an_item_that_fails_does_not_hold_up_the_rest():
    due = list(range(6))

    def find(limit):
        return due[:limit]

    def handle(item):
        if item == 0:
            raise RuntimeError("a bug that only this item hits")
        due.remove(item)
        return 1

    assert drain(find, handle, batch=2) == 5
    assert due == [0]
