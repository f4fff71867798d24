"""Reorder (补货): the parts service's reorder suggestions, ticked and turned into purchase
orders (采购订单), one per supplier; a part's reorder rule; the purchase orders and their
deliveries so far, and cancelling what has not come.

The suggestions, quantities in whole packs and the supplier each part last came from are the
service's. Putting the ticked lines of one supplier on one order is only how the screen asks:
the orders go in one POST /purchase-orders/batch, which places all of them or none, under the
form's idempotency key, so posting the form again never orders twice.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from console import forms
from console.auth.views import has_role
from console.backend import ApiProblem
from console.pages import go_to, render
from console.parts import bp, client
from console.problems import field_messages, translated

LINE_FIELDS = ("order", "part_number", "location", "quantity", "supplier")
RULE_FIELDS = ("part_number", "location", "safety_stock", "reorder_point", "max_stock", "pack_multiple",
               "lead_time_days", "mode")
ORDER_STATUSES = ("open", "received", "cancelled")


@bp.get("/reorder")
def reorder():
    args = request.args
    return _render(MultiDict({"location": forms.text(args, "location")}), rule_form=MultiDict(),
                   rule_saved=(forms.text(args, "rule"), forms.text(args, "at")) if args.get("rule") else None)


@bp.post("/reorder")
def order_suggestions():
    """One purchase order per supplier of the ticked lines, with the quantities as edited."""
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    errors: dict[str, list[str]] = {}
    groups: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if line["order"]:
            if line["supplier"]:
                groups.setdefault(line["supplier"], []).append(index)
            else:
                errors[f"lines.{index}.supplier"] = [_("Choose the supplier to order from.")]
    if errors:
        return _render(form, lines=lines, errors=errors, message=_("Some lines need correcting."))
    if not groups:
        return _render(form, lines=lines, message=_("Tick the lines to order first."))
    suppliers = sorted(groups)
    orders = [{"supplier": supplier,
               "lines": [forms.api_body({name: lines[i][name] for name in ("part_number", "location", "quantity")})
                         for i in groups[supplier]]}
              for supplier in suppliers]
    try:
        placed = client.place_orders(orders, forms.idempotency_key(form))
    except ApiProblem as refused:
        # Nothing was ordered: the form comes back as typed, under the same key.
        return _render(form, lines=lines, errors=_on_lines(refused, [groups[s] for s in suppliers]),
                       message=translated(refused))
    return go_to(url_for("parts.purchase_orders", placed=[order["number"] for order in placed]))


@bp.post("/reorder/rule")
def set_rule():
    """Safety stock, reorder point, maximum and pack of a part at a location."""
    form = request.form
    body = forms.api_body({name: forms.text(form, name) for name in RULE_FIELDS})
    try:
        rule = client.set_reorder_rule(body)
    except ApiProblem as refused:
        return _render(MultiDict({"location": forms.text(form, "filter_location")}), rule_form=form,
                       rule_errors=field_messages(refused), rule_message=translated(refused))
    return go_to(url_for("parts.reorder", rule=rule["part_number"], at=rule["location"],
                         location=forms.text(form, "filter_location") or None))


@bp.get("/purchase-orders")
def purchase_orders():
    args = request.args
    filters = {"status": forms.text(args, "status") or None, "supplier": forms.text(args, "supplier") or None}
    found = client.purchase_orders(filters, cursor=forms.text(args, "cursor") or None)
    return render_template("parts/purchase_orders.html", orders=found["items"], next_cursor=found.get("next_cursor"),
                           filters=filters, suppliers=client.suppliers(), statuses=ORDER_STATUSES,
                           placed=args.getlist("placed"))


@bp.get("/purchase-orders/<number>")
def purchase_order(number: str):
    return _render_order(client.purchase_order(number), cancelled=request.args.get("cancelled"))


@bp.post("/purchase-orders/<number>/cancel")
def cancel_purchase_order(number: str):
    """What has not come yet is no longer on order."""
    try:
        order = client.cancel_order(number, forms.idempotency_key(request.form))
    except ApiProblem as refused:
        return _render_order(client.purchase_order(number), message=translated(refused))
    return go_to(url_for("parts.purchase_order", number=order["number"], cancelled=1))


def _render(form, *, lines=None, errors=None, message=None, rule_form=None, rule_errors=None,
            rule_message=None, rule_saved=None):
    """The service's suggestions now, each with what the manager ticked and typed kept."""
    location = forms.text(form, "location") or None
    # Reorder is the parts manager's desk (the top bar shows it to them only): the screen asks
    # for suggestions for them only.
    manager = has_role("parts_manager")
    suggestions = client.reorder_suggestions(location) if manager else []
    typed = {(line["part_number"], line["location"]): line for line in (lines or [])}
    rows = []
    for suggestion in suggestions:
        line = typed.get((suggestion["part_number"], suggestion["location"]))
        rows.append({"suggestion": suggestion,
                     "order": bool(line and line["order"]),
                     "quantity": line["quantity"] if line else forms.as_typed(suggestion["quantity"]),
                     "supplier": line["supplier"] if line else (suggestion.get("supplier") or "")})
    context = dict(
        form=form, rows=rows, location=location, errors=errors or {}, message=message,
        rule_form=rule_form if rule_form is not None else MultiDict(), rule_errors=rule_errors or {},
        rule_message=rule_message, rule_saved=rule_saved, manager=manager,
        locations=client.locations(), suppliers=client.suppliers(),
        idempotency_key=forms.idempotency_key(form),
    )
    return render("parts/reorder.html", "parts/_reorder_form.html", **context)


def _render_order(order: dict, *, message=None, cancelled=None):
    return render_template("parts/purchase_order.html", order=order, message=message, cancelled=cancelled,
                           idempotency_key=forms.new_key())


def _on_lines(problem: ApiProblem, orders: list[list[int]]) -> dict[str, list[str]]:
    """`orders.1.lines.0.quantity` is the screen's line it came from (the first ticked line of
    the second supplier); a refused supplier (`orders.1.supplier`) shows on each of its lines."""
    found = {}
    for key, messages in field_messages(problem).items():
        parts = key.split(".")
        if len(parts) < 3 or parts[0] != "orders" or not parts[1].isdigit() or int(parts[1]) >= len(orders):
            continue
        indexes = orders[int(parts[1])]
        if parts[2] == "supplier":
            found.update({f"lines.{i}.supplier": messages for i in indexes})
        elif parts[2] == "lines" and len(parts) == 5 and parts[3].isdigit() and int(parts[3]) < len(indexes):
            found[f"lines.{indexes[int(parts[3])]}.{parts[4]}"] = messages
    return found
