"""The event catalog as an AsyncAPI 3.0 document, built from the event classes themselves.

Nothing is declared twice: each message's `data` schema is derived from the fields and type
hints of the frozen dataclass that `cloudevents.data_of` serialises, in the same shapes
(`Decimal` a decimal string, `datetime` RFC 3339, `date` ISO, tuples and lists arrays, `X | None`
nullable). The envelope around it is the one `cloudevents.envelope` writes.

    publishers = [Publisher("parts", "Parts inventory", event_classes("parts"), PARTS.handlers)]
    document = build(publishers, exchange=Topology(settings).events, ...)

A field's description comes from `field(metadata={"description": ...})` or, failing that, the
comment at the end of its line; an event's from its docstring. A type this module cannot
describe is an error, so a new kind of field fails the generator instead of being documented
wrongly.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import inspect
import io
import pkgutil
import re
import textwrap
import tokenize
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from kombu import Exchange

from shared.events.cloudevents import CONTENT_TYPE, source_of
from shared.events.consumer import Handlers, Subscription
from shared.model import Event

ASYNCAPI_VERSION = "3.0.0"
AMQP_BINDING_VERSION = "0.3.0"
CHANNEL = "events"
ENVELOPE = "CloudEvent"
# The shape `str(Decimal)` has for the money and quantities we send (never an exponent).
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


@dataclass(frozen=True)
class Publisher:
    """One service: the events it emits, and the handlers (queues) it consumes with."""

    service: str
    title: str
    events: Sequence[type[Event]]
    handlers: Sequence[Handlers] = ()


# ---------------------------------------------------------------- finding the events


def event_classes(package: str) -> list[type[Event]]:
    """Every event type (a subclass of `Event` with a `type`) defined in `package`, after
    importing each module of `<package>.domain`, where events live."""
    domain = importlib.import_module(f"{package}.domain")
    for module in pkgutil.walk_packages(domain.__path__, prefix=f"{domain.__name__}."):
        importlib.import_module(module.name)
    found = {
        cls for cls in _subclasses(Event)
        if (cls.__module__ == package or cls.__module__.startswith(f"{package}."))
        and is_event_type(cls)
    }
    return sorted(found, key=lambda cls: (cls.type, cls.version))


def is_event_type(cls: type) -> bool:
    """A concrete event: a dataclass with a wire type (not a base that only shares fields)."""
    return (isinstance(cls, type) and issubclass(cls, Event) and dataclasses.is_dataclass(cls)
            and isinstance(getattr(cls, "type", None), str))


def _subclasses(cls: type) -> Iterable[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


# ---------------------------------------------------------------- the data schema of one event


def data_schema(cls: type[Event]) -> dict[str, Any]:
    """JSON Schema (draft 7, which AsyncAPI schemas extend) of `cloudevents.data_of(event)`."""
    schema: dict[str, Any] = {"title": cls.__name__}
    description = docstring(cls)
    if description:
        schema["description"] = description
    return {**schema, **_object_schema(cls)}


def docstring(cls: type) -> str | None:
    """The class's docstring, or else the nearest base's below `Event` (a base that only shares
    fields often says what they mean)."""
    for klass in cls.__mro__:
        if klass is Event or klass is object:
            return None
        doc = klass.__dict__.get("__doc__")
        # A dataclass without a docstring gets its signature as one: that is no description.
        if doc and not doc.startswith(f"{klass.__name__}("):
            return inspect.cleandoc(doc)
    return None


def _object_schema(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    comments = _field_comments(cls)
    properties: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        try:
            prop = schema_of(hints[item.name])
        except TypeError as exc:
            raise TypeError(f"{cls.__module__}.{cls.__qualname__}.{item.name}: {exc}") from None
        description = item.metadata.get("description") or comments.get(item.name)
        if description:
            prop = {"description": description, **prop}
        properties[item.name] = prop
    # dataclasses.asdict writes every field, defaulted or not.
    return {"type": "object", "required": list(properties), "properties": properties}


def schema_of(hint: Any) -> dict[str, Any]:
    """The JSON Schema of what `cloudevents.jsonable` makes of a value of this type."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if len(members) == len(args):
            raise TypeError(f"unions other than `X | None` are not documented: {hint}")
        inner = schema_of(members[0]) if len(members) == 1 else {"anyOf": [schema_of(m) for m in members]}
        return _nullable(inner)
    if origin is typing.Literal:
        return _enum(list(args))
    if origin is typing.Annotated:
        return schema_of(args[0])
    if hint is Any:
        return {}
    if hint is bool:
        return {"type": "boolean"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum([member.value for member in hint])
    if hint is int:
        return {"type": "integer"}
    if hint is float:
        return {"type": "number"}
    if hint is str:
        return {"type": "string"}
    if hint is Decimal:
        return {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}
    if hint is datetime:
        return {"type": "string", "format": "date-time"}
    if hint is date:
        return {"type": "string", "format": "date"}
    if hint is UUID:
        return {"type": "string", "format": "uuid"}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        schema = _object_schema(hint)
        description = docstring(hint)
        return {"description": description, **schema} if description else schema
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": schema_of(args[0])}
        return {"type": "array", "items": [schema_of(a) for a in args],
                "minItems": len(args), "maxItems": len(args)}
    if origin in (list, set, frozenset) or (
        isinstance(origin, type) and issubclass(origin, Sequence) and not issubclass(origin, str)
    ):
        schema = {"type": "array", "items": schema_of(args[0]) if args else {}}
        if origin in (set, frozenset):
            schema["uniqueItems"] = True
        return schema
    if origin is dict or (isinstance(origin, type) and issubclass(origin, Mapping)):
        if args and args[0] is not str:
            raise TypeError(f"JSON object keys are strings: {hint}")
        return {"type": "object", "additionalProperties": schema_of(args[1]) if args else {}}
    raise TypeError(f"no JSON Schema for the type {hint!r}")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    schema = dict(schema)
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = [*kinds, "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(values: list[Any]) -> dict[str, Any]:
    kinds = {bool: "boolean", int: "integer", float: "number", str: "string"}
    names = sorted({kinds[type(v)] for v in values if type(v) in kinds})
    schema: dict[str, Any] = {"enum": values}
    if names:
        schema = {"type": names[0] if len(names) == 1 else names, **schema}
    return schema


def _field_comments(cls: type) -> dict[str, str]:
    """`name: type  # what it is` -> {"name": "what it is"}, for the class and its bases."""
    comments: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or not dataclasses.is_dataclass(klass):
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        lines = source.splitlines()
        [definition] = ast.parse(source).body
        for statement in definition.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                text = "\n".join(lines[statement.lineno - 1:statement.end_lineno])
                comment = _trailing_comment(text)
                if comment:
                    comments[statement.target.id] = comment
    return comments


def _trailing_comment(code: str) -> str | None:
    try:
        for token in tokenize.generate_tokens(io.StringIO(code.strip() + "\n").readline):
            if token.type == tokenize.COMMENT:
                return token.string.lstrip("#").strip() or None
    except (tokenize.TokenError, IndentationError):
        return None
    return None


# ---------------------------------------------------------------- the document


def message_key(cls: type[Event]) -> str:
    return f"{cls.type}.v{cls.version}"


def build(
    publishers: Sequence[Publisher],
    *,
    exchange: Exchange,
    title: str,
    version: str,
    description: str,
    server_host: str,
    schema_base: str,
) -> dict[str, Any]:
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {ENVELOPE: envelope_schema(schema_base)}
    operations: dict[str, Any] = {}
    channel_messages: dict[str, Any] = {}
    by_type: dict[str, list[type[Event]]] = {}
    tags = []
    for publisher in publishers:
        tags.append({"name": publisher.service, "description": publisher.title})
        for cls in publisher.events:
            if not cls.type.startswith(f"{publisher.service}."):
                raise ValueError(f"{cls.__qualname__}: type {cls.type!r} is not {publisher.service}'s")
            key = message_key(cls)
            if key in messages:
                raise ValueError(f"{key} is declared twice")
            schemas[key] = data_schema(cls)
            messages[key] = _message(cls, publisher.service, key)
            channel_messages[key] = {"$ref": f"#/components/messages/{key}"}
            by_type.setdefault(cls.type, []).append(cls)

    for type_, classes in sorted(by_type.items()):
        service = type_.split(".")[0]
        operation: dict[str, Any] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{CHANNEL}"},
            "title": f"{service} publishes {type_}",
        }
        if _summary(classes[-1]):
            operation["summary"] = _summary(classes[-1])
        operations[f"send.{type_}"] = {
            **operation,
            "tags": [{"name": service}],
            "bindings": {"amqp": {"cc": [type_], "deliveryMode": 2, "bindingVersion": AMQP_BINDING_VERSION}},
            "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{message_key(c)}"} for c in classes],
        }
    for publisher in publishers:
        for subscription in (s for handlers in publisher.handlers for s in handlers.subscriptions):
            received = [
                cls for classes in by_type.values() for cls in classes
                if subscription.wants(cls.type)
                and cls.version <= subscription.version
            ]
            handler_doc = inspect.getdoc(subscription.handle)
            operations[f"receive.{subscription.name}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{CHANNEL}"},
                "title": f"{publisher.service} consumes with queue {subscription.name}",
                "summary": " ".join(handler_doc.split("\n\n")[0].split()) if handler_doc else subscription.name,
                "description": _subscription_description(subscription, handler_doc),
                "tags": [{"name": publisher.service}],
                "bindings": {"amqp": {"ack": True, "bindingVersion": AMQP_BINDING_VERSION}},
                "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{message_key(c)}"}
                             for c in sorted(received, key=lambda c: (c.type, c.version))],
                "x-queue": subscription.name,
                "x-routing-keys": list(subscription.event_types),
            }

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": title, "version": version, "description": description, "tags": tags},
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "production": {
                "host": server_host,
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "The dealer group's RabbitMQ. Ask its operators for a user and a vhost.",
                "security": [{"$ref": "#/components/securitySchemes/rabbitmqUser"}],
            }
        },
        "channels": {
            CHANNEL: {
                "address": "{type}",
                "title": f"Exchange {exchange.name}",
                "description": (
                    f"Every event of every service goes to the durable {exchange.type} exchange "
                    f"`{exchange.name}` with its CloudEvents `type` as the routing key. Bind your own "
                    "durable queue to it with the keys or patterns (`parts.stock.*`, `warranty.claim.#`) "
                    "you want. Delivery is at least once: de-duplicate by the CloudEvent `id`."
                ),
                "parameters": {
                    "type": {
                        "description": "The routing key: the event type, `<service>.<entity>.<happening>`.",
                        "enum": sorted(by_type),
                        "location": "$message.payload#/type",
                    }
                },
                "messages": channel_messages,
                "bindings": {
                    "amqp": {
                        "is": "routingKey",
                        "exchange": {"name": exchange.name, "type": exchange.type, "durable": bool(exchange.durable),
                                     "autoDelete": bool(exchange.auto_delete), "vhost": "/"},
                        "bindingVersion": AMQP_BINDING_VERSION,
                    }
                },
            }
        },
        "operations": operations,
        "components": {
            "schemas": schemas,
            "messages": messages,
            "securitySchemes": {
                "rabbitmqUser": {
                    "type": "userPassword",
                    "description": "A RabbitMQ user allowed to declare and read its own queues and to bind "
                                   f"them to `{exchange.name}`.",
                }
            },
        },
    }


