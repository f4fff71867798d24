"""Deployment files that must agree with the code, all checked offline.

- `deploy/rabbitmq/definitions.json` is what the code declares.
- `deploy/Dockerfile` installs from `requirements.lock` everything each deployable requires,
  and its build step compiles the console's message catalogs.
- `docker-compose.yml` is valid against the Compose specification (the schema vendored in
  check-jsonschema) and runs every process of every service in order, then the console.
- `deploy/k8s`: each kustomization is built by the real kustomize (`kustomize build`, or the
  copy built into kubectl, `kubectl kustomize`), and every object it renders is validated
  against the Kubernetes JSON schemas bundled in kubernetes-validate, strictly (an unknown
  field fails). Then the rendered objects are checked against the code: container commands
  are subcommands the CLI accepts, probes and scrape annotations ask routes the apps serve on
  the port the image binds, every process gets the settings it cannot run without, every
  variable set is one the code reads, and every reference between objects resolves.

The console is deployed as the services' APIs are (gunicorn from the same Dockerfile, probes,
read-only root, autoscaled), but it is stateless: no database, broker, migration, relay or
consumer, and the tests say so where they exempt it. Its sign-in must hand the services tokens
they verify: the demo sign-in on the development secret (compose, dev overlay), the identity
provider whose keys the services use in production.
"""

import base64
import contextlib
import functools
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import kubernetes_validate
import pytest
import yaml
from babel.messages.pofile import read_po
from babel.support import Translations
from complaints.app import COMPLAINTS
from complaints.config import NotificationSettings
from console.app import create_app as create_console
from console.auth.demo import DEMO_USERS
from console.config import DEV_SESSION_KEY, ConsoleMisconfigured, ConsoleSettings
from kombu import Connection
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from parts.app import PARTS
from shared.auth import InvalidToken, TokenVerifier
from shared.config import DEV_JWT_SECRET, InsecureSettings, Settings
from shared.events import broker
from shared.http.security import API_PREFIX
from shared.monitoring import ROUTES as WORKER_ROUTES
from tools.rabbitmq_definitions import definitions
from tools.stack import CONSOLE_PORT
from tools.stack import SERVICES as HOST_PORTS
from warranty.app import WARRANTY

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy/k8s"
SERVICES = {"parts": PARTS, "warranty": WARRANTY, "complaints": COMPLAINTS}
# The desks' web application: one gunicorn Deployment (component "web"), nothing else.
CONSOLE = "console"
DEPLOYABLES = (*SERVICES, CONSOLE)
KUSTOMIZATIONS = ("base", "overlays/dev", "overlays/production")
OVERLAYS = ("overlays/dev", "overlays/production")
# Where the APIs trust the development secret on purpose, as `make run` does: the console's
# demo sign-in mints the tokens with it. They say so (AFTERSALES_DEMO=on). Never production.
DEMOS = ("compose", "overlays/dev")
# The oldest Kubernetes the manifests are meant for, and the newest the validator knows.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
# The process each Deployment runs (by its component label), and the migration before it.
ROLES = ("api", "relay", "consumer")
# The Deployments that run gunicorn (the image's default command): the APIs and the console.
HTTP_ROLES = ("api", "web")
# The processes that serve /metrics and /health/* on a small server of their own (METRICS_PORT).
WORKER_ROLES = ("relay", "consumer")
SUBCOMMAND = {"migrate": "migrate", "relay": "relay", "consumer": "consume"}


def test_rabbitmq_definitions_declare_what_the_consumers_declare():
    committed = json.loads((ROOT / "deploy/rabbitmq/definitions.json").read_text())
    production = Settings.from_env("rabbitmq", {"BROKER_URL": "amqp://rabbitmq//"})
    assert committed == json.loads(json.dumps(definitions(production))), (
        "regenerate: python -m tools.rabbitmq_definitions > deploy/rabbitmq/definitions.json"
    )


# ------------------------------------------------------------------------ what the code says


@functools.cache
def dockerfile() -> dict:
    """The facts of deploy/Dockerfile the deployments depend on."""
    text = (ROOT / "deploy/Dockerfile").read_text()
    instructions = re.sub(r"\\\n\s*", " ", text)
    env = {}
    for line in instructions.splitlines():
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line.removeprefix("ENV ").split())
    healthcheck = re.search(r"^HEALTHCHECK .*127\.0\.0\.1:(\d+)(/\S*?)'", text, re.M)
    return {
        "env": env,
        "uid": int(re.search(r"useradd .*--uid (\d+)", text).group(1)),
        "expose": int(re.search(r"^EXPOSE (\d+)$", text, re.M).group(1)),
        "bind_port": int(env["BIND"].rsplit(":", 1)[1]),
        "healthcheck_port": int(healthcheck.group(1)),
        "healthcheck_path": healthcheck.group(2),
    }


def image_environment(service: str) -> dict[str, str]:
    return {name: value.replace("${SERVICE}", service) for name, value in dockerfile()["env"].items()}


def dockerfile_runs() -> list[str]:
    """The RUN instructions of deploy/Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "deploy/Dockerfile").read_text())
    return [line.removeprefix("RUN ") for line in text.splitlines() if line.startswith("RUN ")]


def locked(lock: str) -> dict[str, str]:
    """name -> version pinned in a requirements lock file."""
    pins = (line.split("==") for line in (ROOT / lock).read_text().splitlines() if "==" in line)
    return {canonicalize_name(name): version.strip() for name, version in pins}


def distributions_required(requirements: list[str]) -> set[str]:
    """Every distribution these requirements pull in, as installed here (markers evaluated for
    this Python, the image's minor version, and the extras asked for)."""
    found: dict[str, set[str]] = {}
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found and set(requirement.extras) <= found[name]:
            continue
        extras = found[name] = found.get(name, set()) | set(requirement.extras)
        for text in metadata.distribution(requirement.name).requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in {"", *extras}):
                pending.append(needed)
    return set(found)


def project_requirements(folder: Path) -> list[str]:
    """A pyproject's run-time dependencies, less our own packages (the image copies them)."""
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"]
    return [r for r in requirements if not canonicalize_name(Requirement(r).name).startswith("aftersales-")]


@pytest.mark.parametrize("name", DEPLOYABLES)
def test_the_image_installs_from_the_lock_all_a_deployable_requires(name):
    assert "pip install --no-cache-dir -r requirements.lock" in dockerfile_runs()
    lock = locked("requirements.lock")
    direct = project_requirements(ROOT) + project_requirements(ROOT / "services" / name)
    for text in direct:
        requirement = Requirement(text)
        pinned = lock.get(canonicalize_name(requirement.name))
        assert pinned and requirement.specifier.contains(pinned), f"{text}: requirements.lock has {pinned}"
    for distribution in sorted(distributions_required(direct)):
        assert lock.get(distribution) == metadata.version(distribution), (
            f"requirements.lock: {distribution}=={metadata.version(distribution)} (what the tests run with)"
        )
    # The test environment installs the same pins (make install: requirements-test.lock).
    assert lock.items() <= locked("requirements-test.lock").items()


@pytest.mark.parametrize("name", DEPLOYABLES)
def test_the_image_build_compiles_the_message_catalogs(name, tmp_path):
    """The build's compile step, run as the image runs it (sh, in /app, SERVICE set), on a copy
    of the sources without any .mo: each catalog compiles and translates what its .po does."""
    [compile_step] = [run for run in dockerfile_runs() if "pybabel compile" in run]
    # Run here, the step must do nothing else (no useradd, no rm).
    assert re.fullmatch(r'if \[ -d "([^"]+)" \]; then\s+pybabel compile [^;&|]+;\s+fi', compile_step), compile_step
    sources = ROOT / "services" / name / name / "translations"
    catalogs = sorted(sources.glob("*/LC_MESSAGES/messages.po"))
    for po in catalogs:
        copy = tmp_path / po.relative_to(ROOT)
        copy.parent.mkdir(parents=True)
        shutil.copyfile(po, copy)
    (tmp_path / "services" / name / name).mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["sh", "-c", compile_step], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "SERVICE": name, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    compiled = sorted(tmp_path.rglob("*.mo"))
    assert compiled == [tmp_path / po.relative_to(ROOT).with_suffix(".mo") for po in catalogs]
    assert (name == CONSOLE) == bool(catalogs)  # the console has catalogs; a service, none
    for po, mo in zip(catalogs, compiled):
        with po.open("rb") as source:
            catalog = read_po(source)
        translated = [m for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy]
        assert translated, po
        with mo.open("rb") as binary:
            translations = Translations(binary)
        for message in translated:
            said = (translations.pgettext(message.context, message.id) if message.context
                    else translations.gettext(message.id))
            assert said == message.string, message.id


