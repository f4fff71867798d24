"""What the complaints service's codes are called at the service manager's desk (context
"manager" in the catalog). A code not named here shows as sent."""

from __future__ import annotations

from flask_babel import lazy_pgettext

CLOCKS = {
    "acknowledge": lazy_pgettext("manager", "Acknowledge"),
    "first_response": lazy_pgettext("manager", "First response"),
    "escalation": lazy_pgettext("manager", "Escalation"),
    "resolution": lazy_pgettext("manager", "Resolution"),
}

OUTCOMES = {
    "met": lazy_pgettext("manager", "Met"),
    "missed": lazy_pgettext("manager", "Missed"),
    "running": lazy_pgettext("manager", "Still running"),
    "not_set": lazy_pgettext("manager", "No date promised"),
}

ROOT_CAUSES = {
    "design": lazy_pgettext("manager", "Design"),
    "production": lazy_pgettext("manager", "Production"),
    "supplier": lazy_pgettext("manager", "Supplier"),
    "service_process": lazy_pgettext("manager", "Service process"),
    "staff": lazy_pgettext("manager", "Staff"),
    "logistics": lazy_pgettext("manager", "Logistics"),
    "customer_use": lazy_pgettext("manager", "Customer use"),
    "unfounded": lazy_pgettext("manager", "Unfounded"),
}

STATUSES = {
    "open": lazy_pgettext("manager", "Open"),
    "in_progress": lazy_pgettext("manager", "In progress"),
    "resolved": lazy_pgettext("manager", "Resolved"),
    "closed": lazy_pgettext("manager", "Closed"),
    "reopened": lazy_pgettext("manager", "Reopened"),
    "merged": lazy_pgettext("manager", "Merged"),
}
