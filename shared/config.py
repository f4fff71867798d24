"""Configuration from the environment, read once at start-up.

Without `<SERVICE>_DATABASE_URL` and `BROKER_URL` a service runs on the embedded default:
a SQLite file per service and kombu's filesystem transport, both under `AFTERSALES_DATA_DIR`
(default `./var`), so several processes on one machine share one broker. Only there does an API
verify tokens with the development secret by itself; anywhere else it refuses to start without
the identity provider's keys or a secret of its own (`Settings.check_token_keys`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEV_JWT_SECRET = "aftersales-dev-secret-change-me-in-production"
# HS256 wants a key at least as long as its hash (RFC 7518 §3.2): a shorter one can be guessed
# offline from a single token.
MIN_JWT_SECRET_BYTES = 32


class InsecureSettings(RuntimeError):
    """A setting a deployment cannot run safely without is missing, or is the development one."""


@dataclass(frozen=True)
class Settings:
    service: str
    database_url: str
    broker_url: str
    data_dir: Path
    events_exchange: str = "aftersales.events"
    dead_letter_exchange: str = "aftersales.dead-letter"
    # Prefixed to every queue name; tests use it to keep runs apart on one broker.
    queue_prefix: str = ""
    jwt_secret: str = DEV_JWT_SECRET
    jwt_jwks_url: str | None = None
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    # AFTERSALES_DEMO=on: a demonstration on PostgreSQL and RabbitMQ (compose, the dev overlay)
    # whose APIs accept the development secret, so the console's demo sign-in works there too.
    demo: bool = False
    event_schema_base: str = "https://aftersales.example/schemas/events"
    max_body_bytes: int = 1024 * 1024
    relay_batch_size: int = 200
    relay_idle_seconds: float = 0.2
    # The embedded broker (a folder) cannot wake a consumer: it looks for new messages this
    # often (idle at 0.05 s a stack's three consumers took 4 % of a core, at 0.2 s 1.2 %).
    broker_poll_seconds: float = 0.2
    publish_confirm_timeout: float = 10.0
    broker_heartbeat: int = 30
    consumer_max_attempts: int = 5
    consumer_retry_backoff: float = 0.5
    outbox_stuck_after_seconds: float = 120.0
    # Business dates (an invoice dated "today") are the dealers' local dates.
    timezone: str = "Asia/Shanghai"
    log_level: str = "INFO"
    log_json: bool = True
    # Service-specific knobs, read by the service's own config module.
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def uses_embedded_broker(self) -> bool:
        return self.broker_url.startswith("filesystem://")

    @property
    def broker_folder(self) -> Path:
        return self.data_dir / "broker"

    @property
    def on_embedded_default(self) -> bool:
        return self.database_url.startswith("sqlite") and self.uses_embedded_broker

    def check_token_keys(self) -> None:
        """Refuse to verify tokens with a key anyone could sign with. The development secret is
        written in the repository, so only the embedded default (or a declared demo) may use it;
        a deployment verifies with the identity provider's keys or with a secret of its own."""
        if self.jwt_jwks_url or self.on_embedded_default:
            return
        if self.jwt_secret == DEV_JWT_SECRET:
            if self.demo:
                return
            raise InsecureSettings(
                "JWT_JWKS_URL (the identity provider's keys) or JWT_SECRET (32+ random bytes) is missing: "
                "without either, tokens would be verified with the development secret, which anyone can read")
        if len(self.jwt_secret.encode()) < MIN_JWT_SECRET_BYTES:
            raise InsecureSettings(
                f"JWT_SECRET is {len(self.jwt_secret.encode())} bytes; it needs at least {MIN_JWT_SECRET_BYTES} "
                "random bytes (openssl rand -base64 48), or set JWT_JWKS_URL")

    @classmethod
    def from_env(cls, service: str, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        data_dir = Path(env.get("AFTERSALES_DATA_DIR", "var")).resolve()
        return cls(
            service=service,
            database_url=env.get(
                f"{service.upper()}_DATABASE_URL", f"sqlite:///{data_dir / (service + '.db')}"
            ),
            broker_url=env.get("BROKER_URL", "filesystem://"),
            data_dir=data_dir,
            events_exchange=env.get("EVENTS_EXCHANGE", cls.events_exchange),
            dead_letter_exchange=env.get("DEAD_LETTER_EXCHANGE", cls.dead_letter_exchange),
            queue_prefix=env.get("QUEUE_PREFIX", ""),
            # Empty is unset: a Secret mounted without a value must not become an empty HMAC key.
            jwt_secret=env.get("JWT_SECRET") or DEV_JWT_SECRET,
            jwt_jwks_url=env.get("JWT_JWKS_URL") or None,
            jwt_audience=env.get("JWT_AUDIENCE") or None,
            jwt_issuer=env.get("JWT_ISSUER") or None,
            demo=env.get("AFTERSALES_DEMO", "off") == "on",
            event_schema_base=env.get("EVENT_SCHEMA_BASE", cls.event_schema_base),
            max_body_bytes=int(env.get("MAX_BODY_BYTES", cls.max_body_bytes)),
            relay_batch_size=int(env.get("RELAY_BATCH_SIZE", cls.relay_batch_size)),
            relay_idle_seconds=float(env.get("RELAY_IDLE_SECONDS", cls.relay_idle_seconds)),
            broker_poll_seconds=float(env.get("BROKER_POLL_SECONDS", cls.broker_poll_seconds)),
            publish_confirm_timeout=float(
                env.get("PUBLISH_CONFIRM_TIMEOUT", cls.publish_confirm_timeout)
            ),
            broker_heartbeat=int(env.get("BROKER_HEARTBEAT", cls.broker_heartbeat)),
            consumer_max_attempts=int(env.get("CONSUMER_MAX_ATTEMPTS", cls.consumer_max_attempts)),
            consumer_retry_backoff=float(
                env.get("CONSUMER_RETRY_BACKOFF", cls.consumer_retry_backoff)
            ),
            outbox_stuck_after_seconds=float(
                env.get("OUTBOX_STUCK_AFTER_SECONDS", cls.outbox_stuck_after_seconds)
            ),
            timezone=env.get("AFTERSALES_TIMEZONE", cls.timezone),
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            log_json=env.get("LOG_FORMAT", "json") != "console",
            environ=env,
        )
