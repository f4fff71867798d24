"""Bearer authentication for every `/api/v1` route, and the roles each operation allows.

Authentication runs before every request under `/api/v1` except the OpenAPI document and
docs. Authorisation is declared on the view with `@requires_role(...)` and enforced in the
same place; a view that declares no roles refuses everyone, so forgetting is never open.
`admin` passes every role check. Another dealer's records are simply not found (the session
is scoped to the caller's dealer), so 404 never says they exist. Every 401 names the scheme it
wants (`WWW-Authenticate: Bearer`, RFC 6750 §3), with `error="invalid_token"` when a token was
sent and refused.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, g, request
from flask_smorest import Blueprint

from shared.auth import InvalidToken
from shared.errors import DomainError
from shared.http.context import runtime
from shared.http.problems import from_domain_error

API_PREFIX = "/api/v1/"
PUBLIC_PREFIXES = ("/api/v1/openapi.json", "/api/v1/docs")
_ROLES_ATTRIBUTE = "_required_roles"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    title = "Authentication required"

    def __init__(self, detail: str, *, token_refused: bool = False):
        super().__init__(detail)
        self.token_refused = token_refused


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


def requires_role(*roles: str) -> Callable:
    """Declare who may call this operation; it also appears in the OpenAPI document."""

    def declare(view: Callable) -> Callable:
        setattr(view, _ROLES_ATTRIBUTE, frozenset(roles))
        return Blueprint.doc(**{"x-roles": sorted(roles)})(view)

    return declare


def authenticate() -> None:
    if not request.path.startswith(API_PREFIX) or request.path.startswith(PUBLIC_PREFIXES):
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send an Authorization: Bearer <token> header")
    try:
        g.caller = runtime().verifier.verify(token.strip())
    except InvalidToken as exc:
        raise Unauthenticated(f"the token was refused: {exc}", token_refused=True) from exc


def challenge(error: Unauthenticated) -> Response:
    response = from_domain_error(error)
    response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"' if error.token_refused else "Bearer"
    return response


def authorise() -> None:
    if "caller" not in g or request.url_rule is None:
        return  # public route, or no route at all (404/405 follow)
    allowed = _declared_roles()
    if allowed is None:
        raise Forbidden("this operation declares no roles, so nobody may call it")
    if not g.caller.has_any(allowed):
        raise Forbidden(f"needs one of the roles: {', '.join(sorted(allowed))}")


def _declared_roles() -> frozenset[str] | None:
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = request.method.lower()
        view = getattr(view_class, "get" if method == "head" else method, None)
    return getattr(view, _ROLES_ATTRIBUTE, None)
