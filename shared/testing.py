"""pytest fixtures for every service's tests (loaded as a plugin when `shared` is installed).

Real servers come from TEST_DATABASE_URL (a PostgreSQL URL whose user may create databases)
and TEST_BROKER_URL (an AMQP URL); without them, from testcontainers when Docker runs; without
either, tests that need them are skipped with the reason, unless
AFTERSALES_REQUIRE_INTEGRATION=1 (CI sets it), which turns the skip into a failure.

`infra` runs a test twice, on PostgreSQL + RabbitMQ and on the embedded default (SQLite +
filesystem broker); `real_infra` and `embedded_infra` pick one. Each test gets clean,
migrated databases and its own exchanges and queues.
"""

from __future__ import annotations

import functools
import graphlib
import os
import secrets
import socket
import sqlite3
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared.auth import ROLES
from shared.config import DEV_JWT_SECRET, Settings
from shared.events import broker
from shared.events.cloudevents import schema_version
from shared.events.consumer import Handlers
from shared.service import Service

REQUIRE = "AFTERSALES_REQUIRE_INTEGRATION"
_TEST_RUN_JWT_SECRET = secrets.token_urlsafe(32)


def _unavailable(what: str, how: str) -> None:
    message = f"{what} is not available: {how}"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message} ({REQUIRE}=1, so this is a failure, not a skip)")
    pytest.skip(message)


def _docker_running() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


