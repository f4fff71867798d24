"""Issue (领料): parts to a technician for a repair order and a VIN, from the repair order's
reservations or from free stock; the slip (领料单) and a pick list, printed on A4 or on 80 mm
receipt paper; unused parts taken back from a slip (退料).
"""

from __future__ import annotations

from decimal import Decimal

from flask import abort, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to, render
from console.parts import PAPERS, bp, client
from console.problems import field_messages, translated

LINE_FIELDS = ("part_number", "quantity", "location", "reservation")


@bp.get("/issue")
def issue():
    """The repair order's reservations ready to issue, and its slips so far."""
    repair_order = forms.text(request.args, "repair_order")
    reservations = client.reservations_for(repair_order) if repair_order else []
    lines = [{"part_number": r["part_number"], "quantity": _left(r), "location": r["location"],
              "reservation": r["number"]} for r in reservations if r["for_kind"] == "repair_order"]
    return _render(MultiDict(request.args), lines=lines, slips=client.issues_for(repair_order) if repair_order else [])


@bp.post("/issue")
def issue_parts():
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    action = form.get("action", "")
    if action == "add":
        lines = [*lines, {"part_number": forms.text(form, "scan"), "quantity": forms.text(form, "scan_quantity") or "1",
                          "location": "", "reservation": ""}] if forms.text(form, "scan") else lines
        return _render(form, lines=lines, focus_scan=True)
    if action.startswith("remove:"):
        lines = forms.without_line(lines, action)
        return _render(form, lines=lines)
    body = {**forms.api_body({name: forms.text(form, name) for name in ("repair_order", "vin", "technician")}),
            "lines": [forms.api_body(line) for line in lines]}
    try:
        slip = client.issue(body, forms.idempotency_key(form))
    except ApiProblem as refused:
        return _render(form, lines=lines, errors=field_messages(refused), message=translated(refused))
    return go_to(url_for("parts.issue_slip", number=slip["number"], issued=1))


@bp.get("/issues/<number>")
def issue_slip(number: str):
    return _slip_page(client.issue_slip(number), issued=request.args.get("issued"))


@bp.post("/issues/<number>/returns")
def take_back(number: str):
    """Back into the lot each part came from, no more than the slip issued of it."""
    form = request.form
    lines = [line for line in forms.lines(form, ("part_number", "lot", "quantity")) if line["quantity"]]
    body = {"lines": [{**forms.api_body(line), "reason": forms.text(form, "reason") or None} for line in lines]}
    try:
        slip = client.take_back(number, body, forms.idempotency_key(form))
    except ApiProblem as refused:
        return _slip_page(client.issue_slip(number), form=form, errors=field_messages(refused),
                          message=translated(refused))
    return _slip_page(slip, returned=True)


@bp.get("/issues/<number>/print")
def print_slip(number: str):
    """The slip or the pick list (sorted by bin), for A4 or for an 80 mm receipt printer."""
    paper = request.args.get("paper", "a4")
    document = request.args.get("document", "slip")
    if paper not in PAPERS or document not in ("slip", "pick-list"):
        abort(404)
    slip = client.issue_slip(number)
    lines = sorted(slip["lines"], key=_by_bin if document == "pick-list" else _by_part)
    return render_template("parts/print_slip.html", slip=slip, lines=lines, paper=paper, document=document)


def _by_bin(line: dict) -> tuple:
    """The walk through the store: bin by bin (lines without a bin last), then part number."""
    return (line.get("bin") is None, line.get("bin") or "", line["location"], line["part_number"])


def _by_part(line: dict) -> tuple:
    return (line["part_number"], line["lot"])


def _render(form, *, lines, slips=(), errors=None, message=None, focus_scan=False):
    return render("parts/issue.html", "parts/_issue_form.html", form=form, lines=lines, slips=slips,
                  errors=errors or {}, message=message, focus_scan=focus_scan,
                  idempotency_key=forms.idempotency_key(form))


def _slip_page(slip: dict, *, form=None, issued=None, returned=False, errors=None, message=None):
    """The slip with its take-back form: empty under a fresh key, or as typed with the refusal."""
    form = form if form is not None else MultiDict()
    return render_template("parts/slip.html", slip=slip, issued=issued, returned=returned, form=form,
                           errors=errors or {}, message=message, idempotency_key=forms.idempotency_key(form))


def _left(reservation: dict) -> str:
    """What is still held for the repair order, as a clerk types it ("1", not the "1.000" the
    service sends)."""
    left = Decimal(reservation["quantity"]) - Decimal(reservation.get("issued") or "0")
    return f"{left.normalize():f}"

