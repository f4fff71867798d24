"""ETag and If-Match: optimistic concurrency for updates.

A resource's ETag is its version number in quotes. An update must send `If-Match` with the
ETag it last read. The view declares that with `@requires_if_match`, the one place that both
puts the header (and the 412 and 428 answers) into the OpenAPI document and enforces it: the
view is called with `expected_version`, which it passes to the service, and the service
compares it inside its unit of work with `StaleVersion.check` (412). The mapper's version
column catches an update that races past that check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from copy import deepcopy
from http import HTTPStatus

from flask import request

from shared.errors import DomainError, StaleVersion

# A version is a counter that never gets near 19 digits; a longer number (Python refuses to
# convert one of thousands) cannot be one we sent, so it is not an ETag of ours.
_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": 'the ETag you last read, such as "3": 428 without it, 412 if the record changed since',
}


class IfMatchRequired(DomainError):
    status = 428
    code = "if_match_required"
    title = "Precondition required"


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(resource, *, status: int | None = None, location: str | None = None):
    """The (body, [status,] headers) tuple flask-smorest understands, with ETag (and Location)."""
    headers = {"ETag": etag(resource.version)}
    if location:
        headers["Location"] = location
    return (resource, status, headers) if status else (resource, headers)


def requires_if_match(view: Callable) -> Callable:
    """This operation changes a record only against the version the caller last read.

    Put it right under `@requires_role`: the header is checked before the body is read (RFC
    9110 §13.2.1), 428 without it and 412 for one that is not an ETag. The view gets the
    version as `expected_version`; the operation's OpenAPI document gets the required header
    and both answers, so the document cannot forget what the code enforces.
    """

    @functools.wraps(view)
    def checked(*args, **kwargs):
        return view(*args, expected_version=_expected_version(), **kwargs)

    # As flask-smorest's own @arguments records a parameter, beside the other arguments
    # (a manual @doc(parameters=...) would replace theirs, or they ours).
    checked._apidoc = deepcopy(getattr(checked, "_apidoc", {}))
    documented = checked._apidoc.setdefault("arguments", {})
    documented.setdefault("parameters", []).append(deepcopy(IF_MATCH))
    documented.setdefault("responses", {}).update(
        {status.value: status.name for status in (HTTPStatus.PRECONDITION_FAILED, HTTPStatus.PRECONDITION_REQUIRED)}
    )
    return checked


def _expected_version() -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise IfMatchRequired(
            "send If-Match with the ETag you last read, so a change made meanwhile is not overwritten"
        )
    match = _ETAG.match(header)
    if match is None:
        shown = header if len(header) <= 40 else header[:40] + "…"
        raise StaleVersion(f'If-Match must be one ETag as sent by GET, such as "3"; got {shown!r}')
    return int(match.group(1))
