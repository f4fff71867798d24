"""The Blueprint every API module uses: flask-smorest's, refusing unknown query parameters.

webargs ignores unknown query parameters by default, so a mistyped filter
(`?catgory=brakes`) would quietly return the whole list. Here it is a 422 naming the field,
as an unknown JSON field already is.
"""

from __future__ import annotations

import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()