# ---------------------------------------------------------------- servers


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """An admin URL on a PostgreSQL server where the tests may create databases."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = _psycopg(url)
        _check_reachable("PostgreSQL", url, _ping_postgres)
        yield url
        return
    if not _docker_running():
        _unavailable("PostgreSQL", "set TEST_DATABASE_URL or start Docker for testcontainers")
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver="psycopg") as container:
        yield container.get_connection_url()


@dataclass(frozen=True)
class BrokerServer:
    url: str


@pytest.fixture(scope="session")
def rabbitmq_server() -> Iterator[BrokerServer]:
    url = os.environ.get("TEST_BROKER_URL")
    if url:
        _check_reachable("RabbitMQ", url, _ping_rabbitmq)
        yield BrokerServer(url)
        return
    if not _docker_running():
        _unavailable("RabbitMQ", "set TEST_BROKER_URL or start Docker for testcontainers")
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:3.13-management") as container:
        params = container.get_connection_params()
        yield BrokerServer(f"amqp://guest:guest@{params.host}:{params.port}//")


class BrokerLink:
    """A TCP relay between one test's services and RabbitMQ that the test can cut: to those
    services the broker is down (their connections reset, new ones dropped at once) while the
    tests running beside it (pytest-xdist) keep theirs. Stopping RabbitMQ itself would take
    it from every test at once."""

    def __init__(self, broker_url: str):
        parts = urlsplit(broker_url)
        self._upstream = (parts.hostname, parts.port or 5672)
        self._listener = socket.create_server(("127.0.0.1", 0))
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self._listener.getsockname()[1]}".lstrip("@")
        self.url = urlunsplit(parts._replace(netloc=netloc))
        self._cut = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        threading.Thread(target=self._accept, name="broker-link", daemon=True).start()

    def cut(self) -> None:
        self._cut.set()
        with self._lock:
            for connection in self._open:
                _reset(connection)
            self._open.clear()

    def restore(self) -> None:
        self._cut.clear()

    def close(self) -> None:
        self.cut()
        self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept(), which close() alone does not
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if self._cut.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self._upstream, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            _reset(end)
            with self._lock:
                self._open.discard(end)


def _reset(connection: socket.socket) -> None:
    """Close at once, as a broker that went away does (RST, no orderly goodbye)."""
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
    except OSError:
        pass


def _check_reachable(what: str, url: str, ping: Callable[[str], None]) -> None:
    try:
        ping(url)
    except Exception as exc:
        shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
        _unavailable(what, f"{shown} did not answer ({str(exc).splitlines()[0] if str(exc) else repr(exc)})")


def _ping_postgres(url: str) -> None:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def _ping_rabbitmq(url: str) -> None:
    from kombu import Connection

    with Connection(url, connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=1, timeout=3)


def _psycopg(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def url_for_database(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server of `admin_url`."""
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def run_as_admin(url: str, *statements: str) -> None:
    """Statements outside a transaction (CREATE/DROP DATABASE, VACUUM cannot run in one)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


class PostgresDatabases:
    """One migrated database per service for the whole session, emptied before each test."""

    def __init__(self, admin_url: str):
        self._admin_url = admin_url
        self._urls: dict[str, str] = {}
        self._emptying: dict[str, str] = {}

    def clean(self, service: Service) -> str:
        if service.name not in self._urls:
            self._urls[service.name] = self._create(service)
        url = self._urls[service.name]
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                if service.name not in self._emptying:
                    self._emptying[service.name] = _emptying(connection)
                connection.exec_driver_sql(self._emptying[service.name])
        finally:
            engine.dispose()
        return url

    def _create(self, service: Service) -> str:
        name = f"test_{service.name}_{os.getpid()}"
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        url = url_for_database(self._admin_url, name)
        service.migrate(url)
        return url

    @contextmanager
    def down(self, url: str) -> Iterator[None]:
        """The database at `url` refuses connections and its sessions are ended, while the
        server goes on serving every other database."""
        name = make_url(url).database
        self._admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                    "AND pid <> pg_backend_pid()")
        try:
            yield
        finally:
            self._admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    def drop_all(self) -> None:
        for url in self._urls.values():
            self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def _admin(self, *statements: str) -> None:
        run_as_admin(self._admin_url, *statements)


def _emptying(connection) -> str:
    """The statements that empty every table and restart every sequence, as TRUNCATE ... RESTART
    IDENTITY CASCADE would: DELETE, the referencing tables first. A test leaves a few rows, and
    deleting them takes milliseconds where TRUNCATE, which replaces each table's files, took
    0.2 s a test. A table whose trigger refuses DELETE (an append-only ledger) is truncated,
    only when it has rows."""
    tables = connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
    )).scalars()
    referenced_by: dict[str, set[str]] = {table: set() for table in tables}
    for child, parent in connection.execute(text(
        "SELECT child.relname, parent.relname FROM pg_constraint reference "
        "JOIN pg_class child ON child.oid = reference.conrelid "
        "JOIN pg_class parent ON parent.oid = reference.confrelid "
        "WHERE reference.contype = 'f' AND child.relnamespace = 'public'::regnamespace"
    )):
        if child != parent:  # one DELETE empties a table that refers to itself
            referenced_by[parent].add(child)
    guarded = set(connection.execute(text(
        "SELECT DISTINCT ledger.relname FROM pg_trigger guard JOIN pg_class ledger ON ledger.oid = guard.tgrelid "
        "WHERE NOT guard.tgisinternal AND ledger.relnamespace = 'public'::regnamespace "
        "AND guard.tgtype & 8 <> 0"  # a DELETE trigger (pg_trigger.h: TRIGGER_TYPE_DELETE)
    )).scalars())
    truncates = [f'DO $$ BEGIN IF EXISTS (SELECT FROM "{table}") THEN TRUNCATE "{table}" CASCADE; END IF; END $$;'
                 for table in sorted(guarded)]
    deletes = [f'DELETE FROM "{table}";' for table in graphlib.TopologicalSorter(referenced_by).static_order()
               if table not in guarded]
    restarts = ("SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), start_value, false) "
                "FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL;")
    return "".join(truncates + deletes) + restarts


@pytest.fixture(scope="session")
def postgres_databases(postgres_server) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_server)
    yield databases
    databases.drop_all()


# ---------------------------------------------------------------- the event catalog

# The repository's AsyncAPI document (docs/asyncapi.yaml); absent when shared is installed alone.
CATALOG_FILE = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.yaml"


def committed_catalog_document() -> dict | None:
    import yaml

    if not CATALOG_FILE.exists():
        return None
    return yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))


class Catalog:
    """Validators for the messages of an AsyncAPI document, by event type and data version."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.messages = doc["components"]["messages"]
        self.services = {key.split(".")[0] for key in self.messages}
        self._validators: dict = {}

    def key(self, type_: str, dataschema: str) -> str:
        return f"{type_}.v{schema_version(dataschema)}"

    def validator(self, pointer: str):
        import jsonschema_rs

        if pointer not in self._validators:
            # The document's schemas refer to each other as #/components/...: keep them at the root.
            root = {"$schema": "http://json-schema.org/draft-07/schema#", "$ref": pointer,
                    "components": self.doc["components"]}
            self._validators[pointer] = jsonschema_rs.validator_for(root, validate_formats=True)
        return self._validators[pointer]

    def problems(self, envelope: dict, headers: dict | None = None) -> list[str]:
        """Why this event does not match its documented message; empty when it does."""
        key = self.key(envelope.get("type"), envelope.get("dataschema"))
        if key not in self.messages:
            return [f"{key}: not in the catalog (regenerate: python -m tools.asyncapi > docs/asyncapi.yaml)"]
        found = [f"{key} payload {e.instance_path}: {e.message}"
                 for e in self.validator(f"#/components/messages/{key}/payload").iter_errors(envelope)]
        if headers is not None:
            found += [f"{key} headers {e.instance_path}: {e.message}"
                      for e in self.validator(f"#/components/messages/{key}/headers").iter_errors(headers)]
        # The document lets readers ignore fields it does not know; what we send must be exactly it.
        documented = set(self.doc["components"]["schemas"][key]["properties"])
        if isinstance(envelope.get("data"), dict) and set(envelope["data"]) != documented:
            found.append(f"{key} data fields {sorted(envelope['data'])} are not the documented {sorted(documented)}")
        attributes = set(self.doc["components"]["schemas"]["CloudEvent"]["properties"])
        if set(envelope) != attributes:
            found.append(f"{key} envelope attributes {sorted(envelope)} are not the documented {sorted(attributes)}")
        return found


