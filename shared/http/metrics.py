"""Prometheus metrics at `/metrics`, correct with several gunicorn workers.

Each app owns its registry. Under gunicorn the config sets PROMETHEUS_MULTIPROC_DIR before
anything imports prometheus_client; every worker then writes its samples to files there and a
scrape, whichever worker answers it, adds up all workers (and forgets dead ones, see
`deploy/gunicorn.conf.py`). The outbox backlog is read from the database at scrape time.
"""

from __future__ import annotations

import time
from flask import Blueprint, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from shared.db import ALL_DEALERS
from shared.events.outbox import backlog


class HttpMetrics:
    def __init__(self, service: str, database, clock, multiprocess_dir: str | None):
        self._service = service
        self._multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        self._outbox = OutboxCollector(service, database, clock)
        self.requests = Counter(
            "aftersales_http_requests_total",
            "HTTP requests answered, by route template and status",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "aftersales_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["service", "method", "route"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        if not multiprocess_dir:
            self.registry.register(self._outbox)

    def start(self) -> None:
        g.request_started = time.perf_counter()

    def observe(self, response: Response) -> float | None:
        """Count the answered request; return how long it took, in seconds."""
        started = g.get("request_started")
        if started is None:
            return None
        duration = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule else "unmatched"
        self.requests.labels(self._service, request.method, route, str(response.status_code)).inc()
        self.latency.labels(self._service, request.method, route).observe(duration)
        return duration

    def exposition(self) -> Response:
        if self._multiprocess_dir:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=self._multiprocess_dir)
            registry.register(self._outbox)
        else:
            registry = self.registry
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    def blueprint(self) -> Blueprint:
        metrics = Blueprint("metrics", __name__)
        metrics.add_url_rule("/metrics", "metrics", self.exposition)
        return metrics


class OutboxCollector:
    """Events waiting for the relay, and how long the oldest has waited."""

    def __init__(self, service: str, database, clock):
        self._service = service
        self._database = database
        self._clock = clock

    def collect(self):
        with self._database.reading(ALL_DEALERS) as session:
            pending = backlog(session)
        age = pending.oldest_age_seconds(self._clock())
        unpublished = GaugeMetricFamily(
            "aftersales_outbox_unpublished_events", "Events committed but not yet confirmed by the broker",
            labels=["service"],
        )
        unpublished.add_metric([self._service], pending.unpublished)
        oldest_age = GaugeMetricFamily(
            "aftersales_outbox_oldest_unpublished_age_seconds",
            "Age of the oldest event the relay has not published yet (0 when none)",
            labels=["service"],
        )
        oldest_age.add_metric([self._service], age)
        return [unpublished, oldest_age]
