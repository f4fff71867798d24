"""Metrics and health probes for the processes that are not web servers: the relay and the
consumer (with its scheduled jobs).

With `METRICS_PORT` set (`9100`, or `127.0.0.1:9100`) such a process serves, on a small HTTP
server thread of its own:

    /metrics        Prometheus text: what the process did (events published and their confirm
                    time, events consumed per handler and outcome, retries, dead letters, job
                    runs), and what it sees at scrape time (outbox backlog, inbox size,
                    dead-letter queue depth), plus its readiness and heartbeats
    /health/live    200 while every loop of the process made progress recently; 503 when one
                    is stuck, so the kubelet restarts the process
    /health/ready   200 while it is connected to the broker and the database; 503 otherwise

Without it nothing listens and the counters are only kept in memory. Each process has its own
registry: one relay or consumer is one process, so no multiprocess files are needed. (The image
sets PROMETHEUS_MULTIPROC_DIR for gunicorn; prometheus_client then keeps these values in files
there too, which is harmless, so the folder is made if missing.)
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import structlog
from amqp.exceptions import NotFound
from kombu.exceptions import ChannelError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from shared.db import ALL_DEALERS
from shared.events import broker
from shared.events.tables import inbox

log = structlog.get_logger(__name__)

ROUTES = ("/metrics", "/health/live", "/health/ready")
# A loop that has not come round for this long is stuck. The slowest honest loop is a consumer
# waiting out its retry backoff (seconds) or a publish waiting for its confirm (10 s).
STALE_AFTER_SECONDS = 60.0
# Outcomes of one message, as counted and logged.
OUTCOMES = ("applied", "duplicate", "dead_lettered", "requeued")
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Health:
    """Heartbeats and readiness of a process's parts (the relay loop, each handler's consumer).

    Live: every part beat within `stale_after`. Ready: every part says it is connected and
    every check (a database ping) passes.
    """

    def __init__(self, stale_after: float = STALE_AFTER_SECONDS, clock: Callable[[], float] = time.monotonic):
        self._stale_after = stale_after
        self._clock = clock
        self._lock = threading.Lock()
        self._beats: dict[str, float] = {}
        self._ready: dict[str, bool] = {}
        self._checks: dict[str, Callable[[], None]] = {}

    def expect(self, part: str) -> None:
        with self._lock:
            self._beats[part] = self._clock()
            self._ready[part] = False

    def beat(self, part: str) -> None:
        self._beats[part] = self._clock()

    def set_ready(self, part: str, ready: bool) -> None:
        self._ready[part] = ready

    def check(self, name: str, probe: Callable[[], None]) -> None:
        """`probe` raises when `name` is unreachable."""
        self._checks[name] = probe

    def ages(self) -> dict[str, float]:
        now = self._clock()
        with self._lock:
            return {part: now - beat for part, beat in self._beats.items()}

    def stuck(self) -> dict[str, float]:
        return {part: age for part, age in self.ages().items() if age > self._stale_after}

    def readiness(self) -> dict[str, bool]:
        with self._lock:
            found = dict(self._ready)
        for name, probe in self._checks.items():
            try:
                probe()
                found[name] = True
            except Exception as exc:
                log.warning("health.check_failed", check=name, error=str(exc).splitlines()[0] if str(exc) else repr(exc))
                found[name] = False
        return found


class ProcessMonitor:
    """The metrics and health of one relay or consumer process."""

    def __init__(self, service: str, process: str, health: Health | None = None):
        self.service = service
        self.process = process
        self.health = health or Health()
        self.registry = CollectorRegistry()
        self._server: ThreadingHTTPServer | None = None
        if folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            os.makedirs(folder, exist_ok=True)
        labels = ["service"]
        self.published = Counter("aftersales_events_published_total", "Events the broker confirmed, by type",
                                 [*labels, "type"], registry=self.registry)
        self.confirm_latency = Histogram(
            "aftersales_event_publish_confirm_seconds", "Time from publishing an event to the broker's confirm",
            labels, buckets=_SECONDS, registry=self.registry)
        self.consumed = Counter("aftersales_events_consumed_total", "Messages a handler took, by outcome",
                                [*labels, "handler", "outcome"], registry=self.registry)
        self.handling = Histogram("aftersales_event_handling_seconds", "Time to handle one message",
                                  [*labels, "handler"], buckets=_SECONDS, registry=self.registry)
        self.retries = Counter("aftersales_event_retries_total", "Handler failures retried",
                               [*labels, "handler"], registry=self.registry)
        self.dead_lettered = Counter("aftersales_events_dead_lettered_total",
                                     "Messages sent to a dead-letter queue, by reason",
                                     [*labels, "handler", "reason"], registry=self.registry)
        self.job_runs = Counter("aftersales_job_runs_total", "Rounds of a scheduled job",
                                [*labels, "job"], registry=self.registry)
        self.job_failures = Counter("aftersales_job_failures_total", "Rounds of a scheduled job that raised",
                                    [*labels, "job"], registry=self.registry)
        self.job_duration = Histogram("aftersales_job_duration_seconds", "Time a round of a scheduled job took",
                                      [*labels, "job"], buckets=_SECONDS, registry=self.registry)
        self.job_last_success = Gauge(
            "aftersales_job_last_success_timestamp_seconds",
            "When a scheduled job last finished a round without error (the process start until then)",
            [*labels, "job"], registry=self.registry)
        self.registry.register(_HealthCollector(self))

    def watch(self, collector) -> None:
        """Add a collector that reads the database or the broker at scrape time. When it cannot,
        the scrape still shows everything else (readiness says what is unreachable)."""
        self.registry.register(_Tolerant(collector))

    # ------------------------------------------------------------------ what the loops report

    def expect_relay(self) -> None:
        self.health.expect("relay")
        self.confirm_latency.labels(self.service)

    def published_one(self, event_type: str, seconds: float) -> None:
        self.published.labels(self.service, event_type).inc()
        self.confirm_latency.labels(self.service).observe(seconds)

    def expect_handler(self, handler: str) -> None:
        """Start every series of a handler at zero, so rates and alerts see it from the start."""
        self.health.expect(handler)
        for outcome in OUTCOMES:
            self.consumed.labels(self.service, handler, outcome)
        self.retries.labels(self.service, handler)
        self.handling.labels(self.service, handler)

    def handled(self, handler: str, outcome: str, seconds: float, dead_letter_reason: str | None = None) -> None:
        self.consumed.labels(self.service, handler, outcome).inc()
        self.handling.labels(self.service, handler).observe(seconds)
        if outcome == "dead_lettered":
            self.dead_lettered.labels(self.service, handler, dead_letter_reason or "unknown").inc()

    def retried(self, handler: str) -> None:
        self.retries.labels(self.service, handler).inc()

    def expect_job(self, job: str) -> None:
        self.job_runs.labels(self.service, job)
        self.job_failures.labels(self.service, job)
        self.job_duration.labels(self.service, job)
        self.job_last_success.labels(self.service, job).set(time.time())

    def job_ran(self, job: str, seconds: float, ok: bool) -> None:
        self.job_runs.labels(self.service, job).inc()
        self.job_duration.labels(self.service, job).observe(seconds)
        if ok:
            self.job_last_success.labels(self.service, job).set(time.time())
        else:
            self.job_failures.labels(self.service, job).inc()

    # ------------------------------------------------------------------ serving

    def serve(self, address: str) -> tuple[str, int]:
        """Serve /metrics and /health/* on `address` ("PORT" or "HOST:PORT") in a thread."""
        host, _, port = address.rpartition(":")
        server = ThreadingHTTPServer((host or "0.0.0.0", int(port)), _handler_for(self))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name="monitoring", daemon=True).start()
        self._server = server
        bound = server.server_address[:2]
        log.info("monitoring.serving", address=f"{bound[0]}:{bound[1]}", routes=list(ROUTES))
        return bound

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _Tolerant:
    def __init__(self, collector):
        self._collector = collector

    def collect(self):
        try:
            return list(self._collector.collect())
        except Exception as exc:
            log.warning("monitoring.collect_failed", collector=type(self._collector).__name__,
                        error=str(exc).splitlines()[0] if str(exc) else repr(exc))
            return []


class _HealthCollector:
    def __init__(self, monitor: ProcessMonitor):
        self._monitor = monitor

    def collect(self):
        labels = ["service", "process", "part"]
        ready = GaugeMetricFamily("aftersales_process_ready",
                                  "1 while a part of the process (a handler's consumer, the relay) is connected",
                                  labels=labels)
        age = GaugeMetricFamily("aftersales_process_heartbeat_age_seconds",
                                "Seconds since a loop of the process last came round", labels=labels)
        monitor = self._monitor
        for part, value in monitor.health.readiness().items():
            ready.add_metric([monitor.service, monitor.process, part], 1.0 if value else 0.0)
        for part, seconds in monitor.health.ages().items():
            age.add_metric([monitor.service, monitor.process, part], seconds)
        return [ready, age]


class InboxCollector:
    """Events each handler has applied (the inbox keeps one row per handler and event)."""

    def __init__(self, service: str, database, handlers: Iterable[str] = ()):
        self._service = service
        self._database = database
        self._handlers = tuple(handlers)

    def collect(self):
        family = GaugeMetricFamily("aftersales_inbox_events", "Events a handler has applied, kept to skip duplicates",
                                   labels=["service", "handler"])
        with self._database.reading(ALL_DEALERS) as session:
            rows = session.execute(select(inbox.c.handler, func.count()).group_by(inbox.c.handler)).all()
        counts = {handler: 0 for handler in self._handlers} | dict(rows)
        for handler, count in counts.items():
            family.add_metric([self._service, handler], count)
        return [family]


class DeadLetterQueueCollector:
    """Messages waiting in each handler's dead-letter queue, asked of the broker at scrape time."""

    def __init__(self, settings, handlers: Iterable[str]):
        self._settings = settings
        self._handlers = tuple(handlers)

    def collect(self):
        family = GaugeMetricFamily("aftersales_dead_letter_queue_messages",
                                   "Messages waiting in a handler's dead-letter queue",
                                   labels=["service", "handler"])
        for handler, depth in dead_letter_depths(self._settings, self._handlers).items():
            family.add_metric([self._settings.service, handler], depth)
        return [family]


def dead_letter_depths(settings, handlers: Iterable[str]) -> dict[str, int]:
    """handler -> messages in its dead-letter queue (0 when the queue was never made: looking
    must not create it)."""
    topology = broker.Topology(settings)
    found = {}
    with broker.connect(settings) as connection:
        connection.ensure_connection(max_retries=1, timeout=5)
        for handler in handlers:
            channel = connection.channel()  # a refused passive declare closes the channel
            try:
                declared = topology.dead_letter_queue(handler)(channel).queue_declare(passive=True)
                found[handler] = declared.message_count
            except (NotFound, ChannelError):
                found[handler] = 0
            finally:
                try:
                    channel.close()
                except Exception:
                    pass
    return found


def _handler_for(monitor: ProcessMonitor) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, CONTENT_TYPE_LATEST, generate_latest(monitor.registry))
            elif path == "/health/live":
                stuck = monitor.health.stuck()
                if stuck:
                    log.error("health.stuck", parts={p: round(a, 1) for p, a in stuck.items()})
                    self._problem("a loop of the process has not come round", "stuck",
                                  {"stuck_seconds": {p: round(a, 1) for p, a in stuck.items()}})
                else:
                    self._json(200, {"status": "ok"})
            elif path == "/health/ready":
                checks = monitor.health.readiness()
                if all(checks.values()):
                    self._json(200, {"status": "ok", "checks": checks})
                else:
                    self._problem("not connected to the broker or the database", "not_ready", {"checks": checks})
            else:
                self._json(404, {"status": 404, "title": "Not Found"}, "application/problem+json")

        def _json(self, status: int, body: dict, content_type: str = "application/json") -> None:
            self._send(status, content_type, json.dumps(body).encode())

        def _problem(self, detail: str, code: str, extra: dict) -> None:
            body = {"type": "about:blank", "title": "Service Unavailable", "status": 503, "detail": detail,
                    "code": code, **extra}
            self._json(503, body, "application/problem+json")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 - probes every few seconds would flood the log
            pass

    return Handler
