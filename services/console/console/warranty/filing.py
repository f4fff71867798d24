"""Filing a claim (索赔申请) from a repair order: its parts come prefilled from the parts
service's issue slips (领料单: part, lot, quantity still fitted) at the catalog's price; the clerk
adds the labour operations (工时, their standard hours offered) and sublet work, marks the causal
part and saves the claim as a draft. The draft's page shows what submitting would say, every
problem next to the field or line it names and what the manager would see flagged; corrected
and saved again, it is submitted from the same form. A refusal shows next to what it names,
everything typed kept; a claim sent back for information is corrected on the same form.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to, render
from console.warranty import bp, claim_form, client, names
from console.warranty.claim import FORM, claim_page


@bp.get("/claims/new")
def new_claim():
    """The repair order's parts, ready to claim; or the box to scan the repair order into."""
    repair_order = forms.text(request.args, "repair_order")
    form = MultiDict({"repair_order": repair_order, "claim_type": "warranty"})
    if not repair_order:
        return _render_new(form, lines=[])
    slips = client.issues_for(repair_order)
    prices = client.list_prices(line["part_number"] for slip in slips for line in slip["lines"])
    if slips:
        form["vin"] = slips[0]["vin"]
        form["repair_date"] = forms.dealer_day(slips[0]["issued_at"], current_app.config["CONSOLE"].timezone)
    return _render_new(form, lines=claim_form.issued_lines(slips, prices), slips=slips)


@bp.post("/claims/new")
def file_claim():
    form = request.form
    lines = claim_form.typed_lines(form)
    changed = _lines_changed(form.get("action", ""), lines)
    if changed is not None:
        return _render_new(form, lines=changed)
    try:
        filed = client.file_claim(claim_form.body(form, lines), forms.idempotency_key(form))
    except ApiProblem as refused:
        errors, message = claim_form.refusal(refused, lines)
        return _render_new(form, lines=lines, errors=errors, message=message)
    return go_to(url_for("warranty.claim", number=filed["claim_number"], done="filed"))


@bp.post("/claims/<number>/edit")
def edit_claim(number: str):
    """Save a draft or a claim sent back for information (its page then shows it checked), and
    submit it (again) if asked."""
    form = request.form
    lines = claim_form.typed_lines(form)
    action = form.get("action", "")
    changed = _lines_changed(action, lines)
    if changed is not None:
        return claim_page(client.claim(number), form=form, lines=changed, template=FORM)
    kept = MultiDict(form)
    try:
        found = client.claim(number)
        if not claim_form.unchanged(found, form, lines):
            found = client.edit_claim(number, claim_form.body(form, lines, filed=True), forms.text(form, "version"))
            kept["version"], kept["reason"] = str(found["version"]), ""
        if action == "submit":
            client.submit(number, forms.idempotency_key(form))
    except ApiProblem as refused:
        errors, message = claim_form.refusal(refused, lines)
        return claim_page(client.claim(number), form=kept, lines=lines, errors=errors, message=message,
                          template=FORM)
    return go_to(url_for("warranty.claim", number=number, done="submitted" if action == "submit" else "saved"))


def _lines_changed(action: str, lines: list[dict]) -> list[dict] | None:
    """The lines after an add or remove button; None for any other button."""
    if action.startswith("add:"):
        return [*lines, claim_form.blank_line(action.removeprefix("add:"))]
    if action.startswith("remove:"):
        return forms.without_line(lines, action)
    return None


def _render_new(form, *, lines, slips=None, errors=None, message=None):
    return render("warranty/new_claim.html", "warranty/_claim_form.html", claim=None, editable=True, form=form,
                  lines=lines, slips=slips, errors=errors or {}, message=message, plans=client.coverage_plans(),
                  operations=claim_form.labour_operations(client.labour_operations()), names=names,
                  idempotency_key=forms.idempotency_key(form))
