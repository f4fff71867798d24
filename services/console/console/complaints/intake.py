"""Complaint intake (投诉登记): phone, in person, WeChat or letter.

The clerk finds the customer by phone, plate or VIN and sees their complaints still open; types
what the customer says while the classifier's reading (category, severity and the words that
decided them) shows beside it; notes the remedy the customer wants, and saves. The confirmation
shows the complaint's number big enough to read out, and offers to merge it into one of the
customer's open complaints when the clerk sees it is the same one.

Whoever records the complaint owns it (首问责任制): the service takes that from the signed-in
user. What is valid (a phone's form, a date not in the future, the text's length) is the
service's to say; its refusal shows next to the field, everything typed kept.
"""

from __future__ import annotations

import re

from flask import current_app, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from console import forms
from console.backend import ApiProblem
from console.complaints import bp, client, names
from console.complaints.review import marked
from console.pages import go_to
from console.problems import field_messages, for_the_top, translated

FIELDS = ("channel", "customer_name", "customer_phone", "plate", "vin", "text", "desired_remedy", "repair_order",
          "claim_number", "part_number", "lot")
# The customer's identifiers a lookup searches by, each on its own (the API's filters).
IDENTIFIERS = ("customer_phone", "plate", "vin")
# Statuses that are not (or no longer) worked: not offered as the same complaint.
ENDED = ("closed", "merged")
DEFAULT_CHANNEL = "phone"
# The list API's length check, as it words it ("Length must be between 1 and 5000.").
LENGTH = re.compile(r"^Length must be between (?P<least>\d+) and (?P<most>\d+)\.$")
PHONE_FORM = _l("Type the phone number in digits, such as 138 1234 5678 or +86 21 5555 0000.")
NOTHING_TYPED = {"text": _l("Say what the customer complains about.")}


@bp.get("/new")
def new():
    """An empty intake form, the phone channel chosen (most complaints come by phone)."""
    return _form({"channel": request.args.get("channel") or DEFAULT_CHANNEL})


@bp.post("/new")
def receive():
    """Record the complaint as typed; on a refusal the form comes back with the messages."""
    form = request.form
    try:
        created = client.receive(_body(form), forms.idempotency_key(form))
    except ApiProblem as refused:
        errors = _by_input(_worded(field_messages(refused), form))
        return _form(form, errors=errors, message=for_the_top(refused, errors)), 422
    return go_to(url_for("complaints.received", complaint_id=created["id"]))


@bp.get("/new/customer")
def customer():
    """The customer's complaints still open, found by each identifier typed (htmx fragment)."""
    return render_template("complaints/_intake_customer.html", **_customer(request.args), **_names())


@bp.post("/new/classification")
def classification():
    """The classifier's reading of the text as typed so far (htmx fragment); nothing is recorded."""
    return render_template("complaints/_intake_reading.html", **_reading(request.form.get("text") or ""), **_names())


@bp.get("/new/<complaint_id>")
def received(complaint_id: str):
    """The confirmation: the number to tell the customer, and the customer's other open complaints."""
    return _confirmation(client.complaint(complaint_id))


@bp.post("/new/<complaint_id>/same-as")
def same_as(complaint_id: str):
    """The clerk sees the new complaint repeats an open one: merge it into that one."""
    form = request.form
    into = forms.text(form, "into")
    try:
        client.merge_duplicate(into, {"duplicate_id": complaint_id}, forms.idempotency_key(form))
    except ApiProblem as refused:
        return _confirmation(client.complaint(complaint_id), message=translated(refused)), 422
    return go_to(url_for("complaints.received", complaint_id=complaint_id))


def _body(form) -> dict:
    """The API's body: a box left empty is a field not given; the text goes as typed (the service
    trims it), the date as a plain date (a letter's) or with its time in the dealer's zone."""
    typed = {name: forms.text(form, name) for name in FIELDS if name != "text"}
    body = {name: value for name, value in forms.api_body(typed).items() if value is not None}
    body["text"] = form.get("text") or ""
    received_at = _received_at(forms.text(form, "received_on"), forms.text(form, "received_time"))
    if received_at:
        body["received_at"] = received_at
    return body


def _received_at(day: str, hour: str) -> str | None:
    if not day:
        return None
    if not hour:
        return day  # a letter's date: the service counts from the start of that day
    return forms.dealer_moment(f"{day}T{hour}", current_app.config["CONSOLE"].timezone)


def _worded(errors: dict[str, list[str]], form) -> dict[str, list[str]]:
    """The service's checks of length and of the phone's form, said as the clerk needs to hear
    them: an empty box asks for what goes in it, a long one says how much fits."""
    worded = {}
    for name, messages in errors.items():
        worded[name] = [_word(name, message, form.get(name) or "") for message in messages]
    return worded


def _word(name: str, message: str, typed: str) -> str:
    length = LENGTH.match(message)
    if length and not typed.strip() and name in NOTHING_TYPED:
        return str(NOTHING_TYPED[name])
    if length:
        return gettext("At most %(most)s characters: %(typed)s typed.", most=length["most"], typed=len(typed))
    if name == "customer_phone" and message == "String does not match expected pattern.":
        return str(PHONE_FORM)
    return message


def _by_input(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The service names `received_at`; on the form it is the date (and time) of the complaint."""
    if "received_at" in errors:
        errors = {**errors, "received_on": errors["received_at"]}
    return errors


def _form(typed, *, errors: dict | None = None, message: str | None = None):
    return render_template(
        "complaints/intake.html", typed=typed, errors=errors or {}, message=message,
        new_key=forms.new_key, **_customer(typed), **_reading(typed.get("text") or ""), **_names(),
    )


def _reading(text: str) -> dict:
    """The classifier's reading of the text, or nothing while there is no text to read."""
    if not text.strip():
        return {"reading": None, "reading_message": None}
    try:
        return {"reading": client.classification(text), "reading_message": None}
    except ApiProblem as refused:
        return {"reading": None, "reading_message": translated(refused)}


def _customer(typed) -> dict:
    """Each identifier typed, searched on its own; the customer's complaints still open, newest
    first, each once. A search the service refuses (too short yet) finds nothing."""
    found: dict[str, dict] = {}
    searched = False
    for name in IDENTIFIERS:
        value = forms.text(typed, name)
        if not value:
            continue
        searched = True
        try:
            page = client.complaints({name: value}, limit=20)
        except ApiProblem:
            continue
        for item in page["items"]:
            if item["status"] not in ENDED:
                found.setdefault(item["id"], item)
    open_ones = sorted(found.values(), key=lambda item: item["received_at"], reverse=True)
    return {"open_complaints": open_ones, "searched": searched}


def _confirmation(complaint: dict, *, message: str | None = None):
    others = [item for item in _customer(complaint)["open_complaints"] if item["id"] != complaint["id"]]
    merged_into = client.complaint(complaint["merged_into"]) if complaint.get("merged_into") else None
    return render_template(
        "complaints/intake_done.html", complaint=complaint, others=others, merged_into=merged_into,
        message=message, new_key=forms.new_key, marked=marked, **_names(),
    )


def _names() -> dict:
    return {"categories": names.CATEGORIES, "severities": names.SEVERITIES, "channels": names.CHANNELS,
            "statuses": names.STATUSES, "named": names.named}
