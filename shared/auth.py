"""Who is calling: JSON Web Tokens, roles and the caller every use case receives.

Tokens carry `sub`, `dealer`, `roles` and `exp`. On the embedded default they are signed with
a shared secret (HS256); in production each service verifies them against the identity
provider's public keys (JWKS, RS256/ES256). `python -m shared.auth` mints tokens.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt

from shared.config import Settings

ROLES = frozenset(
    {
        "parts_clerk",
        "parts_manager",
        "service_advisor",
        "warranty_clerk",
        "warranty_manager",
        "complaints_agent",
        "service_manager",
        "integration",
        "admin",
    }
)
# Consumers act on events; they get this role, which no token can carry.
SYSTEM_ROLE = "system"
DEALER_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class InvalidToken(Exception):
    """Missing, malformed, expired or badly signed: the caller is not authenticated."""


@dataclass(frozen=True)
class Caller:
    sub: str
    dealer: str
    roles: frozenset[str]

    def has_any(self, roles: Iterable[str]) -> bool:
        return "admin" in self.roles or not self.roles.isdisjoint(roles)

    @classmethod
    def for_event(cls, source: str, dealer: str) -> Caller:
        """The identity a consumer acts under when it applies another service's event."""
        return cls(sub=f"event:{source}", dealer=dealer, roles=frozenset({SYSTEM_ROLE}))


class TokenVerifier:
    """With JWT_JWKS_URL set, only the provider's asymmetric keys verify: an HS256 token is
    refused even when signed with a public key's bytes (no algorithm confusion)."""

    def __init__(self, settings: Settings):
        settings.check_token_keys()
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    def verify(self, token: str) -> Caller:
        try:
            claims = self._decode(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return _caller_from(claims)

    def _decode(self, token: str) -> Mapping:
        options = {"require": ["exp", "sub", "dealer"]}
        common = {
            "audience": self._settings.jwt_audience,
            "issuer": self._settings.jwt_issuer,
            "options": options,
            "leeway": 30,
        }
        if self._jwks is not None:
            key = self._jwks.get_signing_key_from_jwt(token).key
            return jwt.decode(token, key, algorithms=["RS256", "ES256"], **common)
        return jwt.decode(token, self._settings.jwt_secret, algorithms=["HS256"], **common)


def _caller_from(claims: Mapping) -> Caller:
    sub, dealer, roles = claims.get("sub"), claims.get("dealer"), claims.get("roles", [])
    if not isinstance(sub, str) or not 1 <= len(sub) <= 200:
        raise InvalidToken("sub must be 1 to 200 characters")
    if not isinstance(dealer, str) or not DEALER_CODE.match(dealer):
        raise InvalidToken("dealer must be a code of 1 to 32 letters, digits, '-' or '_'")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidToken("roles must be a list of role names")
    return Caller(sub=sub, dealer=dealer, roles=frozenset(roles) & ROLES)


def mint(
    secret: str,
    sub: str,
    dealer: str,
    roles: Iterable[str],
    ttl: timedelta = timedelta(hours=8),
    now: datetime | None = None,
    audience: str | None = None,
    issuer: str | None = None,
) -> str:
    roles = sorted(roles)
    if not DEALER_CODE.match(dealer):
        raise ValueError("a dealer code is 1 to 32 letters, digits, '-' or '_'")
    unknown = set(roles) - ROLES
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}; known: {sorted(ROLES)}")
    issued = now or datetime.now(timezone.utc)
    claims = {"sub": sub, "dealer": dealer, "roles": roles, "iat": issued, "exp": issued + ttl}
    if audience:
        claims["aud"] = audience
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, secret, algorithm="HS256")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="aftersales-token",
        description="Mint a development or integration token signed with JWT_SECRET.",
    )
    parser.add_argument("--sub", required=True, help="who: a user name or integration account")
    parser.add_argument("--dealer", required=True, help="dealer code, e.g. D001")
    parser.add_argument("--roles", required=True, help=f"comma-separated: {', '.join(sorted(ROLES))}")
    parser.add_argument("--hours", type=float, default=8.0, help="lifetime in hours (default 8)")
    args = parser.parse_args(argv)
    settings = Settings.from_env("token")
    if settings.jwt_jwks_url:
        # The services verify only the identity provider's signatures then: a token signed here
        # would be refused at the first call.
        print("aftersales-token: JWT_JWKS_URL is set, so the services accept only tokens from the identity "
              "provider; ask it for this account's token instead", file=sys.stderr)
        return 2
    try:
        token = mint(
            settings.jwt_secret,
            args.sub,
            args.dealer,
            [r.strip() for r in args.roles.split(",") if r.strip()],
            ttl=timedelta(hours=args.hours),
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
        )
    except ValueError as exc:
        print(f"aftersales-token: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
