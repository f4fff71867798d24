"""Seeing every process of a running stack (one stack for the module, on the embedded default):

- every metric the Grafana dashboard and the Prometheus alert rules name is served by some
  process's /metrics (the APIs', the relays', the consumers');
- relays and consumers answer their liveness and readiness probes;
- gunicorn's own error and access lines are JSON, the access line with the request id, and one
  event can be followed by that id from the request to the consumer that handled it;
- with OTEL_EXPORTER_OTLP_ENDPOINT set, one trace runs from a quote over the HTTP API, the
  relay's publish and the warranty handler that records the installed part, exported over OTLP
  to a receiver this test runs.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import yaml
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.parser import text_string_to_metric_families

from shared.testing import Infra, wait_until
from tests.backoffice import MAIN, PADS, BackOffice, a_stocked_safety_part, a_vin, register
from tests.conftest import ALL, _free_port
from tools.stack import Stack

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "deploy/grafana/aftersales-dashboard.json"
ALERTS = ROOT / "deploy/prometheus/alerts.yml"
METRIC = re.compile(r"\baftersales_[a-z0-9_]+")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}


class Receiver:
    """An OTLP/HTTP trace receiver: keeps every span it is sent, with its process's service name."""

    def __init__(self):
        self.spans: list[dict] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                receiver.add(ExportTraceServiceRequest.FromString(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, request) -> None:
        for resource_spans in request.resource_spans:
            attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    with self._lock:
                        self.spans.append({
                            "service": attributes.get("service.name"),
                            "name": span.name,
                            "trace_id": span.trace_id.hex(),
                            "span_id": span.span_id.hex(),
                            "parent_id": span.parent_span_id.hex(),
                            "kind": span.kind,
                        })

    def trace(self, trace_id: str) -> list[dict]:
        with self._lock:
            return [span for span in self.spans if span["trace_id"] == trace_id]


@pytest.fixture(scope="module")
def receiver():
    running = Receiver()
    yield running
    running.server.shutdown()


@pytest.fixture(scope="module")
def infra(tmp_path_factory):
    folder = tmp_path_factory.mktemp("observed")

    def sqlite_database(service) -> str:
        url = f"sqlite:///{folder / (service.name + '.db')}"
        service.migrate(url)
        return url

    return Infra(kind="embedded", broker_url="filesystem://", data_dir=folder, namespace=f"t{uuid.uuid4().hex[:10]}",
                 _database_for=sqlite_database)


@pytest.fixture(scope="module")
def stack(infra, receiver):
    environ = infra.environ(*ALL, LOG_LEVEL="INFO", LOG_FORMAT="json",
                            OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url, OTEL_BSP_SCHEDULE_DELAY="100")
    running = Stack(environ, ports={s.name: _free_port() for s in ALL}, web_workers=2, console_port=None)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def office(stack, infra) -> BackOffice:
    return BackOffice(stack, infra)


def workers(stack: Stack) -> list[str]:
    return [f"{service}-{process}" for service in stack.ports for process in ("consumer", "relay")]


def scrape(stack: Stack) -> list:
    urls = [stack.url(service) for service in stack.ports] + [stack.metrics_url(name) for name in workers(stack)]
    families = []
    for url in urls:
        answer = requests.get(f"{url}/metrics", timeout=10)
        assert answer.status_code == 200, url
        families.extend(text_string_to_metric_families(answer.text))
    return families


def metrics_used() -> set[str]:
    """Every aftersales_ metric named in a query of the dashboard or an alert rule."""
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]
    queries += [variable["definition"] for variable in dashboard["templating"]["list"] if "definition" in variable]
    queries += [rule["expr"] for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]
    assert len(queries) > 20
    return {name for query in queries for name in METRIC.findall(query)}


