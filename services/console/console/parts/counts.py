"""Count (盘点): open a count of a location, count it blind on a tablet, submit; a parts
manager approves the large variances or sends them back to be recounted.

Counting is blind (盲盘): the parts service gives no book quantity and no variance while a
count is being counted (nor, until it posts, to anyone but a parts manager), and the sheet has
no place for one. After the count is submitted the page shows what the service answers: posted
at once, or waiting for a manager with the variances it found and their value. Each line comes
with its part's names, unit and bin from the service.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask import request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to, render
from console.parts import bp, client
from console.problems import field_messages, translated

LINE_FIELDS = ("part_number", "lot", "counted", "reason", "was_counted", "was_reason")
_SEPARATORS = re.compile(r"[\s,;，；、]+")


@bp.get("/counts")
def counts():
    """The counts still being counted, those waiting for a manager, and all of them newest first."""
    return _render_list(MultiDict(request.args))


@bp.post("/counts")
def open_count():
    """A count of every lot at a location, or only of the parts typed."""
    form = request.form
    body = {"location": forms.text(form, "location") or None,
            "part_numbers": [n for n in _SEPARATORS.split(forms.text(form, "part_numbers")) if n] or None}
    try:
        opened = client.open_count(body, forms.idempotency_key(form))
    except ApiProblem as refused:
        errors = field_messages(refused)
        # `part_numbers.3`: the fourth number typed; all of them sit under the one box.
        listed = [m for key in sorted(errors) if key.startswith("part_numbers") for m in errors[key]]
        if listed:
            errors["part_numbers"] = listed
        return _render_list(MultiDict(request.args), form=form, errors=errors, message=translated(refused))
    return go_to(url_for("parts.count", number=opened["number"]))


@bp.get("/counts/<number>")
def count(number: str):
    found = client.count(number)
    return _render_count(found, MultiDict(), notice=request.args.get("done"))


@bp.post("/counts/<number>/lines")
def record_count(number: str):
    """Save what was typed: one line (Enter in its box), or every line changed since the last save."""
    form = request.form
    action = form.get("action", "")
    rows = forms.lines(form, LINE_FIELDS)
    if action.startswith("line:"):
        wanted = [int(action.removeprefix("line:"))] if action.removeprefix("line:").isdigit() else []
    else:
        wanted = _changed(rows)
    saved, problem = _record(number, rows, wanted)
    if problem is not None:
        return _render_count(client.count(number), form, rows=rows, problem=problem,
                             mapped=_on_sheet(problem, wanted))
    # Saved: the sheet shows the service's figures; lines typed but not saved keep what was typed.
    kept = MultiDict(form)
    for index in wanted:
        for name in ("counted", "reason"):
            kept.pop(f"lines.{index}.{name}", None)
    return _render_count(saved or client.count(number), kept, rows=rows, focus_scan=True, saved_lines=len(wanted))


@bp.post("/counts/<number>/submit")
def submit_count(number: str):
    """Save what is still typed, then close counting; the service posts or waits for a manager."""
    form = request.form
    rows = forms.lines(form, LINE_FIELDS)
    wanted = _changed(rows)
    _saved, problem = _record(number, rows, wanted)
    if problem is not None:
        return _render_count(client.count(number), form, rows=rows, problem=problem, mapped=_on_sheet(problem, wanted))
    try:
        submitted = client.submit_count(number, forms.idempotency_key(form))
    except ApiProblem as refused:
        kept = MultiDict(form)
        kept["idempotency_key"] = forms.new_key()
        return _render_count(client.count(number), kept, problem=refused,
                             uncounted=set(refused.body.get("uncounted") or []))
    return go_to(url_for("parts.count", number=submitted["number"], done=submitted["status"]))


@bp.post("/counts/<number>/decision")
def decide_count(number: str):
    """A parts manager's decision on the large variances: post them all, or recount them."""
    form = request.form
    approve = form.get("action") == "approve"
    try:
        decided = client.decide_count(number, approve, forms.text(form, "note") or None,
                                      forms.idempotency_key(form))
    except ApiProblem as refused:
        kept = MultiDict(form)
        kept["idempotency_key"] = forms.new_key()
        return _render_count(client.count(number), kept, problem=refused)
    return go_to(url_for("parts.count", number=decided["number"], done="approved" if approve else "sent_back"))


