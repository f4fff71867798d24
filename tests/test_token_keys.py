"""With the identity provider's keys configured (`JWT_JWKS_URL`, as the production overlay sets
it), a service accepts the provider's RS256 tokens and refuses every HS256 token, whatever it is
signed with: no algorithm confusion, where an HMAC keyed with the public key (which anyone can
fetch from the provider) would pass for the provider's signature.

The provider is tests/oidc_provider.py on a free local port: it serves its RSA public key as
JWKS and signs access tokens with the private key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization

from shared.auth import InvalidToken, TokenVerifier, mint
from shared.config import DEV_JWT_SECRET, Settings

from tests.conftest import ALL
from tests.oidc_provider import OidcProvider, RegisteredClient

AUDIENCE = "aftersales-api"
OWN_SECRET = "a-secret-of-the-dealer-group-0123456789"


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    client = RegisteredClient("aftersales-console", "client-secret", ("http://127.0.0.1/auth/callback",))
    with OidcProvider(client, (), audience=AUDIENCE) as running:
        yield running


def on_jwks(provider: OidcProvider) -> dict[str, str]:
    """As the production overlay configures the APIs; its JWT_SECRET is then not used to verify."""
    return {"JWT_JWKS_URL": provider.jwks_url, "JWT_ISSUER": provider.issuer, "JWT_AUDIENCE": AUDIENCE,
            "JWT_SECRET": OWN_SECRET}


def published_keys(provider: OidcProvider) -> list[bytes | str]:
    """What anyone can fetch from the provider, in the forms an attacker would try as an HMAC
    key: the JWK as published, and the public key in PEM."""
    [jwk] = requests.get(provider.jwks_url, timeout=10).json()["keys"]
    public = jwt.algorithms.RSAAlgorithm.from_jwk(jwk)
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return [pem, json.dumps(jwk), jwk["n"]]


def hs256(secret: bytes | str, header: dict, claims: dict) -> str:
    """An HS256 token over any bytes. PyJWT refuses to use a PEM key as an HMAC secret, so it is
    signed here by hand, as an attacker would."""

    def encoded(part: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(part, separators=(",", ":")).encode()).rstrip(b"=").decode()

    signing_input = f"{encoded({**header, 'alg': 'HS256'})}.{encoded(claims)}"
    key = secret.encode() if isinstance(secret, str) else secret
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def genuine_parts(provider: OidcProvider) -> tuple[dict, dict]:
    """The header and claims of a token the provider really issued."""
    genuine = provider.mint("wang.fang", "D001", ["admin"])
    return jwt.get_unverified_header(genuine), jwt.decode(genuine, options={"verify_signature": False})


def forgeries(provider: OidcProvider) -> list[str]:
    """HS256 copies of a genuine token, keyed with each published form of the public key, the
    deployment's JWT_SECRET and the development secret, with and without the provider's kid."""
    header, claims = genuine_parts(provider)
    secrets = [*published_keys(provider), OWN_SECRET, DEV_JWT_SECRET]
    return [hs256(secret, kept, claims) for secret in secrets for kept in (header, {"typ": "JWT"})]


def test_the_provider_s_token_is_accepted_and_hs256_ones_are_refused(provider):
    verifier = TokenVerifier(Settings.from_env("parts", on_jwks(provider)))
    caller = verifier.verify(provider.mint("wang.fang", "D001", ["parts_clerk"]))
    assert (caller.sub, caller.dealer, caller.roles) == ("wang.fang", "D001", frozenset({"parts_clerk"}))
    for forged in forgeries(provider):
        with pytest.raises(InvalidToken):
            verifier.verify(forged)
    # The forgeries are well made: one keyed with a secret passes a check on that secret alone.
    header, claims = genuine_parts(provider)
    assert jwt.decode(hs256(OWN_SECRET, header, claims), OWN_SECRET, algorithms=["HS256"], audience=AUDIENCE)


@pytest.mark.parametrize(("claims", "expected"), [
    ({"iss": "https://another-provider.example"}, {}),
    ({}, {"JWT_AUDIENCE": "another-api"}),  # the provider's token is for aftersales-api
    ({"exp": int(time.time()) - 3600}, {}),
])
def test_the_provider_s_token_for_another_issuer_or_audience_or_expired_is_refused(provider, claims, expected):
    verifier = TokenVerifier(Settings.from_env("parts", {**on_jwks(provider), **expected}))
    with pytest.raises(InvalidToken):
        verifier.verify(provider.mint("wang.fang", "D001", ["parts_clerk"], **claims))


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_every_service_on_jwks_answers_the_provider_s_token_and_401s_the_rest(infra, provider, service):
    client = service.create_app(infra.settings(service, **on_jwks(provider))).test_client()
    url = {"parts": "/api/v1/parts", "warranty": "/api/v1/vehicles", "complaints": "/api/v1/complaints"}[service.name]
    genuine = provider.mint("wang.fang", "D001", ["admin"])
    assert client.get(url, headers={"Authorization": f"Bearer {genuine}"}).status_code == 200
    own_secret = mint(OWN_SECRET, "wang.fang", "D001", ["admin"], audience=AUDIENCE, issuer=provider.issuer)
    for forged in [*forgeries(provider), own_secret]:
        refused = client.get(url, headers={"Authorization": f"Bearer {forged}"})
        assert (refused.status_code, refused.get_json()["code"]) == (401, "unauthenticated")
        assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
