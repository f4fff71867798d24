"""Classification review (分类复核): the complaints the classifier was unsure of
(`needs_review`), each with the model's category and severity, its confidence and the words
that decided it. The desk confirms or corrects the category and severity with a reason; the
service keeps that as a training example, clears the flag, and the complaint leaves the list.

The list, who may see the customer's words and who may reclassify are the complaints
service's: the screen shows its answer and leaves out the form for a role that cannot use it.
"""

from __future__ import annotations

import re

from flask import render_template, request, url_for
from markupsafe import Markup, escape

from console import forms
from console.backend import ApiProblem
from console.complaints import bp, client, names
from console.pages import go_to
from console.problems import field_messages, translated

PAGE = 25
FIELDS = ("category", "severity", "reason")
ROW = "complaints/_review_row.html"


@bp.get("/review")
def review():
    """The flagged complaints, as the service lists them, a page at a time."""
    return _render_list(request.args.get("cursor") or None, done=forms.text(request.args, "done"))


@bp.post("/review/<complaint_id>")
def review_decision(complaint_id: str):
    """Confirm or correct one complaint's category and severity, saying why."""
    form = request.form
    chosen = {name: forms.text(form, name) for name in FIELDS}
    cursor = forms.text(form, "cursor") or None
    try:
        client.reclassify(complaint_id, forms.api_body(chosen), forms.idempotency_key(form))
    except ApiProblem as refused:
        state = {"typed": form, "errors": field_messages(refused), "message": translated(refused)}
        if request.headers.get("HX-Request"):
            return render_template(ROW, complaint=_found(complaint_id), cursor=cursor, focus_first=False,
                                   **_screen(), **state)
        return _render_list(cursor, failed={complaint_id: state})
    return go_to(url_for("complaints.review", cursor=cursor, done=complaint_id))


def _render_list(cursor: str | None, *, done: str = "", failed: dict | None = None):
    failed = failed or {}
    items, next_cursor, message = [], None, None
    try:
        page = client.to_review(cursor, PAGE)
        items, next_cursor = page["items"], page.get("next_cursor")
    except ApiProblem as refused:
        message = translated(refused)
    shown = {item["id"] for item in items}
    # A refusal for a complaint no longer on the list (gone, another dealer's) shows on top.
    message = message or next((state["message"] for key, state in failed.items() if key not in shown), None)
    return render_template(
        "complaints/review.html", items=items, next_cursor=next_cursor, cursor=cursor, failed=failed,
        message=message, saved=_found(done), **_screen(),
    )


def _found(complaint_id: str) -> dict | None:
    """The complaint as the service has it now, or None when it is not there to show."""
    if not complaint_id:
        return None
    try:
        return client.complaint(complaint_id)
    except ApiProblem:
        return None


def _screen() -> dict:
    """What every row needs: the desk's names for the service's codes, a fresh Idempotency-Key
    per form, the text marker."""
    return {"new_key": forms.new_key, "categories": names.CATEGORIES, "severities": names.SEVERITIES,
            "channels": names.CHANNELS, "named": names.named, "marked": marked}


def marked(text: str, terms) -> Markup:
    """The complaint's text with the words that decided its reading marked (<mark>); an
    English word only where it stands as a word ("me" not in "home")."""
    spans = []
    for term in terms or ():
        term = term.strip()
        if not term:
            continue
        pattern = re.escape(term)
        if term.isascii():
            pattern = rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"
        spans.extend(match.span() for match in re.finditer(pattern, text, re.IGNORECASE))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)
