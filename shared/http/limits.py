"""How long a URL and a header may be: 414 and 431 as problem details, like every other error;
and no NUL character in a path segment, a query parameter or a form field.

gunicorn refuses what is longer than its own limits itself (as problem details too, from
shared/http/gunicorn_worker.py, but naming no header); its limits are set above these
(deploy/gunicorn.conf.py), so the app sees such a request and answers it with the header named.

A NUL is refused for the reason a NUL in a JSON string is (shared/http/blueprint.py):
PostgreSQL cannot store or even compare one and SQLite can, so the two back ends would answer
the same request differently (a 500 on one).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request

from shared.errors import DomainError
from shared.http.blueprint import NUL, NulCharacter

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


# Form bodies Werkzeug parses into request.form; the files of a multipart body are not text.
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul() -> None:
    """A 422 naming the path parameter, query parameter or form field that holds a NUL
    (%00), before a view or the database sees it."""
    fields = [(request.view_args or {}).items(), request.args.items(multi=True)]
    if request.mimetype in FORMS:
        fields.append(request.form.items(multi=True))
    for name, value in _text(fields):
        if NUL in name:
            raise NulCharacter("a parameter name holds a NUL character (%00)", field=name.replace(NUL, "%00"))
        if NUL in value:
            raise NulCharacter(f"{name} holds a NUL character (%00), which no text may", field=name)


def _text(sources: Iterable[Iterable[tuple[str, object]]]) -> Iterable[tuple[str, str]]:
    for source in sources:
        for name, value in source:
            if isinstance(value, str):  # a path converter may have made it a number
                yield name, value
