"""Which keys verify tokens: off the embedded default never the development secret, which is
written in the repository. (The identity provider's keys: tests/test_token_keys.py.)"""

from __future__ import annotations

import pytest

from shared.auth import TokenVerifier
from shared.config import DEV_JWT_SECRET, InsecureSettings, Settings
from shared.tests.widgets import WIDGETS_WITH_API

POSTGRES = "postgresql+psycopg://aftersales@db.example:5432/widgets"
RABBITMQ = "amqps://aftersales@mq.example:5671//"
OWN_SECRET = "a-secret-of-the-dealer-group-0123456789"  # 38 bytes


@pytest.mark.parametrize(("environ", "missing"), [
    ({"WIDGETS_DATABASE_URL": POSTGRES, "BROKER_URL": RABBITMQ}, "JWT_SECRET"),
    ({"WIDGETS_DATABASE_URL": POSTGRES}, "JWT_JWKS_URL"),  # a real database alone is enough to refuse
    ({"BROKER_URL": RABBITMQ}, "JWT_SECRET"),
    ({"BROKER_URL": RABBITMQ, "JWT_SECRET": ""}, "JWT_SECRET"),  # empty is unset, never an empty key
    ({"BROKER_URL": RABBITMQ, "JWT_SECRET": DEV_JWT_SECRET}, "JWT_SECRET"),
    ({"BROKER_URL": RABBITMQ, "JWT_SECRET": "short-0123456789-0123456789"}, "at least 32"),
    ({"BROKER_URL": RABBITMQ, "AFTERSALES_DEMO": "yes"}, "JWT_SECRET"),  # only "on" declares a demo
])
def test_off_the_embedded_default_a_service_refuses_to_start_without_keys_of_its_own(tmp_path, environ, missing):
    settings = Settings.from_env("widgets", {"AFTERSALES_DATA_DIR": str(tmp_path), **environ})
    with pytest.raises(InsecureSettings, match=missing):
        WIDGETS_WITH_API.create_app(settings)


@pytest.mark.parametrize("environ", [
    {},  # the embedded default: SQLite and the filesystem broker
    {"BROKER_URL": RABBITMQ, "JWT_SECRET": OWN_SECRET},
    {"WIDGETS_DATABASE_URL": POSTGRES, "BROKER_URL": RABBITMQ, "JWT_JWKS_URL": "https://idp.example/certs"},
    {"WIDGETS_DATABASE_URL": POSTGRES, "BROKER_URL": RABBITMQ, "AFTERSALES_DEMO": "on"},  # compose
])
def test_a_service_starts_on_the_embedded_default_with_keys_of_its_own_or_as_a_declared_demo(tmp_path, environ):
    settings = Settings.from_env("widgets", {"AFTERSALES_DATA_DIR": str(tmp_path), **environ})
    assert WIDGETS_WITH_API.create_app(settings).extensions["aftersales"].verifier


def test_a_declared_demo_still_refuses_a_short_secret_of_its_own(tmp_path):
    settings = Settings.from_env("widgets", {"AFTERSALES_DATA_DIR": str(tmp_path), "BROKER_URL": RABBITMQ,
                                             "AFTERSALES_DEMO": "on", "JWT_SECRET": "short"})
    with pytest.raises(InsecureSettings, match="at least 32"):
        TokenVerifier(settings)
