"""What the complaints service's notification codes are called at the desk."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = {
    "escalated": _l("SLA escalation"),
    "critical": _l("Safety complaint"),
}

CHANNELS = {
    "email": _l("E-mail"),
    "webhook": _l("Group bot"),
}

DELIVERIES = {
    "pending": _l("waiting to send"),
    "sending": _l("sending"),
    "sent": _l("sent"),
    "failed": _l("failed"),
}
