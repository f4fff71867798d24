"""The warranty service: its description, and `create_app()` for gunicorn.

    gunicorn -c deploy/gunicorn.conf.py "warranty.app:create_app()"
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shared.service import Service

from warranty import demo
from warranty.adapters.unit_of_work import SqlWarrantyUnitOfWork
from warranty.config import WarrantyRules
from warranty.handlers import HANDLERS

if TYPE_CHECKING:
    from flask_smorest import Blueprint


def _api() -> list[Blueprint]:
    """The API, imported only when an app is built (`Service.blueprints`)."""
    from warranty.api import (
        attachments, claims, coverage, eligibility, labour_operations, lot_recalls, parts_warranty,
        recoveries, reports, vehicles)

    return [vehicles.blp, coverage.blp, eligibility.blp, claims.blp, labour_operations.blp,
            attachments.blp, recoveries.blp, lot_recalls.blp, reports.blp, parts_warranty.blp]


WARRANTY = Service(
    name="warranty",
    title="Warranty",
    description=(
        "Vehicles, coverage and eligibility at write-up, warranty claims to the manufacturer, "
        "supplier recovery and lemon-law (三包) exposure."
    ),
    unit_of_work=SqlWarrantyUnitOfWork,
    blueprints=_api,
    alembic_ini=Path(__file__).resolve().parent.parent / "alembic.ini",
    handlers=HANDLERS,
    load_demo=demo.load,
    rules=WarrantyRules.from_settings,
)


# gunicorn calls this; tests pass their own settings and clock.
create_app = WARRANTY.create_app