def test_the_image_carries_the_token_command_the_readme_documents(tmp_path):
    """`aftersales-token` is copied onto the image's PATH; run as the image runs it (sh, in /app,
    PYTHONPATH as the image sets it), it mints a token the services verify, and with the
    identity provider's keys configured it refuses, saying why, instead of minting one they refuse."""
    text = (ROOT / "deploy/Dockerfile").read_text()
    assert re.search(r"^COPY deploy/aftersales-token /usr/local/bin/aftersales-token$", text, re.M)
    assert "aftersales-token --sub" in (ROOT / "README.md").read_text()
    script = ROOT / "deploy/aftersales-token"
    assert os.access(script, os.X_OK)
    secret = "s" * 40
    env = {
        **os.environ,
        **image_environment("parts"),
        "PYTHONPATH": str(ROOT),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "JWT_SECRET": secret,
    }
    env.pop("JWT_JWKS_URL", None)
    minted = subprocess.run([str(script), "--sub", "dms-sync", "--dealer", "D001", "--roles", "integration"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert minted.returncode == 0, minted.stderr
    caller = TokenVerifier(Settings.from_env("parts", {"JWT_SECRET": secret})).verify(minted.stdout.strip())
    assert (caller.sub, caller.dealer, caller.roles) == ("dms-sync", "D001", frozenset({"integration"}))

    refused = subprocess.run([str(script), "--sub", "x", "--dealer", "D001", "--roles", "integration"],
                             cwd=tmp_path, env={**env, "JWT_JWKS_URL": "https://idp.example/jwks"},
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "JWT_JWKS_URL" in refused.stderr


SETTING_READ = re.compile(r'(?:environ|env)\.(?:get|setdefault)\(\s*"([A-Z][A-Z0-9_]*)"')


@functools.cache
def variables_the_code_reads() -> frozenset[str]:
    config = (ROOT / "shared/config.py").read_text()
    assert 'f"{service.upper()}_DATABASE_URL"' in config  # the one name built at run time
    sources = [*ROOT.glob("shared/**/*.py"), *ROOT.glob("services/*/*/**/*.py"), ROOT / "deploy/gunicorn.conf.py"]
    names = {
        name for path in sources if "tests" not in path.parts for name in SETTING_READ.findall(path.read_text())
    }
    assert {"BROKER_URL", "JWT_SECRET", "WEB_CONCURRENCY", "VIN_CHECK_DIGIT"} <= names  # the pattern works
    return frozenset(names | {f"{service.upper()}_DATABASE_URL" for service in SERVICES})


def gunicorn_graceful_timeout() -> int:
    text = (ROOT / "deploy/gunicorn.conf.py").read_text()
    return int(re.search(r"^graceful_timeout = (\d+)$", text, re.M).group(1))


@functools.cache
def cli_accepts(service: str, command: str) -> bool:
    """Whether `python -m <service> <command>` is a subcommand of the service's CLI."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        with pytest.raises(SystemExit) as exited:
            SERVICES[service].main([command, "--help"])
    return exited.value.code == 0


def test_the_cli_check_can_tell_a_wrong_subcommand():
    assert cli_accepts("parts", "relay")
    assert not cli_accepts("parts", "publish")


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> dict[str, set[str]]:
    data = tmp_path_factory.mktemp("routes")
    routes = {}
    for name, service in SERVICES.items():
        app = service.create_app(Settings.from_env(name, {"AFTERSALES_DATA_DIR": str(data)}))
        routes[name] = {rule.rule for rule in app.url_map.iter_rules()}
    console = create_console(ConsoleSettings.from_env({}))
    routes[CONSOLE] = {rule.rule for rule in console.url_map.iter_rules()}
    return routes


def settings_problems(service: str, role: str, env: dict[str, str]) -> list[str]:
    """What keeps a process of `role` from running as deployed, with this environment: a
    setting whose default is the embedded or development one, or one that does not parse. An
    API checks its token keys as it starts (only a declared demo may use the development
    secret); that check is run here."""
    try:
        settings = Settings.from_env(service, env)
        SERVICES[service].rules(settings)
    except (ValueError, ArithmeticError) as exc:
        return [f"a setting does not parse: {exc!r}"]
    problems = []
    if settings.database_url.startswith("sqlite"):
        problems.append(f"{service.upper()}_DATABASE_URL missing: it would use a SQLite file")
    if role != "migrate" and settings.uses_embedded_broker:
        problems.append("BROKER_URL missing: it would use the filesystem broker")
    if role == "api":
        try:
            settings.check_token_keys()
        except InsecureSettings as exc:
            problems.append(f"it refuses to start: {exc}")
    return problems


def console_problems(env: dict[str, str]) -> list[str]:
    """What keeps the console from running as deployed: a setting it refuses at start-up (among
    them a missing or development session key where the demo sign-in is off), or a service it
    would look for on its own machine."""
    try:
        settings = ConsoleSettings.from_env(env)
    except (ConsoleMisconfigured, ValueError) as exc:
        return [f"it refuses to start: {exc}"]
    return [
        f"{service.upper()}_API_URL missing: it would call {url}"
        for service, url in settings.service_urls.items() if f"{service.upper()}_API_URL" not in env
    ]


def sign_in_problems(console_env: dict[str, str], api_envs: dict[str, dict[str, str]]) -> list[str]:
    """Whether the services accept the tokens the console signs people in with. The demo
    sign-in is run for real (the console's own view mints the token), then each service's
    verifier, built from that service's environment, checks it. With an identity provider the
    services must verify its tokens with its keys, and check the issuer the console signs in at."""
    settings = ConsoleSettings.from_env(console_env)
    problems = []
    if not settings.demo_sign_in:
        for service, env in api_envs.items():
            verifies = Settings.from_env(service, env)
            if not verifies.jwt_jwks_url:
                problems.append(f"{service}: no JWT_JWKS_URL, it cannot verify the identity provider's tokens")
            if verifies.jwt_issuer not in (None, settings.oidc_issuer):
                problems.append(f"{service}: JWT_ISSUER {verifies.jwt_issuer} is not {settings.oidc_issuer}")
        return problems
    app = create_console(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    user = DEMO_USERS[0]
    answer = client.post("/sign-in/demo", data={"user": user.sub, "dealer": "D001"})
    assert answer.status_code == 302, answer.status_code
    with client.session_transaction() as session:
        token = session["user"]["token"]
    for service, env in api_envs.items():
        try:
            caller = TokenVerifier(Settings.from_env(service, env)).verify(token)
        except InvalidToken as exc:
            problems.append(f"{service} refuses the demo sign-in's token: {exc}")
            continue
        assert (caller.sub, caller.dealer, caller.roles) == (user.sub, "D001", frozenset(user.roles))
    return problems


def test_the_settings_check_can_tell_a_missing_setting():
    complete = {
        "PARTS_DATABASE_URL": "postgresql+psycopg://u:p@db/parts",
        "BROKER_URL": "amqp://u:p@mq//",
        "JWT_SECRET": "x" * 40,
    }
    assert settings_problems("parts", "api", complete) == []
    for name in complete:
        assert settings_problems("parts", "api", {k: v for k, v in complete.items() if k != name})
    assert settings_problems("parts", "api", {**complete, "RESERVATION_HOLD_HOURS": "three days"})
    development = {**complete, "JWT_SECRET": DEV_JWT_SECRET}
    assert settings_problems("parts", "api", development)
    assert settings_problems("parts", "api", {**development, "AFTERSALES_DEMO": "on"}) == []
    assert settings_problems("parts", "api", {**complete, "JWT_SECRET": "x" * 31})
    jwks = {**complete, "JWT_SECRET": "", "JWT_JWKS_URL": "https://idp.example/certs"}
    assert settings_problems("parts", "api", jwks) == []
    assert settings_problems("parts", "relay", development) == []  # only an API verifies tokens


def test_the_console_checks_can_tell_a_missing_setting_and_a_refused_token():
    apis = {f"{s.upper()}_API_URL": f"http://{s}" for s in SERVICES}
    demo = {**apis, "JWT_SECRET": DEV_JWT_SECRET, "CONSOLE_SECRET_KEY": "k" * 40}
    assert console_problems(demo) == []
    for name in demo:  # a demo may sign its tokens and sessions with the development keys
        assert console_problems({k: v for k, v in demo.items() if k != name}) or name in (
            "JWT_SECRET", "CONSOLE_SECRET_KEY")
    provider = {**demo, "JWT_SECRET": "s" * 40, "OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "console",
                "OIDC_CLIENT_SECRET": "secret"}
    assert console_problems(provider) == []
    assert console_problems({k: v for k, v in provider.items() if k != "OIDC_CLIENT_SECRET"})
    assert console_problems({**provider, "CONSOLE_SECRET_KEY": "short"})
    assert console_problems({**provider, "CONSOLE_SECRET_KEY": DEV_SESSION_KEY})  # only the demo may use it
    assert console_problems({k: v for k, v in provider.items() if k != "CONSOLE_SECRET_KEY"})
    services = {s: {"JWT_SECRET": DEV_JWT_SECRET} for s in SERVICES}
    assert sign_in_problems(demo, services) == []
    assert sign_in_problems(demo, {**services, "parts": {"JWT_SECRET": "another-secret-of-at-least-32-bytes"}})
    assert sign_in_problems(demo, {**services, "parts": {"JWT_SECRET": DEV_JWT_SECRET, "JWT_AUDIENCE": "api"}})
    jwks = {"JWT_JWKS_URL": "https://idp.example/jwks", "JWT_ISSUER": "https://idp.example"}
    assert sign_in_problems(provider, {s: jwks for s in SERVICES}) == []
    assert sign_in_problems(provider, {**{s: jwks for s in SERVICES}, "warranty": {"JWT_SECRET": "s" * 40}})
    assert sign_in_problems(provider, {s: {**jwks, "JWT_ISSUER": "https://other.example"} for s in SERVICES})


# ------------------------------------------------------------------------------ compose


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_environment(service: dict, exported: dict[str, str] | None = None) -> dict[str, str]:
    """A compose service's environment as `docker compose up` sets it with these variables
    exported (none by default): each ${NAME:-default} is NAME's exported value or its default."""
    exported = exported or {}

    def substituted(found: re.Match) -> str:
        return exported.get(found.group(1), found.group(2))

    return {k: re.sub(r"\$\{([A-Z0-9_]+):-(.*?)\}", substituted, str(v)) for k, v in service["environment"].items()}


def test_the_compose_file_follows_the_compose_specification():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(ROOT / "docker-compose.yml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_file_runs_every_process_of_every_service():
    services = compose()["services"]
    for name in SERVICES:
        assert services[f"{name}-migrate"]["command"] == f"python -m {name} migrate"
        assert services[f"{name}-relay"]["command"] == f"python -m {name} relay"
        assert services[f"{name}-consumer"]["command"] == f"python -m {name} consume"
        assert "command" not in services[f"{name}-web"]  # the image's gunicorn default
        assert services[f"{name}-migrate"]["build"]["args"]["SERVICE"] == name
        environment = services[f"{name}-web"]["environment"]
        assert environment[f"{name.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment["BROKER_URL"].startswith("amqp://")
        for process in ("migrate", "relay", "consumer"):
            command = services[f"{name}-{process}"]["command"].split()
            assert command[:3] == ["python", "-m", name] and cli_accepts(name, command[3]), command
    console = services[CONSOLE]
    assert "command" not in console  # the image's gunicorn default, its only process
    assert console["build"]["args"]["SERVICE"] == CONSOLE
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source


@pytest.mark.parametrize("name", SERVICES)
def test_compose_starts_each_service_after_its_migration_and_the_migration_after_the_servers(name):
    services = compose()["services"]
    migrate = services[f"{name}-migrate"]
    assert migrate["restart"] == "no"
    for server in ("postgres", "rabbitmq"):
        assert migrate["depends_on"][server] == {"condition": "service_healthy"}
        assert services[server]["healthcheck"]["test"]
    # The image's first start runs init.sql on a temporary server listening on the socket only:
    # healthy must mean reachable over TCP, as the services connect.
    assert "-h" in services["postgres"]["healthcheck"]["test"]
    for process in ("web", "relay", "consumer"):
        assert services[f"{name}-{process}"]["depends_on"] == {
            f"{name}-migrate": {"condition": "service_completed_successfully"}
        }


def test_compose_starts_the_console_once_the_three_apis_are_healthy():
    services = compose()["services"]
    apis = {f"{name}-web": {"condition": "service_healthy"} for name in SERVICES}
    assert services[CONSOLE]["depends_on"] == apis
    for name in SERVICES:  # healthy needs a health check: the image's HEALTHCHECK
        assert not services[f"{name}-web"].get("healthcheck", {}).get("disable", False)


@pytest.mark.parametrize("name", DEPLOYABLES)
def test_compose_builds_each_image_once_and_never_pulls_it(name):
    services = compose()["services"]
    image = f"aftersales/{name}"
    builders = [s for s in services.values() if s.get("image") == image and "build" in s]
    assert len(builders) == 1 and builders[0]["pull_policy"] == "build"
    assert builders[0]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert builders[0]["build"]["args"]["SERVICE"] == name
    for process in ("web", "relay", "consumer") if name in SERVICES else ():
        service = services[f"{name}-{process}"]
        assert service["image"] == image and service["pull_policy"] == "never", process


@pytest.mark.parametrize("name", SERVICES)
def test_compose_gives_each_process_what_it_needs(name):
    services = compose()["services"]
    image = dockerfile()
    roles = {"migrate": "migrate", "web": "api", "relay": "relay", "consumer": "consumer"}
    for process, role in roles.items():
        service = services[f"{name}-{process}"]
        env = compose_environment(service)
        assert settings_problems(name, role, env) == [], process
        assert Settings.from_env(name, env).demo == ("compose" in DEMOS), process
        assert set(env) <= variables_the_code_reads(), set(env) - variables_the_code_reads()
        # The image's HEALTHCHECK asks the HTTP API: only the web container has one.
        assert service.get("healthcheck", {}).get("disable", False) == (process != "web"), process
        # Relays and consumers serve their metrics and probes on a port of their own.
        assert ("METRICS_PORT" in env) == (role in WORKER_ROLES), process
        if role in WORKER_ROLES:
            assert int(env["METRICS_PORT"]) != image["bind_port"], process
    assert services[f"{name}-web"]["ports"] == [f"{HOST_PORTS[name]}:{image['bind_port']}"]
    assert image["expose"] == image["bind_port"] == image["healthcheck_port"]


def test_compose_gives_the_console_what_it_needs_and_nothing_of_a_service():
    services = compose()["services"]
    image = dockerfile()
    console = services[CONSOLE]
    env = compose_environment(console)
    assert console_problems(env) == []
    assert set(env) <= variables_the_code_reads(), set(env) - variables_the_code_reads()
    for name in SERVICES:  # each API where compose runs it, on the port its image binds
        url = urlsplit(env[f"{name.upper()}_API_URL"])
        assert (url.hostname, url.port) == (f"{name}-web", image["bind_port"]), url
    # Stateless: no database, no broker (nor does it wait for them itself).
    assert not [k for k in env if k.endswith("_DATABASE_URL") or k == "BROKER_URL"]
    assert not {"postgres", "rabbitmq"} & set(console["depends_on"])
    assert not console.get("volumes")
    assert not console.get("healthcheck", {}).get("disable", False)  # the image's HEALTHCHECK
    assert console["ports"] == [f"{CONSOLE_PORT}:{image['bind_port']}"]
    apis = {name: compose_environment(services[f"{name}-web"]) for name in SERVICES}
    assert sign_in_problems(env, apis) == []
    # With the demo off (a secret of one's own, the identity provider added) but no session key
    # exported, the console refuses to start rather than sign sessions with a key in the file.
    own = {"JWT_SECRET": "s" * 40, "CONSOLE_SECRET_KEY": "k" * 40}
    provider = {"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "console", "OIDC_CLIENT_SECRET": "secret"}
    assert console_problems({**compose_environment(console, own), **provider}) == []
    refused = console_problems({**compose_environment(console, {"JWT_SECRET": own["JWT_SECRET"]}), **provider})
    assert refused and "CONSOLE_SECRET_KEY" in refused[0], refused


def test_compose_rabbitmq_knows_the_user_of_broker_url_and_imports_the_topology():
    services = compose()["services"]
    mounts = dict(volume.split(":")[:2] for volume in services["rabbitmq"]["volumes"])
    folder = definitions_folder()
    assert mounts["./deploy/rabbitmq/rabbitmq.conf"].startswith("/etc/rabbitmq/conf.d/")
    assert Path(mounts["./deploy/rabbitmq/definitions.json"]).parent == folder
    users_file = Path(mounts["./deploy/rabbitmq/compose-users.json"])
    assert users_file.parent == folder
    users = json.loads((ROOT / "deploy/rabbitmq/compose-users.json").read_text())
    for service in services.values():
        url = service.get("environment", {}).get("BROKER_URL")
        if url:
            assert_broker_user_exists(url, users)


def definitions_folder() -> Path:
    conf = (ROOT / "deploy/rabbitmq/rabbitmq.conf").read_text()
    return Path(re.search(r"^definitions\.local\.path = (\S+)$", conf, re.M).group(1))


def assert_broker_user_exists(url: str, users: dict) -> None:
    """The user of `url` is declared with its password (RabbitMQ's salted SHA-256), on the
    virtual host where the definitions put the queues."""
    connection = Connection(url)
    user = next(u for u in users["users"] if u["name"] == connection.userid)
    assert user["hashing_algorithm"] == "rabbit_password_hashing_sha256"
    digest = base64.b64decode(user["password_hash"])
    assert hashlib.sha256(digest[:4] + connection.password.encode()).digest() == digest[4:], url
    topology = json.loads((ROOT / "deploy/rabbitmq/definitions.json").read_text())
    vhosts = {queue["vhost"] for queue in topology["queues"]}
    assert vhosts == {connection.virtual_host}
    assert {p["vhost"] for p in users["permissions"] if p["user"] == connection.userid} == vhosts


# --------------------------------------------------------------------- kubernetes: rendering


@functools.cache
def kustomize_command() -> tuple[str, ...] | None:
    if shutil.which("kustomize"):
        return ("kustomize", "build")
    if shutil.which("kubectl"):
        return ("kubectl", "kustomize")
    return None


@functools.cache
def rendered(kustomization: str) -> tuple[dict, ...]:
    command = kustomize_command()
    if command is None:
        pytest.skip("neither kustomize nor kubectl (which has kustomize built in) is installed")
    result = subprocess.run(
        [*command, str(K8S / kustomization)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "KUBECONFIG": os.devnull},
    )
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def out_of_band(kustomization: str) -> tuple[dict, ...]:
    """What an overlay expects to find in its namespace, created by hand or a secret manager."""
    example = K8S / kustomization / "secrets.example.yaml"
    if not example.exists():
        return ()
    return tuple(doc for doc in yaml.safe_load_all(example.read_text()) if doc)


def in_namespace(kustomization: str) -> tuple[dict, ...]:
    return rendered(kustomization) + out_of_band(kustomization)


def find(objects, kind: str, name: str) -> dict:
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"{len(found)} {kind} named {name}"
    return found[0]


def data_of(obj: dict) -> dict[str, str]:
    data = {key: base64.b64decode(value).decode() for key, value in (obj.get("data") or {}).items()} \
        if obj["kind"] == "Secret" else dict(obj.get("data") or {})
    data.update(obj.get("stringData") or {})
    return data


def workloads(objects) -> list[tuple[str, str, dict]]:
    """(service, role, Deployment) of every aftersales process."""
    found = []
    for obj in objects:
        labels = obj["metadata"].get("labels", {})
        if obj["kind"] == "Deployment" and labels.get("app.kubernetes.io/part-of") == "aftersales":
            found.append((labels["app.kubernetes.io/name"], labels["app.kubernetes.io/component"], obj))
    return found


def containers(deployment: dict) -> list[tuple[str, dict]]:
    """(role, container): the migration init container, then the process."""
    pod = deployment["spec"]["template"]["spec"]
    role = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
    return [("migrate", c) for c in pod.get("initContainers", [])] + [(role, c) for c in pod["containers"]]


def referenced(source: dict) -> tuple[str, dict]:
    """The kind and reference of an envFrom or valueFrom source."""
    for field, kind in (("configMapRef", "ConfigMap"), ("configMapKeyRef", "ConfigMap"),
                        ("secretRef", "Secret"), ("secretKeyRef", "Secret")):
        if field in source:
            return kind, source[field]
    raise AssertionError(f"unexpected source {source}")


def volume_source(volume: dict, objects) -> dict | None:
    """The ConfigMap or Secret a volume shows, if it shows one."""
    if "configMap" in volume:
        return find(objects, "ConfigMap", volume["configMap"]["name"])
    if "secret" in volume:
        return find(objects, "Secret", volume["secret"]["secretName"])
    return None


def under(path: str, folders) -> bool:
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def environment(container: dict, objects) -> dict[str, str]:
    """The variables the container sets, with references resolved (a missing object or key
    fails here, as the kubelet would refuse to start the container)."""
    env = {}
    for source in container.get("envFrom", []):
        kind, ref = referenced(source)
        assert not ref.get("optional")
        env.update(data_of(find(objects, kind, ref["name"])))
    for variable in container.get("env", []):
        if "value" in variable:
            env[variable["name"]] = variable["value"]
            continue
        kind, ref = referenced(variable["valueFrom"])
        assert not ref.get("optional"), f"{variable['name']} must not be optional"
        data = data_of(find(objects, kind, ref["name"]))
        assert ref["key"] in data, f"{kind} {ref['name']} has no key {ref['key']}"
        env[variable["name"]] = data[ref["key"]]
    return env


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_kustomize_builds_every_process_of_every_service(kustomization):
    objects = rendered(kustomization)
    for name in SERVICES:
        for role in ROLES:
            deployment = find(objects, "Deployment", f"{name}-{role}")
            assert [role for role, _ in containers(deployment)] == ["migrate", role]
        find(objects, "Service", name)
        find(objects, "HorizontalPodAutoscaler", f"{name}-api")
        find(objects, "PodDisruptionBudget", f"{name}-api")
    # The console: gunicorn only, with no migration before it (it has no database).
    console = find(objects, "Deployment", f"{CONSOLE}-web")
    assert [role for role, _ in containers(console)] == ["web"]
    find(objects, "Service", CONSOLE)
    find(objects, "HorizontalPodAutoscaler", f"{CONSOLE}-web")
    find(objects, "PodDisruptionBudget", f"{CONSOLE}-web")
    expected = [(n, r) for n in SERVICES for r in ROLES] + [(CONSOLE, "web")]
    assert sorted((n, r) for n, r, _ in workloads(objects)) == sorted(expected)


def test_the_base_is_namespace_agnostic_and_holds_no_secret():
    for obj in rendered("base"):
        assert "namespace" not in obj["metadata"], obj["metadata"]["name"]
        assert obj["kind"] != "Secret"


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_every_object_matches_the_kubernetes_schema(kustomization, version):
    failures = []
    for obj in in_namespace(kustomization):
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = ".".join(map(str, exc.path))
            failures.append(f"{obj['kind']} {obj['metadata']['name']}: {where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            failures.append(exc.message)
    assert not failures, "\n".join(failures)


def test_the_schema_check_can_tell_a_wrong_manifest():
    deployment = json.loads(json.dumps(find(rendered("base"), "Deployment", "parts-relay")))
    kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)


def test_every_service_is_deployed_alike():
    """The three base files differ only by the service's name: a change to one is made to all."""
    parts = (K8S / "base/parts.yaml").read_text()
    for name in ("warranty", "complaints"):
        expected = parts.replace("parts", name).replace("PARTS", name.upper())
        assert (K8S / f"base/{name}.yaml").read_text() == expected


# --------------------------------------------------------------- kubernetes: against the code


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_containers_run_real_cli_subcommands_of_their_own_image(kustomization):
    for name, _, deployment in workloads(rendered(kustomization)):
        for role, container in containers(deployment):
            repository = re.sub(r":[^/:]+$", "", container["image"])  # overlays set registry and tag
            assert repository.endswith(f"aftersales/{name}"), container["image"]
            if role in HTTP_ROLES:
                assert "command" not in container and "args" not in container  # the image's gunicorn
                continue
            assert "args" not in container
            assert container["command"][:3] == ["python", "-m", name], container["command"]
            assert container["command"][3:] == [SUBCOMMAND[role]]
            assert cli_accepts(name, SUBCOMMAND[role])


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_probes_and_scrapes_ask_what_the_api_serves(kustomization, routes):
    image = dockerfile()
    for name, role, deployment in workloads(rendered(kustomization)):
        pod = deployment["spec"]["template"]
        api = pod["spec"]["containers"][0]
        if role in WORKER_ROLES:
            assert_worker_probes_and_scrape(pod)
            continue
        ports = {port["name"]: port["containerPort"] for port in api["ports"]}
        assert list(ports.values()) == [image["bind_port"]] == [image["expose"]]
        assert api["startupProbe"]["httpGet"]["path"] == "/health/live"
        assert api["livenessProbe"]["httpGet"]["path"] == "/health/live" == image["healthcheck_path"]
        assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert api[probe]["httpGet"]["path"] in routes[name]
            assert not api[probe]["httpGet"]["path"].startswith(API_PREFIX)  # the kubelet sends no token
            assert ports[api[probe]["httpGet"]["port"]] == image["bind_port"]
        pause = api["lifecycle"]["preStop"]["exec"]["command"]
        assert pause[0] == "sleep"
        assert pod["spec"]["terminationGracePeriodSeconds"] >= int(pause[1]) + gunicorn_graceful_timeout()
        annotations = pod["metadata"].get("annotations", {})
        if name == CONSOLE:  # no broker behind its ready check, and no /metrics to scrape
            assert "/metrics" not in routes[name] and "prometheus.io/scrape" not in annotations
            continue
        # A broker that drops packets makes the ready check wait for its connect timeout; the
        # pod must stay in rotation then (only a down database takes it out).
        settings = Settings.from_env(name, {"BROKER_URL": "amqp://u:p@mq//"})
        assert api["readinessProbe"]["timeoutSeconds"] > broker.connect(settings).connect_timeout
        assert annotations["prometheus.io/scrape"] == "true"
        assert annotations["prometheus.io/path"] in routes[name]
        assert not annotations["prometheus.io/path"].startswith(API_PREFIX)  # nor does Prometheus
        assert int(annotations["prometheus.io/port"]) == image["bind_port"]


def assert_worker_probes_and_scrape(pod: dict) -> None:
    """A relay or consumer: one port, the one METRICS_PORT names; probes and the scrape ask the
    routes its monitoring server serves there."""
    [container] = pod["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    env = {variable["name"]: variable.get("value") for variable in container["env"]}
    assert list(ports.values()) == [int(env["METRICS_PORT"])]
    assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["path"] in WORKER_ROUTES
        assert ports[container[probe]["httpGet"]["port"]] == int(env["METRICS_PORT"])
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] in WORKER_ROUTES
    assert int(annotations["prometheus.io/port"]) == int(env["METRICS_PORT"])


def worker_metrics_port(deployment: dict) -> int:
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    [port] = container["ports"]
    return port["containerPort"]


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_every_process_gets_the_settings_it_cannot_run_without(kustomization):
    objects = in_namespace(kustomization)
    known = variables_the_code_reads() | set(dockerfile()["env"])
    for name, _, deployment in workloads(rendered(kustomization)):
        for role, container in containers(deployment):
            where = f"{deployment['metadata']['name']} {container['name']}"
            env = environment(container, objects)
            assert set(env) <= known, f"{where}: the code reads no {sorted(set(env) - known)}"
            if name == CONSOLE:
                assert console_problems(as_filled_in(env)) == [], where
                continue
            settings = {**image_environment(name), **env}
            assert settings_problems(name, role, settings) == [], where
            assert Settings.from_env(name, settings).demo == (kustomization in DEMOS), where


def as_filled_in(env: dict[str, str]) -> dict[str, str]:
    """The production secrets example's values as an operator fills them: each CHANGE_ME
    stands for a value of theirs (a password, a key of 48 random characters)."""
    return {name: value.replace("CHANGE_ME", "x" * 48) for name, value in env.items()}


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_the_console_calls_the_services_and_signs_in_with_tokens_they_verify(kustomization):
    objects = in_namespace(kustomization)
    [(_, _, console)] = [w for w in workloads(rendered(kustomization)) if w[0] == CONSOLE]
    env = as_filled_in(environment(console["spec"]["template"]["spec"]["containers"][0], objects))
    for name in SERVICES:  # each API through its Service, on the port the Service serves
        url = urlsplit(env[f"{name.upper()}_API_URL"])
        service = find(objects, "Service", url.hostname)
        selector = service["spec"]["selector"]
        assert selector == {"app.kubernetes.io/name": name, "app.kubernetes.io/component": "api"}
        assert (url.port or 80) in [port["port"] for port in service["spec"]["ports"]], url
    apis = {}
    for name in SERVICES:
        [api] = find(objects, "Deployment", f"{name}-api")["spec"]["template"]["spec"]["containers"]
        apis[name] = environment(api, objects)
    assert sign_in_problems(env, apis) == []
    # Production signs people in with the identity provider, never with the demo sign-in.
    assert ConsoleSettings.from_env(env).demo_sign_in == (kustomization in DEMOS)


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_the_console_is_stateless(kustomization):
    """What the console is exempt from, said once: no migration, database, broker or disk."""
    objects = with_stand_in_secrets(rendered("base")) if kustomization == "base" else in_namespace(kustomization)
    [(_, role, console)] = [w for w in workloads(rendered(kustomization)) if w[0] == CONSOLE]
    pod = console["spec"]["template"]["spec"]
    assert role == "web" and "initContainers" not in pod
    env = environment(pod["containers"][0], objects)
    assert not [k for k in env if k.endswith("_DATABASE_URL") or k == "BROKER_URL"]
    assert all("emptyDir" in volume for volume in pod["volumes"])  # no claim, no certificate


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_pods_run_as_the_images_user_on_a_read_only_root(kustomization):
    image = dockerfile()
    if kustomization == "base":
        objects = with_stand_in_secrets(rendered("base"))
    else:
        objects = in_namespace(kustomization)
    for name, _, deployment in workloads(rendered(kustomization)):
        pod = deployment["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        # The Dockerfile's USER is a name: the kubelet can only check runAsNonRoot with a number.
        assert pod["securityContext"]["runAsUser"] == image["uid"]
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        scratch = {volume["name"] for volume in pod["volumes"] if "emptyDir" in volume}
        for role, container in containers(deployment):
            where = f"{deployment['metadata']['name']} {container['name']}"
            assert container["securityContext"] == {
                **container["securityContext"],
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "capabilities": {"drop": ["ALL"]},
            }, where
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]) and "memory" in resources["limits"], where
            writable = [m["mountPath"] for m in container["volumeMounts"] if m["name"] in scratch]
            env = {**image_environment(name), **environment(container, objects)}
            for path in ("/tmp", env["PROMETHEUS_MULTIPROC_DIR"], env.get("AFTERSALES_DATA_DIR", "/app/var")):
                assert under(path, writable), f"{where}: {path} is read-only"


def with_stand_in_secrets(objects) -> tuple[dict, ...]:
    """The base's objects plus empty stand-ins for the secrets the overlays provide."""
    secrets = {}
    for _, _, deployment in workloads(objects):
        for _, container in containers(deployment):
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    secrets.setdefault(ref["name"], {})[ref["key"]] = ""
    stand_ins = ({"kind": "Secret", "metadata": {"name": n}, "stringData": d} for n, d in secrets.items())
    return objects + tuple(stand_ins)


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_every_reference_between_objects_resolves(kustomization):
    objects = in_namespace(kustomization)
    deployments = [o for o in objects if o["kind"] in ("Deployment", "StatefulSet")]
    for workload in deployments:
        where = f"{workload['kind']} {workload['metadata']['name']}"
        template = workload["spec"]["template"]
        selector = workload["spec"]["selector"]["matchLabels"]
        assert selector.items() <= template["metadata"]["labels"].items(), where
        pod = template["spec"]
        volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
        claims = {claim["metadata"]["name"] for claim in workload["spec"].get("volumeClaimTemplates", [])}
        for volume in volumes.values():
            if "configMap" in volume:
                find(objects, "ConfigMap", volume["configMap"]["name"])
            if "secret" in volume:
                find(objects, "Secret", volume["secret"]["secretName"])
        for container in pod.get("initContainers", []) + pod["containers"]:
            environment(container, objects)
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes or mount["name"] in claims, f"{where}: no volume {mount['name']}"
                source = volume_source(volumes.get(mount["name"], {}), objects)
                if "subPath" in mount and source is not None:
                    assert mount["subPath"] in data_of(source), f"{where}: no key {mount['subPath']}"

    def selected(selector):
        return [w for w in deployments if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()]

    for service in (o for o in objects if o["kind"] == "Service"):
        matches = selected(service["spec"]["selector"])
        assert len(matches) == 1, f"Service {service['metadata']['name']} selects {len(matches)} workloads"
        [workload] = matches
        pod = workload["spec"]["template"]["spec"]
        ports = {port["name"]: port["containerPort"] for c in pod["containers"] for port in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            assert target in ports or target in ports.values(), f"Service {service['metadata']['name']}: {target}"
    for budget in (o for o in objects if o["kind"] == "PodDisruptionBudget"):
        assert len(selected(budget["spec"]["selector"]["matchLabels"])) == 1, budget["metadata"]["name"]
    for autoscaler in (o for o in objects if o["kind"] == "HorizontalPodAutoscaler"):
        spec = autoscaler["spec"]
        target = find(objects, spec["scaleTargetRef"]["kind"], spec["scaleTargetRef"]["name"])
        assert "replicas" not in target["spec"], "the autoscaler owns the replica count; apply would reset it"
        assert 1 <= spec["minReplicas"] <= spec["maxReplicas"]
        [metric] = spec["metrics"]
        assert metric["resource"]["name"] == "cpu"
        for container in target["spec"]["template"]["spec"]["containers"]:
            assert "cpu" in container["resources"]["requests"]  # utilisation is measured against it


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_one_relay_per_service(kustomization):
    for name, role, deployment in workloads(rendered(kustomization)):
        if role == "relay":
            assert deployment["spec"]["replicas"] == 1, name
        if role in WORKER_ROLES:  # only its metrics port: nothing sends it traffic
            [port] = deployment["spec"]["template"]["spec"]["containers"][0]["ports"]
            assert port["name"] == "metrics"
    assert sum(role == "relay" for _, role, _ in workloads(rendered(kustomization))) == len(SERVICES)


# ----------------------------------------------------------------- kubernetes: the overlays


def test_production_commits_no_secret_and_verifies_the_database_certificate():
    assert not [o for o in rendered("overlays/production") if o["kind"] == "Secret"]
    example = out_of_band("overlays/production")
    for secret in (o for o in example if o["kind"] == "Secret"):
        assert all("CHANGE_ME" in value for value in data_of(secret).values()), secret["metadata"]["name"]
    namespace = find(rendered("overlays/production"), "Namespace", "aftersales")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    # Nor does a ConfigMap hold one: the secrets come only from the Secrets of the example.
    secret_keys = {key for secret in example if secret["kind"] == "Secret" for key in data_of(secret)}
    assert {"CONSOLE_SECRET_KEY", "OIDC_CLIENT_SECRET", "BROKER_URL"} <= secret_keys
    for config in (o for o in rendered("overlays/production") if o["kind"] == "ConfigMap"):
        assert not secret_keys & set(data_of(config)), config["metadata"]["name"]
    for name, _, deployment in workloads(rendered("overlays/production")):
        for _, container in containers(deployment):  # nor a literal value in a Deployment
            for variable in container.get("env", []):
                if variable["name"] in secret_keys:
                    assert "secretKeyRef" in variable.get("valueFrom", {}), (name, variable["name"])
        if name == CONSOLE:  # no database, no broker: test_the_console_is_stateless
            continue
        for role, container in containers(deployment):
            env = environment(container, in_namespace("overlays/production"))
            url = urlsplit(env[f"{name.upper()}_DATABASE_URL"])
            options = parse_qs(url.query)
            assert options["sslmode"] == ["verify-full"], url
            [ca] = options["sslrootcert"]
            mounts = [m["mountPath"] for m in container["volumeMounts"]]
            assert under(ca, mounts), f"{deployment['metadata']['name']} {role}: {ca} is not mounted"
            if role != "migrate":
                assert env["BROKER_URL"].startswith("amqps://")  # TLS to the broker


def test_production_apis_verify_the_identity_provider_s_tokens_and_are_no_demo():
    """With JWT_JWKS_URL the services take only the provider's RS256/ES256 signatures, never an
    HS256 token (tests/test_token_keys.py); here: the overlay configures that, with the issuer
    the console signs in at and the audience of the provider's access tokens."""
    objects = in_namespace("overlays/production")
    [console] = find(objects, "Deployment", "console-web")["spec"]["template"]["spec"]["containers"]
    issuer = environment(console, objects)["OIDC_ISSUER"]
    for name in SERVICES:
        [api] = find(objects, "Deployment", f"{name}-api")["spec"]["template"]["spec"]["containers"]
        settings = Settings.from_env(name, as_filled_in(environment(api, objects)))
        assert urlsplit(settings.jwt_jwks_url).scheme == "https", name
        assert (settings.jwt_issuer, bool(settings.jwt_audience), settings.demo) == (issuer, True, False), name


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_only_a_demo_carries_a_jwt_secret(kustomization):
    """Production verifies the identity provider's keys (JWT_JWKS_URL): a JWT_SECRET there would
    be a second way to sign tokens the services accept (for anyone who reads the Secret), so no
    process gets one, from a Secret, a ConfigMap or a literal, and no Secret or ConfigMap the
    overlay makes or expects holds one. The dev overlay, a demo, gives the APIs and the console
    the development secret, with which the demo sign-in mints the tokens."""
    objects = in_namespace(kustomization)
    demo = kustomization in DEMOS
    holders = [o["metadata"]["name"] for o in objects
               if o["kind"] in ("Secret", "ConfigMap") and "JWT_SECRET" in data_of(o)]
    assert bool(holders) == demo, holders
    for _, _, deployment in workloads(rendered(kustomization)):
        for role, container in containers(deployment):
            env = environment(container, objects)
            where = f"{deployment['metadata']['name']} {container['name']}"
            assert ("JWT_SECRET" in env) == (demo and role in HTTP_ROLES), where
            if demo and role in HTTP_ROLES:
                assert env["JWT_SECRET"] == DEV_JWT_SECRET, where
            if role == "api" and not demo:
                assert urlsplit(env["JWT_JWKS_URL"]).scheme == "https", where


def test_production_runs_more_than_one_of_each_stateless_process():
    objects = rendered("overlays/production")
    for name, role, deployment in workloads(objects):
        if role == "consumer":
            assert deployment["spec"]["replicas"] >= 2
        if role in HTTP_ROLES:  # the APIs and the console
            assert find(objects, "HorizontalPodAutoscaler", f"{name}-{role}")["spec"]["minReplicas"] >= 2


def test_the_dev_overlay_runs_the_brokers_topology_and_user_as_compose_does():
    objects = rendered("overlays/dev")
    rabbitmq = find(objects, "StatefulSet", "rabbitmq")
    pod = rabbitmq["spec"]["template"]["spec"]
    [container] = pod["containers"]
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    files = {}  # mounted path -> content
    for mount in container["volumeMounts"]:
        source = volume_source(volumes.get(mount["name"], {}), objects)
        if source is not None:
            files[mount["mountPath"]] = data_of(source)[mount["subPath"]]
    folder = definitions_folder()
    assert files[str(folder / "definitions.json")] == (ROOT / "deploy/rabbitmq/definitions.json").read_text()
    conf = [text for path, text in files.items() if path.startswith("/etc/rabbitmq/conf.d/")]
    assert conf == [(ROOT / "deploy/rabbitmq/rabbitmq.conf").read_text()]
    users = [json.loads(text) for path, text in files.items() if Path(path).parent == folder]
    users = [document for document in users if "users" in document]
    assert len(users) == 1, f"{len(users)} users files in {folder}"
    assert_broker_user_exists(secret_value(objects, "BROKER_URL"), users[0])
    assert container["image"] == compose()["services"]["rabbitmq"]["image"]


def test_the_dev_overlay_runs_compose_s_postgres_with_a_database_per_service():
    objects = rendered("overlays/dev")
    [container] = find(objects, "StatefulSet", "postgres")["spec"]["template"]["spec"]["containers"]
    assert container["image"] == compose()["services"]["postgres"]["image"]
    assert container["readinessProbe"]["exec"]["command"] == compose()["services"]["postgres"]["healthcheck"]["test"][1:]
    created = set(re.findall(r"CREATE DATABASE (\w+);", (ROOT / "deploy/postgres/init.sql").read_text()))
    owner = (secret_value(objects, "POSTGRES_USER"), secret_value(objects, "POSTGRES_PASSWORD"))
    for name in SERVICES:
        url = urlsplit(secret_value(objects, f"{name.upper()}_DATABASE_URL"))
        assert url.path.lstrip("/") in created, url
        assert (url.username, url.password) == owner
        assert url.hostname == find(objects, "Service", "postgres")["metadata"]["name"]


def secret_value(objects, key: str) -> str:
    """The value of `key` in the one Secret that has it."""
    [value] = [data_of(o)[key] for o in objects if o["kind"] == "Secret" and key in data_of(o)]
    return value


# ----------------------------------------------------------------- kubernetes: the network

# Where the Ingress controller and Prometheus run, as the manifests name them (placeholders an
# operator changes together with these): the only namespaces let in.
INGRESS_CONTROLLER = "ingress-nginx"
PROMETHEUS = "monitoring"
NAMESPACE_NAME = "kubernetes.io/metadata.name"  # set by Kubernetes on every namespace
DEFAULT_PORTS = {"http": 80, "https": 443, "amqp": 5672, "amqps": 5671, "postgresql+psycopg": 5432}
UNROUTED = ("/health", "/metrics")  # answer without a token: never on the public path


def selects(selector: dict, labels: dict) -> bool:
    """Whether a label selector (matchLabels and matchExpressions) selects these labels."""
    assert set(selector) <= {"matchLabels", "matchExpressions"}, selector  # not a Service's plain map
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        key, values = expression["key"], expression.get("values", [])
        holds = {
            "In": labels.get(key) in values,
            "NotIn": labels.get(key) not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[expression["operator"]]
        if not holds:
            return False
    return True


def pod_workloads(objects) -> list[dict]:
    return [o for o in objects if o["kind"] in ("Deployment", "StatefulSet")]


def pod_labels(workload: dict) -> dict:
    return workload["spec"]["template"]["metadata"]["labels"]


def selected_by(selector: dict, objects) -> set[str]:
    """The names of the workloads of this namespace whose pods the selector selects."""
    return {w["metadata"]["name"] for w in pod_workloads(objects) if selects(selector, pod_labels(w))}


def policies_for(workload: dict, objects, direction: str) -> list[dict]:
    """The NetworkPolicies that isolate the workload's pods in `direction` (Ingress, Egress)."""
    return [
        p for p in objects
        if p["kind"] == "NetworkPolicy" and direction in p["spec"]["policyTypes"]
        and selects(p["spec"]["podSelector"], pod_labels(workload))
    ]


def allowed(workload: dict, objects, direction: str) -> list[tuple[dict | None, str, int | None]]:
    """(peer, protocol, port) of every rule that lets traffic in or out: peer None is anyone,
    port None every port."""
    rules_key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    found = []
    for policy in policies_for(workload, objects, direction):
        for rule in policy["spec"].get(rules_key, []):
            for peer in rule.get(peers_key) or [None]:
                for port in rule.get("ports") or [{}]:
                    found.append((peer, port.get("protocol", "TCP"), port.get("port")))
    return found


def peer_is(peer: dict | None, objects) -> str:
    """Who a peer is: `namespace <name>`, `pods <workloads>` in this namespace, `ip <cidr>`, or
    `anyone`. A selector that selects nothing is a silent hole in the intent: it fails here."""
    if peer is None:
        return "anyone"
    if "ipBlock" in peer:
        return f"ip {peer['ipBlock']['cidr']}"
    if "namespaceSelector" in peer:
        namespace = peer["namespaceSelector"]
        assert set(namespace) == {"matchLabels"} and set(namespace["matchLabels"]) == {NAMESPACE_NAME}, peer
        return f"namespace {namespace['matchLabels'][NAMESPACE_NAME]}"
    workloads_selected = selected_by(peer["podSelector"], objects)
    assert workloads_selected, f"{peer} selects no pod"
    return "pods " + " ".join(sorted(workloads_selected))


def destinations(workload: dict, objects) -> dict[int, str]:
    """port -> who, for every address the workload's settings point it at: a Service of this
    namespace (the policy sees the pods' port behind it) or a host outside."""
    pod = workload["spec"]["template"]["spec"]
    labels = pod_labels(workload)
    found = {}
    for container in pod.get("initContainers", []) + pod["containers"]:
        env = as_filled_in(environment(container, objects))
        for host, port in addresses(labels["app.kubernetes.io/name"], labels["app.kubernetes.io/component"], env):
            services = [o for o in objects if o["kind"] == "Service" and o["metadata"]["name"] == host]
            if not services:
                found[port] = "outside"
                continue
            [service] = services
            [target] = [p.get("targetPort", p["port"]) for p in service["spec"]["ports"] if p["port"] == port]
            for name in selected_by({"matchLabels": service["spec"]["selector"]}, objects):
                for c in find(objects, workload_kind(objects, name), name)["spec"]["template"]["spec"]["containers"]:
                    for container_port in c.get("ports", []):
                        if target in (container_port["name"], container_port["containerPort"]):
                            found.setdefault(container_port["containerPort"], set()).add(name)
    return found


def addresses(name: str, role: str, env: dict[str, str]) -> list[tuple[str | None, int]]:
    """(host, port) of every address the process opens, host None where it is not known in
    advance: the URLs of its settings, and the complaints consumer's notifications."""
    found = []
    for variable in connected(name, role, env):
        url = urlsplit(env[variable])
        if url.scheme in DEFAULT_PORTS and url.hostname:
            found.append((url.hostname, url.port or DEFAULT_PORTS[url.scheme]))
    if (name, role) == ("complaints", "consumer"):
        found += notifications_reach(env)
    return found


def notifications_reach(env: dict[str, str]) -> list[tuple[str | None, int]]:
    """The complaints consumer sends the notifications (its deliver-notifications job): e-mail
    to NOTIFY_SMTP_HOST on NOTIFY_SMTP_PORT, as the service reads them (a host and a port, not
    a URL; no host, no e-mail), and to the WeCom / DingTalk group bots whose HTTPS addresses each
    dealer sets through the API, so none is known here."""
    smtp = NotificationSettings.from_environ(env).smtp
    return [(None, DEFAULT_PORTS["https"])] + ([(smtp.host, smtp.port)] if smtp.host else [])


# Addresses a service writes into what it sends (a link in a message), never opens.
LINKS_ONLY = {"NOTIFY_CONSOLE_URL"}


def connected(name: str, role: str, env: dict[str, str]) -> list[str]:
    """The variables of `env` whose address the process opens. The shared ConfigMap gives every
    process every setting; a service ignores the console's API URLs, and relays and consumers
    open only the database and the broker by their settings (only an API verifies tokens or
    keeps attachments; the complaints consumer's notifications: notifications_reach)."""
    if role not in HTTP_ROLES:
        return [v for v in env if v.endswith("_DATABASE_URL") or v == "BROKER_URL"]
    return [v for v in env if v in variables_read_by(name) and v not in LINKS_ONLY]


@functools.cache
def variables_read_by(name: str) -> frozenset[str]:
    """What variables_the_code_reads finds, in the shared code and this deployable's own only."""
    sources = [*ROOT.glob("shared/**/*.py"), *ROOT.glob(f"services/{name}/{name}/**/*.py")]
    code = [path for path in sources if "tests" not in path.parts]
    names = {found for path in code for found in SETTING_READ.findall(path.read_text())}
    return frozenset(names | ({f"{name.upper()}_DATABASE_URL"} if name in SERVICES else set()))


def workload_kind(objects, name: str) -> str:
    [kind] = [w["kind"] for w in pod_workloads(objects) if w["metadata"]["name"] == name]
    return kind


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_every_app_pod_is_denied_all_traffic_but_what_a_policy_allows(kustomization):
    objects = rendered(kustomization)
    for _, _, deployment in workloads(objects):
        deny = [
            p for p in policies_for(deployment, objects, "Ingress")
            if "Egress" in p["spec"]["policyTypes"] and not p["spec"].get("ingress") and not p["spec"].get("egress")
        ]
        assert deny, f"{deployment['metadata']['name']}: no deny-all NetworkPolicy selects its pods"


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS)
def test_every_network_policy_selects_pods_that_exist(kustomization):
    objects = rendered(kustomization)
    for policy in (o for o in objects if o["kind"] == "NetworkPolicy"):
        assert selected_by(policy["spec"]["podSelector"], objects), f"{policy['metadata']['name']} selects no pod"
        for rule in policy["spec"].get("ingress", []) + policy["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                peer_is(peer, objects)  # fails on a selector that selects nothing
                for port in rule.get("ports") or []:
                    assert isinstance(port["port"], int), "a named port resolves per pod: say the number"


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_each_process_may_reach_only_dns_and_what_its_settings_point_it_at(kustomization):
    """Out: DNS, and for each URL of its settings (database, broker, the APIs for the console,
    the identity provider and the bucket in production) that port, to that Service's pods when
    it is in the namespace. Nothing else, on no other port."""
    objects = in_namespace(kustomization)
    for _, role, deployment in workloads(rendered(kustomization)):
        where = deployment["metadata"]["name"]
        expected = destinations(deployment, objects)
        rules = allowed(deployment, objects, "Egress")
        assert all(port is not None for _, _, port in rules), f"{where}: a rule allows every port"
        dns = {(protocol, peer_is(peer, objects)) for peer, protocol, port in rules if port == 53}
        assert dns == {("UDP", "namespace kube-system"), ("TCP", "namespace kube-system")}, where
        for peer, _, port in rules:
            if port == 53:
                assert peer["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}, where
        assert {port for _, _, port in rules} - {53} == set(expected), where
        for port, who in expected.items():
            peers = {peer_is(peer, objects) for peer, protocol, p in rules if p == port and protocol == "TCP"}
            if who == "outside":
                assert peers and all(p == "anyone" or p.startswith("ip ") for p in peers), (where, port, peers)
            else:
                assert peers == {"pods " + " ".join(sorted(who))}, (where, port, peers)


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_the_dealers_bots_are_reached_on_public_addresses_only(kustomization):
    """A webhook URL is typed in by a dealer: the complaints consumer's HTTPS may not reach into
    the cluster, the nodes' networks or the cloud's metadata endpoint through it."""
    objects = in_namespace(kustomization)
    consumer = find(objects, "Deployment", "complaints-consumer")
    https = [peer for peer, _, port in allowed(consumer, objects, "Egress") if port == 443]
    assert https and all(peer and "ipBlock" in peer for peer in https), https
    kept_out = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10"}
    assert kept_out <= {cidr for peer in https for cidr in peer["ipBlock"].get("except", [])}
    for _, role, other in workloads(rendered(kustomization)):  # nor may any other relay or consumer
        if role in WORKER_ROLES and other["metadata"]["name"] != "complaints-consumer":
            assert 443 not in {port for _, _, port in allowed(other, objects, "Egress")}, other["metadata"]["name"]


@pytest.mark.parametrize("kustomization", OVERLAYS)
def test_only_the_ingress_controller_the_console_and_prometheus_reach_the_apis(kustomization):
    """In: the APIs from the Ingress controller, the console and Prometheus (/metrics is on the
    API's port, kept off the public path by the Ingress); the console from the Ingress
    controller, on the port gunicorn binds; relays and consumers from Prometheus alone, on
    their metrics port."""
    objects = rendered(kustomization)
    consoles = {w["metadata"]["name"] for _, role, w in workloads(objects) if role == "web"}
    expected = {
        "api": {f"namespace {INGRESS_CONTROLLER}", f"namespace {PROMETHEUS}", "pods " + " ".join(sorted(consoles))},
        "web": {f"namespace {INGRESS_CONTROLLER}"},
        "relay": {f"namespace {PROMETHEUS}"},
        "consumer": {f"namespace {PROMETHEUS}"},
    }
    for _, role, deployment in workloads(objects):
        rules = allowed(deployment, objects, "Ingress")
        assert {peer_is(peer, objects) for peer, _, _ in rules} == expected[role], deployment["metadata"]["name"]
        port = worker_metrics_port(deployment) if role in WORKER_ROLES else dockerfile()["bind_port"]
        assert {(protocol, p) for _, protocol, p in rules} == {("TCP", port)}, deployment["metadata"]["name"]


def reaches(path: dict, request: str) -> bool:
    """Whether an Ingress path takes this request path (Exact, or Prefix by whole segments)."""
    assert path["pathType"] in ("Exact", "Prefix"), "ImplementationSpecific means what each controller says"
    if path["pathType"] == "Exact":
        return request == path["path"]
    prefix = path["path"].rstrip("/")
    return request == prefix or request.startswith(prefix + "/")


def test_the_ingress_routes_only_the_public_paths_and_only_over_tls(routes):
    """Each host goes to one app; of that app's routes, the Ingress takes exactly those that are
    not /health or /metrics, so a new console page is routed and no probe or scrape is."""
    objects = rendered("overlays/production")
    [ingress] = [o for o in objects if o["kind"] == "Ingress"]
    spec = ingress["spec"]
    assert "defaultBackend" not in spec
    tls = {host for entry in spec["tls"] for host in entry["hosts"]}
    assert all(entry["secretName"] for entry in spec["tls"])
    routed = {}
    for rule in spec["rules"]:
        assert rule["host"] in tls, f"{rule['host']} is served without TLS"
        backends = set()
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            service = find(objects, "Service", backend["name"])
            assert backend["port"]["name"] in [port["name"] for port in service["spec"]["ports"]]
            backends.add(service["spec"]["selector"]["app.kubernetes.io/name"])
        [app] = backends  # the three APIs share /api/v1: one host each
        assert app not in routed, f"{app} on two hosts"
        routed[app] = rule["http"]["paths"]
    assert set(routed) == set(DEPLOYABLES)
    for app, paths in routed.items():
        for route in routes[app]:
            request = re.sub(r"<[^>]+>", "x", route)
            public = not request.startswith(UNROUTED)
            assert any(reaches(path, request) for path in paths) == public, (app, route)
        for unrouted in UNROUTED:
            assert not any(reaches(path, unrouted + "/x") or reaches(path, unrouted) for path in paths), app


def test_the_network_checks_can_tell_a_hole():
    labels = {"app.kubernetes.io/name": "parts", "app.kubernetes.io/component": "api"}
    assert selects({"matchLabels": {"app.kubernetes.io/name": "parts"}}, labels)
    assert not selects({"matchLabels": {"app.kubernetes.io/name": "part"}}, labels)
    assert selects({"matchExpressions": [{"key": "app.kubernetes.io/name", "operator": "NotIn",
                                          "values": ["console"]}]}, labels)
    objects = rendered("overlays/dev")
    with pytest.raises(AssertionError, match="selects no pod"):
        peer_is({"podSelector": {"matchLabels": {"app.kubernetes.io/name": "postgresql"}}}, objects)
    with pytest.raises(AssertionError):  # a namespace picked by a label someone must remember to set
        peer_is({"namespaceSelector": {"matchLabels": {"team": "ingress"}}}, objects)
    assert reaches({"path": "/api/v1", "pathType": "Prefix"}, "/api/v1/parts")
    assert not reaches({"path": "/api/v1", "pathType": "Prefix"}, "/api/v10")
    assert not reaches({"path": "/", "pathType": "Exact"}, "/health/live")
    assert reaches({"path": "/", "pathType": "Prefix"}, "/health/live")
