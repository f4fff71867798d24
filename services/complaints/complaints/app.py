"""The complaints service: its description, and `create_app()` for gunicorn.

    gunicorn -c deploy/gunicorn.conf.py "complaints.app:create_app()"
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from shared.jobs import Job
from shared.service import Service
from shared.unit_of_work import UnitOfWorkFactory

from complaints import demo
from complaints.adapters.notifiers import Senders
from complaints.adapters.unit_of_work import SqlComplaintsUnitOfWork
from complaints.config import ComplaintsRules
from complaints.handlers import HANDLERS
from complaints.service.clocks import escalate_overdue
from complaints.service.notifications import deliver_pending

if TYPE_CHECKING:
    from flask_smorest import Blueprint


def deliver_notifications(units_of_work: UnitOfWorkFactory) -> int:
    """The delivery job, through the mail server and group bots the settings name."""
    return deliver_pending(units_of_work, Senders(units_of_work.rules.notifications))


def _api() -> list[Blueprint]:
    """The API, imported only when an app is built (`Service.blueprints`)."""
    from complaints.api import (
        actions, calendar, classifications, complaints, notification_channels, notifications,
        reports, sla_targets)

    return [complaints.blp, classifications.blp, calendar.blp, actions.blp, reports.blp,
            sla_targets.blp, notifications.blp, notification_channels.blp]


COMPLAINTS = Service(
    name="complaints",
    title="Customer complaints",
    description=(
        "Complaints from every channel, owned by whoever receives them until closed, "
        "classified, kept on time by SLA clocks, investigated, put right and fed back to the customer."
    ),
    unit_of_work=SqlComplaintsUnitOfWork,
    blueprints=_api,
    alembic_ini=Path(__file__).resolve().parent.parent / "alembic.ini",
    handlers=HANDLERS,
    load_demo=demo.load,
    rules=ComplaintsRules.from_settings,
    jobs=[Job("escalate-overdue", escalate_overdue, every=lambda rules: rules.escalation_sweep),
          Job("deliver-notifications", deliver_notifications, every=lambda rules: rules.notifications.every)],
)


# gunicorn calls this; tests pass their own settings and clock.
create_app = COMPLAINTS.create_app
