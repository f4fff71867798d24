"""A small, real OpenID Connect provider for tests only: what the dealer group's identity
provider does for the console, on a free port of this machine.

Authorization-code flow with PKCE (S256): discovery, JWKS (an RSA key made at start), a login
form a browser really fills in, `/token` with client_secret_basic, `/userinfo`. Access tokens
are RS256 JWTs carrying `sub`, `dealer`, `roles`, `exp`, `iss` and `aud`, as the services
verify them through `JWT_JWKS_URL`; ID tokens carry the nonce the client sent.

    with OidcProvider(client, users, audience="aftersales-api") as provider:
        provider.issuer, provider.jwks_url, provider.mint("seed", "D001", ["parts_manager"])
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, jsonify, redirect, render_template_string, request
from werkzeug.serving import make_server

LOGIN_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dealer group sign-in</title></head>
<body><h1>Dealer group identity provider</h1>
{% if failed %}<p id="failed" role="alert">Wrong user name or password.</p>{% endif %}
<form method="post">
  {% for name, value in request_params.items() %}
  <input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
  <label>User name <input id="username" name="username" value="{{ username }}" autocomplete="off"></label>
  <label>Password <input id="password" name="password" type="password"></label>
  <button id="log-in" type="submit">Log in</button>
  <button id="cancel" type="submit" name="action" value="cancel">Cancel</button>
</form></body></html>"""
# What the client sends to /authorize and the login form carries along.
AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
                    "code_challenge", "code_challenge_method")


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    name: str
    dealer: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]


@dataclass
class OidcProvider:
    client: RegisteredClient
    users: tuple[Account, ...]
    audience: str | None = None
    token_ttl: int = 3600
    host: str = "127.0.0.1"
    # Every access token's claims, in the order issued: what a test checks was (not) handed out.
    issued: list[dict] = field(default_factory=list)
    # Whose sessions here were ended by a client's sign-out (RP-initiated logout).
    ended: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = secrets.token_hex(8)
        self._codes: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._server = make_server(self.host, 0, self._app(), threaded=True)
        self.issuer = f"http://{self.host}:{self._server.server_port}"
        self.jwks_url = f"{self.issuer}/jwks.json"
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True)

    def __enter__(self) -> OidcProvider:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mint(self, sub: str, dealer: str, roles, **extra) -> str:
        """An access token as /token issues it (tests also use it to seed data over the APIs)."""
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": sub, "dealer": dealer, "roles": sorted(roles),
                  "iat": now, "exp": now + self.token_ttl, **extra}
        if self.audience:
            claims["aud"] = self.audience
        return self._sign(claims)

    def _sign(self, claims: dict) -> str:
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})

    def _app(self) -> Flask:
        app = Flask("oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                userinfo_endpoint=f"{self.issuer}/userinfo",
                jwks_uri=self.jwks_url,
                response_types_supported=["code"],
                grant_types_supported=["authorization_code"],
                subject_types_supported=["public"],
                scopes_supported=["openid", "profile"],
                id_token_signing_alg_values_supported=["RS256"],
                token_endpoint_auth_methods_supported=["client_secret_basic"],
                code_challenge_methods_supported=["S256"],
                end_session_endpoint=f"{self.issuer}/logout",
            )

        @app.get("/jwks.json")
        def jwks():
            key = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
            return jsonify(keys=[{**key, "kid": self._kid, "use": "sig", "alg": "RS256"}])

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():
            params = {name: (request.values.get(name) or "") for name in AUTHORIZE_PARAMS}
            if (params["client_id"] != self.client.client_id
                    or params["redirect_uri"] not in self.client.redirect_uris):
                abort(400, "unknown client or redirect_uri")  # never redirect to an unregistered address
            if (params["response_type"] != "code" or "openid" not in params["scope"].split()
                    or not params["state"] or params["code_challenge_method"] != "S256"
                    or len(params["code_challenge"]) < 43):
                abort(400, "a code request with openid scope, state and an S256 code_challenge is needed")

            def back_to_client(**answer):
                query = urlencode({**answer, "state": params["state"]})
                return redirect(f"{params['redirect_uri']}?{query}", 302)

            def login_form(username: str = "", failed: bool = False):
                page = render_template_string(LOGIN_FORM, request_params=params, failed=failed, username=username)
                return page, 401 if failed else 200

            if request.method == "GET":
                return login_form()
            if request.form.get("action") == "cancel":
                return back_to_client(error="access_denied")
            username = request.form.get("username", "")
            user = next((u for u in self.users if u.username == username), None)
            if user is None or not hmac.compare_digest(user.password, request.form.get("password", "")):
                return login_form(username, failed=True)
            code = secrets.token_urlsafe(32)
            with self._lock:
                self._codes[code] = {**params, "user": user, "expires": time.time() + 60}
            return back_to_client(code=code)

        @app.post("/token")
        def token():
            auth = request.authorization
            if (auth is None or auth.type != "basic" or auth.username != self.client.client_id
                    or not hmac.compare_digest(auth.password or "", self.client.client_secret)):
                return jsonify(error="invalid_client"), 401, {"WWW-Authenticate": 'Basic realm="oidc"'}
            with self._lock:
                grant = self._codes.pop(request.form.get("code", ""), None)  # a code is good once
            verifier = request.form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if (request.form.get("grant_type") != "authorization_code" or grant is None
                    or grant["expires"] < time.time() or grant["client_id"] != auth.username
                    or grant["redirect_uri"] != request.form.get("redirect_uri")
                    or not hmac.compare_digest(challenge, grant["code_challenge"])):
                return jsonify(error="invalid_grant"), 400
            user: Account = grant["user"]
            access_token = self.mint(user.username, user.dealer, user.roles, scope=grant["scope"])
            now = int(time.time())
            id_token = self._sign({"iss": self.issuer, "sub": user.username, "aud": self.client.client_id,
                                   "iat": now, "exp": now + self.token_ttl, "auth_time": now,
                                   "nonce": grant["nonce"], "name": user.name,
                                   "preferred_username": user.username})
            self.issued.append(jwt.decode(access_token, options={"verify_signature": False}))
            return jsonify(access_token=access_token, token_type="Bearer", expires_in=self.token_ttl,
                           id_token=id_token, scope=grant["scope"]), 200, {"Cache-Control": "no-store"}

        @app.get("/logout")
        def logout():
            """RP-initiated logout: the user's session here ends; back to a page of the client."""
            back = request.args.get("post_logout_redirect_uri", "")
            if (request.args.get("client_id") != self.client.client_id
                    or not any(back.startswith(uri.rsplit("/", 2)[0]) for uri in self.client.redirect_uris)):
                abort(400, "unknown client or post_logout_redirect_uri")
            hint = request.args.get("id_token_hint", "")
            claims = jwt.decode(hint, self._key.public_key(), algorithms=["RS256"], issuer=self.issuer,
                                audience=self.client.client_id, options={"verify_exp": False})
            self.ended.append(claims["sub"])
            return redirect(back, 302)

        @app.get("/userinfo")
        def userinfo():
            auth = request.authorization
            try:
                claims = jwt.decode(auth.token if auth and auth.type == "bearer" else "", self._key.public_key(),
                                    algorithms=["RS256"], issuer=self.issuer, audience=self.audience)
            except jwt.PyJWTError:
                return jsonify(error="invalid_token"), 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            user = next(u for u in self.users if u.username == claims["sub"])
            return jsonify(sub=user.username, name=user.name, preferred_username=user.username)

        return app
