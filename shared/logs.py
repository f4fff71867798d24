"""JSON logs for every process, with the request's correlation id on every line.

Both structlog loggers and the standard library's (gunicorn, alembic, kombu) go through the
same renderer. Call `configure` from each process's entry point; calling it again is harmless.
"""

from __future__ import annotations

import logging
import sys

import structlog

_SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure(service: str, level: str = "INFO", as_json: bool = True) -> None:
    structlog.configure(
        processors=[
            *_SHARED_PROCESSORS,
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(service, as_json))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # kombu and amqp log every reconnect attempt at INFO with tracebacks; we log our own.
    logging.getLogger("amqp").setLevel(max(logging.WARNING, root.level))


def formatter(service: str, as_json: bool = True, extra: bool = False) -> logging.Formatter:
    """The formatter of every line: a standard library record rendered as our JSON. With
    `extra`, a record's `extra={...}` fields become keys of the line (gunicorn's access log)."""
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if as_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    pre_chain = [*_SHARED_PROCESSORS, structlog.stdlib.ExtraAdder()] if extra else _SHARED_PROCESSORS
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=pre_chain,
        processors=[
            _add_service(service),
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )


def _add_service(service: str):
    def add(_logger, _method, event_dict):
        event_dict.setdefault("service", service)
        return event_dict

    return add


def bind_correlation_id(correlation_id: str) -> None:
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id)


def clear_context() -> None:
    structlog.contextvars.clear_contextvars()
