"""Supplier recoveries (供应商索赔, 追偿): approved claims charged back to the supplier of the
causal part's lot. The warranty manager finds them by status or supplier, and on a recovery's
page adjusts the amount (parts, labour, handling charge 管理费) and takes its steps: charge
the supplier, record its dispute, the amount recovered, or write it off (核销), each with a
reason, against the version read (If-Match). The history shows every step: who, when, why.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to
from console.problems import field_messages, for_the_top
from console.warranty import bp, client, names

TABS = ("all", *names.RECOVERY_STATUSES)
# The buttons a recovery's page offers in each status; whether the step may be taken is the
# warranty service's rule, and its refusal shows on the page.
STEPS_FROM = {
    "open": ("charge",),
    "charged": ("recover", "dispute", "write_off"),
    "disputed": ("charge", "recover", "write_off"),
}
AMOUNTS = ("parts", "labour", "handling")


@bp.get("/recoveries")
def recoveries():
    args = request.args
    tab = forms.text(args, "status") or "all"
    if tab not in TABS:
        abort(404)
    supplier = forms.text(args, "supplier")
    filters = {"status": None if tab == "all" else tab, "supplier": supplier}
    page = client.recoveries(filters, cursor=forms.text(args, "cursor") or None)
    return render_template("warranty/recoveries.html", recoveries=page["items"], next_cursor=page.get("next_cursor"),
                           tab=tab, tabs=TABS, supplier=supplier, names=names)


@bp.get("/recoveries/<claim_number>")
def recovery(claim_number: str):
    return recovery_page(client.recovery(claim_number), done=forms.text(request.args, "done"))


@bp.post("/recoveries/<claim_number>/step")
def take_step(claim_number: str):
    """Charge, dispute, recover or write off: the button pressed says which."""
    form = request.form
    step = forms.text(form, "step")
    if step not in client.RECOVERY_STEP_PATHS:
        abort(400)
    body = forms.api_body({"reason": forms.text(form, "reason"), "reference": forms.text(form, "reference")})
    try:
        client.take_recovery_step(claim_number, step, _given(body), forms.text(form, "version"))
    except ApiProblem as refused:
        return _refused(claim_number, "step", form, refused)
    return go_to(url_for("warranty.recovery", claim_number=claim_number, done=step))


@bp.post("/recoveries/<claim_number>/amount")
def adjust(claim_number: str):
    """A new breakdown of the amount (parts, labour, handling), with the reason."""
    form = request.form
    body = forms.api_body({name: forms.text(form, name) for name in (*AMOUNTS, "reason")})
    try:
        client.adjust_recovery(claim_number, _given(body), forms.text(form, "version"))
    except ApiProblem as refused:
        return _refused(claim_number, "amount", form, refused)
    return go_to(url_for("warranty.recovery", claim_number=claim_number, done="adjusted"))


def _given(body: dict) -> dict:
    return {name: value for name, value in body.items() if value is not None}


def _refused(claim_number: str, form_name: str, form, problem: ApiProblem):
    """The recovery again, the refused form as it was typed with the service's words beside it."""
    errors = field_messages(problem)
    return recovery_page(client.recovery(claim_number), form_name=form_name, typed=MultiDict(form),
                         errors=errors, message=for_the_top(problem, errors))


def recovery_page(found: dict, *, done: str = "", form_name: str = "", typed=None, errors=None, message=None):
    return render_template(
        "warranty/recovery.html", recovery=found, done=done, steps=STEPS_FROM.get(found["status"], ()),
        form_name=form_name, typed=typed or MultiDict(), errors=errors or {}, message=message, names=names,
    )
