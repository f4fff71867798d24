"""Quote (报价查询): a repair quote's lines, typed or scanned, answered as a whole by the parts
service; find parts by vehicle or text; reserve every line in one action.

The lines live in the form itself (the console keeps nothing): each action posts the whole
form and gets it back answered, with what the clerk typed kept as typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import current_app, request
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import render
from console.parts import bp, client
from console.problems import field_messages, translated

LINE_FIELDS = ("part_number", "quantity", "deposit")
FINDER_FIELDS = ("q", "make", "model", "year", "displacement")
RESERVATION_FIELDS = ("for_kind", "for_reference", "expires_at")


@bp.get("/quote")
def quote():
    return _render(MultiDict(), answer=None)


@bp.post("/quote")
def requote():
    """Add the scanned line, drop one, quote a superseded line's current number, or take changed
    quantities: the whole quote is asked again."""
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    action = form.get("action", "")
    if action == "add":
        lines = with_scanned(lines, forms.text(form, "scan"), forms.text(form, "scan_quantity") or "1")
    elif action.startswith("add-part:"):
        lines = with_scanned(lines, action.removeprefix("add-part:"), "1")
    elif action.startswith("remove:"):
        lines = forms.without_line(lines, action)
    elif action.startswith("use:"):
        index, _, number = action.removeprefix("use:").partition(":")
        lines = [{**line, "part_number": number} if str(i) == index else line for i, line in enumerate(lines)]
    return _answer(form, lines)


@bp.post("/quote/find")
def find():
    form = request.form
    found, problem = find_in_catalog(form)
    if request.headers.get("HX-Request"):  # only the finder's results change on the screen
        return _render(form, answer=None, found=found, find_problem=problem, searched=True,
                       fragment="parts/_quote_finder.html")
    return _answer(form, forms.lines(form, LINE_FIELDS), found=found, find_problem=problem, searched=True)


def find_in_catalog(form) -> tuple[list[dict], ApiProblem | None]:
    """The parts the finder's fields (number or name, vehicle) describe, or the service's
    refusal; nothing asked when nothing was typed. The counter sale's finder is this one too."""
    filters = {name: forms.text(form, name) for name in FINDER_FIELDS}
    if not any(filters.values()):
        return [], None
    try:
        return client.find_parts(filters), None
    except ApiProblem as refused:
        return [], refused


@bp.post("/quote/reserve")
def reserve():
    """Every line for one repair order or appointment, all or nothing."""
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    location = forms.text(form, "location") or None
    body = {**forms.api_body({name: forms.text(form, name) for name in RESERVATION_FIELDS}),
            "lines": [{**forms.api_body(line), "location": location} for line in lines],
            "expires_at": forms.dealer_moment(forms.text(form, "expires_at"), current_app.config["CONSOLE"].timezone)}
    try:
        reserved = client.reserve_quote(body, forms.idempotency_key(form))
    except ApiProblem as refused:
        return _answer(form, lines, problem=refused)
    # A new quote starts a new key; the reserved one shows its figures after the reservation.
    fresh = MultiDict(form)
    fresh["idempotency_key"] = forms.new_key()
    return _answer(fresh, lines, reserved=reserved)


def _answer(form, lines, *, problem: ApiProblem | None = None, **extra):
    answer, quote_problem = None, None
    quotable = [{"part_number": line["part_number"], "quantity": line["quantity"]} for line in lines]
    if quotable:
        try:
            answer = client.quote(quotable, forms.text(form, "location"))
        except ApiProblem as refused:
            quote_problem = refused
        else:
            lines = _as_the_catalog_spells_them(lines, answer)
    errors = {**(field_messages(quote_problem) if quote_problem else {}),
              **(field_messages(problem) if problem else {})}
    message = translated(problem) if problem else (translated(quote_problem) if quote_problem else None)
    return _render(form, answer=answer, lines=lines, errors=errors, message=message, **extra)


def _render(form, *, answer, lines=(), errors=None, message=None, found=(), find_problem=None, searched=False,
            reserved=None, fragment="parts/_quote_answer.html"):
    """The whole page, or for htmx only what changed: the answer (the scan bar, the locations and
    the finder stay as they are on the screen), or the finder's results."""
    context = dict(
        form=form, lines=list(lines), answer=answer, rows=_rows(lines, answer), errors=errors or {},
        message=message, found=found, searched=searched,
        find_message=translated(find_problem) if find_problem else None, reserved=reserved,
        idempotency_key=forms.idempotency_key(form),
    )
    return render("parts/quote.html", fragment, page_only=lambda: {"locations": client.locations()}, **context)


def _rows(lines, answer):
    """Each typed line beside the service's answer for it (the answer keeps the lines' order)."""
    answered = (answer or {}).get("lines") or []
    return [(line, answered[i] if i < len(answered) else None) for i, line in enumerate(lines)]


def _as_the_catalog_spells_them(lines: list[dict], answer: dict) -> list[dict]:
    """The service found "0446533471" as 04465-33471: the line goes on as the catalog's number,
    which reserving and issuing need."""
    answered = answer.get("lines") or []
    return [{**line, "part_number": answered[i]["part_number"]} if i < len(answered) and answered[i].get("found")
            else line for i, line in enumerate(lines)]


def with_scanned(lines: list[dict], number: str, quantity: str) -> list[dict]:
    """A scanned number adds a line; the same number scanned again adds to its quantity."""
    if not number:
        return lines
    for line in lines:
        if line["part_number"] == number:
            try:
                line["quantity"] = str(Decimal(line["quantity"]) + Decimal(quantity))
            except InvalidOperation:
                break
            return lines
    return [*lines, {"part_number": number, "quantity": quantity, "deposit": ""}]
