"""A quarantined lot as warranty keeps it, from events arriving in any order."""

from __future__ import annotations

from datetime import datetime, timezone

from warranty.domain.lot_recall import OPEN, RELEASED, LotRecall

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
WEDNESDAY = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
A, B = "LVSHCAMB1CE054249", "LFV2A21K3F4100010"


def a_recall() -> LotRecall:
    return LotRecall("D001", "LOT-HX-01", part_number="AM-BP-2231", supplier="HX-AUTO")


def quarantine(recall: LotRecall, sequence: int | None, vins=(A,), reason="supplier notice", at=MONDAY) -> None:
    recall.quarantined(sequence=sequence, supplier_lot="HX-2611", reason=reason, affected_vins=vins, at=at,
                       by="parts-manager")


def test_a_quarantine_opens_the_recall_with_its_vehicles_and_a_release_closes_it():
    recall = a_recall()
    quarantine(recall, 3, vins=(A, B.lower()))
    assert (recall.status, recall.reason, recall.quarantined_at, recall.affected_vins) == (
        OPEN, "supplier notice", MONDAY, sorted([A, B]))
    recall.released(sequence=4, reason="supplier cleared it", at=WEDNESDAY, by="parts-manager")
    assert (recall.status, recall.release_reason, recall.released_at) == (RELEASED, "supplier cleared it", WEDNESDAY)
    assert recall.affected_vins == sorted([A, B])  # vehicles stay on the list


def test_a_release_that_overtakes_its_quarantine_is_not_undone_but_the_quarantine_still_tells_its_vehicles():
    recall = a_recall()
    recall.released(sequence=4, reason="cleared", at=WEDNESDAY, by="parts-manager")
    quarantine(recall, 3)
    assert (recall.status, recall.quarantined_at, recall.reason, recall.affected_vins) == (
        RELEASED, MONDAY, "supplier notice", [A])


def test_a_lot_quarantined_again_after_its_release_is_open_again():
    recall = a_recall()
    quarantine(recall, 1)
    recall.released(sequence=2, reason="cleared", at=MONDAY, by="parts-manager")
    quarantine(recall, 3, vins=(B,), reason="second notice", at=WEDNESDAY)
    assert (recall.status, recall.reason, recall.released_at, recall.affected_vins) == (
        OPEN, "second notice", None, sorted([A, B]))


def test_the_same_vin_named_twice_is_kept_once():
    recall = a_recall()
    quarantine(recall, 1, vins=(A, A))
    quarantine(recall, 2, vins=(A,))
    assert recall.affected_vins == [A]
