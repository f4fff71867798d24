"""The HTTP conventions every service gets from shared.http, on a throw-away resource."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from shared.auth import mint
from shared.db import ALL_DEALERS
from shared.events.tables import outbox
from shared.tests.widgets import WIDGETS_WITH_API, Widget


@pytest.fixture
def service(infra):
    settings = infra.settings(WIDGETS_WITH_API, MAX_BODY_BYTES="4096")
    app = WIDGETS_WITH_API.create_app(settings)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app, settings


@pytest.fixture
def client(service):
    return service[0].test_client()


@pytest.fixture
def token(service):
    settings = service[1]

    def make(roles=("parts_clerk",), dealer="D001", sub="alice", secret=None, **kwargs):
        return {"Authorization": "Bearer " + mint(secret or settings.jwt_secret, sub, dealer, roles, **kwargs)}

    return make


def assert_problem(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["code"] == code
    assert body["type"] and body["title"]
    return body


def count_rows(service, table) -> int:
    app, _ = service
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        return session.scalar(select(func.count()).select_from(table))


# ---------------------------------------------------------------- authentication and roles


def test_no_token_is_401_asking_for_a_bearer_token(client):
    # RFC 6750 §3: a request without credentials gets the scheme and no error code.
    for headers in ({}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/widgets", headers=headers)
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_expired_and_forged_tokens_are_401_invalid_token(client, token):
    long_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    expired = token(now=long_ago, ttl=timedelta(hours=1))
    forged = token(secret="somebody-elses-secret-of-sufficient-length")
    garbage = {"Authorization": "Bearer not.a.jwt"}
    for headers in (expired, forged, garbage):
        response = client.get("/api/v1/widgets", headers=headers)
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_wrong_role_is_403_and_admin_passes(client, token):
    body = assert_problem(client.get("/api/v1/widgets", headers=token(roles=["complaints_agent"])), 403, "forbidden")
    assert "parts_clerk" in body["detail"]
    assert client.get("/api/v1/widgets", headers=token(roles=["admin"])).status_code == 200


def test_an_operation_that_declares_no_roles_refuses_everyone(client, token):
    assert_problem(client.post("/api/v1/widgets/broken", headers=token(roles=["admin"])), 403, "forbidden")


def test_another_dealers_record_is_404_and_never_changes(client, token):
    assert client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=token()).status_code == 201
    other = token(dealer="D002")
    assert_problem(client.get("/api/v1/widgets/W-1", headers=other), 404, "not_found")
    assert_problem(client.patch("/api/v1/widgets/W-1", json={"colour": "blue"},
                                headers={**other, "If-Match": '"1"'}), 404, "not_found")
    assert client.get("/api/v1/widgets", headers=other).get_json()["items"] == []
    assert client.get("/api/v1/widgets/W-1", headers=token()).get_json()["colour"] == "red"


def test_openapi_and_docs_need_no_token_and_list_roles(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["paths"]["/api/v1/widgets"]["post"]["x-roles"] == ["parts_clerk"]
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    assert client.get("/api/v1/docs").status_code == 200


def test_the_docs_page_loads_everything_from_the_app_itself(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    # Not one external host: no scheme, and no protocol-relative //host either.
    assert re.findall(r"(?:[a-z]+:)?//[^\s\"'<>]*", html) == []
    references = _References()
    references.feed(html)
    assert {url.rsplit("/", 1)[-1] for url in references.urls} == {
        "swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"}
    for url in references.urls:
        asset = client.get(url)  # without a token, as a browser loads them
        assert asset.status_code == 200, url
        assert asset.mimetype in ("text/css", "text/javascript", "application/javascript"), (url, asset.mimetype)
        assert len(asset.get_data()) > 10_000, url
    bundle = client.get(next(url for url in references.urls if url.endswith("swagger-ui-bundle.js")))
    assert b"SwaggerUIBundle" in bundle.get_data()
    assert client.get("/api/v1/docs/assets/no-such-file.js").status_code == 404


class _References(HTMLParser):
    """The script sources and style sheets a page loads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])


