"""How long a URL and a header may be: 414 and 431 as problem details, like every other error.

gunicorn refuses what is longer than its own limits with a bare HTML page; its limits are set
above these (deploy/gunicorn.conf.py), so the app sees such a request and answers it itself.
"""

from __future__ import annotations

from flask import request

from shared.errors import DomainError

MAX_URL_BYTES = 4096
# Where gunicorn and Werkzeug keep the request target as sent, before any decoding (a WSGI key,
# not a setting).
RAW_URI = "RAW_URI"
# gunicorn's default limit for one header line, name and value.
MAX_HEADER_BYTES = 8190


class UriTooLong(DomainError):
    status = 414
    code = "uri_too_long"
    title = "URI too long"


class HeaderTooLarge(DomainError):
    status = 431
    code = "header_too_large"
    title = "Request header fields too large"


def refuse_oversized_head() -> None:
    """Before anything reads the URL or a header (authentication reads Authorization)."""
    target = request.environ.get(RAW_URI) or request.full_path
    if len(target) > MAX_URL_BYTES:
        raise UriTooLong(f"the URL is {len(target)} bytes; at most {MAX_URL_BYTES} are accepted")
    for name, value in request.headers.items():
        size = len(name) + len(value) + 2  # "name: value"
        if size > MAX_HEADER_BYTES:
            raise HeaderTooLarge(f"the {name} header is {size} bytes; at most {MAX_HEADER_BYTES} are accepted",
                                 header=name)
