"""Recording a complaint: its number, its owner, its classification and its first deadline."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.domain.classification import Severity
from complaints.domain.errors import EmptyComplaint
from complaints.domain.events import ComplaintClassified, ComplaintReceived
from complaints.service import intake

from services.complaints.tests.service.conftest import caller

BEIJING = ZoneInfo("Asia/Shanghai")


def test_numbers_run_per_dealer_and_day_and_the_receiver_owns_the_complaint(uow, store):
    first = intake.receive(uow(), caller("agent-zhao"), channel="phone", text="换的刹车片一周就异响").complaint
    second = intake.receive(uow(), caller("agent-qian"), channel="wechat", text="等了三个小时没人理").complaint
    elsewhere = intake.receive(uow("D002"), caller("agent-sun", dealer="D002"), channel="phone", text="空调不制冷").complaint

    assert [first.number, second.number, elsewhere.number] == ["TS-20261204-0001", "TS-20261204-0002",
                                                               "TS-20261204-0001"]
    assert (first.owner, second.owner) == ("agent-zhao", "agent-qian")
    assert [type(e) for e in store.events] == [ComplaintReceived, ComplaintClassified] * 3
    assert first.sla_due_at is not None  # the sweep knows when to look at it first


def test_a_complaint_refused_leaves_nothing_behind_not_even_its_number(uow, store):
    with pytest.raises(EmptyComplaint):
        intake.receive(uow(), caller(), channel="phone", text="   ")
    assert store.rows.complaints == [] and store.events == []

    kept = intake.receive(uow(), caller(), channel="phone", text="刹车异响").complaint
    assert kept.number == "TS-20261204-0001"


def test_a_letter_dated_without_an_hour_counts_from_the_start_of_that_day_in_beijing(uow):
    letter = intake.receive(uow(), caller(), channel="letter", text="去年保养后变速箱漏油",
                            received_at=date(2026, 12, 2)).complaint
    assert letter.received_at == datetime(2026, 12, 2, tzinfo=BEIJING)
    assert letter.number == "TS-20261202-0001"  # numbered by the day it arrived, not the day it was typed in


def test_a_safety_complaint_is_classified_critical_and_subscribers_hear_so(uow, store):
    complaint = intake.receive(uow(), caller(), channel="phone", text="高速上刹车突然失灵，差点追尾，太危险了").complaint
    assert complaint.severity is Severity.CRITICAL
    [classified] = store.events_of(ComplaintClassified)
    # The event's `complaint_number` carries the complaint's id (its wire name since version 1).
    assert classified.severity == "critical" and classified.complaint_number == complaint.id


def test_the_preview_reads_the_text_as_intake_would_and_records_nothing(uow, store, rules):
    text = "高速上刹车突然失灵，差点追尾，太危险了"
    reading = intake.preview(rules, text)
    complaint = intake.receive(uow(), caller(), channel="phone", text=text).complaint
    assert (reading.category, reading.severity) == (complaint.category, complaint.severity)
    assert reading.needs_review == complaint.needs_review
    assert len(store.rows.complaints) == 1


def test_its_first_deadline_counts_business_hours_from_receipt(uow, units, clock):
    # Received Friday 16:00; two business hours to acknowledge, and Friday works until 18:00.
    friday = intake.receive(uow(), caller(), channel="phone", text="门店电话一直没人接").complaint
    assert friday.sla_due_at == datetime(2026, 12, 4, 18, 0, tzinfo=BEIJING)

    clock.now = datetime(2026, 12, 4, 17, 0, tzinfo=BEIJING)  # one hour left on Friday, one on Monday
    later = intake.receive(uow(), caller(), channel="phone", text="门店电话一直没人接").complaint
    assert later.sla_due_at == datetime(2026, 12, 7, 10, 0, tzinfo=BEIJING)