def test_every_metric_the_dashboard_and_the_alerts_use_is_served(stack, office):
    office.post("parts", "/parts", "parts_clerk",
                {"part_number": "90915-YZZD4", "name_zh": "机油滤清器", "name_en": "Oil filter", "category": "engine",
                 "unit": "pcs", "source": "oem", "safety_critical": False, "list_price": "45.00"})
    # A counter with a label the process cannot know beforehand (an event type) shows once used.
    wait_until(lambda: "aftersales_events_published_total{" in requests.get(
        f"{stack.metrics_url('parts-relay')}/metrics", timeout=10).text, timeout=60,
        what="the relay to publish the part's event")
    families = scrape(stack)
    served = sampled(families) | declared(families)
    used = metrics_used()
    assert {"aftersales_outbox_oldest_unpublished_age_seconds", "aftersales_dead_letter_queue_messages",
            "aftersales_job_last_success_timestamp_seconds", "aftersales_process_ready"} <= used
    assert used - served == set()
    # Each series the alerts rely on is there from the start, not only after the first incident.
    for name in ("aftersales_dead_letter_queue_messages", "aftersales_process_ready", "aftersales_inbox_events",
                 "aftersales_job_last_success_timestamp_seconds", "aftersales_events_consumed_total"):
        assert name in sampled(families), name
    escalation = [s for f in families for s in f.samples
                  if s.name == "aftersales_job_last_success_timestamp_seconds" and s.labels["job"] == "escalate-overdue"]
    assert [s.labels["service"] for s in escalation] == ["complaints"]


def sampled(families) -> set[str]:
    return {sample.name for family in families for sample in family.samples}


def declared(families) -> set[str]:
    """Names a family declares (a counter per dead-letter reason has no sample before the first)."""
    return {family.name + suffix for family in families for suffix in SUFFIXES.get(family.type, ("",))}


def test_the_alert_rules_are_well_formed():
    rules = [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]
    names = {rule["alert"] for rule in rules}
    assert {"AftersalesOutboxStuck", "AftersalesDeadLettersWaiting", "AftersalesConsumerDown",
            "AftersalesEscalationSweepNotRun"} <= names
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s")), rule["alert"]


def test_relays_and_consumers_answer_their_probes(stack):
    for name in workers(stack):
        live = requests.get(f"{stack.metrics_url(name)}/health/live", timeout=10)
        assert (live.status_code, live.json()) == (200, {"status": "ok"}), name
        ready = wait_until(lambda: _ready(stack, name), timeout=60, what=f"{name} to be ready")
        assert ready["checks"]["database"] is True
        assert (name.endswith("relay")) == ("relay" in ready["checks"])


def _ready(stack: Stack, name: str) -> dict | None:
    answer = requests.get(f"{stack.metrics_url(name)}/health/ready", timeout=10)
    return answer.json() if answer.status_code == 200 else None


def log_lines(stack: Stack, name: str) -> list[dict]:
    return [json.loads(line) for line in (stack.logs / f"{name}.log").read_text().splitlines() if line.strip()]


def test_one_event_is_followed_by_its_request_id_from_gunicorn_to_the_consumer(stack, office):
    request_id = f"follow-{uuid.uuid4().hex[:12]}"
    office.post("parts", "/parts", "parts_clerk",
                {"part_number": "17801-0Y040", "name_zh": "空气滤清器", "name_en": "Air filter", "category": "engine",
                 "unit": "pcs", "source": "oem", "safety_critical": False, "list_price": "60.00"},
                headers={"X-Request-ID": request_id})

    def handled() -> list[dict]:
        return [line for line in log_lines(stack, "warranty-consumer")
                if line.get("event") == "consumer.event_handled" and line.get("correlation_id") == request_id]

    [line] = wait_until(handled, timeout=60, what="warranty to handle the part's event")
    assert (line["level"], line["event_type"], line["handler"], line["outcome"]) == (
        "info", "parts.part.created", "warranty.learn_catalog_part", "applied")
    assert isinstance(line["duration_ms"], float)
    published = [event for event in office.events_of("parts", "parts.part.created")
                 if event["correlationid"] == request_id]
    assert [event["id"] for event in published] == [line["event_id"]]

    # Every line gunicorn wrote parses as JSON (log_lines fails on one that does not).
    lines = log_lines(stack, "parts-web")
    assert any(entry["logger"] == "gunicorn.error" and "Booting worker" in entry["event"] for entry in lines)
    [access] = [entry for entry in lines if entry["event"] == "gunicorn.access" and entry.get("request_id") == request_id]
    assert (access["method"], access["path"], access["status"], access["service"]) == ("POST", "/api/v1/parts", 201,
                                                                                       "parts")
    assert isinstance(access["duration_ms"], float)