@functools.cache
def committed_catalog() -> Catalog | None:
    """Read once per test session, on first use."""
    document = committed_catalog_document()
    return None if document is None else Catalog(document)


# ---------------------------------------------------------------- per-test infrastructure


@dataclass
class Infra:
    """Where one test's services keep their data and send their events."""

    kind: str  # "real" (PostgreSQL + RabbitMQ) or "embedded" (SQLite + filesystem)
    broker_url: str
    data_dir: Path
    namespace: str
    _database_for: Callable[[Service], str]
    # Set for a test marked `broker_outage`: its services reach RabbitMQ through this link, which
    # the test cuts and restores.
    broker_link: BrokerLink | None = None
    # A demo, as compose is: the APIs accept the development secret, which the console's demo
    # sign-in mints with. Otherwise they verify a secret of the test run's own, as a deployment
    # does (off the embedded default they refuse the development one).
    demo: bool = False
    _urls: dict[str, str] = field(default_factory=dict)
    _subscriptions: list[tuple[Settings, Handlers]] = field(default_factory=list)

    @property
    def jwt_secret(self) -> str:
        return DEV_JWT_SECRET if self.demo else _TEST_RUN_JWT_SECRET

    def database_url(self, service: Service) -> str:
        if service.name not in self._urls:
            self._urls[service.name] = self._database_for(service)
        return self._urls[service.name]

    def settings(self, service: Service, **environ: str) -> Settings:
        return Settings.from_env(service.name, self.environ(service, **environ))

    def environ(self, *services: Service, **extra: str) -> dict[str, str]:
        """Environment variables that point these services at this test's databases and broker."""
        return {
            **{f"{s.name.upper()}_DATABASE_URL": self.database_url(s) for s in services},
            "BROKER_URL": self.broker_url,
            "AFTERSALES_DATA_DIR": str(self.data_dir),
            "JWT_SECRET": self.jwt_secret,
            "AFTERSALES_DEMO": "on" if self.demo else "off",
            "EVENTS_EXCHANGE": f"{self.namespace}.events",
            "DEAD_LETTER_EXCHANGE": f"{self.namespace}.dead-letter",
            "QUEUE_PREFIX": f"{self.namespace}.",
            "CONSUMER_RETRY_BACKOFF": "0.02",
            "RELAY_IDLE_SECONDS": "0.05",
            "BROKER_POLL_SECONDS": "0.05",
            "LOG_FORMAT": "console",
            "LOG_LEVEL": "WARNING",
            **extra,
        }

    def remember(self, settings: Settings, handlers: Handlers) -> None:
        """Note queues a test declares so they are deleted afterwards."""
        self._subscriptions.append((settings, handlers))

    def events_off_the_catalog(self) -> list[str]:
        """Every event this test's services wrote to their outboxes, checked against the
        committed catalog: an event its document does not describe fails the test that made it."""
        import json

        from sqlalchemy import select

        from shared.db import ALL_DEALERS, Database
        from shared.events.tables import outbox

        catalog = committed_catalog()
        if catalog is None:
            return []
        problems: list[str] = []
        for name, url in self._urls.items():
            if name not in catalog.services:
                continue
            database = Database(url)
            try:
                with database.reading(ALL_DEALERS) as session:
                    for envelope in session.scalars(select(outbox.c.envelope)):
                        problems += catalog.problems(json.loads(envelope))
            finally:
                database.dispose()
        return sorted(set(problems))

    def tear_down(self) -> None:
        if self.kind != "real" or not self._subscriptions:
            return
        settings = self._subscriptions[0][0]
        topology = broker.Topology(settings)
        with broker.connect(settings) as connection:
            # A busy broker can be slow to answer; a clean-up that gives up at once fails the tests.
            connection.ensure_connection(max_retries=6, interval_start=1, interval_step=2)
            channel = connection.channel()
            for _settings, handlers in self._subscriptions:
                for subscription in handlers.subscriptions:
                    for queue in (
                        topology.queue(subscription.name, subscription.event_types),
                        topology.dead_letter_queue(subscription.name),
                    ):
                        queue(channel).delete()
            topology.events(channel).delete()
            topology.dead_letter(channel).delete()


