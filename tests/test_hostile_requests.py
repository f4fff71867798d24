"""Requests an outsider may send, answered by every service as problem details, the same on
PostgreSQL and on the embedded default, and never with a 500 or gunicorn's own HTML page."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys

import pytest
import requests

from shared.auth import mint
from tools.stack import ROOT, Stack

from complaints.app import COMPLAINTS
from parts.app import PARTS
from tests.conftest import ALL
from warranty.app import WARRANTY

BODY_METHODS = ("post", "put", "patch")
# Each service's create, with one text field that will carry a NUL.
CREATES = {
    "parts": ("/api/v1/parts", "name_en", {
        "part_number": "04465-33450", "name_en": "Front brake pads", "category": "brakes", "unit": "set",
        "source": "oem", "list_price": "420.00"}),
    "warranty": ("/api/v1/vehicles", "model", {
        "vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry", "model_year": 2024,
        "in_service_date": "2024-09-15"}),
    "complaints": ("/api/v1/complaints", "text", {"channel": "phone", "text": "The brake pads squeal."}),
}


def client_and_admin(infra, service):
    settings = infra.settings(service)
    app = service.create_app(settings)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client(), {"Authorization": "Bearer " + mint(settings.jwt_secret, "outsider", "D001", ["admin"])}


def operations_taking_json(client) -> list[tuple[str, str]]:
    """(method, url) of every operation whose body is JSON, path parameters filled in."""
    spec = client.get("/api/v1/openapi.json").get_json()
    found = []
    for path, item in spec["paths"].items():
        for method in BODY_METHODS:
            operation = item.get(method)
            if operation and "application/json" in operation.get("requestBody", {}).get("content", {}):
                parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
                found.append((method.upper(), _filled(path, parameters)))
    return found


def _filled(path: str, parameters: list[dict]) -> str:
    for parameter in parameters:
        if parameter.get("in") == "path":
            value = "1" if parameter.get("schema", {}).get("type") == "integer" else "X-1"
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code
    return body


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_every_json_body_is_checked_before_its_schema(infra, service):
    """Nesting a thousand levels deep used to be a 500 on every service, and a NUL character was
    stored on SQLite where PostgreSQL refused it: now every operation that takes JSON answers
    both the same way, on both back ends, before its schema or the database see the body."""
    client, admin = client_and_admin(infra, service)
    headers = {**admin, "If-Match": '"1"'}  # operations that need it get one; the body comes second
    operations = operations_taking_json(client)
    assert len(operations) >= 5, operations
    deep = "[" * 1000 + "]" * 1000
    for method, url in operations:
        refused = client.open(url, method=method, data=deep, content_type="application/json", headers=headers)
        problem(refused, 400, "nested_too_deep")
        with_nul = client.open(url, method=method, json={"note": "a\u0000b"}, headers=headers)
        body = problem(with_nul, 422, "validation_failed")
        assert (body["field"], body["errors"]) == ("note", {"note": [body["detail"]]}), f"{method} {url}"


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_a_nul_in_a_real_field_is_422_naming_it_and_nothing_is_kept(infra, service):
    client, admin = client_and_admin(infra, service)
    url, field, valid = CREATES[service.name]
    body = problem(client.post(url, json={**valid, field: valid[field] + "\u0000"}, headers=admin),
                   422, "validation_failed")
    assert list(body["errors"]) == [field]
    assert client.get(url, headers=admin).get_json()["items"] == []
    assert client.post(url, json=valid, headers=admin).status_code == 201  # the rest was fine

# Each service's list with a text filter, and one resource by its path parameter.
LOOKUPS = {
    "parts": ("q", "/api/v1/parts/{}", "part_number"),
    "warranty": ("make", "/api/v1/vehicles/{}", "vin"),
    "complaints": ("customer_name", "/api/v1/complaints/{}", "complaint_id"),
}


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_a_nul_in_a_query_path_or_form_is_422_naming_it(infra, service):
    """PostgreSQL cannot compare text with a NUL (a 500) where SQLite just finds nothing: both
    answer 422 naming the parameter, the path segment or the form field, and store nothing."""
    client, admin = client_and_admin(infra, service)
    url, _, valid = CREATES[service.name]
    text_filter, one, path_parameter = LOOKUPS[service.name]
    asked = {
        text_filter: client.get(f"{url}?{text_filter}=a%00b", headers=admin),
        path_parameter: client.get(one.format("A%00B"), headers=admin),
        "a%00b": client.get(f"{url}?a%00b=1", headers=admin),  # a parameter's name
        "note": client.post(url, data={"note": "a\u0000b"}, headers=admin),  # a form field
    }
    for field, answer in asked.items():
        body = problem(answer, 422, "validation_failed")
        assert (body["field"], list(body["errors"])) == (field, [field]), body
        assert "NUL" in body["detail"], body
    assert client.get(url, headers=admin).get_json()["items"] == []
    assert client.get(f"{url}?{text_filter}=ab", headers=admin).status_code == 200  # without, it is fine


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_every_401_asks_for_a_bearer_token(infra, service):
    client, _ = client_and_admin(infra, service)
    url = CREATES[service.name][0]
    missing = client.get(url)
    problem(missing, 401, "unauthenticated")
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    refused = client.get(url, headers={"Authorization": "Bearer " + mint("not-the-secret-" * 3, "x", "D001", [])})
    problem(refused, 401, "unauthenticated")
    assert refused.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_a_part_patched_with_a_5000_digit_if_match_is_412_and_unchanged(infra):
    client, admin = client_and_admin(infra, PARTS)
    url, _, part = CREATES["parts"]
    assert client.post(url, json=part, headers=admin).status_code == 201
    one = f"{url}/{part['part_number']}"
    for digits in (20, 5000):
        answer = client.patch(one, json={"name_en": "Pads", "reason": "typo"},
                              headers={**admin, "If-Match": '"' + "7" * digits + '"'})
        problem(answer, 412, "stale_version")
    after = client.get(one, headers=admin)
    assert (after.headers["ETag"], after.get_json()["name_en"]) == ('"1"', "Front brake pads")


# ---------------------------------------------------------------- under gunicorn


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def parts_under_gunicorn(embedded_infra):
    embedded_infra.database_url(PARTS)
    stack = Stack(embedded_infra.environ(PARTS, LOG_LEVEL="INFO"), ports={"parts": _free_port()}, web_workers=1, console_port=None)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def test_under_gunicorn_a_long_url_or_header_is_answered_by_the_app(parts_under_gunicorn, embedded_infra):
    """gunicorn's own limits (a 4 KB request line, an 8 KB header) answered with its HTML page;
    deploy/gunicorn.conf.py raises them so the app's 414 and 431 are problem details. Beyond
    the raised limits, and for a request line gunicorn cannot parse, gunicorn answers itself:
    problem details too (shared/http/gunicorn_worker.py), and it closes the connection."""
    base = parts_under_gunicorn.url("parts")
    admin = {"Authorization": "Bearer " + mint(embedded_infra.jwt_secret, "outsider", "D001", ["admin"]),
             "Connection": "close"}
    long_url = requests.get(f"{base}/api/v1/parts?q=" + "x" * 5000, headers=admin, timeout=10)
    assert (long_url.status_code, long_url.headers["Content-Type"]) == (414, "application/problem+json")
    assert long_url.json()["code"] == "uri_too_long"
    long_header = requests.get(f"{base}/api/v1/parts", headers={**admin, "X-Note": "n" * 10_000}, timeout=10)
    assert (long_header.status_code, long_header.headers["Content-Type"]) == (431, "application/problem+json")
    assert long_header.json()["code"] == "header_too_large"

    host, port = base.removeprefix("http://").split(":")
    line_limit, field_limit = (gunicorn_setting(name) for name in ("limit_request_line", "limit_request_field_size"))
    refused = {
        b"GET /api/v1/parts?q=" + b"x" * line_limit + b" HTTP/1.1\r\nHost: a\r\n\r\n": (414, "uri_too_long"),
        b"GET /api/v1/parts HTTP/1.1\r\nHost: a\r\nX-Note: " + b"n" * field_limit + b"\r\n\r\n":
            (431, "header_too_large"),
        b"GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n": (400, "bad_request"),
    }
    for request, (status, code) in refused.items():
        head, body = raw_exchange(host, int(port), request).split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:])
        assert int(lines[0].split()[1]) == status, lines
        assert (headers["Content-Type"], headers["Connection"]) == ("application/problem+json", "close")
        problem_body = json.loads(body)
        assert (problem_body["status"], problem_body["code"]) == (status, code), problem_body
        assert problem_body["type"] == f"/problems/{code}" and problem_body["detail"]
    assert requests.get(f"{base}/health/live", timeout=10).status_code == 200  # the worker lives on


def gunicorn_setting(name: str) -> int:
    text = (ROOT / "deploy/gunicorn.conf.py").read_text()
    return int(re.search(rf"^{name} = (\d+)$", text, re.M).group(1))


def raw_exchange(host: str, port: int, request: bytes) -> bytes:
    """Send bytes no HTTP library would, and read the answer until the server closes."""
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("service", [PARTS, WARRANTY, COMPLAINTS], ids=lambda service: service.name)
def test_gunicorn_refuses_to_start_an_api_on_postgresql_with_the_development_secret(tmp_path, service):
    environ = {
        "PATH": "/usr/bin:/bin",
        "AFTERSALES_DATA_DIR": str(tmp_path),
        f"{service.name.upper()}_DATABASE_URL": "postgresql+psycopg://aftersales@127.0.0.1:1/none",
        "BROKER_URL": "amqp://aftersales@127.0.0.1:1//",
        "BIND": f"127.0.0.1:{_free_port()}",
        "WEB_CONCURRENCY": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    started = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"),
         f"{service.name}.app:create_app()"],
        env=environ, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert started.returncode != 0
    assert "InsecureSettings" in started.stderr and "JWT_SECRET" in started.stderr, started.stderr[-2000:]