# ---------------------------------------------------------------- bad input


def test_malformed_json_is_400(client, token):
    response = client.post("/api/v1/widgets", data='{"code": "W-1", ', content_type="application/json", headers=token())
    assert_problem(response, 400, "malformed_json")


def test_wrong_type_and_unknown_and_missing_fields_are_422_per_field(client, token, service):
    response = client.post("/api/v1/widgets", json={"code": 7, "size": "big", "paint": "x"}, headers=token())
    body = assert_problem(response, 422, "validation_failed")
    assert set(body["errors"]) == {"code", "size", "paint", "colour"}
    assert body["errors"]["paint"] == ["Unknown field."]
    assert count_rows(service, outbox) == 0


def test_an_oversized_body_is_413(client, token):
    response = client.post("/api/v1/widgets", json={"code": "W", "colour": "x" * 5000}, headers=token())
    assert_problem(response, 413, "payload_too_large")


def nested(depth: int) -> str:
    return '{"code": "W-1", "colour": "red", "size": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [33, 1000, 2000])  # 2,000 levels: within the 4 KiB allowed here
def test_a_body_nested_too_deep_is_400_before_any_schema_reads_it(client, token, service, depth):
    response = client.post("/api/v1/widgets", data=nested(depth), content_type="application/json", headers=token())
    body = assert_problem(response, 400, "nested_too_deep")
    assert "32 levels" in body["detail"]
    assert count_rows(service, outbox) == 0


def test_nesting_as_deep_as_allowed_reaches_the_schema(client, token):
    # 31 arrays inside the body's object: 32 levels, refused by the schema (size is an integer).
    body = assert_problem(client.post("/api/v1/widgets", data=nested(31), content_type="application/json",
                                      headers=token()), 422, "validation_failed")
    assert set(body["errors"]) == {"size"}


@pytest.mark.parametrize(("document", "field"), [
    ({"code": "W-1", "colour": "red\u0000"}, "colour"),
    ({"code": "W-1", "colour": "red", "size": [{"deep": ["\u0000"]}]}, "size.0.deep.0"),
    ({"code": "W-1", "colour": "red", "si\u0000ze": 1}, "si\\u0000ze"),
])
def test_a_nul_character_anywhere_in_the_body_is_422_naming_the_field_on_both_back_ends(
        client, token, service, document, field):
    # PostgreSQL cannot store a NUL and SQLite would: refused before either sees it.
    response = client.post("/api/v1/widgets", json=document, headers=token())
    body = assert_problem(response, 422, "validation_failed")
    assert (body["field"], list(body["errors"])) == (field, [field])
    assert count_rows(service, outbox) == 0
    assert client.get("/api/v1/widgets", headers=token()).get_json()["items"] == []


def test_a_url_or_header_too_long_is_414_or_431_problem_details(client, token):
    long_url = "/api/v1/widgets?code=" + "W" * 4100
    assert_problem(client.get(long_url, headers=token()), 414, "uri_too_long")
    assert_problem(client.get("/nowhere/" + "x" * 4100), 414, "uri_too_long")  # before routing and auth
    body = assert_problem(client.get("/api/v1/widgets", headers={**token(), "X-Note": "n" * 10_000}),
                          431, "header_too_large")
    assert body["header"] == "X-Note"
    # Nor does an oversized token get as far as being verified.
    assert_problem(client.get("/api/v1/widgets", headers={"Authorization": "Bearer " + "a" * 9000}),
                   431, "header_too_large")
    within = client.get("/api/v1/widgets?colur=" + "W" * 4000, headers=token())  # reaches the schema
    assert assert_problem(within, 422, "validation_failed")["errors"] == {"colur": ["Unknown field."]}


def test_unknown_route_and_method_are_problem_details(client, token):
    assert_problem(client.get("/api/v1/nowhere", headers=token()), 404, "not_found")
    response = client.delete("/api/v1/widgets", headers=token())
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    assert_problem(client.get("/nowhere"), 404, "not_found")


