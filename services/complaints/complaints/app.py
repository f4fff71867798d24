"""The complaints service: its description, and `create_app()` for gunicorn.

    gunicorn -c deploy/gunicorn.conf.py "complaints.app:create_app()"
"""

from __future__ import annotations

from pathlib import Path

from shared.service import Service

from complaints import demo
from complaints.adapters.unit_of_work import ComplaintsUnitOfWork
from complaints.api import complaints
from complaints.handlers import HANDLERS

COMPLAINTS = Service(
    name="complaints",
    title="Customer complaints",
    description=(
        "Complaints from every channel, owned by whoever receives them until closed, "
        "classified, kept on time by SLA clocks and fed back to the customer."
    ),
    unit_of_work=ComplaintsUnitOfWork,
    blueprints=[complaints.blp],
    alembic_ini=Path(__file__).resolve().parent.parent / "alembic.ini",
    handlers=HANDLERS,
    load_demo=demo.load,
)


# gunicorn calls this; tests pass their own settings and clock.
create_app = COMPLAINTS.create_app
