"""The service manager's notifications (通知): a badge in the top bar with how many are unread,
loaded by htmx after the page so no page waits on it, and the list of escalations and safety
complaints, newest first, each leading to its complaint and marked read there.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")

from console.notifications import views  # noqa: E402,F401  (registers the views on bp)
