"""The unit of work commits a change and its outbox events together, or neither."""

from __future__ import annotations

import gc
import json
import threading
import uuid

import pytest
from sqlalchemy import event, func, select

from shared.db import ALL_DEALERS, CrossDealerWrite
from shared.events.outbox import read_feed
from shared.events.tables import outbox
from shared.tests.widgets import WIDGETS, Widget, WidgetPainted, WidgetsUnitOfWork, make_widget, paint_widget
from shared.testing import wait_until


@pytest.fixture
def units(infra):
    return WIDGETS.units_of_work(infra.settings(WIDGETS))


def new_uow(units, dealer="D001", **kwargs) -> WidgetsUnitOfWork:
    return units(dealer=dealer, actor="tester", correlation_id=kwargs.pop("correlation_id", "corr-1"), **kwargs)


def outbox_rows(units):
    with units.database.reading(ALL_DEALERS) as session:
        return session.execute(select(outbox).order_by(outbox.c.position)).all()


def test_commit_writes_the_change_and_a_cloudevent_in_the_outbox(units):
    make_widget(new_uow(units, correlation_id="req-42"), "W-1", "red")

    [row] = outbox_rows(units)
    event = json.loads(row.envelope)
    assert event["specversion"] == "1.0"
    assert uuid.UUID(event["id"]) and event["id"] == row.event_id
    assert event["type"] == "widgets.widget.made"
    assert event["source"] == "/aftersales/widgets"
    assert event["subject"] == "W-1"
    assert event["datacontenttype"] == "application/json"
    assert event["dataschema"].endswith("/widgets.widget.made/v1")
    assert event["dealer"] == "D001"
    assert event["sequence"] == 1
    assert event["correlationid"] == "req-42"
    assert event["data"] == {"code": "W-1", "colour": "red"}
    assert event["time"].endswith("+00:00")
    assert row.actor == "tester" and row.published_at is None
    with units.database.reading("D001") as session:
        assert session.scalars(select(Widget.colour)).all() == ["red"]


def test_an_aggregate_that_only_raised_an_event_is_not_forgotten_before_commit(units):
    make_widget(new_uow(units), "W-1", "red")
    uow = new_uow(units)
    with uow:
        # Loaded, left unchanged, and no longer referenced: only the session could keep it.
        uow.widgets.get("W-1").events.append(WidgetPainted("W-1", "still red"))
        gc.collect()
        uow.commit()
    assert [json.loads(row.envelope)["type"] for row in outbox_rows(units)] == [
        "widgets.widget.made", "widgets.widget.painted"]


def test_a_rolled_back_transaction_leaves_neither_change_nor_event(units):
    uow = new_uow(units)
    with pytest.raises(RuntimeError):
        with uow:
            uow.widgets.add(Widget("D001", "W-1", "red", uow.now()))
            uow.session.flush()
            raise RuntimeError("the use case failed after writing")
    uow = new_uow(units)
    with uow:
        uow.widgets.add(Widget("D001", "W-2", "red", uow.now()))
        # leaving the block without commit() is a rollback too
    assert outbox_rows(units) == []
    with units.database.reading(ALL_DEALERS) as session:
        assert session.scalar(select(func.count()).select_from(Widget)) == 0


def test_sequence_counts_per_entity(units):
    make_widget(new_uow(units), "W-1")
    make_widget(new_uow(units), "W-2")
    paint_widget(new_uow(units), "W-1", "blue")
    paint_widget(new_uow(units), "W-1", "green")

    sequences = [(json.loads(r.envelope)["subject"], json.loads(r.envelope)["sequence"]) for r in outbox_rows(units)]
    assert sequences == [("W-1", 1), ("W-2", 1), ("W-1", 2), ("W-1", 3)]


def test_a_session_sees_only_its_dealers_rows_and_cannot_write_another(units):
    make_widget(new_uow(units, dealer="D001"), "W-1")
    make_widget(new_uow(units, dealer="D002"), "W-9")

    with units.database.reading("D002") as session:
        assert session.scalars(select(Widget.code)).all() == ["W-9"]
    uow = new_uow(units, dealer="D002")
    with uow:
        assert uow.widgets.get("W-1") is None
        uow.widgets.add(Widget("D001", "W-5", "red", uow.now()))
        with pytest.raises(CrossDealerWrite):
            uow.commit()
    with units.database.reading(ALL_DEALERS) as session:
        assert sorted(session.scalars(select(Widget.code))) == ["W-1", "W-9"]


def test_feed_positions_follow_commit_order_under_concurrency(real_infra):
    """A transaction that takes its position later must also commit later, so a feed reader
    that has seen position N never finds a smaller one afterwards."""
    units = WIDGETS.units_of_work(real_infra.settings(WIDGETS))
    inserted, release = threading.Event(), threading.Event()

    def hold_before_commit(_session):
        inserted.set()
        release.wait(10)

    def pause_at_commit(session):  # fires after the outbox insert, before COMMIT
        event.listen(session, "before_commit", hold_before_commit)

    slow = threading.Thread(
        target=make_widget, args=(new_uow(units, claims=[pause_at_commit]), "W-SLOW")
    )
    slow.start()
    wait_until(inserted.is_set, what="the slow transaction to write its outbox row")
    fast = threading.Thread(target=make_widget, args=(new_uow(units), "W-FAST"))
    fast.start()
    fast.join(timeout=0.5)
    with units.database.reading(ALL_DEALERS) as session:
        seen_while_slow_is_open = read_feed(session, "D001", after=0, limit=10)
    release.set()
    slow.join(10)
    fast.join(10)

    assert seen_while_slow_is_open == [], "a later transaction became visible before an earlier one"
    with units.database.reading(ALL_DEALERS) as session:
        feed = read_feed(session, "D001", after=0, limit=10)
    assert [item.event["subject"] for item in feed] == ["W-SLOW", "W-FAST"]
    assert feed[0].position < feed[1].position


def test_many_concurrent_writers_never_reuse_a_sequence(real_infra):
    units = WIDGETS.units_of_work(real_infra.settings(WIDGETS))
    make_widget(new_uow(units), "W-1")
    colours = [f"c{i}" for i in range(20)]
    threads = [threading.Thread(target=paint_widget, args=(new_uow(units), "W-1", c)) for c in colours]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    sequences = [json.loads(r.envelope)["sequence"] for r in outbox_rows(units)]
    assert sequences == list(range(1, 22))


def test_joins_and_bulk_updates_are_scoped_to_the_dealer_too(units):
    from sqlalchemy import update
    from sqlalchemy.orm import aliased

    make_widget(new_uow(units, dealer="D001"), "W-1", "red")
    make_widget(new_uow(units, dealer="D002"), "W-1", "blue")
    twin = aliased(Widget)

    with units.database.reading("D001") as session:
        pairs = session.execute(
            select(Widget.colour, twin.colour).join(twin, twin.code == Widget.code)
        ).all()
    assert pairs == [("red", "red")]

    uow = new_uow(units, dealer="D001")
    with uow:
        uow.session.execute(update(Widget).values(colour="green"))
        uow.commit()
    with units.database.reading(ALL_DEALERS) as session:
        assert sorted(session.execute(select(Widget.dealer, Widget.colour)).all()) == [
            ("D001", "green"), ("D002", "blue")]
