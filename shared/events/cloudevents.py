"""The CloudEvents 1.0 envelope (structured JSON mode) that every event travels in.

Outgoing: `envelope()` wraps a domain event. Incoming: `CloudEvent.parse()` checks the
envelope of a message from any publisher, including ones we did not write.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from shared.model import Event

CONTENT_TYPE = "application/cloudevents+json"
_REQUIRED = ("specversion", "id", "type", "source", "time", "dealer", "data")
_VERSION_IN_SCHEMA = re.compile(r"/v(\d+)$")


class MalformedEvent(ValueError):
    """Not a CloudEvent we can read: retrying will not help."""


def source_of(service: str) -> str:
    return f"/aftersales/{service}"


def data_of(event: Event) -> dict[str, Any]:
    return jsonable(dataclasses.asdict(event))


def jsonable(value: Any) -> Any:
    """Decimals as strings (money and quantities keep their precision), times in RFC 3339."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (UUID,)):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    return moment.isoformat()


def envelope(
    event: Event,
    *,
    event_id: str,
    source: str,
    subject: str,
    dealer: str,
    sequence: int,
    time: datetime,
    correlation_id: str,
    schema_base: str,
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "type": event.type,
        "source": source,
        "subject": subject,
        "time": rfc3339(time),
        "datacontenttype": "application/json",
        "dataschema": f"{schema_base}/{event.type}/v{event.version}",
        "dealer": dealer,
        "sequence": sequence,
        "correlationid": correlation_id,
        "data": data_of(event),
    }


def amqp_headers(type_: str, id_: str, source: str) -> dict[str, str]:
    """The CloudEvents AMQP binding's attribute headers, so a router can read them unparsed."""
    return {"cloudEvents_type": type_, "cloudEvents_id": id_, "cloudEvents_source": source}


def schema_version(dataschema: str | None) -> int:
    """The data schema version; an event without a versioned dataschema is v1."""
    match = _VERSION_IN_SCHEMA.search(dataschema or "")
    return int(match.group(1)) if match else 1


@dataclass(frozen=True)
class CloudEvent:
    id: str
    type: str
    source: str
    subject: str | None
    time: datetime
    dealer: str
    sequence: int | None
    correlationid: str | None
    dataschema: str | None
    data: dict[str, Any]
    # The CloudEvents distributed tracing extension: the W3C trace context the event was made in.
    traceparent: str | None = None

    @property
    def version(self) -> int:
        return schema_version(self.dataschema)

    @classmethod
    def parse(cls, body: bytes | str) -> CloudEvent:
        try:
            raw = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedEvent(f"body is not JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise MalformedEvent("body is not a JSON object")
        missing = [name for name in _REQUIRED if name not in raw]
        if missing:
            raise MalformedEvent(f"missing CloudEvents attributes: {', '.join(missing)}")
        if raw["specversion"] != "1.0":
            raise MalformedEvent(f"unsupported specversion {raw['specversion']!r}")
        for name in ("id", "type", "source", "dealer"):
            if not isinstance(raw[name], str) or not raw[name]:
                raise MalformedEvent(f"{name} must be a non-empty string")
        for name in ("subject", "dataschema", "correlationid", "traceparent"):
            if raw.get(name) is not None and not isinstance(raw[name], str):
                raise MalformedEvent(f"{name} must be a string")
        if not isinstance(raw["data"], dict):
            raise MalformedEvent("data must be a JSON object")
        sequence = raw.get("sequence")
        if sequence is not None and (isinstance(sequence, bool) or not isinstance(sequence, int)):
            raise MalformedEvent("sequence must be an integer")
        return cls(
            id=raw["id"],
            type=raw["type"],
            source=raw["source"],
            subject=raw.get("subject"),
            time=_parse_time(raw["time"]),
            dealer=raw["dealer"],
            sequence=sequence,
            correlationid=raw.get("correlationid"),
            dataschema=raw.get("dataschema"),
            data=raw["data"],
            traceparent=raw.get("traceparent"),
        )


def _parse_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise MalformedEvent("time must be an RFC 3339 string")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise MalformedEvent(f"time {value!r} is not RFC 3339") from exc
    if moment.tzinfo is None:
        raise MalformedEvent("time must carry a UTC offset")
    return moment.astimezone(timezone.utc)
