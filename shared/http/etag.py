"""ETag and If-Match: optimistic concurrency for updates.

A resource's ETag is its version number in quotes. An update must send `If-Match` with the
ETag it last read; the view passes `expected_version()` to the service, which compares it
inside its unit of work with `StaleVersion.check` (412). The mapper's version column catches
an update that races past that check.
"""

from __future__ import annotations

import re

from flask import request

from shared.errors import DomainError, StaleVersion

_ETAG = re.compile(r'^\s*(?:W/)?"(\d+)"\s*$')


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


def expected_version() -> int:
    header = request.headers.get("If-Match")
    if header is None:
        raise IfMatchRequired(
            "send If-Match with the ETag you last read, so a change made meanwhile is not overwritten"
        )
    match = _ETAG.match(header)
    if match is None:
        raise StaleVersion(f'If-Match must be one ETag as sent by GET, such as "3"; got {header!r}')
    return int(match.group(1))
