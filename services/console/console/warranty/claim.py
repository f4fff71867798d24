"""A claim (索赔单): its facts, lines and decision, and every step of its history (who, when,
why); what the desk can do with it in its present state (correct a draft or a claim sent back
for information, seeing what submitting would say, and submit it; appeal, cancel; the manager
asks for information and decides (decision.py); the clerk or the manager records the
manufacturer's payment); and the claim printed on A4 for the manufacturer's portal or the customer.

Which step a claim may take is the warranty service's rule: the page offers the forms of the
steps its status and the user's role allow, and shows the service's refusal where one comes.
"""

from __future__ import annotations

from flask import Response, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.auth.views import has_role
from console.backend import ApiProblem
from console.pages import go_to
from console.problems import field_messages, for_the_top
from console.warranty import bp, claim_form, client, names

EDITABLE = ("draft", "info_requested")
# Who files, corrects and submits claims, and who may see a claim's files (the warranty service's rules).
SUBMITTERS = ("warranty_clerk",)
ATTACHMENT_READERS = ("warranty_clerk", "warranty_manager", "service_manager", "complaints_agent")
PAGE, FORM = "warranty/claim.html", "warranty/_claim_form.html"
PAYMENT = ("payment_reference", "paid_on", "paid_amount", "short_payment_reason")


@bp.get("/claims/<number>")
def claim(number: str):
    """The claim; one the clerk may still submit comes checked: what submitting would say."""
    found = client.claim(number)
    checked = client.check(number) if found["status"] in EDITABLE and has_role(*SUBMITTERS) else None
    return claim_page(found, done=forms.text(request.args, "done"), checked=checked)


@bp.post("/claims/<number>/appeal")
def appeal(number: str):
    form = request.form
    try:
        client.appeal(number, forms.text(form, "reason") or None, forms.idempotency_key(form))
    except ApiProblem as refused:
        return refused_step(number, "appeal", form, refused)
    return go_to(url_for("warranty.claim", number=number, done="appealed"))


@bp.post("/claims/<number>/cancel")
def cancel(number: str):
    form = request.form
    try:
        client.cancel(number, forms.text(form, "reason") or None, forms.idempotency_key(form))
    except ApiProblem as refused:
        return refused_step(number, "cancel", form, refused)
    return go_to(url_for("warranty.claim", number=number, done="cancelled"))


@bp.post("/claims/<number>/request-info")
def request_info(number: str):
    """The manager sends a submitted claim back to the clerk, saying what is missing (补充资料)."""
    form = request.form
    try:
        client.request_info(number, forms.text(form, "reason") or None, forms.idempotency_key(form))
    except ApiProblem as refused:
        return refused_step(number, "request_info", form, refused)
    return go_to(url_for("warranty.claim", number=number, done="info_requested"))


@bp.post("/claims/<number>/payment")
def record_payment(number: str):
    """What the manufacturer paid for an approved claim (索赔结算): all of it, or less with the reason."""
    form = request.form
    body = {name: value for name, value in forms.api_body({name: forms.text(form, name) for name in PAYMENT}).items()
            if value is not None}
    try:
        client.record_payment(number, body, forms.idempotency_key(form))
    except ApiProblem as refused:
        return refused_step(number, "payment", form, refused)
    return go_to(url_for("warranty.claim", number=number, done="paid"))


@bp.post("/claims/<number>/attachments")
def attach(number: str):
    """A photo of the failed part, the repair order's scan, the pre-authorisation letter."""
    form = request.form
    upload = request.files.get("file")
    file = (upload.filename, upload.read(), upload.mimetype) if upload and upload.filename else None
    facts = forms.api_body({name: forms.text(form, name) for name in ("kind", "description")})
    try:
        client.attach(number, facts, file, forms.idempotency_key(form))
    except ApiProblem as refused:
        return refused_step(number, "attach", form, refused)
    return go_to(url_for("warranty.claim", number=number, done="attached"))


@bp.get("/claims/<number>/attachments/<attachment_id>")
def attachment(number: str, attachment_id: str):
    """The attached file, as the service keeps it."""
    answer = client.attachment_file(number, attachment_id)
    headers = {"Content-Disposition": answer.disposition or "attachment", "Cache-Control": "private, no-store"}
    return Response(answer.content, content_type=answer.content_type, headers=headers)


@bp.get("/claims/<number>/print")
def print_claim(number: str):
    """A4, for the manufacturer's portal or the customer."""
    return render_template("warranty/print_claim.html", claim=client.claim(number), names=names)


def refused_step(number: str, step: str, form, problem: ApiProblem, errors: dict | None = None):
    """The claim again, the refused step's form as it was typed with the service's words beside
    it (`errors`: where the step's own form puts them, else where the service names them)."""
    kept = MultiDict(form)
    kept["idempotency_key"] = forms.new_key()
    errors = field_messages(problem) if errors is None else errors
    return claim_page(client.claim(number), step=step, typed=kept, step_errors=errors,
                      step_message=for_the_top(problem, errors))


def claim_page(found: dict, *, done: str = "", checked: dict | None = None, form=None, lines=None, errors=None,
               message=None, step: str = "", typed=None, step_errors=None, step_message=None, template: str = PAGE):
    """The claim page (or, with `template`, one part of it). An editable claim shows the clerk
    its form: as typed with the service's refusal, or as filed with its check's problems marked."""
    editable = found["status"] in EDITABLE
    editing = editable and has_role(*SUBMITTERS)
    if editable and form is None:
        form, lines = claim_form.form_of(found)
    listed = []
    if checked is not None:
        errors, listed = claim_form.check_marks(checked, lines)
    return render_template(
        template, claim=found, done=done, editable=editable, form=form, lines=lines or [], errors=errors or {},
        message=message, checked=checked, listed=listed, plans=client.coverage_plans() if editing else [],
        operations=claim_form.labour_operations(client.labour_operations()) if editing else [], names=names,
        attachments=(client.attachments(found["claim_number"])
                     if template != FORM and has_role(*ATTACHMENT_READERS) else None),
        step=step, typed=typed or MultiDict(), step_errors=step_errors or {}, step_message=step_message,
        today=forms.dealer_today(current_app.config["CONSOLE"].timezone).isoformat(), new_key=forms.new_key,
        idempotency_key=forms.idempotency_key(form or {}),
    )
