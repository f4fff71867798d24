"""The warranty manager's decision on a submitted claim (索赔审核): each line approved in full,
cut to an amount or rejected, with the reason code when less is approved, and a note for the
whole claim. The warranty service checks the decision and answers with the claim's new status
(approved, partially approved or rejected); a refusal shows on the line it names.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import request, url_for

from console import forms
from console.backend import ApiProblem
from console.pages import go_to
from console.problems import field_messages, translated
from console.warranty import bp, client
from console.warranty.claim import refused_step

LINE_FIELDS = ("number", "claimed", "outcome", "approved_amount", "reason_code")
NOTHING = "0.00"


@bp.post("/claims/<number>/decision")
def decide(number: str):
    form = request.form
    lines = forms.lines(form, LINE_FIELDS)
    try:
        client.decide(number, body(form, lines), forms.idempotency_key(form))
    except ApiProblem as refused:
        return refused_step(number, "decide", form, refused, errors=on_the_lines(refused))
    return go_to(url_for("warranty.claim", number=number, done="decided"))


def body(form: Mapping[str, str], lines: list[dict[str, str]]) -> dict:
    """The decision the API gets: approving in full sends the amount claimed, rejecting sends
    0.00, a cut sends what was typed (left empty, the service says it is missing)."""
    decided = []
    for line in lines:
        amount = {"approve": line["claimed"], "reject": NOTHING}.get(line["outcome"], line["approved_amount"])
        decided.append(forms.api_body({"number": line["number"], "approved_amount": amount,
                                       "reason_code": "" if line["outcome"] == "approve" else line["reason_code"]}))
    sent = [{name: value for name, value in line.items() if value is not None} for line in decided]
    for line in sent:
        line["number"] = forms.whole_number(line.get("number", ""))
    return {"lines": sent, **({"reason": forms.text(form, "reason")} if forms.text(form, "reason") else {})}


def on_the_lines(problem: ApiProblem) -> dict[str, list[str]]:
    """A decision refused for one line (numbered from 1) shows on that line's row (numbered
    from 0, as the form and a 422's `lines.<n>.<field>` are)."""
    errors = field_messages(problem)
    line = problem.body.get("line")
    if problem.code == "decision_invalid" and isinstance(line, int) and line >= 1:
        errors.pop("lines", None)
        errors[f"lines.{line - 1}"] = [translated(problem)]
    return errors
