"""The warranty service: its description, and `create_app()` for gunicorn.

    gunicorn -c deploy/gunicorn.conf.py "warranty.app:create_app()"
"""

from __future__ import annotations

from pathlib import Path

from shared.service import Service

from warranty import demo
from warranty.adapters.unit_of_work import SqlWarrantyUnitOfWork
from warranty.api import (
    attachments,
    claims,
    coverage,
    eligibility,
    labour_operations,
    lot_recalls,
    parts_warranty,
    recoveries,
    reports,
    vehicles,
)
from warranty.config import WarrantyRules
from warranty.handlers import HANDLERS

WARRANTY = Service(
    name="warranty",
    title="Warranty",
    description=(
        "Vehicles, coverage and eligibility at write-up, warranty claims to the manufacturer, "
        "supplier recovery and lemon-law (三包) exposure."
    ),
    unit_of_work=SqlWarrantyUnitOfWork,
    blueprints=[vehicles.blp, coverage.blp, eligibility.blp, claims.blp, labour_operations.blp, attachments.blp,
                recoveries.blp, lot_recalls.blp, reports.blp, parts_warranty.blp],
    alembic_ini=Path(__file__).resolve().parent.parent / "alembic.ini",
    handlers=HANDLERS,
    load_demo=demo.load,
    rules=WarrantyRules.from_settings,
)


# gunicorn calls this; tests pass their own settings and clock.
create_app = WARRANTY.create_app
