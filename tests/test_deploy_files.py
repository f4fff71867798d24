"""Deployment files that must agree with the code."""

import json
from pathlib import Path

from shared.config import Settings
from tools.rabbitmq_definitions import definitions

ROOT = Path(__file__).resolve().parent.parent


def test_rabbitmq_definitions_declare_what_the_consumers_declare():
    committed = json.loads((ROOT / "deploy/rabbitmq/definitions.json").read_text())
    production = Settings.from_env("rabbitmq", {"BROKER_URL": "amqp://rabbitmq//"})
    assert committed == json.loads(json.dumps(definitions(production))), (
        "regenerate: python -m tools.rabbitmq_definitions > deploy/rabbitmq/definitions.json"
    )


def test_the_compose_file_runs_every_process_of_every_service():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("parts", "warranty", "complaints"):
        assert services[f"{name}-migrate"]["command"] == f"python -m {name} migrate"
        assert services[f"{name}-relay"]["command"] == f"python -m {name} relay"
        assert services[f"{name}-consumer"]["command"] == f"python -m {name} consume"
        assert "command" not in services[f"{name}-web"]  # the image's gunicorn default
        assert services[f"{name}-migrate"]["build"]["args"]["SERVICE"] == name
        environment = services[f"{name}-web"]["environment"]
        assert environment[f"{name.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment["BROKER_URL"].startswith("amqp://")
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source