def _message(cls: type[Event], service: str, key: str) -> dict[str, Any]:
    source = source_of(service)
    message: dict[str, Any] = {
        "name": cls.type,
        "title": f"{cls.__name__} (v{cls.version})",
        "contentType": CONTENT_TYPE,
    }
    summary = _summary(cls)
    if summary:
        message["summary"] = summary
    description = docstring(cls)
    if description and "\n\n" in description:  # more than the summary
        message["description"] = description
    message.update({
        "tags": [{"name": service}],
        "correlationId": {"description": "The request (X-Request-ID) that caused the event.",
                          "location": "$message.payload#/correlationid"},
        "headers": {
            "type": "object",
            "description": "AMQP headers of the CloudEvents AMQP binding (application properties).",
            "required": ["cloudEvents_type", "cloudEvents_id", "cloudEvents_source"],
            "properties": {
                "cloudEvents_type": {"type": "string", "const": cls.type},
                "cloudEvents_id": {"type": "string", "description": "= the CloudEvent `id`"},
                "cloudEvents_source": {"type": "string", "const": source},
            },
        },
        "payload": {
            "allOf": [
                {"$ref": f"#/components/schemas/{ENVELOPE}"},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": cls.type},
                        "source": {"const": source},
                        "dataschema": {"pattern": f"/{re.escape(cls.type)}/v{cls.version}$"},
                        "data": {"$ref": f"#/components/schemas/{key}"},
                    },
                },
            ]
        },
        "bindings": {"amqp": {"contentEncoding": "utf-8", "bindingVersion": AMQP_BINDING_VERSION}},
    })
    return message


