"""The claim form (索赔单) as the clerk fills it, and the warranty API's body it stands for.

The inputs are named after the API's fields, lines as `lines.<n>.<field>`; the same form files
a new claim and edits a draft or a claim sent back for information. A part line's lot comes
from the issue slip: shown beside it and sent with it. The check of a saved claim (what
submitting would say) marks every problem next to what it names, as a refusal is marked.
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
    "lot": _l("Only a part line names the lot it was issued from."),
}
SEE_THE_MARKS = _l("The claim was not accepted: see the marked fields.")
# Where the list of a check's problems leads to, when not the input of the field's name: an id
# of its own (the page holds another input of that name), or the lines' own message.
INPUT_IDS = {"component_group": "claim-component_group", "lines": "lines-error"}


def typed_lines(form: Mapping[str, str]) -> list[dict[str, str]]:
    return forms.lines(form, LINE_FIELDS)


def blank_line(kind: str) -> dict[str, str]:
    """A new line; a labour line's hours are left empty for the operation's standard hours."""
    kind = kind if kind in LINE_KINDS else "labour"
    return {**{field: "" for field in LINE_FIELDS}, "kind": kind, "supplied_by": "dealer",
            "quantity": "" if kind == "labour" else "1"}


def body(form: Mapping[str, str], lines: list[dict[str, str]], *, filed: bool = False) -> dict:
    """What the API gets: a box left empty is a field not given. A filed claim keeps its VIN."""
    header = {field: forms.text(form, field) for field in HEADER if not (filed and field == "vin")}
    for field in WHOLE_NUMBERS:
        header[field] = forms.whole_number(header[field])
    if filed and forms.text(form, "reason"):
        header["reason"] = forms.text(form, "reason")
    return {**_given(header), "lines": [_line_body(line) for line in lines]}


def _line_body(line: Mapping[str, str]) -> dict:
    sent = _given({field: line[field] for field in LINE_FIELDS if field != "causal"})
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
        "lot": line.get("lot") or "",
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


def labour_operations(operations: list[dict]) -> list[dict[str, str]]:
    """The labour operations a labour line offers: code, name in the reader's language, and the
    standard hours as the clerk would type them."""
    return [{"operation": found["operation"], "name": name(found), "hours": forms.as_typed(found["standard_hours"])}
            for found in operations]


def check_marks(checked: Mapping, lines: list[dict[str, str]]) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Every problem the check found, marked next to what it names as the refusal of a submission
    would be; and the list of them for the top of the form: where each is (the input's id, or
    "" when it names no input) and what it says."""
    errors: dict[str, list[str]] = {}
    listed = []
    for found in checked["problems"]:
        field = found.get("field")
        problem = ApiProblem(status=422, code=found["code"], title=found["detail"], detail=found["detail"],
                             errors={field: [found["detail"]]} if isinstance(field, str) else {}, body=found)
        marks, sentence = refusal(problem, lines)
        for at, messages in marks.items():
            errors.setdefault(at, []).extend(messages)
        at = next(iter(marks), "")
        said = sentence if sentence and sentence != str(SEE_THE_MARKS) else (marks[at][0] if at else problem.detail)
        listed.append((INPUT_IDS.get(at, at.replace(".", "-")), said))
    return errors, listed
