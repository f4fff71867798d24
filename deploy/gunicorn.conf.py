"""gunicorn settings for every service: `gunicorn -c deploy/gunicorn.conf.py "parts.app:create_app()"`.

Workers come from WEB_CONCURRENCY (threads from WEB_THREADS). The app is not preloaded: each
worker builds its own app, engine and pool after the fork, so no connection is ever shared
across processes. Prometheus samples of all workers are kept in PROMETHEUS_MULTIPROC_DIR,
set here before prometheus_client is imported anywhere.
"""

import os
import tempfile
from pathlib import Path

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# gunicorn's gthread worker, with the requests gunicorn itself refuses (a URL or header beyond
# the limits below, a malformed request line) answered as problem details, not its HTML page.
worker_class = "shared.http.gunicorn_worker.ProblemThreadWorker"
preload_app = False
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Above the app's own limits (shared/http/limits.py: 4096-byte URL, 8190-byte header), so the
# app answers an over-long URL (414) or header (431) with the field named; beyond these
# gunicorn refuses it itself (problem details too, from the worker above). 8190 is the longest
# request line gunicorn allows short of unlimited.
limit_request_line = 8190
limit_request_field_size = 32768
# gunicorn's own lines as JSON like the application's: its error log, and an access line per
# request with the request id (shared/gunicorn_logging.py), which also shows the requests
# gunicorn answered or cut short without the app.
logger_class = "shared.gunicorn_logging.JsonLogger"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# gunicorn 23+ opens a control socket shared by every gunicorn of the user; three services on
# one machine (`make run`, the benchmarks) would fight over it, and nothing here uses it.
control_socket_disable = True

_metrics = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="prometheus-")))


def on_starting(server):
    # Samples of a previous run would be added to this one's.
    _metrics.mkdir(parents=True, exist_ok=True)
    for stale in _metrics.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, str(_metrics))
