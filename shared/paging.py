"""Cursor pagination for lists: `?limit=&cursor=` in, `{items, next_cursor}` out.

Pages are keyset pages: the cursor holds the sort key of the last row served, so the next page
starts after it with an index seek, however deep the list (no OFFSET, no total count).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import marshmallow as ma
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import Session

from shared.errors import RuleViolation

MAX_LIMIT = 200


class PageQuery(ma.Schema):
    """Extend this with a resource's filters."""

    limit = ma.fields.Integer(
        load_default=50, validate=ma.validate.Range(1, MAX_LIMIT),
        metadata={"description": f"items per page, 1 to {MAX_LIMIT}"},
    )
    cursor = ma.fields.String(
        load_default=None, metadata={"description": "next_cursor of the previous page"}
    )


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(
                allow_none=True, metadata={"description": "null on the last page"}
            ),
        },
        name=name,
    )


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


class InvalidCursor(RuleViolation):
    code = "invalid_cursor"


def keyset_page(
    session: Session,
    statement: Select,
    keys: Sequence,
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
    entities: bool = True,
) -> Page:
    """Run `statement` for one page ordered by `keys` (which must be unique together)."""
    after = decode_cursor(cursor, keys)
    if after is not None:
        position = tuple_(*keys)
        statement = statement.where(position < tuple_(*after) if descending else position > tuple_(*after))
    order = [key.desc() for key in keys] if descending else list(keys)
    statement = statement.order_by(*order).limit(limit + 1)
    rows = list(session.scalars(statement) if entities else session.execute(statement))
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, encode_cursor([getattr(rows[-1], key.key) for key in keys]))


def encode_cursor(values: list[Any]) -> str:
    """The cursor after a row whose sort keys have these values (what `keyset_page` hands out)."""
    raw = json.dumps([_plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode_cursor(cursor: str | None, keys: Sequence) -> list[Any] | None:
    """The sort keys' values a cursor of `encode_cursor` holds, typed as `keys`; InvalidCursor if
    it is not one."""
    if cursor is None:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError("wrong shape")
        return [_typed(value, key) for value, key in zip(values, keys)]
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidCursor(
            "cursor is not one this list handed out; start again without it", field="cursor"
        ) from exc


def _typed(value: Any, key) -> Any:
    python_type = key.type.python_type
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    if not isinstance(value, python_type):
        raise TypeError(f"{value!r} is not {python_type.__name__}")
    return value