@pytest.fixture
def real_infra(request, postgres_databases, rabbitmq_server, tmp_path) -> Iterator[Infra]:
    link = BrokerLink(rabbitmq_server.url) if request.node.get_closest_marker("broker_outage") else None
    infra = Infra(
        kind="real",
        broker_url=link.url if link else rabbitmq_server.url,
        data_dir=tmp_path,
        namespace=f"t{uuid.uuid4().hex[:10]}",
        _database_for=postgres_databases.clean,
        broker_link=link,
    )
    try:
        yield infra
        infra.tear_down()
    finally:
        if link:
            link.close()
    _check_events(infra)


class SqliteTemplates:
    """One migrated SQLite database per service for the whole session; each test gets a copy of
    it. Copying the pages takes about 2 ms where running the migrations took 0.1 to 0.2 s, in
    each of the ~900 tests on the embedded default."""

    def __init__(self, directory: Path):
        self._directory = directory
        self._templates: dict[Path, Path] = {}

    def copy(self, service: Service, target: Path) -> str:
        """A migrated database for `service` at `target`: its URL."""
        template = self._templates.get(service.alembic_ini)
        if template is None:
            template = self._directory / f"{len(self._templates)}-{service.name}.db"
            service.migrate(f"sqlite:///{template}")
            self._templates[service.alembic_ini] = template
        # SQLite's backup copies the pages as one reader sees them, whatever the journal holds.
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-templates"))


