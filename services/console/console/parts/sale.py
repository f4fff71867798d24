"""Counter sale (配件销售): parts sold to a walk-in or trade customer, from the scanner to the
printed receipt.

The new-sale form keeps its lines in itself, as the quote does, until the clerk writes the
order; then each step (confirm: stock reserved; payment; invoice and hand-over; cancel before
payment; parts taken back) is one post against the version of the order on the screen, and the
order's page shows the next step with the cursor in it, so Enter carries the sale through.
The prices, the fitment and every rule are the parts service's.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to, render
from console.parts import PAPERS, bp, client
from console.parts.quote import find_in_catalog, with_scanned
from console.problems import field_messages, translated

LINE_FIELDS = ("part_number", "quantity")
CUSTOMER_FIELDS = ("customer_kind", "customer_account", "customer_name", "customer_phone", "customer_group")
VEHICLE_FIELDS = ("vin", "make", "model", "year", "displacement")
RETURN_FIELDS = ("part_number", "quantity", "condition")
# Each step of an order on the sale page: the API's step, and the form's fields it sends.
STEPS = {"confirm": (), "payment": ("method", "reference", "amount"), "complete": ("invoice_number",),
         "cancel": ("reason",)}
STATUSES = ("draft", "confirmed", "paid", "completed", "cancelled")


@bp.get("/sales")
def sales():
    """Recent sales, newest first, to pick one up again or reprint its receipt."""
    status = request.args.get("status") or None
    filters = {"status": status if status in STATUSES else None}
    page = client.sales(filters, request.args.get("cursor"))
    return render_template("parts/sales.html", page=page, status=filters["status"], statuses=STATUSES)


@bp.get("/sales/new")
def sale_new():
    return _new_form(MultiDict({"customer_kind": "walk_in"}), lines=[])


@bp.post("/sales/new")
def sale_edit():
    """Add the scanned line (the same number again adds to its quantity), add a part found, or
    drop a line; `write`, or Enter in the empty scan field once there are lines (scan, scan,
    Enter: the till's way), opens the order at the service's prices."""
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    action = form.get("action", "")
    if action == "add" and (forms.text(form, "scan") or not lines):
        scanned = with_scanned(lines, forms.text(form, "scan"), forms.text(form, "scan_quantity") or "1")
        return _new_form(form, lines=scanned, focus_scan=True)
    if action.startswith("add-part:"):
        return _new_form(form, lines=with_scanned(lines, action.removeprefix("add-part:"), "1"), focus_scan=True)
    if action.startswith("remove:"):
        return _new_form(form, lines=forms.without_line(lines, action), focus_scan=True)
    try:
        order = client.open_sale(_sale_body(form, lines), forms.idempotency_key(form))
    except ApiProblem as refused:
        return _new_form(form, lines=lines, errors=field_messages(refused), message=translated(refused))
    return go_to(url_for("parts.sale", number=order["number"]))


@bp.post("/sales/new/find")
def sale_find():
    """The quote's finder, its results adding to the sale's lines."""
    form = request.form
    found, problem = find_in_catalog(form)
    context = dict(found=found, searched=True, find_message=translated(problem) if problem else None,
                   add_url=url_for("parts.sale_edit"))
    if request.headers.get("HX-Request"):
        return render_template("parts/_quote_finder.html", **context)
    return _new_form(form, lines=forms.lines(form, LINE_FIELDS), **context)


@bp.get("/sales/<number>")
def sale(number: str):
    return _sale_page(client.sale(number), MultiDict())


@bp.post("/sales/<number>/<step>")
def sale_step(number: str, step: str):
    """One step against the version on the screen; refused, the page again with the message
    beside its field and what was typed kept."""
    if step not in STEPS:
        abort(404)
    form = request.form
    body = _given({name: forms.text(form, name) for name in STEPS[step]})
    try:
        client.sale_step(number, step, body, forms.text(form, "version"), forms.idempotency_key(form))
    except ApiProblem as refused:
        return _sale_page(client.sale(number), form, step=step, errors=field_messages(refused),
                          message=translated(refused))
    return go_to(url_for("parts.sale", number=number))


@bp.post("/sales/<number>/returns")
def sale_return(number: str):
    """Parts of a completed sale back into the lots they were sold from, the refund recorded
    (by default the way it was paid, what the parts were paid)."""
    form = request.form
    lines = [line for line in forms.lines(form, RETURN_FIELDS) if line["quantity"]]
    refund = _given({"method": forms.text(form, "refund.method"), "reference": forms.text(form, "refund.reference")})
    body = {"lines": [forms.api_body(line) for line in lines], "reason": forms.text(form, "reason") or None,
            "refund": refund}
    try:
        client.sale_step(number, "returns", body, forms.text(form, "version"), forms.idempotency_key(form))
    except ApiProblem as refused:
        return _sale_page(client.sale(number), form, step="returns", errors=_return_errors(refused, form),
                          message=translated(refused))
    return go_to(url_for("parts.sale", number=number, returned=1))


@bp.get("/sales/<number>/print")
def sale_print(number: str):
    """The sales receipt (销售小票) on A4 or on 80 mm receipt paper."""
    paper = request.args.get("paper", "a4")
    if paper not in PAPERS:
        abort(404)
    return render_template("parts/print_sale.html", sale=client.sale(number), paper=paper)


def _sale_body(form, lines: list[dict]) -> dict:
    """The order as the API takes it; the vehicle only when something of it was typed."""
    vehicle = forms.api_body({name: forms.text(form, f"vehicle.{name}") for name in VEHICLE_FIELDS})
    vehicle["year"] = forms.whole_number(vehicle["year"] or "")
    return {**forms.api_body({name: forms.text(form, name) for name in CUSTOMER_FIELDS}),
            "vehicle": vehicle if any(value is not None for value in vehicle.values()) else None,
            "lines": [forms.api_body({name: line[name] for name in LINE_FIELDS}) for line in lines]}


def _given(values) -> dict:
    """Only what was typed: a field left empty takes the service's default (the cancel reason,
    the refund's method)."""
    return {name: value for name, value in values.items() if value}


def _return_errors(problem: ApiProblem, form) -> dict[str, list[str]]:
    """The service names a returned line by its place in what was sent (`lines.0.quantity`);
    the form numbers every line of the order (each has its part number), of which only those
    with a quantity were sent."""
    sent = [index for index, line in enumerate(forms.lines(form, RETURN_FIELDS)) if line["quantity"]]
    errors = {}
    for path, messages in field_messages(problem).items():
        head, _, rest = path.partition(".")
        index, _, field = rest.partition(".")
        if head == "lines" and index.isdigit() and int(index) < len(sent):
            path = f"lines.{sent[int(index)]}.{field}" if field else f"lines.{sent[int(index)]}"
        errors[path] = messages
    return errors


def _new_form(form, *, lines, errors=None, message=None, focus_scan=False, **finder):
    """The form as typed, each line beside the quote's answer for it (name, what is available,
    list price), so a wrong number or a short part shows before the order is written."""
    answered, errors = [], dict(errors or {})
    if lines:
        try:
            answered = client.quote([{name: line[name] for name in LINE_FIELDS} for line in lines], None)["lines"]
        except ApiProblem as refused:
            errors = {**field_messages(refused), **errors}
    rows = [(line, answered[i] if i < len(answered) else None) for i, line in enumerate(lines)]
    return render("parts/sale_new.html", "parts/_sale_form.html", form=form, rows=rows, lines=lines, errors=errors,
                  message=message, focus_scan=focus_scan, idempotency_key=forms.idempotency_key(form),
                  groups=client.customer_groups(), **finder)


def _sale_page(order: dict, form, *, step: str | None = None, errors=None, message=None):
    """The order with the form of its next step: empty under a fresh key, or as typed with the
    refusal (`step` says which form the typing belongs to)."""
    keys = {name: forms.idempotency_key(form) if name == step else forms.new_key() for name in (*STEPS, "returns")}
    return render_template("parts/sale.html", sale=order, form=form, step=step, errors=errors or {},
                           message=message, keys=keys, returned=request.args.get("returned"))
