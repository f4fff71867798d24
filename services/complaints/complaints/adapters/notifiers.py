"""Sending a notification out: e-mail over SMTP, and the group bots of WeCom and DingTalk.

Each sender raises `SendFailed` with a line for people when the other side did not take the
message; the delivery job then tries again later.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import httpx

from complaints.config import NotificationSettings, SmtpSettings
from complaints.domain.notifications import ChannelKind, Message, SendFailed, WebhookKind


class EmailSender:
    def __init__(self, settings: SmtpSettings):
        self._settings = settings

    def send(self, target: dict, message: Message) -> None:
        smtp = self._settings
        if not smtp.host:
            raise SendFailed("no mail server configured (NOTIFY_SMTP_HOST)")
        mail = EmailMessage()
        mail["Subject"] = message.title
        mail["From"] = smtp.sender
        mail["To"] = ", ".join(target["recipients"])
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or None)
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as server:
                if smtp.starttls:
                    server.starttls(context=ssl.create_default_context())
                if smtp.user:
                    server.login(smtp.user, smtp.password or "")
                server.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"mail server {smtp.host}:{smtp.port}: {exc!r}") from exc
        # send_message raises when every recipient is refused; one accepted for some is sent
        # (resending would mail those twice).


class WebhookSender:
    """Posts markdown to a group bot. Both bots answer 200 with {"errcode": 0} when they took it;
    anything else (a wrong key, a keyword the bot requires, a rate limit) is a failure."""

    def __init__(self, timeout: float):
        self._timeout = timeout

    def send(self, target: dict, message: Message) -> None:
        body = _bot_body(WebhookKind(target["kind"]), message)
        try:
            response = httpx.post(target["url"], json=body, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise SendFailed(f"webhook: {exc!r}") from exc
        if response.status_code // 100 != 2:
            raise SendFailed(f"webhook answered {response.status_code}: {response.text[:200]}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
            raise SendFailed(f"webhook refused it: errcode {answer.get('errcode')} {answer.get('errmsg', '')}")


def _bot_body(kind: WebhookKind, message: Message) -> dict:
    lines = [f"**{message.title}**", *message.lines]
    if kind is WebhookKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}
    # DingTalk's markdown needs a blank line to break a line; its title is what the chat list shows.
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": "\n\n".join(lines)}}


class Senders:
    """The sender for each channel, built once from the settings."""

    def __init__(self, settings: NotificationSettings):
        self._by_channel = {ChannelKind.EMAIL: EmailSender(settings.smtp),
                            ChannelKind.WEBHOOK: WebhookSender(settings.webhook_timeout)}

    def send(self, channel: ChannelKind, target: dict, message: Message) -> None:
        self._by_channel[ChannelKind(channel)].send(target, message)