def test_an_unexpected_error_is_500_without_internals(client, token):
    response = client.get("/api/v1/widgets/broken", headers={**token(), "X-Request-ID": "trace-me-1"})
    body = assert_problem(response, 500, "internal_error")
    assert body["correlation_id"] == "trace-me-1"
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


# ---------------------------------------------------------------- ETag, Idempotency-Key, cursors


def test_updates_need_the_current_etag(client, token):
    created = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=token())
    assert created.headers["ETag"] == '"1"'
    assert_problem(client.patch("/api/v1/widgets/W-1", json={"colour": "blue"}, headers=token()), 428, "if_match_required")
    first = client.patch("/api/v1/widgets/W-1", json={"colour": "blue"}, headers={**token(), "If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    stale = client.patch("/api/v1/widgets/W-1", json={"colour": "green"}, headers={**token(), "If-Match": '"1"'})
    body = assert_problem(stale, 412, "stale_version")
    assert body["current_version"] == 2
    assert client.get("/api/v1/widgets/W-1", headers=token()).get_json()["colour"] == "blue"


def test_if_match_is_declared_where_it_is_enforced_and_checked_before_the_body(client, token):
    spec = client.get("/api/v1/openapi.json").get_json()
    patch = spec["paths"]["/api/v1/widgets/{code}"]["patch"]
    [if_match] = [p for p in patch["parameters"] if p["name"] == "If-Match"]
    assert (if_match["in"], if_match["required"]) == ("header", True)
    assert {"412", "428", "422"} <= set(patch["responses"])
    assert "requestBody" in patch  # the body is still documented beside the header
    assert not any(p["name"] == "If-Match" for p in spec["paths"]["/api/v1/widgets"]["post"].get("parameters", []))
    client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=token())
    # A precondition is checked before the content (RFC 9110 §13.2.1): no If-Match is 428 even
    # for a body that would be refused, and a malformed one is 412.
    assert_problem(client.patch("/api/v1/widgets/W-1", json={"colour": 7}, headers=token()), 428, "if_match_required")
    assert_problem(client.patch("/api/v1/widgets/W-1", json={"colour": "blue"}, headers={**token(), "If-Match": "*"}),
                   412, "stale_version")
    # A number no version reaches (Python will not even convert 5,000 digits) is not an ETag.
    for digits in (20, 5000):
        huge = client.patch("/api/v1/widgets/W-1", json={"colour": "blue"},
                            headers={**token(), "If-Match": '"' + "9" * digits + '"'})
        assert len(assert_problem(huge, 412, "stale_version")["detail"]) < 200
    # A body that could never be read is still second to the missing precondition.
    assert_problem(client.patch("/api/v1/widgets/W-1", data=nested(1000), content_type="application/json",
                                headers=token()), 428, "if_match_required")
    assert client.get("/api/v1/widgets/W-1", headers=token()).get_json()["version"] == 1


def test_a_retried_post_with_the_same_key_replays_the_first_response(client, token, service):
    headers = {**token(), "Idempotency-Key": "order-7"}
    first = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=headers)
    again = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_rows(service, outbox) == 1
    reused = client.post("/api/v1/widgets", json={"code": "W-2", "colour": "red"}, headers=headers)
    assert_problem(reused, 422, "idempotency_key_reused")
    # keys are per dealer
    other = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"},
                        headers={**token(dealer="D002"), "Idempotency-Key": "order-7"})
    assert other.status_code == 201


def test_concurrent_posts_with_one_key_apply_once(real_infra, token):
    settings = real_infra.settings(WIDGETS_WITH_API)
    app = WIDGETS_WITH_API.create_app(settings)
    headers = {**token(), "Idempotency-Key": "same-key"}
    statuses: list[int] = []

    def post(code):
        statuses.append(app.test_client().post("/api/v1/widgets", json={"code": "W-1", "colour": "red"},
                                               headers=headers).status_code)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    database = app.extensions["aftersales"].database
    with database.reading(ALL_DEALERS) as session:
        assert session.scalar(select(func.count()).select_from(Widget)) == 1
        assert session.scalar(select(func.count()).select_from(outbox)) == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}


