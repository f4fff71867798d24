"""Telling the service manager at once (escalations, safety complaints), in the console and through
the channels the dealer configured; and the delivery job that sends them.

A notification is written by the consumer of the service's own events, after the complaint's
transaction committed; sending is a job of its own, so a slow or unreachable mail server or
group bot never holds up a complaint, nor a complaint's event.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from shared.auth import Caller
from shared.db import ALL_DEALERS
from shared.errors import StaleVersion
from shared.jobs import drain

from complaints.domain.errors import NotificationNotFound
from complaints.domain.notifications import (
    Delivery,
    Notification,
    NotificationChannels,
    NotificationKind,
    SendFailed,
    WebhookTarget,
    message_of,
)
from complaints.domain.privacy import mask_personal_data
from complaints.service.ports import ComplaintsUnitOfWork, Senders, UnitsOfWork

log = structlog.get_logger(__name__)
DELIVERER = "system:notifications"
SUMMARY_LENGTH = 80


def notify_escalation(uow: ComplaintsUnitOfWork, complaint_id: str, clocks: Sequence[str]) -> Notification | None:
    return _notify(uow, NotificationKind.ESCALATED, Notification.escalation_key(complaint_id, clocks),
                   complaint_id, clocks)


def notify_critical(uow: ComplaintsUnitOfWork, complaint_id: str) -> Notification | None:
    return _notify(uow, NotificationKind.CRITICAL, Notification.critical_key(complaint_id), complaint_id, ())


def _notify(uow: ComplaintsUnitOfWork, kind: NotificationKind, key: str, complaint_id: str,
            clocks: Sequence[str]) -> Notification | None:
    """One notification per key, with one delivery per configured channel; None when it exists."""
    with uow:
        if uow.notifications.with_key(key) is not None:
            return None  # a replayed or repeated event: told already
        about = uow.notifications.about(complaint_id)
        if about is None:
            return None  # not this dealer's (cannot happen for its own events)
        number, text, customer_name, severity = about
        now = uow.now()
        notification = Notification(uow.dealer, key=key, kind=kind, complaint_id=complaint_id,
                                    complaint_number=number, severity=severity, clocks=clocks,
                                    summary=_summary(text, customer_name), at=now)
        notification.deliver_through(uow.notification_channels.get(), now)
        uow.notifications.add(notification)
        uow.commit()
    return notification


def _summary(text: str, customer_name: str | None) -> str:
    """The complaint's first words, without phone or ID numbers or the customer's name: the message
    goes to mailboxes and group chats."""
    masked = " ".join((mask_personal_data(text, [customer_name]) or "").split())
    return masked if len(masked) <= SUMMARY_LENGTH else masked[:SUMMARY_LENGTH - 1] + "…"


def read(uow: ComplaintsUnitOfWork, caller: Caller, notification_id: str) -> Notification:
    with uow:
        notification = uow.notifications.get_for_update(notification_id)
        if notification is None:
            raise NotificationNotFound(notification_id)
        notification.read(caller.sub, uow.now())
        uow.commit()
    return notification


def read_all(uow: ComplaintsUnitOfWork, caller: Caller) -> int:
    """Mark every unread notification read; returns how many were."""
    with uow:
        unread = uow.notifications.unread_for_update()
        now = uow.now()
        for notification in unread:
            notification.read(caller.sub, now)
        uow.commit()
    return len(unread)


def set_channels(uow: ComplaintsUnitOfWork, caller: Caller, expected_version: int, *,
                 email_recipients: Sequence[str], webhook_url: str | None,
                 webhook_kind: str | None) -> NotificationChannels:
    """Replace where the dealer's notifications go; what is already pending keeps its target."""
    webhook = WebhookTarget(webhook_url, webhook_kind) if webhook_url else None
    with uow:
        now = uow.now()
        channels = uow.notification_channels.get_for_update()
        StaleVersion.check(expected_version, channels.version if channels else 0)
        if channels is None:
            channels = NotificationChannels(caller.dealer, email_recipients=email_recipients, webhook=webhook,
                                            by=caller.sub, at=now)
            uow.notification_channels.add(channels)
        else:
            channels.change(email_recipients=email_recipients, webhook=webhook, by=caller.sub, at=now)
        uow.commit()
    return channels


def deliver_pending(units_of_work: UnitsOfWork, senders: Senders, batch: int = 100) -> int:
    """The delivery job: send every delivery that is due, each claimed in its own short
    transaction (SKIP LOCKED: two jobs never take one), sent outside any transaction, then
    marked sent, or due again later. Returns how many it sent."""
    settings = units_of_work.rules.notifications

    def find(limit: int) -> list[tuple[str, int]]:
        finder = units_of_work(dealer=ALL_DEALERS, actor=DELIVERER, correlation_id="notification-delivery")
        with finder:
            return finder.notifications.due_deliveries(finder.now(), limit=limit)

    def deliver(due: tuple[str, int]) -> int:
        dealer, delivery_id = due
        claimed = _claim(units_of_work(dealer=dealer, actor=DELIVERER, correlation_id=f"delivery-{delivery_id}"),
                         delivery_id)
        if claimed is None:
            return 0
        channel, target, message, attempt = claimed
        try:
            senders.send(channel, target, message)
        except SendFailed as exc:
            error = str(exc)
        else:
            error = None
        _settle(units_of_work(dealer=dealer, actor=DELIVERER, correlation_id=f"delivery-{delivery_id}"),
                delivery_id, attempt, error)
        if error:
            log.warning("notification.delivery_failed", delivery_id=delivery_id, channel=channel.value,
                        attempt=attempt, error=error)
            return 0
        log.info("notification.delivered", delivery_id=delivery_id, channel=channel.value)
        return 1

    def _claim(uow: ComplaintsUnitOfWork, delivery_id: int):
        with uow:
            delivery = uow.notifications.delivery_for_update(delivery_id, skip_locked=True)
            if delivery is None:
                return None  # another job has it
            taken = delivery.claim(uow.now(), settings.lease, settings.max_attempts)
            uow.commit()  # also when it ran out of attempts: it is marked failed
            if not taken:
                return None
            return delivery.channel, dict(delivery.target), _message(delivery, settings.console_url), delivery.attempts

    def _settle(uow: ComplaintsUnitOfWork, delivery_id: int, attempt: int, error: str | None) -> None:
        with uow:
            delivery = uow.notifications.delivery_for_update(delivery_id)
            if delivery.attempts != attempt:
                return  # our lease ran out and another job took it over: its outcome counts
            if error is None:
                delivery.sent(uow.now())
            else:
                delivery.attempt_failed(error, uow.now(), max_attempts=settings.max_attempts,
                                        backoff=settings.retry_backoff)
            uow.commit()

    return drain(find, deliver, batch)


def _message(delivery: Delivery, console_url: str | None):
    notification = delivery.notification
    link = f"{console_url}/complaints/{notification.complaint_id}" if console_url else None
    return message_of(notification, link)

