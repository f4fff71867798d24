"""The parts service: its description, and `create_app()` for gunicorn.

    gunicorn -c deploy/gunicorn.conf.py "parts.app:create_app()"
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shared.jobs import Job
from shared.service import Service

from parts import demo
from parts.adapters.unit_of_work import SqlPartsUnitOfWork
from parts.config import PartsRules
from parts.service.reorder import recompute_demand
from parts.service.reservations import release_expired
from parts.handlers import HANDLERS

if TYPE_CHECKING:
    from flask_smorest import Blueprint


def _api() -> list[Blueprint]:
    """The API, imported only when an app is built (`Service.blueprints`)."""
    from parts.api import (
        availability, catalog, counts, csv_import_export, issues, promotions, purchasing, receiving,
        reservations, sales, stock, stock_transfers, supply, traceability, warranty_exchanges)

    return [catalog.blp, availability.blp, supply.blp, receiving.blp, stock.blp, reservations.blp,
            issues.blp, counts.blp, purchasing.blp, traceability.blp, csv_import_export.blp,
            stock_transfers.blp, sales.blp, promotions.blp, warranty_exchanges.blp]


PARTS = Service(
    name="parts",
    title="Parts inventory",
    description=(
        "Catalog, stock, lots, reservations, issues to repair orders, counts, reorder and "
        "traceability for a dealer's parts department (配件管理)."
    ),
    unit_of_work=SqlPartsUnitOfWork,
    blueprints=_api,
    alembic_ini=Path(__file__).resolve().parent.parent / "alembic.ini",
    handlers=HANDLERS,
    load_demo=demo.load,
    rules=PartsRules.from_settings,
    jobs=[
        Job("release-expired-reservations", release_expired, every=lambda rules: rules.expiry_sweep),
        Job("recompute-demand-rules", recompute_demand, every=lambda rules: rules.demand_sweep),
    ],
)


# gunicorn calls this; tests pass their own settings and clock.
create_app = PARTS.create_app