@pytest.fixture
def embedded_infra(tmp_path, sqlite_templates) -> Iterator[Infra]:
    infra = Infra(
        kind="embedded",
        broker_url="filesystem://",
        data_dir=tmp_path,
        namespace=f"t{uuid.uuid4().hex[:10]}",
        _database_for=lambda service: sqlite_templates.copy(service, tmp_path / f"{service.name}.db"),
    )
    yield infra
    _check_events(infra)


def _check_events(infra: Infra) -> None:
    problems = infra.events_off_the_catalog()
    if problems:
        pytest.fail("events that do not match docs/asyncapi.yaml:\n" + "\n".join(problems[:20]))


@pytest.fixture(params=["real", "embedded"])
def infra(request) -> Infra:
    return request.getfixturevalue(f"{request.param}_infra")


# ---------------------------------------------------------------- one service under test
# A service's conftest defines `service` (its Service); these build on it.


@pytest.fixture
def settings(infra, service) -> Settings:
    return infra.settings(service)


@pytest.fixture
def app(service, settings):
    return service.create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def units(service, settings):
    return service.units_of_work(settings)


@pytest.fixture
def settings_on_both(service, real_infra, embedded_infra) -> list[Settings]:
    """The service's settings on PostgreSQL + RabbitMQ and on the embedded default, for a test
    that sends the same requests to both (the fuzz tests)."""
    return [infra.settings(service) for infra in (real_infra, embedded_infra)]


@pytest.fixture
def token(settings) -> Callable[..., dict]:
    """Authorization headers: token(roles=[...], dealer=..., sub=...)."""
    return functools.partial(bearer, settings)


def bearer(settings: Settings, roles=("admin",), dealer="D001", sub="tester") -> dict[str, str]:
    """Authorization headers with a token the service of `settings` accepts."""
    from shared.auth import mint

    return {"Authorization": "Bearer " + mint(settings.jwt_secret, sub, dealer, roles)}


# ---------------------------------------------------------------- waiting and background work


def wait_until(condition: Callable[[], object], timeout: float = 30.0, what: str = "condition"):
    """Poll until `condition()` is truthy; return its value. Fails the test on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


@contextmanager
def in_background(target: Callable[[threading.Event], None], name: str) -> Iterator[threading.Event]:
    """Run a relay or consumer loop in a thread until the block ends."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target(stop)
        except BaseException as exc:  # surfaced when the block ends
            errors.append(exc)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=30)
    if thread.is_alive():
        pytest.fail(f"{name} did not stop within 30 s")
    if errors:
        raise errors[0]


# ---------------------------------------------------------------- contract checks for a service


