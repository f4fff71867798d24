"""The service manager hears at once of an escalation or a safety complaint: in the console, by
e-mail (a real SMTP server, aiosmtpd) and through a group bot (a real HTTP receiver), once per
happening, retried when the other side is down, and never at the cost of the complaint itself."""

from __future__ import annotations

import json
import socket
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from shared.auth import Caller, mint
from shared.db import ALL_DEALERS, Database
from shared.events.consumer import run as consume
from shared.events.relay import Relay
from shared.testing import apply_event, in_background, wait_until
from shared.fakes import Clock

from complaints.app import deliver_notifications
from complaints.domain.notifications import Delivery
from complaints.handlers import own_events
from complaints.service import intake
from complaints.service.clocks import escalate_overdue

FRIDAY_4PM = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)
NEXT_WEEK = datetime(2026, 12, 14, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(timezone.utc)
MANAGER = ["service_manager"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the SMTP server received: aiosmtpd calls handle_DATA once per accepted message."""

    def __init__(self):
        self.messages: list[tuple[list[str], object]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


class WebhookReceiver:
    """A group bot's endpoint on this machine: records each POST's JSON, answers as WeCom does."""

    def __init__(self):
        self.port = _free_port()
        self.posts: list[dict] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key=test-key"

    def start(self) -> None:
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def webhook():
    receiver = WebhookReceiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def settings(infra, service, mailbox):
    return infra.settings(service, NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=str(mailbox.port),
                          NOTIFY_SMTP_STARTTLS="off", NOTIFY_SMTP_FROM="aftersales@dealer.example",
                          NOTIFY_CONSOLE_URL="https://console.dealer.example/")


@pytest.fixture
def clock():
    return Clock(FRIDAY_4PM)


@pytest.fixture
def units(service, settings, clock):
    units = service.units_of_work(settings, clock)
    yield units
    units.database.dispose()


@pytest.fixture
def client(service, settings, clock):
    return service.create_app(settings, clock=clock).test_client()


def configure(client, token, webhook_url: str, kind: str = "wecom"):
    response = client.put("/api/v1/notification-channels", headers={**token(MANAGER), "If-Match": '"0"'}, json={
        "email_recipients": ["manager@dealer.example", "deputy@dealer.example"],
        "webhook_url": webhook_url, "webhook_kind": kind})
    assert response.status_code == 200, response.get_json()
    return response


def receive(units, text: str, dealer: str = "D001"):
    agent = Caller(sub="agent-zhao", dealer=dealer, roles=frozenset({"complaints_agent"}))
    return intake.receive(units(dealer=dealer, actor=agent.sub, correlation_id="intake"), agent, channel="phone",
                          text=text).complaint


def events_of(client, token, type_: str) -> list[bytes]:
    items = client.get("/api/v1/events?limit=200", headers=token(["integration"])).get_json()["items"]
    return [json.dumps(item["event"]).encode() for item in items if item["event"]["type"] == type_]


def deliveries(units) -> list[Delivery]:
    with units.database.reading(ALL_DEALERS) as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def test_an_escalation_reaches_the_manager_once_by_mail_and_group_bot_through_the_broker(
        infra, service, settings, units, clock, client, token, mailbox, webhook):
    configure(client, token, webhook.url)
    complaint = receive(units, "保养后发动机异响，联系我 13812345678")
    clock.now = NEXT_WEEK
    assert escalate_overdue(units) == 3

    infra.remember(settings, own_events.handlers)
    ready = []
    database = Database(settings.database_url)
    try:
        with in_background(lambda stop: consume(settings, units, [own_events.handlers], stop,
                                                lambda: ready.append(True)), "complaints-consumer"):
            wait_until(lambda: ready, what="the consumer to bind its queues")
            with in_background(Relay(settings, database).run, "complaints-relay"):
                page = wait_until(lambda: _listed(client, token), timeout=60, what="the escalation's notification")
    finally:
        database.dispose()

    [notification] = page["items"]
    assert page["unread"] == 1
    assert notification["kind"] == "escalated" and notification["complaint_id"] == complaint.id
    assert notification["clocks"] == ["acknowledge", "first_response", "escalation"]
    assert "13812345678" not in notification["summary"]  # mailboxes and chats get no phone numbers
    assert {d["channel"]: d["status"] for d in notification["deliveries"]} == {"email": "pending", "webhook": "pending"}

    assert deliver_notifications(units) == 2
    assert deliver_notifications(units) == 0  # and the next round sends nothing again

    [(recipients, mail)] = mailbox.messages
    assert recipients == ["manager@dealer.example", "deputy@dealer.example"]
    assert mail["Subject"] == f"投诉升级：{complaint.number} 时效超时"
    assert mail["From"] == "aftersales@dealer.example"
    body = mail.get_content()
    assert "受理确认、首次答复、升级时限超时" in body
    assert f"https://console.dealer.example/complaints/{complaint.id}" in body
    assert "13812345678" not in body

    [post] = webhook.posts
    assert post["msgtype"] == "markdown" and set(post["markdown"]) == {"content"}
    assert post["markdown"]["content"].startswith(f"**投诉升级：{complaint.number} 时效超时**\n")
    shown = client.get("/api/v1/notifications", headers=token(MANAGER)).get_json()["items"][0]
    assert {d["channel"]: (d["status"], d["attempts"]) for d in shown["deliveries"]} == {
        "email": ("sent", 1), "webhook": ("sent", 1)}


def _listed(client, token) -> dict | None:
    page = client.get("/api/v1/notifications", headers=token(MANAGER)).get_json()
    return page if page["items"] else None


def test_the_same_escalation_told_twice_is_sent_once(units, clock, client, token, settings, mailbox, webhook):
    configure(client, token, webhook.url, kind="dingtalk")
    complaint = receive(units, "保养后异响")
    clock.now = NEXT_WEEK
    escalate_overdue(units)
    [escalated] = events_of(client, token, "complaints.complaint.escalated")

    assert apply_event(settings, units, own_events.handlers, escalated).applied
    assert not apply_event(settings, units, own_events.handlers, escalated).applied  # the inbox: same event id
    # The same escalation under another event id (a republished outbox row, a replayed dead letter)
    again = json.loads(escalated)
    again["id"] = "another-delivery-of-the-same-escalation"
    assert apply_event(settings, units, own_events.handlers, json.dumps(again).encode()).applied
    assert deliver_notifications(units) == 2
    assert deliver_notifications(units) == 0

    assert len(mailbox.messages) == 1 and len(webhook.posts) == 1
    [post] = webhook.posts
    assert post["msgtype"] == "markdown"
    assert post["markdown"]["title"] == f"投诉升级：{complaint.number} 时效超时"
    assert "\n\n受理确认" not in post["markdown"]["text"] and "受理确认、首次答复、升级时限超时" in post["markdown"]["text"]
    assert client.get("/api/v1/notifications", headers=token(MANAGER)).get_json()["unread"] == 1


def test_a_bot_that_is_down_is_tried_again_later_and_gets_it_once(units, clock, client, token, settings, mailbox):
    bot = WebhookReceiver()  # not started: nothing listens on its port
    configure(client, token, bot.url)
    receive(units, "行驶中刹车失灵，差点追尾")
    [classified] = events_of(client, token, "complaints.complaint.classified")
    assert apply_event(settings, units, own_events.handlers, classified).applied

    assert deliver_notifications(units) == 1  # the e-mail; the bot refused the connection
    [email, hook] = deliveries(units)
    assert (email.status.value, hook.status.value, hook.attempts) == ("sent", "pending", 1)
    assert "webhook" in hook.last_error and hook.next_attempt_at > clock.now

    bot.start()
    try:
        assert deliver_notifications(units) == 0  # not due yet: it waits out its backoff
        assert bot.posts == []
        clock.now += timedelta(minutes=5)
        assert deliver_notifications(units) == 1
        assert deliver_notifications(units) == 0
    finally:
        bot.stop()
    [post] = bot.posts
    assert post["markdown"]["content"].startswith("**安全类投诉：")
    [_email, hook] = deliveries(units)
    assert (hook.status.value, hook.attempts, hook.last_error) == ("sent", 2, None)
    assert len(mailbox.messages) == 1


def test_after_the_last_attempt_a_delivery_is_left_failed_for_people_to_see(service, infra, clock, client, token):
    settings = infra.settings(service, NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=str(_free_port()),
                              NOTIFY_SMTP_STARTTLS="off", NOTIFY_MAX_ATTEMPTS="2")
    units = service.units_of_work(settings, clock)
    try:
        client.put("/api/v1/notification-channels", headers={**token(MANAGER), "If-Match": '"0"'},
                   json={"email_recipients": ["manager@dealer.example"]})
        receive(units, "车辆起火，发动机舱冒烟")
        [classified] = events_of(client, token, "complaints.complaint.classified")
        assert apply_event(settings, units, own_events.handlers, classified).applied
        assert deliver_notifications(units) == 0
        clock.now += timedelta(hours=1)
        assert deliver_notifications(units) == 0
        clock.now += timedelta(hours=1)
        assert deliver_notifications(units) == 0  # nothing left to try
    finally:
        units.database.dispose()
    [shown] = client.get("/api/v1/notifications", headers=token(MANAGER)).get_json()["items"][0]["deliveries"]
    assert (shown["channel"], shown["status"], shown["attempts"]) == ("email", "failed", 2)
    assert "mail server 127.0.0.1" in shown["last_error"]


def test_a_complaint_is_recorded_while_the_mail_server_is_down(service, infra, clock, token):
    settings = infra.settings(service, NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=str(_free_port()),
                              NOTIFY_SMTP_STARTTLS="off")
    client = service.create_app(settings, clock=clock).test_client()
    client.put("/api/v1/notification-channels", headers={**token(MANAGER), "If-Match": '"0"'},
               json={"email_recipients": ["manager@dealer.example"]})
    created = client.post("/api/v1/complaints", headers=token(["complaints_agent"]),
                          json={"channel": "phone", "text": "高速上刹车失灵，差点出事故"})
    assert created.status_code == 201, created.get_json()
    units = service.units_of_work(settings, clock)
    try:
        [classified] = events_of(client, token, "complaints.complaint.classified")
        assert apply_event(settings, units, own_events.handlers, classified).applied
        assert deliver_notifications(units) == 0
    finally:
        units.database.dispose()
    shown = client.get(f"/api/v1/complaints/{created.get_json()['id']}", headers=token(["complaints_agent"]))
    assert shown.status_code == 200 and shown.get_json()["severity"] == "critical"
    [notification] = client.get("/api/v1/notifications", headers=token(MANAGER)).get_json()["items"]
    assert notification["kind"] == "critical"
    assert notification["deliveries"][0]["status"] == "pending" and notification["deliveries"][0]["attempts"] == 1


def test_a_complaint_that_is_not_critical_tells_nobody_until_it_escalates(units, client, token, settings):
    receive(units, "保养后异响")
    [normal] = events_of(client, token, "complaints.complaint.classified")
    assert apply_event(settings, units, own_events.handlers, normal).applied
    assert client.get("/api/v1/notifications", headers=token(MANAGER)).get_json() == {
        "items": [], "next_cursor": None, "unread": 0}


def test_the_manager_reads_one_or_all(units, client, token, settings):
    for text in ("刹车失灵", "方向盘突然失灵", "车辆起火"):
        receive(units, text)
    for classified in events_of(client, token, "complaints.complaint.classified"):
        assert apply_event(settings, units, own_events.handlers, classified).applied
    page = client.get("/api/v1/notifications?limit=2", headers=token(MANAGER)).get_json()
    assert page["unread"] == 3 and len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get(f"/api/v1/notifications?limit=2&cursor={page['next_cursor']}",
                      headers=token(MANAGER)).get_json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert page["items"][0]["deliveries"] == []  # no channels configured: the console only

    first = page["items"][0]["id"]
    read = client.post(f"/api/v1/notifications/{first}/read", headers=token(MANAGER, sub="manager-wang"))
    assert read.status_code == 200 and read.get_json()["read_by"] == "manager-wang"
    again = client.post(f"/api/v1/notifications/{first}/read", headers=token(MANAGER, sub="manager-li"))
    assert again.get_json()["read_by"] == "manager-wang"
    unread = client.get("/api/v1/notifications?unread=true", headers=token(MANAGER)).get_json()
    assert unread["unread"] == 2 and first not in {n["id"] for n in unread["items"]}

    assert client.post("/api/v1/notifications/read-all", headers=token(MANAGER)).get_json() == {
        "marked": 2, "unread": 0}
    # another dealer's manager sees none of them, and cannot read them
    assert client.get("/api/v1/notifications", headers=token(MANAGER, dealer="D002")).get_json()["items"] == []
    other = client.post(f"/api/v1/notifications/{first}/read", headers=token(MANAGER, dealer="D002"))
    assert other.status_code == 404 and other.get_json()["code"] == "notification_not_found"
    # an agent is not the service manager
    assert client.get("/api/v1/notifications", headers=token(["complaints_agent"])).status_code == 403


@pytest.mark.parametrize("body, field", [
    ({"email_recipients": ["not-an-address"]}, "email_recipients"),
    ({"webhook_url": "ftp://bots.example/send", "webhook_kind": "wecom"}, "webhook_url"),
    ({"webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=x"}, "webhook_kind"),
    ({"webhook_url": "https://qyapi.weixin.qq.com/x", "webhook_kind": "slack"}, "webhook_kind"),
])
def test_channels_are_validated_and_nothing_is_half_applied(client, token, body, field):
    refused = client.put("/api/v1/notification-channels", headers={**token(MANAGER), "If-Match": '"0"'}, json=body)
    assert refused.status_code in (400, 422), refused.get_json()
    problem = refused.get_json()
    assert field in json.dumps(problem), problem
    shown = client.get("/api/v1/notification-channels", headers=token(MANAGER))
    assert shown.get_json()["version"] == 0 and shown.get_json()["email_recipients"] == []


def test_channels_change_only_against_the_version_read(client, token):
    assert client.put("/api/v1/notification-channels", headers=token(MANAGER),
                      json={"email_recipients": []}).status_code == 428
    first = configure(client, token, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")
    assert first.headers["ETag"] == '"1"'
    stale = client.put("/api/v1/notification-channels", headers={**token(MANAGER), "If-Match": '"0"'},
                       json={"email_recipients": []})
    assert stale.status_code == 412
    cleared = client.put("/api/v1/notification-channels", headers={**token(MANAGER), "If-Match": '"1"'},
                         json={"email_recipients": [" manager@dealer.example ", "MANAGER@dealer.example"]})
    assert cleared.get_json()["email_recipients"] == ["manager@dealer.example"]
    assert cleared.get_json()["webhook_url"] is None and cleared.headers["ETag"] == '"2"'


def test_two_delivery_jobs_at_once_send_each_notification_once(real_infra, service, mailbox, webhook):
    """Row locks are the point: PostgreSQL, two jobs racing over the same pending deliveries."""
    settings = real_infra.settings(service, NOTIFY_SMTP_HOST="127.0.0.1", NOTIFY_SMTP_PORT=str(mailbox.port),
                                   NOTIFY_SMTP_STARTTLS="off")

    def token(roles, dealer="D001", sub="tester"):
        return {"Authorization": "Bearer " + mint(settings.jwt_secret, sub, dealer, roles)}
    clock = Clock(FRIDAY_4PM)
    client = service.create_app(settings, clock=clock).test_client()
    units = service.units_of_work(settings, clock)
    try:
        configure(client, token, webhook.url)
        for n in range(8):
            receive(units, f"第{n}位客户：刹车失灵")
        for classified in events_of(client, token, "complaints.complaint.classified"):
            assert apply_event(settings, units, own_events.handlers, classified).applied

        start = threading.Barrier(2)
        sent: list[int] = []
        failures: list[BaseException] = []

        def job() -> None:
            try:
                start.wait(timeout=10)
                sent.append(deliver_notifications(units))
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

        jobs = [threading.Thread(target=job) for _ in range(2)]
        for thread in jobs:
            thread.start()
        for thread in jobs:
            thread.join(timeout=120)
        assert failures == []
        assert sum(sent) == 16
        assert deliver_notifications(units) == 0
        assert {d.status.value for d in deliveries(units)} == {"sent"}
    finally:
        units.database.dispose()
    assert len(mailbox.messages) == 8 and len(webhook.posts) == 8
    assert len({post["markdown"]["content"] for post in webhook.posts}) == 8