def _record(number: str, rows: list[dict], wanted: list[int]) -> tuple[dict | None, ApiProblem | None]:
    lines = [{"part_number": rows[i]["part_number"], "lot": rows[i]["lot"],
              **forms.api_body({"counted": rows[i]["counted"], "reason": rows[i]["reason"]})}
             for i in wanted if i < len(rows)]
    if not lines:
        return None, None
    try:
        return client.record_count(number, lines), None
    except ApiProblem as refused:
        return None, refused


def _changed(rows: list[dict]) -> list[int]:
    """The lines whose figure or note differs from what the service last had."""
    return [i for i, row in enumerate(rows)
            if (row["counted"], row["reason"]) != (row["was_counted"], row["was_reason"])]


def _on_sheet(problem: ApiProblem, wanted: list[int]) -> dict[str, list[str]]:
    """`lines.0.counted` of the lines sent is `lines.<its place on the sheet>.counted`."""
    moved = {}
    for key, messages in field_messages(problem).items():
        head, _dot, rest = key.partition(".")
        position, _dot, name = rest.partition(".")
        if head == "lines" and position.isdigit() and int(position) < len(wanted):
            moved[f"lines.{wanted[int(position)]}.{name}"] = messages
        else:
            moved[key] = messages
    return moved


def _render_list(args, *, form=None, errors=None, message=None):
    """The open-count form; for the whole page also the counts (htmx swaps only the form)."""
    location = forms.text(args, "location") or None
    form = form if form is not None else MultiDict({"location": location or ""})
    return render(
        "parts/counts.html", "parts/_count_open_form.html", page_only=lambda: _count_lists(args, location),
        location=location, locations=client.locations(), form=form, errors=errors or {}, message=message,
        idempotency_key=forms.idempotency_key(form),
    )


def _count_lists(args, location: str | None) -> dict:
    everything = client.counts({"location": location}, cursor=forms.text(args, "cursor") or None)
    if args.get("cursor"):  # open and waiting counts head the first page only
        counting, waiting = [], []
    else:
        counting = client.counts({"status": "counting", "location": location}, limit=50)["items"]
        waiting = client.counts({"status": "awaiting_approval", "location": location}, limit=50)["items"]
    return {"counting": counting, "waiting": waiting, "recent": everything["items"],
            "next_cursor": everything.get("next_cursor")}


def _render_count(found: dict, form, *, rows=None, problem: ApiProblem | None = None, mapped=None,
                  uncounted=frozenset(), focus_scan=False, notice=None, saved_lines=0):
    """The sheet while counting (typed values kept where a save was refused), else the variances."""
    typed = {i: row for i, row in enumerate(rows or [])}
    sheet = []
    for i, line in enumerate(found["lines"]):
        mine = typed.get(i) if form.get(f"lines.{i}.counted") is not None else None
        sheet.append({
            "line": line,
            "counted": mine["counted"] if mine else forms.as_typed(line.get("counted")),
            "reason": mine["reason"] if mine else (line.get("reason") or ""),
            "was_counted": forms.as_typed(line.get("counted")),
            "was_reason": line.get("reason") or "",
            "uncounted": f"{line['part_number']}/{line['lot']}" in uncounted,
        })
    place = next((p for p in client.locations() if p["code"] == found["location"]), {})
    differing = [line for line in found["lines"] if _differs(line)]
    context = dict(
        count=found, sheet=sheet, differing=differing,
        matching=[line for line in found["lines"] if not _differs(line)], place=place, form=form,
        errors=mapped if mapped is not None else (field_messages(problem) if problem else {}),
        message=translated(problem) if problem else None, focus_scan=focus_scan, notice=notice,
        saved_lines=saved_lines, counted=sum(1 for line in found["lines"] if line.get("counted") is not None),
        idempotency_key=forms.idempotency_key(form),
    )
    fragment = "parts/_count_sheet.html" if found["status"] == "counting" else "parts/_count_variances.html"
    return render("parts/count.html", fragment, **context)


def _differs(line: dict) -> bool:
    """The service found a difference on this line (it says none while counting)."""
    return line.get("variance") is not None and Decimal(line["variance"]) != 0