def assert_migrations_match_models(service: Service, database_url: str, metadata) -> None:
    """`alembic upgrade head` builds exactly the tables the mappers expect, and downgrading
    to nothing and back works."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from shared.db import Database
    from shared.events.tables import plumbing

    database = Database(database_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, [metadata, plumbing])
        assert differences == [], f"migrations and models disagree: {differences}"
    finally:
        database.dispose()
    service.migrate(database_url, "base")
    service.migrate(database_url, "head")


def assert_every_operation_is_guarded(app, token_for: Callable[[list[str]], dict]) -> None:
    """Every documented operation refuses a request without a token (401) and one whose token
    has no role it accepts (403): nothing is open by accident."""
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        url = path.replace("{", "").replace("}", "")
        for method, operation in operations.items():
            if method == "parameters":
                continue
            anonymous = client.open(url, method=method.upper(), json={})
            assert anonymous.status_code == 401, f"{method.upper()} {path} without a token"
            roles = operation.get("x-roles")
            assert roles, f"{method.upper()} {path} declares no roles"
            outsiders = sorted(ROLES - {"admin"} - set(roles))
            if outsiders:
                refused = client.open(url, method=method.upper(), json={}, headers=token_for(outsiders[:1]))
                assert refused.status_code == 403, f"{method.upper()} {path} with role {outsiders[0]}"


def assert_dumps_as_marshmallow(schema_class: type, obj) -> dict:
    """A schema dumped through its plan (`shared.http.dumping`) answers exactly what marshmallow's
    own dump of the same fields does: key for key, in order, every value formatted the same.
    Returns the answer."""
    import json

    import marshmallow as ma

    answer = schema_class().dump(obj)
    reference = ma.Schema.from_dict(dict(schema_class._declared_fields))().dump(obj)
    assert json.dumps(answer, ensure_ascii=False) == json.dumps(reference, ensure_ascii=False)
    return answer


def a_cloudevent(type_: str, data: dict, **attributes) -> bytes:
    """An event as another service would publish it, for feeding a handler directly."""
    import json

    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "type": type_,
        "source": f"/aftersales/{type_.split('.')[0]}",
        "subject": "test",
        "time": "2026-11-25T09:30:00+00:00",
        "datacontenttype": "application/json",
        "dataschema": f"https://aftersales.example/schemas/events/{type_}/v1",
        "dealer": "D001",
        "sequence": 1,
        "correlationid": "test",
        "data": data,
        **attributes,
    }
    return json.dumps(event).encode()


def apply_event(settings: Settings, units, handlers: Handlers, body: bytes):
    """Run one message through the handler that subscribes to its type, as the consumer
    would (inbox, retries, dead-letter decision), without a broker."""
    import json

    from shared.events.consumer import Processor

    event_type = json.loads(body)["type"]
    [subscription] = [s for s in handlers.subscriptions if s.wants(event_type)]
    return Processor(settings, units, threading.Event()).process(subscription, body)


# The fuzz test of a service is cut in this many, so its operations spread over the processes
# pytest-xdist runs (one piece was a minute and a half, the longest test of the suite).
FUZZ_SHARDS = 4


def assert_api_answers_as_documented(apps: Sequence, headers: dict, *, shard: int = 0, shards: int = FUZZ_SHARDS,
                                     examples: int = 25) -> None:
    """Requests generated by schemathesis from the service's own OpenAPI document, valid ones
    and invalid ones, to every operation: none may get a 500, and every answer must match
    what the document promises (status codes, headers, body schemas).

    Each request goes to every app of `apps` (the same service on PostgreSQL and on the
    embedded default): drawing requests is most of the work (hypothesis: two thirds of a run,
    answering them a sixth), so they are drawn once. `shard` of `shards`: every `shards`-th
    operation, starting at the `shard`-th."""
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis.errors import Unsatisfiable
    from hypothesis import settings as hypothesis_settings
    from schemathesis import GenerationMode
    from schemathesis.config import PositiveDataAcceptanceConfig, SchemathesisConfig

    # The same requests on every run of a commit, so CI never fails on luck; set
    # AFTERSALES_FUZZ_EXPLORE=1 to draw new ones (and keep what they find as a test).
    explore = os.environ.get("AFTERSALES_FUZZ_EXPLORE") == "1"
    config = SchemathesisConfig()
    # The token is ours to send; a missing one is tested on its own (401).
    config.projects.default.generation.update(with_security_parameters=False)
    # Well-formed requests may still break a business rule (422), name a version that moved
    # on (412) or lack If-Match (428): those are answers, not failures.
    config.projects.default.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "3xx", 401, 403, 404, 409, 412, 422, 428, 429]
    )
    # An invalid request may also be refused for its size before anyone reads it (413), or for
    # an If-Match that names no current version (412): preconditions are checked before the
    # body is processed (RFC 9110 §13.2.2).
    NegativeDataRejectionConfig = type(config.projects.default.checks.negative_data_rejection)
    config.projects.default.checks.negative_data_rejection = NegativeDataRejectionConfig(
        expected_statuses=[400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429]
    )
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", apps[0], config=config)
    for index, result in enumerate(schema.get_all_operations()):
        if index % shards != shard:
            continue
        operation = result.ok()
        modes = [GenerationMode.POSITIVE]
        if _can_be_made_invalid(schema.raw_schema["paths"][operation.path], operation.method):
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(max_examples=examples, deadline=None, database=None,
                                 suppress_health_check=list(HealthCheck), derandomize=not explore)
            def answers_as_documented(case):
                for app in apps:
                    case.call_and_validate(headers=headers, app=app)

            try:
                answers_as_documented()
            except Unsatisfiable:
                raise AssertionError(f"no {mode.value} request for {operation.label}; if nothing about it can be made "
                                     "invalid, shared/testing.py::_can_be_made_invalid should say so") from None


def _can_be_made_invalid(path_item: dict, method: str) -> bool:
    """False for an operation whose only inputs are path segments of any non-empty text (or
    none): every request drawn for it is valid, and looking for an invalid one took hypothesis
    its whole budget of tries for nothing (a quarter of the fuzzing's CPU). Checked against
    the three services: exactly the operations whose search for an invalid request came up empty."""
    operation = path_item[method.lower()]
    if "requestBody" in operation:
        return True
    for parameter in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        schema = parameter.get("schema", {})
        if parameter["in"] != "path" or schema.get("type") != "string" or set(schema) - {"type", "minLength"} \
                or schema.get("minLength", 0) > 1:
            return True
    return False


# What each test needs, from where it lives, so a developer can run the fast ones alone
# (`pytest -m unit`): unit tests sit in a `unit` folder and touch no server; the browser tests
# drive Chromium against a whole stack; the fuzzers generate many requests from the OpenAPI
# document; every other test reaches a database, the broker or HTTP.
KINDS = {
    "unit": "pure domain and helpers: no database, broker, HTTP or browser (tests in a `unit` folder)",
    "service": "use cases on in-memory fakes of their ports: no database, broker or HTTP (a `service` folder)",
    "training": "trains the complaint classifier again from its corpus: no server, tens of seconds of CPU",
    "browser": "the console in Chromium against a running stack (tests/console)",
    "fuzz": "generated requests from the OpenAPI document (schemathesis)",
    "integration": "needs PostgreSQL, RabbitMQ or their embedded stand-ins, or a process",
}
# What a test does to the servers it shares with the tests running beside it.
EFFECTS = {
    "broker_outage": "takes RabbitMQ away from its own services (real_infra.broker_link), not from other tests",
}


def kind_of(path: Path) -> str:
    """`path` relative to the repository's root."""
    if "unit" in path.parts:
        return "unit"
    if "service" in path.parts:
        return "service"
    if "training" in path.parts:
        return "training"
    if path.parts[:2] == ("tests", "console"):
        return "browser"
    if "fuzz" in path.stem:
        return "fuzz"
    return "integration"


def pytest_configure(config) -> None:
    for name, meaning in {**KINDS, **EFFECTS}.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(config, items) -> None:
    paths = {item: Path(str(item.path)).relative_to(config.rootpath) for item in items}
    for item in items:
        item.add_marker(kind_of(paths[item]))
    # pytest-xdist hands the tests out in this order (`--dist loadgroup`: one at a time as a
    # process runs low, the screen tests of one kind as a single unit, tests/console/conftest.py).
    # Longest first, so the short ones fill in at the end instead of a long one running alone:
    # the screens of each kind (several minutes in one process), then the tests that start stacks
    # of their own (tests/), tens of seconds each. Files stay together.
    items.sort(key=lambda item: _ORDER.index(_place_of(paths[item])))


_ORDER = ("browser", "across services", "fuzz", "training", "integration", "service", "unit")


def _place_of(path: Path) -> str:
    if path.parts[0] == "tests" and kind_of(path) == "integration":
        return "across services"  # tests/: processes and stacks of the three services
    return kind_of(path)
