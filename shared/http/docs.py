"""The browsable API docs at `/api/v1/docs`, working without internet.

flask-smorest renders the Swagger UI page; its scripts and style come from the app itself, out
of the pinned `flask-swagger-ui` package, which ships Swagger UI's `dist` files (Swagger UI
is Apache-2.0, the package MIT; both licences are in the installed package). Like the page,
they are public: no token is needed to read the docs.
"""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, send_from_directory

ASSETS_PATH = "/api/v1/docs/assets"
SWAGGER_UI_URL = ASSETS_PATH + "/"
# Swagger UI would otherwise send the document to an online validator for a badge.
SWAGGER_UI_CONFIG = {"validatorUrl": None}
_DIST = str(files("flask_swagger_ui") / "dist")


def blueprint() -> Blueprint:
    assets = Blueprint("swagger_ui_assets", __name__)

    @assets.get(f"{ASSETS_PATH}/<path:filename>")
    def asset(filename: str):
        """swagger-ui.css, swagger-ui-bundle.js, swagger-ui-standalone-preset.js, ..."""
        return send_from_directory(_DIST, filename, max_age=86400)

    return assets
