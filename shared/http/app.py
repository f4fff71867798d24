"""The Flask app every service builds on: `build_app()` wires the shared plumbing.

A service's `create_app()` reads its settings, builds its database and unit-of-work factory,
and calls `build_app` with its blueprints. Nothing connects to anything until a request or a
probe needs it, so gunicorn can fork workers safely.
"""

from __future__ import annotations

import http
import re
import threading
import uuid
from collections.abc import Iterable, Sequence

import structlog
from flask import Flask, Response, g, request
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import prepare_response
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shared.auth import TokenVerifier
from shared.config import Settings
from shared.errors import DomainError
from shared.fields import DecimalString
from shared.events.consumer import Subscription
from shared.http import dead_letters, docs, feed, health, idempotency, limits, security
from shared.http.context import EXTENSION, Runtime
from shared.http.metrics import HttpMetrics
from shared.http.problems import (
    DATABASE_FAILURES,
    PROBLEM_JSON,
    ProblemSchema,
    from_database_failure,
    from_database_refusal,
    from_domain_error,
    from_http_exception,
    from_unexpected,
)
from shared import tracing
from shared.logs import bind_correlation_id, clear_context
from shared.unit_of_work import UnitOfWorkFactory

log = structlog.get_logger("http")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class ProblemApi(Api):
    """flask-smorest's Api, with every HTTP error rendered, and documented, as problem details."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask):
        # Blueprints whose operations are not in the OpenAPI document yet: writing them there
        # (schemas to JSON Schema, deep copies) was two thirds of building an app, which every
        # gunicorn worker and every test does, while the document is read far more rarely.
        self._undocumented: list[tuple[ApiBlueprint, str, list | None]] = []
        self._documenting = threading.Lock()
        super().__init__(app)

    @property
    def spec(self):
        """The OpenAPI document (flask-smorest's APISpec), with every blueprint in it."""
        with self._documenting:
            while self._undocumented:
                blueprint, name, parameters = self._undocumented.pop(0)
                blueprint.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                self._spec.tag({"name": name, "description": blueprint.description})
        return self._spec

    @spec.setter
    def spec(self, spec) -> None:
        self._spec = spec

    def register_blueprint(self, blp, *, parameters=None, **options):
        # As flask-smorest's (0.47), with the documentation left for when the document is read.
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def handle_http_exception(self, error):
        return from_http_exception(error)

    def _register_responses(self):
        # As flask-smorest's, but errors are documented as application/problem+json, which is
        # what they are: clients (and schemathesis) check the media type.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def build_app(
    *,
    settings: Settings,
    unit_of_work: UnitOfWorkFactory,
    title: str,
    description: str,
    blueprints: Iterable[ApiBlueprint],
    subscriptions: Sequence[Subscription] = (),
) -> Flask:
    app = Flask(settings.service, static_folder=None)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=docs.SWAGGER_UI_URL,  # served by the app: the docs work offline
        OPENAPI_SWAGGER_UI_CONFIG=docs.SWAGGER_UI_CONFIG,
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "servers": [{"url": "/"}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearerAuth": []}],
        },
    )
    app.extensions[EXTENSION] = Runtime(
        settings=settings,
        database=unit_of_work.database,
        unit_of_work=unit_of_work,
        verifier=TokenVerifier(settings),
        subscriptions=tuple(subscriptions),
    )
    metrics = HttpMetrics(
        settings.service,
        unit_of_work.database,
        unit_of_work.clock,
        settings.environ.get("PROMETHEUS_MULTIPROC_DIR"),
    )
    _register_hooks(app, metrics)
    api = ProblemApi(app)
    api.register_field(DecimalString, "string", "decimal")
    app.register_error_handler(DomainError, from_domain_error)
    app.register_error_handler(security.Unauthenticated, security.challenge)
    app.register_error_handler(DataError, from_database_refusal)
    app.register_error_handler(IntegrityError, from_database_refusal)
    app.register_error_handler(StaleDataError, from_database_refusal)
    for failure in DATABASE_FAILURES:
        app.register_error_handler(failure, from_database_failure(unit_of_work.database.ping))
    app.register_error_handler(Exception, from_unexpected)
    api.register_blueprint(feed.blp)
    api.register_blueprint(dead_letters.blp)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.blueprint())
    app.register_blueprint(health.blueprint(health.BrokerProbe()))
    app.register_blueprint(metrics.blueprint())
    return app


def _register_hooks(app: Flask, metrics: HttpMetrics) -> None:
    @app.before_request
    def begin() -> None:
        g.correlation_id = _incoming_correlation_id() or uuid.uuid4().hex
        bind_correlation_id(g.correlation_id)
        metrics.start()
        g.trace = tracing.start_server_span(
            f"{request.method} {request.path}", request.headers.get("traceparent"),
            **{"http.request.method": request.method, "url.path": request.path,
               "aftersales.request_id": g.correlation_id},
        )

    app.before_request(limits.refuse_oversized_head)
    app.before_request(security.authenticate)
    app.before_request(security.authorise)
    app.before_request(limits.refuse_nul)
    app.before_request(idempotency.replay_or_claim)
    app.after_request(idempotency.store_response)

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("correlation_id", "")
        g.response_status = response.status_code
        duration = metrics.observe(response)
        log.info(
            "http.request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round(duration * 1000, 2) if duration is not None else None,
            caller=g.caller.sub if "caller" in g else None,
        )
        return response

    @app.teardown_request
    def forget(exc) -> None:
        route = request.url_rule.rule if request.url_rule else None
        tracing.end_server_span(g.pop("trace", None), g.get("response_status"), route, exc)
        clear_context()


def _incoming_correlation_id() -> str | None:
    for header in ("X-Request-ID", "X-Correlation-ID"):
        value = request.headers.get(header)
        if value and _SAFE_ID.match(value):
            return value
    return None
