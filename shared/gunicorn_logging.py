"""gunicorn's own logs as JSON lines like the application's (`logger_class` in
deploy/gunicorn.conf.py).

The error log (workers booting, timing out, being killed) goes through the same formatter as
every other line. The access log is one `gunicorn.access` line per request with the request id
the application answered with (`X-Request-ID`, the correlation id), so a request gunicorn
itself answered or cut short is seen too, and every line of a request can be found by its id.
"""

from __future__ import annotations

import traceback

from gunicorn import glogging

from shared.logs import formatter


class JsonLogger(glogging.Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        service = _service_of(cfg)
        for log, extra in ((self.error_log, False), (self.access_log, True)):
            for handler in log.handlers:
                handler.setFormatter(formatter(service, extra=extra))

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info("gunicorn.access", extra=_access_fields(resp, req, environ, request_time))
        except Exception:
            self.error(traceback.format_exc())


def _access_fields(resp, req, wsgi, request_time) -> dict:
    status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
    answered = {name.lower(): value for name, value in resp.headers}
    asked = {name.lower(): value for name, value in getattr(req, "headers", [])}
    return {
        "method": wsgi.get("REQUEST_METHOD"),
        "path": wsgi.get("PATH_INFO"),
        "query": wsgi.get("QUERY_STRING") or None,
        "status": int(status),
        "bytes": getattr(resp, "sent", None),
        "duration_ms": round(request_time.total_seconds() * 1000, 2),
        "remote_addr": wsgi.get("REMOTE_ADDR"),
        "user_agent": wsgi.get("HTTP_USER_AGENT"),
        # The app sets it on every response; a request it never saw keeps what the client sent.
        "request_id": answered.get("x-request-id") or asked.get("x-request-id"),
    }


def _service_of(cfg) -> str:
    """`parts` of `parts.app:create_app()`."""
    app = cfg.wsgi_app or cfg.proc_name or "gunicorn"
    return app.split(".", 1)[0].split(":", 1)[0]
