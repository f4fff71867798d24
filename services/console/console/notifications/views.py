"""The notifications list and the top bar's badge."""

from __future__ import annotations

from flask import render_template, request, url_for

from console import forms
from console.backend import ApiProblem, ServiceUnavailable, SignInNeeded
from console.complaints import names as complaint_names
from console.notifications import bp, client, names
from console.pages import go_to

PAGE = 25


@bp.get("")
def index():
    unread_only = request.args.get("unread") == "1"
    page = client.notifications(unread_only=unread_only, cursor=request.args.get("cursor") or None, limit=PAGE)
    return render_template("notifications/list.html", page=page, unread_only=unread_only, names=names,
                           complaint_names=complaint_names)


@bp.get("/badge")
def badge():
    """The top bar's count of unread notifications, an htmx fragment. A service that does not
    answer leaves the badge as it was (204) rather than putting an error into every page."""
    try:
        unread = client.notifications(limit=1)["unread"]
    except (ApiProblem, ServiceUnavailable, SignInNeeded):
        return "", 204
    return render_template("notifications/_badge.html", unread=unread)


@bp.post("/<notification_id>/read")
def read(notification_id: str):
    client.read(notification_id)
    return go_to(_back())


@bp.post("/read-all")
def read_all():
    client.read_all()
    return go_to(_back())


def _back() -> str:
    """Back to the list as it was shown (the unread filter kept)."""
    return url_for("notifications.index", unread="1" if forms.text(request.form, "unread") == "1" else None)
