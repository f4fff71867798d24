"""Telling the service manager at once: an escalated complaint, or a critical (safety) one.

A `Notification` is what the console lists (and marks read). Each of the dealer's configured
channels gets one `Delivery` of it, sent by the delivery job outside any complaint's
transaction: claimed for a while, then sent, or retried later with a growing pause, and after
the last attempt left `failed` for people to see. A notification has a key saying what it is
about, so the same escalation never makes a second one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit

from shared.model import DealerOwned

from complaints.domain.errors import InvalidNotificationChannels


class NotificationKind(str, Enum):
    ESCALATED = "escalated"  # SLA clocks ran out (升级)
    CRITICAL = "critical"  # a safety complaint came in, or was reclassified as one


class ChannelKind(str, Enum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class WebhookKind(str, Enum):
    WECOM = "wecom"  # 企业微信群机器人
    DINGTALK = "dingtalk"  # 钉钉群机器人


class DeliveryStatus(str, Enum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a delivery job until `next_attempt_at`
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt


MAX_RECIPIENTS = 20
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class Notification(DealerOwned):
    def __init__(self, dealer: str, *, key: str, kind: NotificationKind, complaint_id: str,
                 complaint_number: str | None, severity: str | None, clocks: Sequence[str], summary: str,
                 at: datetime):
        self.id = str(uuid.uuid4())
        self.dealer = dealer
        self.key = key
        self.kind = kind
        self.complaint_id = complaint_id
        self.complaint_number = complaint_number
        self.severity = severity
        self.clocks = list(clocks)
        self.summary = summary
        self.created_at = at
        self.read_at: datetime | None = None
        self.read_by: str | None = None
        self.deliveries: list[Delivery] = []

    @staticmethod
    def escalation_key(complaint_id: str, clocks: Sequence[str]) -> str:
        """Each clock of a complaint is escalated once, so its clocks name one escalation."""
        return f"escalated:{complaint_id}:{'+'.join(sorted(clocks))}"

    @staticmethod
    def critical_key(complaint_id: str) -> str:
        """Once per complaint, however often it is classified critical again."""
        return f"critical:{complaint_id}"

    def deliver_through(self, channels: NotificationChannels | None, at: datetime) -> None:
        for channel, target in (channels.targets() if channels else []):
            self.deliveries.append(Delivery(self.dealer, channel=channel, target=target, at=at))

    def read(self, by: str, at: datetime) -> None:
        """Reading it twice keeps who read it first."""
        if self.read_at is None:
            self.read_at, self.read_by = at, by


class Delivery(DealerOwned):
    def __init__(self, dealer: str, *, channel: ChannelKind, target: dict, at: datetime):
        self.dealer = dealer
        self.channel = channel
        # Where to, as configured when it was raised: a later change of channels does not redirect it.
        self.target = target
        self.status = DeliveryStatus.PENDING
        self.attempts = 0
        self.next_attempt_at = at
        self.last_error: str | None = None
        self.sent_at: datetime | None = None

    def due(self, now: datetime) -> bool:
        """Pending and its time has come, or claimed by a job that never reported back."""
        return self.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING) and self.next_attempt_at <= now

    def claim(self, now: datetime, lease: timedelta, max_attempts: int) -> bool:
        """Take it for one attempt until `now + lease`; False when it is not due or out of attempts."""
        if not self.due(now):
            return False
        if self.attempts >= max_attempts:  # its last attempt was claimed and never reported
            self.status, self.last_error = DeliveryStatus.FAILED, self.last_error or "interrupted while sending"
            return False
        self.status = DeliveryStatus.SENDING
        self.attempts += 1
        self.next_attempt_at = now + lease
        return True

    def sent(self, at: datetime) -> None:
        self.status, self.sent_at, self.last_error = DeliveryStatus.SENT, at, None

    def attempt_failed(self, error: str, at: datetime, *, max_attempts: int, backoff: timedelta) -> None:
        """Try again after `backoff`, doubled for each attempt so far; give up after the last."""
        self.last_error = error[:500]
        if self.attempts >= max_attempts:
            self.status = DeliveryStatus.FAILED
            return
        self.status = DeliveryStatus.PENDING
        self.next_attempt_at = at + backoff * 2 ** (self.attempts - 1)


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    kind: WebhookKind


class NotificationChannels(DealerOwned):
    """Where a dealer's notifications go besides the console: e-mail recipients, a group-bot webhook."""

    version: int

    def __init__(self, dealer: str, *, email_recipients: Sequence[str], webhook: WebhookTarget | None,
                 by: str, at: datetime):
        self.dealer = dealer
        self.change(email_recipients=email_recipients, webhook=webhook, by=by, at=at)

    def change(self, *, email_recipients: Sequence[str], webhook: WebhookTarget | None, by: str,
               at: datetime) -> None:
        self.email_recipients = _recipients(email_recipients)
        if webhook is not None:
            _check_url(webhook.url)
        self.webhook_url = webhook.url if webhook else None
        self.webhook_kind = WebhookKind(webhook.kind) if webhook else None
        self.updated_by, self.updated_at = by, at

    def targets(self) -> list[tuple[ChannelKind, dict]]:
        found = []
        if self.email_recipients:
            found.append((ChannelKind.EMAIL, {"recipients": list(self.email_recipients)}))
        if self.webhook_url:
            found.append((ChannelKind.WEBHOOK, {"url": self.webhook_url, "kind": WebhookKind(self.webhook_kind).value}))
        return found


def _recipients(addresses: Sequence[str]) -> list[str]:
    cleaned = []
    for address in addresses:
        address = address.strip()
        if not _EMAIL.match(address) or len(address) > 254:
            raise InvalidNotificationChannels(f"{address!r} is not an e-mail address", field="email_recipients")
        if address.lower() not in (a.lower() for a in cleaned):
            cleaned.append(address)
    if len(cleaned) > MAX_RECIPIENTS:
        raise InvalidNotificationChannels(f"at most {MAX_RECIPIENTS} recipients", field="email_recipients")
    return cleaned


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 1000:
        raise InvalidNotificationChannels("the webhook must be an http(s) URL, as the group bot shows it",
                                          field="webhook_url")


# The words a service manager reads on a phone, in the group chat or the mail's subject.
CLOCK_NAMES = {"acknowledge": "受理确认", "first_response": "首次答复", "escalation": "升级时限",
               "resolution": "承诺解决日期"}
SEVERITY_NAMES = {"low": "低", "normal": "一般", "high": "高", "critical": "严重（安全）"}


class SendFailed(Exception):
    """The other side (mail server, group bot) did not take a message; says why, for people. The
    delivery is tried again later."""


@dataclass(frozen=True)
class Message:
    title: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def message_of(notification: Notification, link: str | None = None) -> Message:
    """What a notification says outside the console, in Chinese (the service manager's language)."""
    number = notification.complaint_number or notification.complaint_id
    if notification.kind is NotificationKind.ESCALATED:
        clocks = "、".join(CLOCK_NAMES.get(clock, clock) for clock in notification.clocks)
        title = f"投诉升级：{number} 时效超时"
        lines = [f"投诉 {number} 已升级至服务经理：{clocks}超时。"]
    else:
        title = f"安全类投诉：{number}"
        lines = [f"收到严重（安全）投诉 {number}，请立即处理。"]
    if notification.severity and notification.kind is NotificationKind.ESCALATED:
        lines.append(f"严重程度：{SEVERITY_NAMES.get(notification.severity, notification.severity)}")
    if notification.summary:
        lines.append(f"摘要：{notification.summary}")
    if link:
        lines.append(f"查看：{link}")
    return Message(title, tuple(lines))
