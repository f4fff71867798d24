"""Signing in and out (登录/退出).

In production people sign in with the dealer group's identity provider (OpenID Connect,
authorization-code flow with PKCE); its access token is what the services verify through
their JWKS, and the console passes it on unchanged. On the embedded default the demo sign-in
lists one user per desk and mints their token with the development secret. Either way the
session cookie holds the token and what the menus need (name, dealer, roles, expiry).
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import jwt
import structlog
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError

from console.auth.demo import DEMO_USERS, demo_user
from console.backend import ServiceUnavailable
from console.config import ConsoleSettings
from shared.auth import DEALER_CODE, Caller, mint

bp = Blueprint("auth", __name__, template_folder="templates")
OAUTH = "console.oauth"
IDENTITY_PROVIDER = "identity provider"
log = structlog.get_logger("console.auth")


def register_identity_provider(app, settings: ConsoleSettings) -> None:
    if not settings.oidc_issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        "idp",
        server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        client_kwargs={"scope": settings.oidc_scope, "code_challenge_method": "S256"},
    )
    app.extensions[OAUTH] = oauth


def _settings() -> ConsoleSettings:
    return current_app.config["CONSOLE"]


def has_role(*wanted: str) -> bool:
    """Whether the signed-in user holds one of these roles (an admin holds them all), read as the
    services read the token: the screens leave out what the service would refuse anyway."""
    user = session.get("user") or {}
    return Caller(user.get("sub", ""), user.get("dealer", ""), frozenset(user.get("roles", ()))).has_any(wanted)


def safe_next(target: str | None) -> str:
    """Only a path on this console: never send a user on to another site after signing in."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    return target


@bp.get("/sign-in")
def sign_in():
    settings = _settings()
    next_url = safe_next(request.args.get("next"))
    if not settings.demo_sign_in:
        return render_template("auth/sign_in.html", demo_users=(), next_url=next_url, provider=True,
                               expired=request.args.get("expired"))
    return render_template("auth/sign_in.html", demo_users=DEMO_USERS, next_url=next_url, provider=False,
                           dealer=session.get("last_dealer") or settings.demo_dealer,
                           expired=request.args.get("expired"))


@bp.post("/sign-in/demo")
def demo_sign_in():
    settings = _settings()
    if not settings.demo_sign_in:
        abort(403, _("The demo sign-in is only for the embedded default."))
    user = demo_user(request.form.get("user", ""))
    dealer = request.form.get("dealer", settings.demo_dealer).strip() or settings.demo_dealer
    if user is None or not DEALER_CODE.match(dealer):
        abort(400, _("Choose a demo user and a dealer code."))
    ttl = settings.demo_session
    token = mint(settings.jwt_secret, user.sub, dealer, user.roles, ttl=ttl,
                 audience=settings.jwt_audience, issuer=settings.jwt_issuer)
    _start_session(token=token, sub=user.sub, name=user.name, dealer=dealer, roles=list(user.roles),
                   expires_at=int(time.time() + ttl / timedelta(seconds=1)))
    return redirect(safe_next(request.form.get("next")))


@bp.get("/sign-in/provider")
def provider_sign_in():
    oauth = current_app.extensions.get(OAUTH)
    if oauth is None:
        abort(404)
    session["after_sign_in"] = safe_next(request.args.get("next"))
    try:
        return oauth.idp.authorize_redirect(url_for("auth.provider_callback", _external=True))
    except OSError as exc:  # requests' errors are OSErrors: its discovery document did not come
        raise ServiceUnavailable(IDENTITY_PROVIDER, type(exc).__name__) from exc


@bp.get("/auth/callback")
def provider_callback():
    oauth = current_app.extensions.get(OAUTH)
    if oauth is None:
        abort(404)
    try:
        answer = oauth.idp.authorize_access_token()
    except OSError as exc:
        raise ServiceUnavailable(IDENTITY_PROVIDER, type(exc).__name__) from exc
    except (OAuthError, JoseError) as refused:
        # Cancelled at the provider, a callback replayed or from another browser (no such state
        # in this session), a code refused, an ID token that does not check out: nobody signs in.
        log.warning("sign_in.refused", error=str(refused))
        abort(403, _("Signing in with your dealer group account did not succeed. Try again."))
    access_token = answer["access_token"]
    # The services verify the token's signature; here we only read who it says the user is.
    claims = jwt.decode(access_token, options={"verify_signature": False})
    userinfo = answer.get("userinfo") or {}
    if not isinstance(claims.get("dealer"), str) or not claims.get("sub"):
        abort(403, _("Your account has no dealer: ask the administrator to assign you one."))
    after_sign_in = safe_next(session.get("after_sign_in"))  # read before the session starts afresh
    _start_session(
        token=access_token,
        sub=claims["sub"],
        name=userinfo.get("name") or userinfo.get("preferred_username") or claims["sub"],
        dealer=claims["dealer"],
        roles=[r for r in claims.get("roles", []) if isinstance(r, str)],
        expires_at=int(answer.get("expires_at") or claims.get("exp") or 0),
        id_token=answer.get("id_token"),
    )
    return redirect(after_sign_in)


@bp.post("/sign-out")
def sign_out():
    """End the console's session and, with an identity provider, the provider's too (RP-initiated
    logout), so the next "sign in" asks for the password again on a shared counter PC."""
    id_token = (session.get("user") or {}).get("id_token")
    _fresh_session()
    back = url_for("auth.sign_in", _external=True)
    end_session = _end_session_endpoint()
    if end_session:
        query = {"post_logout_redirect_uri": back, "client_id": _settings().oidc_client_id}
        if id_token:
            query["id_token_hint"] = id_token
        return redirect(f"{end_session}?{urlencode(query)}")
    return redirect(url_for("auth.sign_in"))


def _end_session_endpoint() -> str | None:
    oauth = current_app.extensions.get(OAUTH)
    if oauth is None:
        return None
    try:
        return oauth.idp.load_server_metadata().get("end_session_endpoint")
    except OSError:  # the provider is not answering: at least the console's session has ended
        log.warning("sign_out.provider_unreachable")
        return None


@bp.post("/language")
def choose_language():
    chosen = request.form.get("locale")
    if chosen in current_app.config["LANGUAGES"]:
        session["locale"] = chosen
    return redirect(safe_next(request.form.get("next")))


def _start_session(*, token: str, sub: str, name: str, dealer: str, roles: list[str], expires_at: int,
                   id_token: str | None = None) -> None:
    _fresh_session()  # a new user never inherits the last one's session (fixation)
    session.permanent = True
    session["user"] = {"sub": sub, "name": name, "dealer": dealer, "roles": sorted(roles),
                       "token": token, "expires_at": expires_at}
    if id_token:
        session["user"]["id_token"] = id_token  # the hint the provider wants at sign-out


def _fresh_session() -> None:
    """Nothing of the session left but the language chosen on this PC."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
