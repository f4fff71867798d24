"""OpenTelemetry tracing across HTTP and events: off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.

Off (the default), nothing of the SDK is loaded or set up, and every function here returns at
once. On, each process exports its spans over OTLP/HTTP to that endpoint (the SDK reads the
standard OTEL_* variables: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_*, ...), and
one trace follows a piece of work through the system:

    HTTP request (server span; continues a client's `traceparent` header)
      -> the events it commits carry the request's context in the CloudEvent's `traceparent`
         extension attribute (the CloudEvents distributed tracing extension), kept in the outbox
      -> the relay's publish span, child of that context, sent on in the AMQP header
         `cloudEvents_traceparent`
      -> each handler's consumer span, child of the publish span; events the handler commits
         carry its context on, and so on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"
_enabled = False
_tracer: Any = None
_propagator: Any = None


def enabled() -> bool:
    return _enabled


def configure(service: str, environ: Mapping[str, str] | None = None) -> bool:
    """Set up the tracer provider and its OTLP exporter once per process, if configured."""
    global _enabled, _tracer, _propagator
    env = os.environ if environ is None else environ
    if _enabled or not env.get(ENDPOINT):
        return _enabled
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: env.get("OTEL_SERVICE_NAME", service)}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _tracer = trace.get_tracer("aftersales")
    _propagator = TraceContextTextMapPropagator()
    _enabled = True
    return True


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the span in progress, for an event about to be committed."""
    if not _enabled:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def span(name: str, kind: str, parent: str | None = None, **attributes: Any) -> Iterator[Any]:
    """A span of `kind` ("server", "producer", "consumer") made current for the block; its
    parent is the `traceparent` given, else the current span. Yields None when tracing is off."""
    if not _enabled:
        yield None
        return
    from opentelemetry.trace import SpanKind

    context = _propagator.extract({"traceparent": parent}) if parent else None
    with _tracer.start_as_current_span(name, context=context, kind=getattr(SpanKind, kind.upper()),
                                       attributes={k: v for k, v in attributes.items() if v is not None}) as current:
        yield current


def start_server_span(name: str, traceparent: str | None, **attributes: Any):
    """For a Flask request, whose start and end are separate hooks: (span, token to detach)."""
    if not _enabled:
        return None
    from opentelemetry import context as otel_context
    from opentelemetry import trace
    from opentelemetry.trace import SpanKind

    parent = _propagator.extract({"traceparent": traceparent}) if traceparent else None
    current = _tracer.start_span(name, context=parent, kind=SpanKind.SERVER,
                                 attributes={k: v for k, v in attributes.items() if v is not None})
    token = otel_context.attach(trace.set_span_in_context(current))
    return current, token


def end_server_span(started, status: int | None = None, route: str | None = None, error: BaseException | None = None):
    if started is None:
        return
    from opentelemetry import context as otel_context
    from opentelemetry.trace import Status, StatusCode

    current, token = started
    if route:
        current.update_name(f"{current.name.split(' ', 1)[0]} {route}")
        current.set_attribute("http.route", route)
    if status is not None:
        current.set_attribute("http.response.status_code", status)
        if status >= 500:
            current.set_status(Status(StatusCode.ERROR))
    if error is not None:
        current.record_exception(error)
        current.set_status(Status(StatusCode.ERROR, repr(error)))
    current.end()
    otel_context.detach(token)
