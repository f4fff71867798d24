"""Stock and lots (库存与批次): stock by part, location and lot; the ledger (出入库流水); a lot's
facts, stock and forward trace with its actions (inspection, return to supplier, hold and
release: 冻结/解冻); the backward trace of a vehicle or repair order (质量追溯).

Every figure is the parts service's. A figure the service withholds (a blind count of the part
at that location is running: `withheld`) shows as "counting — hidden", never as a blank that
reads like zero. What a user may do is the service's decision too: the screens only leave out
the buttons of another role.
"""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to, render
from console.parts import bp, client
from console.problems import field_messages, translated

PAGE = 50
# What the Show list offers, and the `state` the stock API filters by for it.
SHOWS = {"all": None, "available": "available", "held": "held_back"}
LEDGER_FILTERS = ("part_number", "lot", "location", "reference")
# Where a movement's reference has a page of its own, by the movement's kind.
REFERENCE_PAGES = {"receipt": "parts.receipt", "issue": "parts.issue_slip", "return": "parts.issue_slip",
                   "block": "parts.lot", "unblock": "parts.lot"}
LOT_ACTIONS = {
    "inspection": (client.record_inspection, ("result", "note")),
    "return": (client.return_to_supplier, ("location", "quantity", "reason")),
    "hold": (client.put_on_hold, ("reason",)),
    "release": (client.release_hold, ("reason",)),
}


# ---------------------------------------------------------------- stock


@bp.get("/stock")
def stock():
    """Stock by part, location and lot: all of it, only what is available, or only what is held back."""
    args = request.args
    location = forms.text(args, "location")
    show = args.get("show") if args.get("show") in SHOWS else "all"
    part, errors, message = _part(forms.text(args, "part_number"), location)
    rows, next_cursor = [], None
    if not errors:
        filters = {"part_number": part["part_number"] if part else None, "location": location, "state": SHOWS[show]}
        try:
            page = client.stock(filters, args.get("cursor") or None, PAGE)
            rows, next_cursor = page["items"], page.get("next_cursor")
        except ApiProblem as refused:
            errors, message = field_messages(refused), translated(refused)
    return render_template(
        "parts/stock.html", form=args, show=show, part=part, rows=rows, next_cursor=next_cursor,
        places=_places(), errors=errors, message=message,
    )


@bp.get("/stock/export")
def stock_export():
    """The service's stock CSV (every part, location and lot) as a file download."""
    answer = client.stock_export()
    return Response(answer.content, content_type=answer.content_type or "text/csv",
                    headers={"Content-Disposition": 'attachment; filename="stock.csv"'})


# ---------------------------------------------------------------- ledger
# Its endpoint, like the trace's, starts with "stock": the desks' bar marks Stock while it is open.


@bp.get("/ledger", endpoint="stock_ledger")
def ledger():
    """Every movement, newest first: what, how much, who, when, why, and the document."""
    args = request.args
    filters = {name: forms.text(args, name) for name in LEDGER_FILTERS}
    part, errors, message = _part(filters["part_number"], None)
    rows, next_cursor = [], None
    if not errors:
        asked = {**filters, "part_number": part["part_number"] if part else None}
        try:
            page = client.ledger(asked, args.get("cursor") or None, PAGE)
            rows, next_cursor = page["items"], page.get("next_cursor")
        except ApiProblem as refused:
            errors, message = field_messages(refused), translated(refused)
    return render_template(
        "parts/ledger.html", form=args, rows=rows, next_cursor=next_cursor, places=_places(),
        errors=errors, message=message, reference_pages=REFERENCE_PAGES,
    )


# ---------------------------------------------------------------- one lot


@bp.get("/lots/<code>")
def lot(code: str):
    return _lot_page(code, done=request.args.get("done"))


@bp.post("/lots/<code>/<any(inspection, return, hold, release):action>")
def lot_action(code: str, action: str):
    """Record the inspection, send stock back to the supplier, put on hold or release: the
    service decides whether this user may, and whether the lot can."""
    form = request.form
    call, fields = LOT_ACTIONS[action]
    try:
        call(code, forms.api_body({name: forms.text(form, name) for name in fields}), forms.idempotency_key(form))
    except ApiProblem as refused:
        return _lot_page(code, form=form, failed=action, errors=field_messages(refused), message=translated(refused))
    return go_to(url_for("parts.lot", code=code, done=action))


def _lot_page(code: str, *, form=None, failed=None, errors=None, message=None, done=None):
    trace = client.forward_trace(code)  # another dealer's lot, or none: the service's 404 page
    found = trace["lot"]
    rows = client.stock({"lot": found["code"]}, None, 200)["items"]
    context = dict(
        lot=found, fitted=trace["fitted"], rows=rows, part=_known(found["part_number"]), places=_places(),
        form=form or MultiDict(), failed=failed, errors=errors or {}, message=message,
        done=done if done in LOT_ACTIONS else None, idempotency_key=forms.new_key(),
    )
    return render("parts/lot.html", "parts/_lot_actions.html", **context)


# ---------------------------------------------------------------- backward trace


@bp.get("/trace", endpoint="stock_trace")
def trace():
    """The parts, lots, suppliers and receipts behind a vehicle or a repair order."""
    args = request.args
    asked = {name: forms.text(args, name) for name in ("vin", "repair_order")}
    fitted, errors, message = None, {}, None
    if any(asked.values()):
        try:
            fitted = client.backward_trace(asked)
        except ApiProblem as refused:
            errors, message = field_messages(refused), translated(refused)
    return render_template("parts/trace.html", form=args, fitted=fitted, errors=errors, message=message)


# ---------------------------------------------------------------- shared by the screens


def _part(typed: str, location: str | None) -> tuple[dict | None, dict, str | None]:
    """The catalog's part for what was typed or scanned (hyphens, spaces and case do not
    matter), with its totals at the location or everywhere: the service's quote answers both."""
    if not typed:
        return None, {}, None
    try:
        [line] = client.quote([{"part_number": typed, "quantity": "1"}], location or None)["lines"]
    except ApiProblem as refused:
        errors = {("part_number" if name.startswith("lines.") else name): messages
                  for name, messages in field_messages(refused).items()}
        return None, errors, translated(refused)
    if not line["found"]:
        refused = ApiProblem(status=404, code=line["problem"]["code"], title="", detail=line["problem"]["detail"],
                             body={**line["problem"], "part_number": typed})
        return None, {"part_number": [translated(refused)]}, None
    return line, {}, None


def _known(part_number: str) -> dict | None:
    part, _errors, _message = _part(part_number, None)
    return part


def _places() -> dict[str, dict]:
    return {place["code"]: place for place in client.locations()}

