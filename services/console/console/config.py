"""The console's settings, read from the environment once at start-up.

The console owns no database: what it needs to know is where the three services answer, how
people sign in, and how to keep their session. On the embedded default (no `OIDC_ISSUER`, the
development token secret) it offers the demo sign-in; anywhere else it signs people in with the
dealer group's identity provider (OpenID Connect) and refuses to start without a session key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from shared.config import DEV_JWT_SECRET

# Signs the development session cookie only; production must set CONSOLE_SECRET_KEY.
DEV_SESSION_KEY = "aftersales-console-dev-session-key"


class ConsoleMisconfigured(RuntimeError):
    """A setting the console cannot run without is missing or unsafe."""


@dataclass(frozen=True)
class ConsoleSettings:
    parts_url: str = "http://127.0.0.1:8001"
    warranty_url: str = "http://127.0.0.1:8002"
    complaints_url: str = "http://127.0.0.1:8003"
    secret_key: str = DEV_SESSION_KEY
    jwt_secret: str = DEV_JWT_SECRET
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_scope: str = "openid profile"
    # Dealers' business dates and times are shown in this zone.
    timezone: str = "Asia/Shanghai"
    default_locale: str = "zh"
    demo_dealer: str = "D001"
    demo_session: timedelta = timedelta(hours=8)
    api_timeout_seconds: float = 10.0
    # Behind a TLS-terminating proxy: how many proxies' X-Forwarded-* headers to trust.
    trusted_proxies: int = 0
    log_level: str = "INFO"
    log_json: bool = True

    @property
    def demo_sign_in(self) -> bool:
        """The demo sign-in mints tokens with the development secret: only ever on the
        embedded default, never next to an identity provider or a real secret."""
        return self.oidc_issuer is None and self.jwt_secret == DEV_JWT_SECRET

    @property
    def service_urls(self) -> dict[str, str]:
        return {"parts": self.parts_url, "warranty": self.warranty_url, "complaints": self.complaints_url}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ConsoleSettings:
        env = dict(os.environ if environ is None else environ)
        settings = cls(
            parts_url=env.get("PARTS_API_URL", cls.parts_url).rstrip("/"),
            warranty_url=env.get("WARRANTY_API_URL", cls.warranty_url).rstrip("/"),
            complaints_url=env.get("COMPLAINTS_API_URL", cls.complaints_url).rstrip("/"),
            secret_key=env.get("CONSOLE_SECRET_KEY", ""),
            jwt_secret=env.get("JWT_SECRET") or DEV_JWT_SECRET,  # empty is unset, as for the services
            jwt_audience=env.get("JWT_AUDIENCE") or None,
            jwt_issuer=env.get("JWT_ISSUER") or None,
            oidc_issuer=(env.get("OIDC_ISSUER") or "").rstrip("/") or None,
            oidc_client_id=env.get("OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("OIDC_CLIENT_SECRET") or None,
            oidc_scope=env.get("OIDC_SCOPE", cls.oidc_scope),
            timezone=env.get("AFTERSALES_TIMEZONE", cls.timezone),
            default_locale=env.get("CONSOLE_DEFAULT_LOCALE", cls.default_locale),
            demo_dealer=env.get("CONSOLE_DEMO_DEALER", cls.demo_dealer),
            demo_session=timedelta(seconds=float(env.get("CONSOLE_DEMO_SESSION_SECONDS",
                                                         cls.demo_session.total_seconds()))),
            api_timeout_seconds=float(env.get("CONSOLE_API_TIMEOUT", cls.api_timeout_seconds)),
            trusted_proxies=int(env.get("CONSOLE_TRUSTED_PROXIES", cls.trusted_proxies)),
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            log_json=env.get("LOG_FORMAT", "json") != "console",
        )
        return settings.checked()

    def checked(self) -> ConsoleSettings:
        if self.oidc_issuer and not (self.oidc_client_id and self.oidc_client_secret):
            raise ConsoleMisconfigured("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too")
        if not self.demo_sign_in and not self.oidc_issuer:
            raise ConsoleMisconfigured(
                "JWT_SECRET is not the development secret, so the demo sign-in is off: "
                "set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for the identity provider")
        if not self.secret_key:
            if not self.demo_sign_in:
                raise ConsoleMisconfigured("CONSOLE_SECRET_KEY is needed to sign session cookies")
            return replace(self, secret_key=DEV_SESSION_KEY)
        if len(self.secret_key) < 32:
            raise ConsoleMisconfigured("CONSOLE_SECRET_KEY must be at least 32 characters")
        if self.secret_key == DEV_SESSION_KEY and not self.demo_sign_in:
            raise ConsoleMisconfigured(
                "CONSOLE_SECRET_KEY is the development key, which anyone can read: set 32+ random characters")
        return self

