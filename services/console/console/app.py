"""The console: `create_app()` for gunicorn.

    gunicorn -c deploy/gunicorn.conf.py "console.app:create_app()"

A Flask app that renders the desks' screens (Jinja, htmx for the parts of a page that change)
from the services' public APIs. It keeps no data of its own: the signed-in user's token lives
in the session cookie and every figure on a screen comes from a service's answer.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import structlog
from flask import Flask, Response, current_app, g, jsonify, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from console import backend, formats
from console.advisor import bp as advisor_bp
from console.auth import views as auth
from console.complaints import bp as complaints_bp
from console.config import ConsoleSettings
from console.home import views as home
from console.manager import bp as manager_bp
from console.notifications import bp as notifications_bp
from console.pages import go_to
from console.parts import bp as parts_bp
from console.problems import translated
from console.warranty import bp as warranty_bp
from shared.logs import bind_correlation_id, clear_context, configure

log = structlog.get_logger("console")
LANGUAGES = {"zh": "中文", "en": "English"}
# Pages anyone may open: signing in, the assets, the probes.
PUBLIC = {"auth.sign_in", "auth.demo_sign_in", "auth.provider_sign_in", "auth.provider_callback",
          "auth.choose_language", "static", "live", "ready"}


def content_policy(settings: ConsoleSettings) -> str:
    """Everything from the console itself: no inline script or style (htmx's own indicator style
    is an inline <style>; ours is in console.css), no framing. Forms post here only, and to the
    identity provider, where signing out sends the user on (a redirect a form led to counts)."""
    form_targets = "'self'"
    if settings.oidc_issuer:
        issuer = urlsplit(settings.oidc_issuer)
        form_targets += f" {issuer.scheme}://{issuer.netloc}"
    return ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action {form_targets}")


class SessionCookie(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the page was served over HTTPS (also behind a
    trusted proxy that says so), HttpOnly and SameSite=Lax always."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def create_app(settings: ConsoleSettings | None = None) -> Flask:
    settings = settings or ConsoleSettings.from_env()
    configure("console", settings.log_level, settings.log_json)
    app = Flask("console", static_folder="static", root_path=str(Path(__file__).resolve().parent))
    app.config.update(
        CONSOLE=settings,
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="console_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        # A form left open all morning at the counter must still post: the token lives as long
        # as the session it is tied to.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        LANGUAGES=LANGUAGES,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(hours=1),
    )
    app.session_interface = SessionCookie()
    if settings.trusted_proxies:
        count = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_prefix=count)
    CSRFProtect(app)
    Babel(app, locale_selector=_locale)
    app.extensions[backend.EXTENSION] = backend.Backend(settings.service_urls, settings.api_timeout_seconds)
    auth.register_identity_provider(app, settings)
    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(parts_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(advisor_bp)
    app.register_blueprint(warranty_bp)
    app.register_blueprint(manager_bp)
    app.register_blueprint(notifications_bp)
    _register_probes(app)
    _register_hooks(app)
    _register_errors(app)
    _register_filters(app)
    return app


def _locale() -> str:
    """The user's choice, else English only for a browser that prefers it: Chinese first."""
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return chosen
    preferred = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    return "en" if preferred == "en" else current_app.config["BABEL_DEFAULT_LOCALE"]


def _register_probes(app: Flask) -> None:
    @app.get("/health/live", endpoint="live")
    def live():
        return jsonify(status="ok")

    @app.get("/health/ready", endpoint="ready")
    def ready():
        # Ready as soon as it can render: a service that is down shows on the screens that
        # need it, and must not take the whole console out of the load balancer.
        return jsonify(status="ok", services=app.config["CONSOLE"].service_urls)


def _register_hooks(app: Flask) -> None:
    policy = content_policy(app.config["CONSOLE"])

    @app.before_request
    def begin():
        g.request_id = uuid.uuid4().hex
        g.started = time.perf_counter()
        bind_correlation_id(g.request_id)

    @app.before_request
    def require_user():
        if request.endpoint in PUBLIC or request.endpoint is None:
            return None
        user = session.get("user")
        if not user or user.get("expires_at", 0) <= time.time():
            return _to_sign_in(expired=bool(user))
        g.user = user
        return None

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        log.info("http.request", method=request.method, path=request.path, status=response.status_code,
                 duration_ms=round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2),
                 user=(g.get("user") or {}).get("sub"))
        return response

    @app.teardown_request
    def forget(_exc) -> None:
        clear_context()


def _to_sign_in(expired: bool) -> Response:
    """Off to sign in, and back to the page the user was on afterwards."""
    if "user" in session:
        # Kept so the demo sign-in offers the dealer the clerk was working for, not the default.
        session["last_dealer"] = session.pop("user").get("dealer")
    if request.headers.get("HX-Request"):
        back = _path_of(request.headers.get("HX-Current-URL"))
    elif request.method == "GET":
        back = request.full_path.rstrip("?")
    else:
        back = _path_of(request.referrer)
    return go_to(url_for("auth.sign_in", next=back, expired="1" if expired else None))


def _path_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _register_errors(app: Flask) -> None:
    @app.errorhandler(backend.SignInNeeded)
    def sign_in_needed(_error):
        return _to_sign_in(expired=True)

    @app.errorhandler(backend.ServiceUnavailable)
    def unavailable(error: backend.ServiceUnavailable):
        log.warning("backend.unavailable", service=error.service, error=str(error))
        return _error_page(503, _("The %(service)s service is not answering. Try again in a moment.",
                                  service=error.service)), 503, {"Retry-After": "5"}

    @app.errorhandler(backend.ApiProblem)
    def problem(error: backend.ApiProblem):
        # A view that can show the problem next to a field catches it itself; anything else
        # (another dealer's lot, a record that is gone) is a page of its own.
        return _error_page(error.status, translated(error)), error.status

    @app.errorhandler(CSRFError)
    def csrf_refused(_error):
        return _error_page(400, _("This form has expired or did not come from this console. "
                                  "Reload the page and try again.")), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _error_page(error.code or 500, error.description or error.name), error.code or 500

    @app.errorhandler(InternalServerError)
    def our_fault(_error):
        return _error_page(500, _("Something went wrong on our side. Quote %(request)s when reporting it.",
                                  request=g.get("request_id", ""))), 500


def _error_page(status: int, message: str) -> str:
    template = "error_fragment.html" if request.headers.get("HX-Request") else "error.html"
    return render_template(template, status=status, message=message)


def _register_filters(app: Flask) -> None:
    for name in ("money", "qty", "percent", "when", "day", "unit", "name", "days_since"):
        app.add_template_filter(getattr(formats, name), name)
    app.add_template_global(formats.named, "named")

    @app.context_processor
    def who():
        locale = str(get_locale())
        return {"user": session.get("user") or {}, "has_role": auth.has_role, "languages": LANGUAGES, "locale": locale,
                "html_lang": "zh-CN" if locale == "zh" else locale}
