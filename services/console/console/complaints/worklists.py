"""The complaints a person answers for: those they own (我的投诉, 首问责任制) and those they were
given to handle (我的工作). Each row shows the four SLA clocks as countdowns in business time,
coloured by how close they are to running out.

The service counts the clocks in the dealer's calendar (working hours, holidays, paused time)
and sends each clock's target and the business minutes used so far; the screen only shows the
difference. Filters and the text search are the list API's own.
"""

from __future__ import annotations

from flask import g, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from console import forms
from console.backend import ApiProblem
from console.complaints import bp, client, names
from console.problems import field_messages, translated

PAGE = 25
FILTERS = ("status", "category", "severity", "received_from", "received_to", "q")
CLOCK_ORDER = ("acknowledge", "first_response", "escalation", "resolution")
# A running clock with no more than this share of its target left shows as near (amber).
NEAR_SHARE = 0.25
LISTS = {
    "mine": {"filter": "owner", "title": _l("My complaints"),
             "hint": _l("The complaints you received and own until they are closed (首问责任制).")},
    "work": {"filter": "handler", "title": _l("My work"),
             "hint": _l("The complaints assigned to you to handle; their owner stays answerable to the customer.")},
}


@bp.get("/mine")
def mine():
    """The complaints the signed-in person owns."""
    return _worklist("mine")


@bp.get("/work")
def work():
    """The complaints assigned to the signed-in person to handle."""
    return _worklist("work")


def _worklist(kind: str):
    args = request.args
    chosen = {name: forms.text(args, name) for name in FILTERS}
    cursor = forms.text(args, "cursor") or None
    filters = {**{name: value for name, value in chosen.items() if value}, LISTS[kind]["filter"]: g.user["sub"]}
    items, next_cursor, errors, message = [], None, {}, None
    try:
        page = client.complaints(filters, cursor, PAGE)
        items, next_cursor = page["items"], page.get("next_cursor")
    except ApiProblem as refused:
        errors, message = field_messages(refused), translated(refused)
    rows = [{"complaint": item, "clocks": clocks_of(item)} for item in items]
    more = url_for(f"complaints.{kind}", cursor=next_cursor, **{k: v for k, v in chosen.items() if v}) \
        if next_cursor else None
    return render_template(
        "complaints/worklist.html", kind=kind, listing=LISTS[kind], rows=rows, chosen=chosen, more=more,
        errors=errors, message=message, clock_order=CLOCK_ORDER, categories=names.CATEGORIES,
        severities=names.SEVERITIES, statuses=names.STATUSES, clock_names=names.CLOCKS, named=names.named,
    ), (422 if errors else 200)


def clocks_of(complaint: dict) -> dict[str, dict]:
    """Each clock of a complaint by name, as its cell shows it."""
    return {clock["clock"]: countdown(clock) for clock in complaint.get("clocks") or []}


def countdown(clock: dict) -> dict:
    """`state` (ok, near, overdue, met, missed, none) and the words for one clock: "3h 20m left",
    "overdue 1h", all in business time as the service counted it."""
    status, target, used = clock.get("status"), clock.get("target_minutes"), clock.get("used_minutes") or 0
    if status == "not_set" or target is None:
        return {"state": "none", "words": names.named(names.CLOCK_STATUSES, "not_set"), "paused": False}
    if clock.get("stopped_at"):
        if status == "met":
            return {"state": "met", "words": names.named(names.CLOCK_STATUSES, "met"), "paused": False}
        missed_by = gettext("Missed by %(time)s", time=duration(used - target))
        return {"state": "missed", "words": missed_by, "paused": False}
    left = target - used
    paused = status == "paused"
    if left <= 0:
        return {"state": "overdue", "words": gettext("Overdue %(time)s", time=duration(-left)), "paused": paused}
    state = "near" if left <= target * NEAR_SHARE else "ok"
    return {"state": state, "words": gettext("%(time)s left", time=duration(left)), "paused": paused}


def duration(minutes: int) -> str:
    """Business minutes as hours and minutes: 200 → "3h 20m", 45 → "45m", 120 → "2h"."""
    minutes = max(int(minutes), 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(minutes)sm", minutes=rest)
    if not rest:
        return gettext("%(hours)sh", hours=hours)
    return gettext("%(hours)sh %(minutes)sm", hours=hours, minutes=rest)
