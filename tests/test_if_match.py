"""Every operation of the three services that answers 428 without If-Match declares the header in
its OpenAPI document, and every operation that declares it answers 428 without it.

Each operation is called as documented, with an admin token and no If-Match. The check comes
before the record is looked up or the body is read (`shared.http.etag.requires_if_match`), so a
path to a record that does not exist and an empty body are enough to meet it.
"""

from __future__ import annotations

import pytest

from shared.auth import mint

from tests.conftest import ALL

METHODS = ("get", "put", "post", "patch", "delete")


def _url(path: str, operation: dict, path_parameters: list[dict]) -> str:
    """The path with a value for each parameter that its route accepts (an integer id, a code)."""
    for parameter in [*path_parameters, *operation.get("parameters", [])]:
        if parameter.get("in") == "path":
            value = "1" if parameter.get("schema", {}).get("type") == "integer" else "X-1"
            path = path.replace("{" + parameter["name"] + "}", value)
    return path


def _declares_if_match(operation: dict) -> bool:
    return any(parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match"
               and parameter.get("required") for parameter in operation.get("parameters", []))


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_if_match_is_declared_exactly_where_it_is_required(infra, service):
    settings = infra.settings(service)
    client = service.create_app(settings).test_client()
    admin = {"Authorization": "Bearer " + mint(settings.jwt_secret, "if-match-walker", "D001", ["admin"])}
    spec = client.get("/api/v1/openapi.json").get_json()
    declared, required, called = set(), set(), 0
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            name = f"{method.upper()} {path}"
            if _declares_if_match(operation):
                declared.add(name)
                assert {"412", "428"} <= set(operation["responses"]), f"{name} documents neither 412 nor 428"
            url = _url(path, operation, item.get("parameters", []))
            answer = client.open(url, method=method.upper(), headers=admin,
                                 **({} if method == "get" else {"json": {}}))
            called += 1
            assert answer.status_code != 500, f"{name}: {answer.get_data(as_text=True)}"
            if answer.status_code == 428:
                assert answer.get_json()["code"] == "if_match_required", name
                required.add(name)
    assert called == sum(1 for item in spec["paths"].values() for method in METHODS if method in item)
    assert required == declared, (
        f"answer 428 but do not declare If-Match: {sorted(required - declared)}; "
        f"declare it but do not need it: {sorted(declared - required)}")
    assert declared, f"{service.name} has updates, each needing If-Match"
