"""The complaints desk's business rules, read from the environment once at start-up (`uow.rules`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from shared.config import Settings

from complaints.domain.classification import Classifier, default_classifier
from complaints.domain.sla import SlaTargets


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server notifications go out through; no host, no e-mail (the console still shows them)."""

    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "aftersales@localhost"
    starttls: bool = True
    timeout: float = 10.0


@dataclass(frozen=True)
class NotificationSettings:
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    webhook_timeout: float = 10.0
    # How often the delivery job looks for notifications to send, and how it retries one that failed:
    # after `retry_backoff`, doubled each time, `max_attempts` attempts in all, then it is left failed.
    every: timedelta = timedelta(seconds=15)
    max_attempts: int = 6
    retry_backoff: timedelta = timedelta(seconds=30)
    # How long an attempt may take before another job may take the delivery over (it never reported).
    lease: timedelta = timedelta(minutes=5)
    # The console's address, for a link in the message ("https://console.example.cn"); none without it.
    console_url: str | None = None

    @classmethod
    def from_environ(cls, env) -> NotificationSettings:
        return cls(
            smtp=SmtpSettings(
                host=env.get("NOTIFY_SMTP_HOST") or None,
                port=int(env.get("NOTIFY_SMTP_PORT", 587)),
                user=env.get("NOTIFY_SMTP_USER") or None,
                password=env.get("NOTIFY_SMTP_PASSWORD") or None,
                sender=env.get("NOTIFY_SMTP_FROM", SmtpSettings.sender),
                starttls=env.get("NOTIFY_SMTP_STARTTLS", "on") == "on",
                timeout=float(env.get("NOTIFY_SMTP_TIMEOUT_SECONDS", 10)),
            ),
            webhook_timeout=float(env.get("NOTIFY_WEBHOOK_TIMEOUT_SECONDS", 10)),
            every=timedelta(seconds=float(env.get("NOTIFY_EVERY_SECONDS", 15))),
            max_attempts=int(env.get("NOTIFY_MAX_ATTEMPTS", 6)),
            retry_backoff=timedelta(seconds=float(env.get("NOTIFY_RETRY_BACKOFF_SECONDS", 30))),
            console_url=(env.get("NOTIFY_CONSOLE_URL") or "").rstrip("/") or None,
        )


@dataclass(frozen=True)
class ComplaintsRules:
    # Business time allowed per SLA clock. "48 hours" and "2 days" are read as two working days:
    # 16 business hours with the default eight-hour day.
    sla: SlaTargets = field(default_factory=SlaTargets)
    # The time zone of a dealer's calendar until its service manager sets one.
    timezone: str = "Asia/Shanghai"
    # How often the service looks for clocks that ran out and escalates them.
    escalation_sweep: timedelta = timedelta(minutes=5)
    # How long after closing a complaint may be reopened; after that it is a new complaint.
    reopen_window: timedelta = timedelta(days=30)
    # The complaint classifier, read once at start-up (`complaints/domain/classifier.json`).
    classifier: Classifier = field(default_factory=default_classifier, repr=False, compare=False)
    # Below this confidence in the category the desk is asked to review a complaint; by default
    # the threshold chosen when the classifier was trained (about 7 % of complaints).
    review_below: float | None = None
    # Telling the service manager of escalations and safety complaints by e-mail and group bot.
    notifications: NotificationSettings = field(default_factory=NotificationSettings)

    @property
    def review_threshold(self) -> float:
        return self.classifier.review_below if self.review_below is None else self.review_below

    @classmethod
    def from_settings(cls, settings: Settings) -> ComplaintsRules:
        env = settings.environ
        return cls(
            sla=SlaTargets(
                acknowledge=timedelta(hours=float(env.get("SLA_ACKNOWLEDGE_HOURS", 2))),
                first_response=timedelta(hours=float(env.get("SLA_FIRST_RESPONSE_HOURS", 16))),
                escalation=timedelta(hours=float(env.get("SLA_ESCALATION_HOURS", 16))),
            ),
            timezone=settings.timezone,
            escalation_sweep=timedelta(seconds=float(env.get("ESCALATION_SWEEP_SECONDS", 300))),
            reopen_window=timedelta(days=float(env.get("COMPLAINT_REOPEN_DAYS", 30))),
            review_below=_share(env["COMPLAINTS_REVIEW_BELOW"]) if env.get("COMPLAINTS_REVIEW_BELOW") else None,
            notifications=NotificationSettings.from_environ(env),
        )


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share <= 1:
        raise ValueError(f"COMPLAINTS_REVIEW_BELOW must be between 0 and 1, not {value}")
    return share
