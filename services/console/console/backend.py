"""The services behind the console: one pooled HTTP client per service and process, called
with the signed-in user's token (a backend for the frontend).

The console decides nothing about stock, claims or complaints: it forwards what the clerk
asked and shows what the service answered. A problem-details answer becomes `ApiProblem`,
which the views show next to the field it names; a refused token becomes `SignInNeeded`,
which sends the user to sign in and back; a service that cannot be reached becomes
`ServiceUnavailable`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from flask import current_app, g, session

EXTENSION = "console.backend"


class SignInNeeded(Exception):
    """No user, an expired session, or a token the service refused (401)."""


class ServiceUnavailable(Exception):
    def __init__(self, service: str, reason: str):
        super().__init__(f"{service}: {reason}")
        self.service = service


@dataclass
class ApiProblem(Exception):
    """An RFC 9457 answer from a service: what went wrong, per field where it says so."""

    status: int
    code: str
    title: str
    detail: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiProblem:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        return cls(
            status=response.status_code,
            code=str(body.get("code") or response.status_code),
            title=str(body.get("title") or response.reason_phrase),
            detail=str(body.get("detail") or ""),
            errors={str(k): [str(m) for m in v] for k, v in (body.get("errors") or {}).items()
                    if isinstance(v, list)},
            body=body,
        )

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.detail or self.title}"


@dataclass(frozen=True)
class Answer:
    data: Any
    content: bytes = b""
    content_type: str = ""
    disposition: str = ""  # a file's Content-Disposition, its name as the service gives it


class ServiceApi:
    """One service's `/api/v1`, over one keep-alive HTTP client per process (made after
    gunicorn forks, never shared across processes)."""

    def __init__(self, name: str, base_url: str, timeout: float):
        self.name = name
        self.base_url = base_url
        self._timeout = timeout
        self._client: httpx.Client | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                self._client = httpx.Client(
                    base_url=f"{self.base_url}/api/v1",
                    timeout=self._timeout,
                    limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
                )
                self._pid = os.getpid()
            return self._client

    def call(self, method: str, path: str, *, token: str, params: Mapping | None = None,
             json: Any = None, headers: Mapping[str, str] | None = None,
             content: bytes | None = None, files: Mapping[str, tuple] | None = None) -> Answer:
        sent = {"Authorization": f"Bearer {token}", "Accept": "application/json", **(headers or {})}
        try:
            response = self._http().request(
                method, path, params=_clean(params), json=json, content=content, files=files, headers=sent)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(self.name, type(exc).__name__) from exc
        if response.status_code == 401:
            raise SignInNeeded(f"{self.name} refused the token")
        if response.status_code >= 500:
            raise ServiceUnavailable(self.name, f"answered {response.status_code}")
        if response.status_code >= 400:
            raise ApiProblem.from_response(response)
        kind = response.headers.get("content-type", "")
        data = response.json() if "json" in kind and response.content else None
        return Answer(data=data, content=response.content, content_type=kind,
                      disposition=response.headers.get("content-disposition", ""))


def _clean(params: Mapping | None) -> dict | None:
    """Leave out empty filters: an empty search box is no filter."""
    if params is None:
        return None
    return {k: v for k, v in params.items() if v not in (None, "", [])}


class Backend:
    def __init__(self, urls: Mapping[str, str], timeout: float):
        self.services = {name: ServiceApi(name, url, timeout) for name, url in urls.items()}


def _user_token() -> str:
    user = session.get("user")
    if not user:
        raise SignInNeeded("not signed in")
    return user["token"]


def _call(service: str, method: str, path: str, **kwargs) -> Answer:
    api: ServiceApi = current_app.extensions[EXTENSION].services[service]
    headers = {"X-Request-ID": g.get("request_id", ""), **kwargs.pop("headers", {})}
    return api.call(method, path, token=_user_token(), headers=headers, **kwargs)


def get(service: str, path: str, params: Mapping | None = None) -> Any:
    return _call(service, "GET", path, params=params).data


def download(service: str, path: str, params: Mapping | None = None) -> Answer:
    return _call(service, "GET", path, params=params, headers={"Accept": "*/*"})


def post(service: str, path: str, body: Any = None, *, idempotency_key: str | None = None,
         version: int | str | None = None) -> Any:
    """`version`: a step taken against the version the user last read (If-Match), as `patch`."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return _call(service, "POST", path, json=body if body is not None else {}, headers=headers).data


def upload(service: str, path: str, files: Mapping[str, tuple], params: Mapping | None = None, *,
           idempotency_key: str | None = None) -> Any:
    """Files as multipart/form-data (`files`: part name -> (file name, bytes, type)), their
    facts in the query."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return _call(service, "POST", path, params=params, files=files, headers=headers).data


def patch(service: str, path: str, body: Any, *, version: int | str) -> Any:
    """Change a record against the version the user last read (If-Match): a change made
    meanwhile is refused (412) rather than overwritten."""
    return _call(service, "PATCH", path, json=body, headers={"If-Match": f'"{version}"'}).data


def put(service: str, path: str, body: Any, *, version: int | str) -> Any:
    """Replace a record whole against the version the user last read (If-Match), as `patch`."""
    return _call(service, "PUT", path, json=body, headers={"If-Match": f'"{version}"'}).data


def delete(service: str, path: str, *, version: int | str) -> Any:
    """Remove something against the version the user last read (If-Match), as `patch`."""
    return _call(service, "DELETE", path, headers={"If-Match": f'"{version}"'}).data


def segment(value: str) -> str:
    """A number, code or id as one path segment, whatever the user typed into it."""
    return quote(value, safe="")
