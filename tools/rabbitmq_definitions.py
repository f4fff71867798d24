"""RabbitMQ definitions for production, generated from the code so they cannot drift:

    python -m tools.rabbitmq_definitions > deploy/rabbitmq/definitions.json

They declare the exchanges and every handler's quorum queue and dead-letter queue before any
service starts, so no event published at first start-up finds its queue missing. The
arguments are exactly those the consumers declare (RabbitMQ refuses a redeclaration that
differs). A test checks the committed file against this output.
"""

from __future__ import annotations

import json
import sys

from shared.config import Settings
from shared.events.broker import Topology

from complaints.app import COMPLAINTS
from parts.app import PARTS
from warranty.app import WARRANTY


def definitions(settings: Settings) -> dict:
    topology = Topology(settings)
    queues, bindings = [], []
    for service in (PARTS, WARRANTY, COMPLAINTS):
        for handlers in service.handlers:
            for subscription in handlers.subscriptions:
                queue = topology.queue(subscription.name, subscription.event_types)
                dead = topology.dead_letter_queue(subscription.name)
                for declared in (queue, dead):
                    queues.append({"name": declared.name, "vhost": "/", "durable": True,
                                   "auto_delete": False, "arguments": declared.queue_arguments})
                bindings.extend(
                    {"source": topology.events.name, "vhost": "/", "destination": queue.name,
                     "destination_type": "queue", "routing_key": event_type, "arguments": {}}
                    for event_type in subscription.event_types
                )
                bindings.append({"source": topology.dead_letter.name, "vhost": "/", "destination": dead.name,
                                 "destination_type": "queue", "routing_key": queue.name, "arguments": {}})
    exchanges = [
        {"name": exchange.name, "vhost": "/", "type": exchange.type, "durable": True,
         "auto_delete": False, "internal": False, "arguments": {}}
        for exchange in (topology.events, topology.dead_letter)
    ]
    return {"exchanges": exchanges, "queues": queues, "bindings": bindings}


def main() -> int:
    production = Settings.from_env("rabbitmq", {"BROKER_URL": "amqp://rabbitmq//"})
    json.dump(definitions(production), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
