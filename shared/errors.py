"""Error bases every service's domain errors extend.

Plain Python: a domain module may import this. The HTTP layer (`shared.http.problems`) turns
each into RFC 9457 problem details using `status`, `code` and `context`.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A failure the caller can act on; `code` is stable, `detail` is for people."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **context: Any):
        super().__init__(detail)
        self.detail = detail
        self.context = context


class NotFound(DomainError):
    """Unknown, or another dealer's (never say which)."""

    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The request is valid but the current state forbids it (illegal transition, no stock)."""

    status = 409
    code = "conflict"
    title = "Conflict"


class RuleViolation(DomainError):
    """The request breaks a business rule about its own content."""

    status = 422
    code = "rule_violation"
    title = "Business rule violated"


class StaleVersion(DomainError):
    """If-Match named a version that is no longer current."""

    status = 412
    code = "stale_version"
    title = "Precondition failed"

    @classmethod
    def check(cls, expected: int, current: int) -> None:
        """Refuse a change made against a version that is no longer current."""
        if expected != current:
            raise cls(
                f"the resource changed (you had version {expected}, it is now {current}); "
                "reload it and try again",
                expected_version=expected,
                current_version=current,
            )
