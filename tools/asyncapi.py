"""The AsyncAPI 3.0 document of every event the services publish, generated from the code:

    python -m tools.asyncapi > docs/asyncapi.yaml

Each service's event classes (`<service>/domain/`) give the messages and their `data` schemas;
its handlers give the queues it consumes with. A test checks the committed file against this
output, and real events against the document (tests/test_asyncapi.py).
"""

from __future__ import annotations

import sys
from typing import Any

from shared.config import Settings
from shared.events.asyncapi import Publisher, build, event_classes
from shared.events.broker import Topology

from complaints.app import COMPLAINTS
from parts.app import PARTS
from warranty.app import WARRANTY

SERVICES = (PARTS, WARRANTY, COMPLAINTS)
# As in docker-compose.yml and deploy/rabbitmq/definitions.json.
PRODUCTION = {"BROKER_URL": "amqp://rabbitmq//"}

DESCRIPTION = """\
Every event the after-sales services (parts, warranty, complaints) publish, as CloudEvents 1.0
(structured JSON, `application/cloudevents+json`) on one durable topic exchange, with the event
type as the routing key.

- Bind your own durable queue with the types or patterns you want, de-duplicate by `id`, keep
  the order of one entity by `sequence`: see docs/subscribing.md.
- Each service also serves its events in commit order over HTTP,
  `GET /api/v1/events?after=<position>&limit=N` (role `integration`), to catch up after downtime.
- `dataschema` ends in `/<type>/v<version>`. Fields are added within a version; a breaking
  change is a new version. Ignore fields you do not know; park versions newer than you know.

Generated from the code by `python -m tools.asyncapi`; do not edit by hand.
"""


def document(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings.from_env("asyncapi", PRODUCTION)
    publishers = [
        Publisher(service.name, service.title, event_classes(service.name), service.handlers)
        for service in SERVICES
    ]
    return build(
        publishers,
        exchange=Topology(settings).events,
        title="After-sales events",
        version="1.0.0",
        description=DESCRIPTION,
        server_host="rabbitmq:5672",
        schema_base=settings.event_schema_base,
    )


def to_yaml(doc: dict[str, Any]) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def main() -> int:
    sys.stdout.write(to_yaml(document()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
