"""Coverage at write-up (保修判定): the advisor scans or types the VIN (the vehicle is looked up
as soon as it is typed), the odometer, the part or component group concerned and the date, and
sees at one glance every plan's answer: covered or not and why, time and km left, deductible,
pre-authorisation and its limit; the open campaigns and lot recalls to book in on the same
visit; and the vehicle's lemon-law (三包) exposure.

Whether a plan covers is the warranty service's answer, shown as it gives it. The question
goes in the address (a GET): asking changes nothing, so the answer can be reloaded or sent on.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.datastructures import MultiDict

from console import forms
from console.advisor import bp, client
from console.backend import ApiProblem
from console.pages import render
from console.problems import field_messages, for_the_top, translated
from console.warranty import names

QUESTION = ("vin", "odometer", "part_number", "component_group", "date", "estimated_cost")
PAGE, FRAGMENT = "advisor/coverage.html", "advisor/_coverage.html"


@bp.get("/coverage")
def coverage():
    """The empty question (dated today), or the answer to the question in the address."""
    form = MultiDict(request.args)
    if not forms.text(form, "vin"):
        form.setdefault("date", forms.dealer_today(current_app.config["CONSOLE"].timezone).isoformat())
        return _render(form)
    try:
        answer = client.eligibility(_question(form))
    except ApiProblem as refused:
        return _render(form, problem=refused)
    return _render(form, answer=answer, lemon_law=client.lemon_law(answer["vin"]))


@bp.get("/vehicle")
def vehicle():
    """The VIN checked as it is typed: the vehicle the dealer has under that VIN, or why not."""
    vin = forms.text(request.args, "vin")
    found, message = None, None
    if vin:
        try:
            found = client.vehicle(vin)
        except ApiProblem as refused:
            message = translated(refused)
    return render_template("advisor/_vehicle.html", vehicle=found, message=message, names=names)


def _question(form) -> dict:
    typed = {name: forms.text(form, name) for name in QUESTION}
    typed["odometer"] = forms.whole_number(typed["odometer"])
    return {name: value for name, value in forms.api_body(typed).items() if value is not None}


def _render(form, *, answer=None, lemon_law=None, problem: ApiProblem | None = None):
    errors = field_messages(problem) if problem else {}
    if problem is not None and problem.code == "vehicle_not_found":
        errors["vin"] = [translated(problem)]  # the vehicle the VIN names: said under the VIN
    message = for_the_top(problem, errors) if problem else None
    return render(PAGE, FRAGMENT, form=form, answer=answer, lemon_law=lemon_law, errors=errors, message=message,
                  names=names)