def _summary(cls: type[Event]) -> str | None:
    description = docstring(cls)
    return " ".join(description.split("\n\n")[0].split()) if description else None


def _subscription_description(subscription: Subscription, description: str | None) -> str:
    keys = ", ".join(f"`{p}`" for p in subscription.event_types)
    text = textwrap.fill(
        f"The service's own durable queue `{subscription.name}`, bound with {keys}; a message that "
        f"keeps failing goes to `{subscription.name}.dlq`. It understands data up to "
        f"v{subscription.version}; a newer version is parked there too.", width=95)
    return f"{description}\n\n{text}" if description else text


def envelope_schema(schema_base: str) -> dict[str, Any]:
    """What `cloudevents.envelope` writes around every event's data."""
    return {
        "type": "object",
        "title": "CloudEvents 1.0 envelope (structured JSON mode)",
        "description": (
            "Every message body. Attributes as in CloudEvents 1.0, plus the extensions `dealer`, "
            "`sequence` and `correlationid`. A reader should ignore attributes it does not know."
        ),
        "required": ["specversion", "id", "type", "source", "subject", "time", "datacontenttype",
                     "dataschema", "dealer", "sequence", "correlationid", "data"],
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "format": "uuid",
                   "description": "Unique per event; the same on every redelivery. De-duplicate by it."},
            "type": {"type": "string", "pattern": r"^[a-z_]+\.[a-z_]+\.[a-z_]+$",
                     "description": "`<service>.<entity>.<happening>`; also the AMQP routing key."},
            "source": {"type": "string", "pattern": r"^/aftersales/[a-z_]+$",
                       "description": "`/aftersales/<service>`"},
            "subject": {"type": "string",
                        "description": "The id of the entity the event is about (part number, lot, "
                                       "reservation, VIN, claim, complaint...)."},
            "time": {"type": "string", "format": "date-time",
                     "description": "When the change was committed (RFC 3339 with offset)."},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "dataschema": {"type": "string", "format": "uri",
                           "description": f"`{schema_base}/<type>/v<version>`: the version of `data`. "
                                          "Additive changes keep the version; a breaking change gets a "
                                          "new one."},
            "dealer": {"type": "string", "description": "The dealer code the record belongs to."},
            "sequence": {"type": "integer", "minimum": 1,
                         "description": "Counts the events of one dealer, entity (the type's middle word) "
                                        "and subject: 1, 2, 3... in commit order."},
            "correlationid": {"type": "string",
                              "description": "The request (X-Request-ID) or event that caused this one."},
            "data": {"type": "object"},
        },
    }