def test_one_trace_runs_from_a_quote_to_the_handler_that_records_the_installed_part(stack, office, receiver):
    a_stocked_safety_part(office)
    vin = a_vin("314159")
    register(office, vin, "Camry")
    wait_until(lambda: office.find("warranty", f"/catalog/{PADS}", "warranty_clerk"), timeout=60,
               what="warranty to learn the part")
    trace_id = uuid.uuid4().hex
    traceparent = {"traceparent": f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"}  # the console's, say
    office.post("parts", "/availability", "service_advisor",
                {"location": MAIN, "lines": [{"part_number": PADS, "quantity": "1"}]}, expect=200,
                headers=traceparent)
    slip = office.post("parts", "/issues", "parts_clerk",
                       {"repair_order": "RO-TRACE-1", "vin": vin, "technician": "Zhang Wei",
                        "lines": [{"part_number": PADS, "quantity": "1", "location": MAIN}]}, headers=traceparent)
    assert slip["vin"] == vin

    def spans_of(name: str) -> list[dict]:
        return [span for span in receiver.trace(trace_id) if span["name"] == name]

    # Each process exports its spans in its own batches, in no particular order (the relay and the
    # consumer can be done before the web worker's batch leaves): wait for every span we look at.
    [handled] = wait_until(lambda: spans_of("handle warranty.record_installed_part"), timeout=60,
                           what="the handler's span in the quote's trace")
    wait_until(lambda: spans_of("publish parts.stock.issued"), timeout=30, what="the relay's publish span")
    for request in ("POST /api/v1/availability", "POST /api/v1/issues"):
        wait_until(lambda name=request: spans_of(name), timeout=30, what=f"the web worker's span of {request}")
    spans = receiver.trace(trace_id)
    by_id = {span["span_id"]: span for span in spans}
    names = {(span["service"], span["name"]) for span in spans}
    assert {("parts", "POST /api/v1/availability"), ("parts", "POST /api/v1/issues"),
            ("parts", "publish parts.stock.issued"), ("warranty", "handle warranty.record_installed_part")} <= names
    publish = by_id[handled["parent_id"]]
    assert (publish["service"], publish["name"]) == ("parts", "publish parts.stock.issued")
    request = by_id[publish["parent_id"]]
    assert (request["service"], request["name"]) == ("parts", "POST /api/v1/issues")
    installed = office.get("warranty", f"/vehicles/{vin}/installed-parts", "warranty_clerk")["items"]
    assert [part["issue"] for part in installed] == [slip["number"]]


def test_tracing_is_off_unless_an_otlp_endpoint_is_set(tmp_path):
    """Without OTEL_EXPORTER_OTLP_ENDPOINT no SDK is loaded and no event carries a trace context."""
    script = (
        "import sys\n"
        "from parts.app import PARTS\n"
        "from shared import tracing\n"
        "PARTS.create_app()\n"
        "print(tracing.enabled(), tracing.current_traceparent(), 'opentelemetry.sdk.trace' in sys.modules)\n"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**environ, "AFTERSALES_DATA_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "None", "False"]


def test_a_relay_that_cannot_reach_its_database_is_live_but_not_ready(tmp_path):
    """Waiting out an outage is not stuck (live, so not restarted) but not ready either."""
    port = _free_port()
    environ = {**os.environ, "AFTERSALES_DATA_DIR": str(tmp_path), "METRICS_PORT": f"127.0.0.1:{port}",
               "PARTS_DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:1/parts", "LOG_LEVEL": "INFO"}
    environ.pop("BROKER_URL", None)
    with open(tmp_path / "relay.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "parts", "relay"], cwd=ROOT, env=environ,
                                   stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        def not_ready() -> dict | None:
            try:
                answer = requests.get(f"{base}/health/ready", timeout=5)
            except requests.ConnectionError:
                return None  # not listening yet
            return answer.json() if answer.status_code == 503 else None

        problem = wait_until(not_ready, timeout=60, what="the relay to say it is not ready")
        assert (problem["code"], problem["checks"]) == ("not_ready", {"relay": False, "database": False})
        wait_until(lambda: "relay.database_unavailable" in (tmp_path / "relay.log").read_text(), timeout=30,
                   what="the relay to meet the outage")
        assert requests.get(f"{base}/health/live", timeout=5).status_code == 200
        metrics = requests.get(f"{base}/metrics", timeout=5).text
        assert 'aftersales_process_ready{part="database",process="relay",service="parts"} 0.0' in metrics
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, (tmp_path / "relay.log").read_text()
