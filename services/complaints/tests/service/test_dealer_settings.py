"""A dealer's business calendar, SLA targets per severity and notification channels: each
replaced whole under If-Match, and every open complaint's deadlines follow at once."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.errors import StaleVersion

from complaints.domain.calendar import DEFAULT_HOURS
from complaints.domain.classification import Severity
from complaints.domain.errors import InvalidNotificationChannels, InvalidSlaTargets
from complaints.domain.events import ComplaintClassified
from complaints.service import calendar, classification, intake, notifications, sla

from services.complaints.tests.service.conftest import caller

BEIJING = ZoneInfo("Asia/Shanghai")
MANAGER = caller("manager-li", "service_manager")
SATURDAYS_TOO = {**DEFAULT_HOURS, "saturday": [["09:00", "12:00"]]}


def _minutes(severity: str, acknowledge: int, answer: int) -> dict:
    return {"severity": severity, "acknowledge_minutes": acknowledge, "first_response_minutes": answer,
            "escalation_minutes": answer}


def test_a_holiday_moves_every_open_deadline_and_a_stale_version_changes_nothing(uow, store):
    complaint = intake.receive(uow(), caller(), channel="phone", text="门店电话一直没人接", received_at=None).complaint
    calendar.set_calendar(uow(), MANAGER, 0, hours=SATURDAYS_TOO)
    assert complaint.sla_due_at == datetime(2026, 12, 4, 18, 0, tzinfo=BEIJING)  # two hours still fit on Friday

    calendar.set_holiday(uow(), MANAGER, 1, date(2026, 12, 4), on=True)  # Friday is a holiday after all
    stored = store.one("complaints", id=complaint.id)
    assert stored.sla_due_at == datetime(2026, 12, 5, 11, 0, tzinfo=BEIJING)  # Saturday morning, now worked

    with pytest.raises(StaleVersion):
        calendar.set_holiday(uow(), MANAGER, 1, date(2026, 12, 5), on=True)
    assert store.one("calendars").version == 2
    assert store.one("complaints", id=complaint.id).sla_due_at == datetime(2026, 12, 5, 11, 0, tzinfo=BEIJING)


def test_targets_per_severity_apply_to_open_complaints_of_that_severity(uow, store):
    critical = intake.receive(uow(), caller(), channel="phone", text="高速上刹车突然失灵，差点追尾，太危险了").complaint
    assert critical.severity is Severity.CRITICAL
    sla.set_targets(uow(), MANAGER, 0, targets=[_minutes("critical", 30, 60)])
    assert store.one("complaints", id=critical.id).sla_due_at == datetime(2026, 12, 4, 16, 30, tzinfo=BEIJING)

    with pytest.raises(InvalidSlaTargets):
        sla.set_targets(uow(), MANAGER, 1, targets=[_minutes("high", 60, 120), _minutes("high", 30, 60)])
    assert set(store.one("sla_policies").targets) == {Severity.CRITICAL}


def test_a_person_corrects_the_severity_and_the_clocks_follow_the_new_targets(uow, store):
    sla.set_targets(uow(), MANAGER, 0, targets=[_minutes("critical", 30, 60)])
    complaint = intake.receive(uow(), caller(), channel="phone", text="保养后车里有股焦糊味").complaint
    classification.reclassify(uow(), MANAGER, complaint.id, severity="critical", reason="smell of burning: fire risk")

    stored = store.one("complaints", id=complaint.id)
    assert stored.severity is Severity.CRITICAL and not stored.needs_review
    assert stored.sla_due_at == datetime(2026, 12, 4, 16, 30, tzinfo=BEIJING)
    assert [(e.severity, e.overridden) for e in store.events_of(ComplaintClassified)][-1] == ("critical", True)


def test_channels_refused_whole_when_one_address_is_wrong(uow, store):
    notifications.set_channels(uow(), MANAGER, 0, email_recipients=["li@dealer.example"], webhook_url=None,
                               webhook_kind=None)
    with pytest.raises(InvalidNotificationChannels):
        notifications.set_channels(uow(), MANAGER, 1, email_recipients=["zhang@dealer.example", "not an address"],
                                   webhook_url=None, webhook_kind=None)
    assert store.one("notification_channels").email_recipients == ["li@dealer.example"]
