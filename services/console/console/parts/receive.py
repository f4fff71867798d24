"""Receive (收货入库): a supplier delivery, against a purchase order or without, one lot per
line with its incoming inspection result chosen by the clerk (进货检验: never left to a
default), and lot labels for the shelf.
"""

from __future__ import annotations

from decimal import Decimal

from flask import render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to, render
from console.parts import bp, client, labels
from console.problems import field_messages, translated

LINE_FIELDS = ("part_number", "quantity", "unit_cost", "location", "supplier_lot", "inspection")


@bp.get("/receive")
def receive():
    """A blank delivery, or one filled from a purchase order's outstanding lines."""
    form = MultiDict(request.args)
    lines = []
    number = forms.text(form, "purchase_order")
    if number:
        order = client.purchase_order(number)
        form["supplier"] = order["supplier"]
        lines = [{"part_number": line["part_number"], "quantity": line["outstanding"], "unit_cost": "",
                  "location": line["location"], "supplier_lot": "", "inspection": ""}
                 for line in order["lines"] if Decimal(line["outstanding"]) > 0]
    return _render(form, lines)


@bp.post("/receive")
def receive_delivery():
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    action = form.get("action", "")
    if action == "add":
        return _render(form, [*lines, {"part_number": forms.text(form, "scan"), "quantity": "", "unit_cost": "",
                                       "location": forms.text(form, "default_location"), "supplier_lot": "",
                                       "inspection": ""}] if forms.text(form, "scan") else lines, focus="quantity")
    if action.startswith("remove:"):
        return _render(form, forms.without_line(lines, action))
    header = {name: forms.text(form, name) for name in ("supplier", "delivery_note", "purchase_order")}
    body = {**forms.api_body(header),
            "lines": [forms.api_body(line) for line in lines]}
    try:
        receipt = client.receive(body, forms.idempotency_key(form))
    except ApiProblem as refused:
        return _render(form, lines, errors=field_messages(refused), message=translated(refused))
    return go_to(url_for("parts.receipt", number=receipt["number"], received=1))


@bp.get("/receipts/<number>")
def receipt(number: str):
    return render_template("parts/receipt.html", receipt=client.receipt(number), received=request.args.get("received"))


@bp.get("/receipts/<number>/labels")
def receipt_labels(number: str):
    """One label per lot of the delivery: lot barcode and QR code, part, supplier batch."""
    found = client.receipt(number)
    return render_template("parts/labels.html", receipt=found,
                           labels=[labels.for_line(found, line) for line in found["lines"]])


def _render(form, lines, *, errors=None, message=None, focus=None):
    context = dict(form=form, lines=lines, errors=errors or {}, message=message, focus=focus,
                   suppliers=client.suppliers(), locations=client.locations(),
                   idempotency_key=forms.idempotency_key(form))
    return render("parts/receive.html", "parts/_receive_form.html", **context)
