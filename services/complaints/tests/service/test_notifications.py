"""Telling the service manager: one notification per escalation or safety complaint, one delivery
per configured channel, sent by the delivery job with retries, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from complaints.domain.notifications import ChannelKind, DeliveryStatus
from complaints.service import intake, notifications

from services.complaints.tests.service.conftest import caller

BEIJING = ZoneInfo("Asia/Shanghai")
MANAGER = caller("manager-li", "service_manager")
SAFETY = "高速上刹车突然失灵，差点追尾，太危险了。我的电话13812341234"


def _channels(uow) -> None:
    notifications.set_channels(uow(), MANAGER, 0, email_recipients=["li@dealer.example"],
                               webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
                               webhook_kind="wecom")


def test_a_safety_complaint_is_told_once_per_channel_without_the_customers_phone(uow, store):
    _channels(uow)
    complaint = intake.receive(uow(), caller(), channel="phone", text=SAFETY, customer_name="王先生").complaint
    first = notifications.notify_critical(uow(), complaint.id)
    again = notifications.notify_critical(uow(), complaint.id)  # the event came twice

    assert again is None and len(store.rows.notifications) == 1
    assert [d.channel for d in first.deliveries] == [ChannelKind.EMAIL, ChannelKind.WEBHOOK]
    assert first.complaint_number == complaint.number
    assert "13812341234" not in first.summary and first.summary.startswith("高速上刹车突然失灵")


def test_the_job_sends_each_delivery_once_and_retries_a_refusal_after_its_backoff(uow, units, store, clock, senders):
    _channels(uow)
    complaint = intake.receive(uow(), caller(), channel="phone", text=SAFETY).complaint
    notifications.notify_critical(uow(), complaint.id)
    senders.refusing.add(ChannelKind.WEBHOOK)

    assert notifications.deliver_pending(units, senders) == 1  # the e-mail; the bot refused
    assert notifications.deliver_pending(units, senders) == 0  # the bot's retry is not due yet
    [(channel, target, message)] = senders.sent
    assert channel is ChannelKind.EMAIL and target == {"recipients": ["li@dealer.example"]}
    assert message.title == f"安全类投诉：{complaint.number}"

    senders.refusing.clear()
    clock.now = clock.now + timedelta(seconds=31)  # NOTIFY_RETRY_BACKOFF_SECONDS: 30
    assert notifications.deliver_pending(units, senders) == 1
    assert notifications.deliver_pending(units, senders) == 0
    [notification] = store.rows.notifications
    assert [(d.status, d.attempts) for d in notification.deliveries] == [(DeliveryStatus.SENT, 1),
                                                                          (DeliveryStatus.SENT, 2)]


def test_a_delivery_refused_every_time_is_left_failed_with_the_reason(uow, units, store, clock, senders, rules):
    _channels(uow)
    complaint = intake.receive(uow(), caller(), channel="phone", text=SAFETY).complaint
    notifications.notify_critical(uow(), complaint.id)
    senders.refusing.add(ChannelKind.WEBHOOK)

    for _ in range(rules.notifications.max_attempts + 2):
        notifications.deliver_pending(units, senders)
        clock.now = clock.now + timedelta(hours=1)
    [notification] = store.rows.notifications
    webhook = notification.deliveries[1]
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.FAILED, rules.notifications.max_attempts)
    assert webhook.last_error == "webhook refused it"
    assert len(senders.sent) == 1  # the e-mail, once


def test_reading_them_all_marks_only_this_dealers(uow, store, clock):
    mine = intake.receive(uow(), caller(), channel="phone", text=SAFETY).complaint
    theirs = intake.receive(uow("D002"), caller("agent-sun", dealer="D002"), channel="phone", text=SAFETY).complaint
    notifications.notify_critical(uow(), mine.id)
    notifications.notify_critical(uow("D002"), theirs.id)

    assert notifications.read_all(uow(), MANAGER) == 1
    assert notifications.read_all(uow(), MANAGER) == 0
    read = {n.dealer: n.read_by for n in store.rows.notifications}
    assert read == {"D001": "manager-li", "D002": None}
