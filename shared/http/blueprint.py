"""The Blueprint every API module uses: flask-smorest's, with a stricter parser.

webargs ignores unknown query parameters by default, so a mistyped filter
(`?catgory=brakes`) would quietly return the whole list. Here it is a 422 naming the field,
as an unknown JSON field already is.

A JSON body is looked at once, as it is parsed and before any schema sees it. Nesting deeper
than any of our documents (ours go a few levels) is refused with 400: parsing and validating
it recurses once per level, and a thousand levels would exhaust the stack. A NUL character in
any string (or key) is a 422 naming the field: PostgreSQL cannot store one and SQLite would, so
without this the two back ends would answer the same request differently.
"""

from __future__ import annotations

import typing

import flask
import flask_smorest
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser

from shared.errors import DomainError

MAX_JSON_DEPTH = 32
NUL = "\x00"


class NestedTooDeep(DomainError):
    status = 400
    code = "nested_too_deep"
    title = "Malformed request body"


class NulCharacter(DomainError):
    status = 422
    code = "validation_failed"
    title = "Validation failed"


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}

    def _raw_load_json(self, req: flask.Request) -> typing.Any:
        try:
            document = super()._raw_load_json(req)
        except RecursionError:
            raise _too_deep() from None
        if document is not core.missing:
            refuse_deep_nesting_and_nul(document)
        return document


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()


def refuse_deep_nesting_and_nul(document: typing.Any) -> None:
    """Walk the parsed document without recursing (its depth is what is in question)."""
    pending = [(document, "", 0)]
    while pending:
        node, path, depth = pending.pop()
        if isinstance(node, str):
            if NUL in node:
                raise NulCharacter(f"{path or 'the body'} holds a NUL character (\\u0000), which no text may",
                                   field=path or "_body")
            continue
        if isinstance(node, dict):
            children = list(node.items())
        elif isinstance(node, list):
            children = list(enumerate(node))
        else:
            continue
        if depth >= MAX_JSON_DEPTH:
            raise _too_deep()
        for key, value in children:
            child = f"{path}.{key}" if path else str(key)
            if NUL in child:
                raise NulCharacter("a field name holds a NUL character (\\u0000)",
                                   field=child.replace(NUL, "\\u0000"))
            pending.append((value, child, depth + 1))


def _too_deep() -> NestedTooDeep:
    return NestedTooDeep(f"the body nests objects and arrays more than {MAX_JSON_DEPTH} levels deep")
