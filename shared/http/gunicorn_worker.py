"""gunicorn's worker (`worker_class` in deploy/gunicorn.conf.py), with gunicorn's own refusals
sent as problem details like every answer of the app.

gunicorn answers some requests before the app sees them: a request line or a header beyond its
limits (deploy/gunicorn.conf.py raises them above the app's, shared/http/limits.py, but a
client can always send more), a malformed request line, a bad chunk. It writes those with
`gunicorn.util.write_error`, a fixed HTML page, and has no setting for another body
(benoitc/gunicorn#993). So this worker lets gunicorn handle the refusal as it does (pick the
status, log it, write the access line) onto a stand-in for the client's socket, keeps the status
it wrote, and sends that status to the client as application/problem+json instead, closing the
connection as gunicorn does.
"""

from __future__ import annotations

import http
import json

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from shared.http.limits import HeaderTooLarge, UriTooLong
from shared.http.problems import PROBLEM_JSON, code_for

# The app's own problems for the limits gunicorn enforces too, so a client sees one code.
_SAME_AS_THE_APP = {error.status: (error.code, error.title) for error in (UriTooLong, HeaderTooLarge)}


class ProblemThreadWorker(ThreadWorker):
    def handle_error(self, req, client, addr, exc) -> None:
        page = _ErrorPage()
        super().handle_error(req, page, addr, exc)
        if page.status is None:
            return  # gunicorn sent nothing
        try:
            util.write_nonblock(client, problem_response(page.status, exc))
        except Exception:
            self.log.debug("Failed to send error message.")


def problem_response(status: int, exc: Exception) -> bytes:
    """The whole HTTP response: what went wrong for a client's mistake (gunicorn's message says
    which limit, by how much), nothing for its own failure (which it logged)."""
    code, title = _SAME_AS_THE_APP.get(status, (code_for(status), http.HTTPStatus(status).phrase))
    body = {"type": f"/problems/{code}", "title": title, "status": status, "code": code}
    if status < 500 and str(exc):
        body["detail"] = str(exc)
    content = json.dumps(body, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\nConnection: close\r\n"
            f"Content-Type: {PROBLEM_JSON}\r\nContent-Length: {len(content)}\r\n\r\n")
    return head.encode("latin-1") + content


class _ErrorPage:
    """Takes what gunicorn's write_error would send the client, and keeps its status."""

    def __init__(self) -> None:
        self.status: int | None = None

    def gettimeout(self) -> float:
        return 0.0  # non-blocking already: write_nonblock then just calls sendall

    def sendall(self, data: bytes) -> None:
        if self.status is None:
            self.status = int(data.split(b" ", 2)[1])
