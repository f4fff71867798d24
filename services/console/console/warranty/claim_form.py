"""The claim form (索赔单) as the clerk fills it, and the warranty API's body it stands for.

The inputs are named after the API's fields, lines as `lines.<n>.<field>`; the same form files
a new claim and edits a draft or a claim sent back for information. A part line's lot comes
from the issue slip and is shown beside it; the service traces the causal part's lot itself
when the claim is approved, so it is not sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.formats import name, named
from console.problems import SENTENCES, field_messages, for_the_top
from console.warranty import names

HEADER = (
    "vin", "repair_order", "repair_date", "odometer", "failure_date", "claim_type", "coverage_plan", "complaint",
    "cause", "correction", "pre_authorisation_number", "pre_authorised_on", "days_out_of_service",
    "component_group", "campaign",
)
WHOLE_NUMBERS = ("odometer", "days_out_of_service")
LINE_FIELDS = ("kind", "operation", "part_number", "description", "quantity", "unit_price", "causal", "supplied_by",
               "repair_order_line", "lot")
SHOWN_ONLY = ("lot", "causal")
LINE_KINDS = ("part", "labour", "sublet")

# A line the service refused (`claim_line_invalid`), said by the field it names.
LINE_PROBLEMS = {
    "operation": _l("A labour line names its labour operation."),
    "part_number": _l("A part line, and only a part line, names a part number."),
    "causal": _l("Mark one part line, and only a part line, as the causal part."),
    "supplied_by": _l("Only a part can be supplied by the customer."),
    "quantity": _l("The quantity (or hours) must be more than 0."),
    "unit_price": _l("A price cannot be negative."),
    "repair_order_line": _l("A repair order line is claimed once."),
}
SEE_THE_MARKS = _l("The claim was not accepted: see the marked fields.")


def typed_lines(form: Mapping[str, str]) -> list[dict[str, str]]:
    return forms.lines(form, LINE_FIELDS)


def blank_line(kind: str) -> dict[str, str]:
    return {**{field: "" for field in LINE_FIELDS}, "kind": kind if kind in LINE_KINDS else "labour",
            "supplied_by": "dealer", "quantity": "1"}


def body(form: Mapping[str, str], lines: list[dict[str, str]], *, filed: bool = False) -> dict:
    """What the API gets: a box left empty is a field not given. A filed claim keeps its VIN."""
    header = {field: forms.text(form, field) for field in HEADER if not (filed and field == "vin")}
    for field in WHOLE_NUMBERS:
        header[field] = forms.whole_number(header[field])
    if filed and forms.text(form, "reason"):
        header["reason"] = forms.text(form, "reason")
    return {**_given(header), "lines": [_line_body(line) for line in lines]}


def _line_body(line: Mapping[str, str]) -> dict:
    sent = _given({field: line[field] for field in LINE_FIELDS if field not in SHOWN_ONLY})
    return {**sent, "causal": line["causal"] == "true"}


def _given(values: Mapping) -> dict:
    return {field: value for field, value in forms.api_body(values).items() if value is not None}


def form_of(claim: Mapping) -> tuple[MultiDict, list[dict[str, str]]]:
    """A filed claim as its form shows it, to change and submit again."""
    header = MultiDict({field: "" if claim.get(field) is None else str(claim[field]) for field in HEADER})
    header["version"] = str(claim["version"])
    lines = [{
        "kind": line["kind"], "operation": line.get("operation") or "", "part_number": line.get("part_number") or "",
        "description": line.get("description") or "", "quantity": forms.as_typed(line["quantity"]),
        "unit_price": line["unit_price"], "causal": "true" if line.get("causal") else "",
        "supplied_by": line.get("supplied_by") or "dealer", "repair_order_line": line.get("repair_order_line") or "",
        "lot": "",
    } for line in claim.get("lines") or []]
    return header, lines


def unchanged(claim: Mapping, form: Mapping[str, str], lines: list[dict[str, str]]) -> bool:
    """Nothing typed differs from the claim as filed, and no answer was written: an edit would
    only add an empty step to its history."""
    if forms.text(form, "reason"):
        return False
    header, filed_lines = form_of(claim)
    return body(header, filed_lines, filed=True) == body(form, lines, filed=True)


def issued_lines(slips: list[dict], prices: Mapping[str, dict]) -> list[dict[str, str]]:
    """The parts issued to the repair order and still on the vehicle (issued less taken back),
    a line per slip line, at the catalog's price."""
    lines = []
    for slip in slips:
        for issued in slip["lines"]:
            left = Decimal(issued["quantity"]) - Decimal(issued.get("returned") or "0")
            if left <= 0:
                continue
            lines.append({**blank_line("part"), "part_number": issued["part_number"], "description": name(issued),
                          "quantity": f"{left.normalize():f}", "lot": issued["lot"],
                          "unit_price": (prices.get(issued["part_number"]) or {}).get("unit_price") or ""})
    return lines


def refusal(problem: ApiProblem, lines: list[dict[str, str]]) -> tuple[dict[str, list[str]], str]:
    """The service's refusal next to what it names: a field, a line's field, or the line of the
    part it names; and the sentence for the top of the form."""
    errors = field_messages(problem)
    field = problem.body.get("field")
    if problem.code == "claim_line_invalid" and isinstance(field, str):
        # The field names the line's input as the form does (`lines.1.operation`, from 0).
        errors[field] = [str(LINE_PROBLEMS.get(field.rpartition(".")[2], problem.detail))]
    part_number = problem.body.get("part_number")
    if field == "lines" and part_number:
        at = [i for i, line in enumerate(lines) if line["part_number"] == part_number]
        for i in at:
            errors[f"lines.{i}.part_number"] = errors.get("lines", [])
        if at:
            errors.pop("lines", None)
    if problem.code == "claim_not_eligible":
        reasons = [named(names.REASONS, code) for code in problem.body.get("reasons") or ()]
        errors.setdefault("coverage_plan", []).extend(reasons)
    if problem.code not in SENTENCES and errors:  # the service's own words are English: point at the marks
        return errors, str(SEE_THE_MARKS)
    return errors, for_the_top(problem, errors)
