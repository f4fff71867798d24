"""The OpenAPI document is written when it is first read, not when the app is built
(`shared.http.app.ProblemApi`): it must still hold every operation the app serves, once."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ALL

# Served beside the API, not part of it: the document itself and its docs page.
NOT_OPERATIONS = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/assets/<path:filename>"}


def _documented_path(rule: str) -> str:
    """Flask's /api/v1/parts/<part_number> as OpenAPI writes it: /api/v1/parts/{part_number}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


@pytest.mark.parametrize("service", ALL, ids=[service.name for service in ALL])
def test_the_document_holds_every_operation_the_app_serves(embedded_infra, service):
    app = service.create_app(embedded_infra.settings(service))
    served = {(_documented_path(rule.rule), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/") and rule.rule not in NOT_OPERATIONS
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    client = app.test_client()
    first = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, operations in first["paths"].items() for method in operations
                  if method in ("get", "put", "post", "patch", "delete")}

    assert served and documented == served
    assert client.get("/api/v1/openapi.json").get_json() == first  # read again: nothing added twice
