"""Notifications in plain Python: one delivery per configured channel, claimed for one attempt,
retried after a doubling pause, failed after the last; channels validated; the message's words."""

from datetime import datetime, timedelta, timezone

import pytest

from complaints.domain.errors import InvalidNotificationChannels
from complaints.domain.notifications import (
    ChannelKind,
    DeliveryStatus,
    Notification,
    NotificationChannels,
    NotificationKind,
    WebhookTarget,
    message_of,
)

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
LEASE, BACKOFF = timedelta(minutes=5), timedelta(seconds=30)


def a_notification(channels=None, kind=NotificationKind.ESCALATED) -> Notification:
    notification = Notification("D001", key="k", kind=kind, complaint_id="c-1", complaint_number="TS-20261207-0001",
                                severity="high", clocks=["acknowledge", "first_response"], summary="保养后异响",
                                at=NOW)
    notification.deliver_through(channels, NOW)
    return notification


def channels(**webhook) -> NotificationChannels:
    return NotificationChannels("D001", email_recipients=["a@dealer.example"],
                                webhook=WebhookTarget(**webhook) if webhook else None, by="m", at=NOW)


def test_one_delivery_per_configured_channel_and_none_without_channels():
    assert a_notification().deliveries == []
    both = a_notification(channels(url="https://qyapi.weixin.qq.com/x", kind="wecom"))
    assert [(d.channel, d.target) for d in both.deliveries] == [
        (ChannelKind.EMAIL, {"recipients": ["a@dealer.example"]}),
        (ChannelKind.WEBHOOK, {"url": "https://qyapi.weixin.qq.com/x", "kind": "wecom"})]


def test_a_delivery_is_claimed_once_retried_after_a_doubling_pause_then_failed():
    [delivery] = a_notification(channels()).deliveries
    assert delivery.claim(NOW, LEASE, max_attempts=3)
    assert not delivery.claim(NOW, LEASE, max_attempts=3)  # claimed: nobody else takes it
    delivery.attempt_failed("refused", NOW, max_attempts=3, backoff=BACKOFF)
    assert (delivery.status, delivery.next_attempt_at) == (DeliveryStatus.PENDING, NOW + BACKOFF)
    assert not delivery.claim(NOW, LEASE, max_attempts=3)
    assert delivery.claim(NOW + BACKOFF, LEASE, max_attempts=3)
    delivery.attempt_failed("refused", NOW + BACKOFF, max_attempts=3, backoff=BACKOFF)
    assert delivery.next_attempt_at == NOW + 3 * BACKOFF  # doubled
    assert delivery.claim(NOW + 3 * BACKOFF, LEASE, max_attempts=3)
    delivery.attempt_failed("refused again", NOW + 3 * BACKOFF, max_attempts=3, backoff=BACKOFF)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 3, "refused again")
    assert not delivery.claim(NOW + timedelta(days=1), LEASE, max_attempts=3)


def test_a_claim_whose_job_never_reported_is_taken_over_after_its_lease():
    [delivery] = a_notification(channels()).deliveries
    assert delivery.claim(NOW, LEASE, max_attempts=2)
    assert not delivery.claim(NOW + LEASE - timedelta(seconds=1), LEASE, max_attempts=2)
    assert delivery.claim(NOW + LEASE, LEASE, max_attempts=2) and delivery.attempts == 2
    assert not delivery.claim(NOW + 2 * LEASE, LEASE, max_attempts=2)  # its last attempt never reported either
    assert delivery.status is DeliveryStatus.FAILED


@pytest.mark.parametrize("recipients, webhook, field", [
    (["no-at-sign"], None, "email_recipients"),
    (["a@b.example, c@d.example"], None, "email_recipients"),
    ([f"m{n}@dealer.example" for n in range(21)], None, "email_recipients"),
    ([], WebhookTarget("javascript:alert(1)", "wecom"), "webhook_url"),
    ([], WebhookTarget("https://", "dingtalk"), "webhook_url"),
])
def test_channels_are_refused_with_the_field(recipients, webhook, field):
    with pytest.raises(InvalidNotificationChannels) as refused:
        NotificationChannels("D001", email_recipients=recipients, webhook=webhook, by="m", at=NOW)
    assert refused.value.context["field"] == field


def test_the_message_names_the_complaint_the_clocks_and_links_to_it():
    message = message_of(a_notification(), "https://console.example/complaints/c-1")
    assert message.title == "投诉升级：TS-20261207-0001 时效超时"
    assert message.lines == ("投诉 TS-20261207-0001 已升级至服务经理：受理确认、首次答复超时。", "严重程度：高",
                             "摘要：保养后异响", "查看：https://console.example/complaints/c-1")
    critical = message_of(a_notification(kind=NotificationKind.CRITICAL))
    assert critical.title == "安全类投诉：TS-20261207-0001"