def test_cursor_pages_walk_the_whole_list_once(client, token):
    codes = [f"W-{i:02d}" for i in range(7)]
    for code in reversed(codes):
        client.post("/api/v1/widgets", json={"code": code, "colour": "red"}, headers=token())
    seen, cursor = [], None
    while True:
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/v1/widgets{query}", headers=token()).get_json()
        seen.extend(item["code"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == codes
    assert_problem(client.get("/api/v1/widgets?cursor=garbage", headers=token()), 422, "invalid_cursor")
    assert_problem(client.get("/api/v1/widgets?limit=0", headers=token()), 422, "validation_failed")


# ---------------------------------------------------------------- events, health, metrics


def test_the_event_feed_serves_a_dealers_events_in_commit_order(client, token):
    for code in ["A", "B", "C"]:
        client.post("/api/v1/widgets", json={"code": code, "colour": "red"}, headers=token())
    client.post("/api/v1/widgets", json={"code": "X", "colour": "red"}, headers=token(dealer="D002"))
    client.patch("/api/v1/widgets/A", json={"colour": "blue"}, headers={**token(), "If-Match": '"1"'})
    reader = token(roles=["integration"])

    page = client.get("/api/v1/events?after=0&limit=2", headers=reader).get_json()
    rest = client.get(f"/api/v1/events?after={page['next_after']}", headers=reader).get_json()
    items = page["items"] + rest["items"]
    assert [(i["event"]["type"], i["event"]["subject"]) for i in items] == [
        ("widgets.widget.made", "A"), ("widgets.widget.made", "B"), ("widgets.widget.made", "C"),
        ("widgets.widget.painted", "A"),
    ]
    positions = [i["position"] for i in items]
    assert positions == sorted(positions)
    assert client.get(f"/api/v1/events?after={rest['next_after']}", headers=reader).get_json() == {
        "items": [], "next_after": rest["next_after"]}
    assert_problem(client.get("/api/v1/events", headers=token(roles=["parts_clerk"])), 403, "forbidden")


def test_the_correlation_id_travels_from_request_to_event(client, token):
    client.post("/api/v1/widgets", json={"code": "A", "colour": "red"},
                headers={**token(), "X-Request-ID": "req-123"})
    [item] = client.get("/api/v1/events", headers=token(roles=["integration"])).get_json()["items"]
    assert item["event"]["correlationid"] == "req-123"


def test_health_and_metrics(client, token):
    assert client.get("/health/live").get_json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200, ready.get_data(as_text=True)
    assert ready.get_json()["checks"]["database"]["ok"] is True
    client.post("/api/v1/widgets", json={"code": "A", "colour": "red"}, headers=token())
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'aftersales_http_requests_total{method="POST",route="/api/v1/widgets",service="widgets",status="201"} 1.0' in metrics
    assert 'aftersales_outbox_unpublished_events{service="widgets"} 1.0' in metrics


def test_ready_is_503_problem_details_when_the_database_is_gone(infra, token):
    settings = infra.settings(WIDGETS_WITH_API, WIDGETS_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = WIDGETS_WITH_API.create_app(settings)
    response = app.test_client().get("/health/ready")
    body = assert_problem(response, 503, "not_ready")
    assert body["checks"]["database"]["ok"] is False
    assert response.headers["Retry-After"] == "5"  # as a write answers then


@pytest.mark.parametrize("unreachable", ["postgresql+psycopg://nobody@127.0.0.1:1/none", "sqlite:///{tmp}/gone/widgets.db"])
def test_reads_and_writes_are_503_problem_details_while_the_database_is_unreachable(
        infra, token, tmp_path, unreachable):
    # A database that cannot be reached is an outage to retry, not a bug (500): nothing applies.
    settings = infra.settings(WIDGETS_WITH_API, WIDGETS_DATABASE_URL=unreachable.format(tmp=tmp_path))
    app = WIDGETS_WITH_API.create_app(settings)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    for response in (
        client.post("/api/v1/widgets", json={"code": "A", "colour": "red"}, headers=token()),
        client.post("/api/v1/widgets", json={"code": "A", "colour": "red"},
                    headers={**token(), "Idempotency-Key": "k-1"}),
        client.get("/api/v1/widgets", headers=token()),
    ):
        body = assert_problem(response, 503, "unavailable")
        assert response.headers["Retry-After"] == "5"
        assert "Traceback" not in response.get_data(as_text=True) and "nobody" not in body.get("detail", "")
        assert body["correlation_id"] == response.headers["X-Request-ID"]


def test_a_database_error_while_the_database_answers_is_a_500_not_an_outage(embedded_infra, token):
    # SQLite raises OperationalError for a missing table as for a missing file: a bug, not an outage.
    settings = embedded_infra.settings(WIDGETS_WITH_API)
    app = WIDGETS_WITH_API.create_app(settings)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    database = WIDGETS_WITH_API.units_of_work(settings).database
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE widgets")
    database.dispose()
    response = app.test_client().get("/api/v1/widgets", headers=token())
    assert_problem(response, 500, "internal_error")
    assert "Retry-After" not in response.headers


def test_ready_stays_200_but_degraded_while_the_broker_is_unreachable(infra, token):
    settings = infra.settings(WIDGETS_WITH_API, BROKER_URL="amqp://guest:guest@127.0.0.1:1//")
    if infra.kind == "embedded":
        return  # the embedded broker is a folder: it cannot be unreachable
    app = WIDGETS_WITH_API.create_app(settings)
    response = app.test_client().get("/health/ready")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"] == {"ok": False, "error": "unreachable"}
    assert body["checks"]["database"]["ok"] is True


def test_a_value_the_database_cannot_hold_is_422_not_500(real_infra, token):
    # Validation should catch it first; this is the net under a rule someone forgot.
    # (PostgreSQL only: SQLite does not enforce string lengths.)
    app = WIDGETS_WITH_API.create_app(real_infra.settings(WIDGETS_WITH_API))
    client = app.test_client()
    response = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "x" * 100}, headers=token())
    assert_problem(response, 422, "value_out_of_range")
    assert client.get("/api/v1/widgets", headers=token()).get_json()["items"] == []


def test_tokens_whose_claims_do_not_fit_are_refused(client, service):
    import jwt

    secret = service[1].jwt_secret
    in_an_hour = datetime.now(timezone.utc) + timedelta(hours=1)
    for claims in ({"sub": "x" * 201, "dealer": "D001"}, {"sub": "a", "dealer": "D" * 40},
                   {"sub": "a", "dealer": "D 01"}, {"sub": "a", "dealer": "D001", "roles": "admin"}):
        bearer = jwt.encode({"roles": ["parts_clerk"], **claims, "exp": in_an_hour}, secret, algorithm="HS256")
        response = client.get("/api/v1/widgets", headers={"Authorization": f"Bearer {bearer}"})
        assert_problem(response, 401, "unauthenticated")


def test_an_idempotency_key_whose_response_was_lost_says_so_instead_of_in_use_forever(service, client, token):
    from sqlalchemy import update

    from shared.events.tables import idempotency_keys

    headers = {**token(), "Idempotency-Key": "lost"}
    assert client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=headers).status_code == 201
    database = service[0].extensions["aftersales"].database
    with database.writing() as connection:  # as if the worker died between commit and storing
        connection.execute(update(idempotency_keys).values(status_code=None, response_body=None))
    again = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=headers)
    assert_problem(again, 409, "idempotency_key_in_use")
    with database.writing() as connection:
        connection.execute(update(idempotency_keys).values(
            created_at=datetime.now(timezone.utc) - timedelta(minutes=10)))
    later = client.post("/api/v1/widgets", json={"code": "W-1", "colour": "red"}, headers=headers)
    assert_problem(later, 409, "idempotency_key_response_lost")
    assert count_rows(service, outbox) == 1


def test_an_unknown_query_parameter_is_refused_not_ignored(client, token):
    body = assert_problem(client.get("/api/v1/widgets?colur=red", headers=token()), 422, "validation_failed")
    assert body["errors"] == {"colur": ["Unknown field."]}
