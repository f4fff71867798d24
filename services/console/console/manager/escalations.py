"""The escalations inbox (升级投诉): the complaints whose clocks ran out and went to the service
manager, newest received first, each with which clocks ran out and how long ago. The complaint
itself opens on the complaints desk's page.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import render_template, request
from flask_babel import format_timedelta

from console.complaints import names as complaint_names
from console.manager import bp, client, names

PAGE = 25


@bp.get("/escalations")
def escalations():
    page = client.escalated(request.args.get("cursor") or None, PAGE)
    return render_template("manager/escalations.html", items=page["items"], next_cursor=page.get("next_cursor"),
                           names=names, complaint_names=complaint_names, ago=ago)


def ago(moment: str | None) -> str:
    """How long ago, in the reader's words: "3 hours ago", "3小时前"."""
    if not moment:
        return ""
    # Ten days say "10 days", not "1 week": a unit is used from one and a half of it.
    return format_timedelta(datetime.fromisoformat(moment) - datetime.now(timezone.utc), granularity="minute",
                            threshold=1.5, add_direction=True)
