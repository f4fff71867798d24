"""The parts warranty desk (配件保修): parts sold over the counter that a customer brings back.

The cases a tab per status (open, assessed, decided, closed) with filters by supplier and the
period they were opened in; a look-up of what was sold, by sale number (scanned from the
receipt) or part number, each part with its purchase date, the last day of its warranty and
the days left; a case opened from a sold part (quantity, the customer's report); the case's
page with the step its status offers — the fault assessed, the decision (repair, replace or
refuse), completion, the follow-up on satisfaction — and the supplier recovery it opened.
The warranty manager keeps the policy: the default term and rules per category and/or
supplier.

Whether a step may be taken, and what the warranty term is, is the warranty service's rule:
its refusal shows next to the field it names, everything typed kept.
"""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from werkzeug.datastructures import MultiDict

from console import forms
from console.auth.views import has_role
from console.backend import ApiProblem
from console.pages import go_to
from console.problems import field_messages, for_the_top
from console.warranty import bp, client, names

# The claims desk says "Open", "Decided" and "Closed" of claims and recoveries in other words.
CASE_STATUSES = {
    "open": lazy_pgettext("parts warranty", "Open"),
    "assessed": lazy_pgettext("parts warranty", "Assessed"),
    "decided": lazy_pgettext("parts warranty", "Decided"),
    "closed": lazy_pgettext("parts warranty", "Closed"),
}
TABS = {**CASE_STATUSES, "all": _l("All")}
FAULTS = {
    "defect": _l("Defect (covered)"),
    "misuse": _l("Misuse (not covered)"),
    "wear": _l("Normal wear (not covered)"),
    "third_party_fitting": _l("Fitted wrongly by a third party (not covered)"),
}
OUTCOMES = {
    "repair": _l("Free repair"),
    "replace": _l("Replace"),
    "refuse": _l("Refuse"),
}
SATISFACTION = {
    1: _l("1 · very dissatisfied"),
    2: _l("2 · dissatisfied"),
    3: _l("3 · neutral"),
    4: _l("4 · satisfied"),
    5: _l("5 · very satisfied"),
}
# Who takes a case's steps, who opens one, who keeps the policy (the warranty service's rules):
# the page offers only the forms the user's role may send.
CLERKS = ("warranty_clerk", "warranty_manager")
OPENERS = ("warranty_clerk", "warranty_manager", "parts_clerk")
MANAGERS = ("warranty_manager",)
RECOVERY_READERS = ("warranty_clerk", "warranty_manager", "service_manager")
# The form each status offers; an assessed case may also be assessed again.
STEP_OF = {"open": "assess", "assessed": "decide", "decided": "complete", "closed": "follow_up"}
STEP_FIELDS = {
    "assess": ("fault", "findings"),
    "decide": ("outcome", "reason", "repair_cost"),
    "complete": ("note",),
    "follow_up": ("satisfaction", "note"),
}
MONTHS_PROBLEM = _l("A term is 1 to 120 months.")
RULE_PROBLEM = _l("A rule names a category, a supplier or both, and each pair once.")


# ---------------------------------------------------------------- the desk: cases and the look-up


@bp.get("/parts-warranty")
def parts_warranty():
    args = request.args
    tab = forms.text(args, "status") or "open"
    if tab not in TABS:
        abort(404)
    filters = {"supplier": forms.text(args, "supplier"), "from": forms.text(args, "from"),
               "to": forms.text(args, "to")}
    lookup = forms.text(args, "lookup")
    found, lookup_error, cases, suppliers, filter_errors = None, None, {"items": []}, [], {}
    try:
        cases = client.parts_warranty_cases({**filters, "status": None if tab == "all" else tab},
                                            cursor=forms.text(args, "cursor") or None)
        suppliers = client.parts_warranty_by_supplier({"from": filters["from"], "to": filters["to"]})
    except ApiProblem as refused:  # a supplier code or date the service does not accept
        filter_errors = field_messages(refused)
    if lookup:
        try:
            found = [_with_days_left(part) for part in _look_up(lookup)]
        except ApiProblem as refused:
            lookup_error = for_the_top(refused, {})
    return render_template(
        "warranty/parts_warranty.html", cases=cases["items"], next_cursor=cases.get("next_cursor"), tab=tab,
        tabs=TABS, suppliers=suppliers, filters=filters, filter_errors=filter_errors, lookup=lookup, found=found,
        lookup_error=lookup_error, statuses=CASE_STATUSES, outcomes=OUTCOMES, faults=FAULTS, openers=OPENERS,
        names=names,
    )


def _look_up(typed: str) -> list[dict]:
    """A sale number scanned from the receipt, else a part number typed: the sold parts."""
    return client.sold_parts({"sale": typed}) or client.sold_parts({"part_number": typed})


def _today() -> date:
    return forms.dealer_today(current_app.config["CONSOLE"].timezone)


def _with_days_left(part: dict) -> dict:
    """The sold part with the days of warranty left from the dealer's today (negative: expired)."""
    return {**part, "days_left": (date.fromisoformat(part["expires_on"]) - _today()).days}


# ---------------------------------------------------------------- opening a case (报修)


@bp.get("/parts-warranty/new")
def parts_warranty_new():
    args = request.args
    part = _sold_part(forms.text(args, "sale"), forms.text(args, "part_number"), forms.text(args, "lot"))
    typed = MultiDict({"quantity": "1"})  # mostly one part comes back; the clerk types more
    return _open_form(part, typed, sale=forms.text(args, "sale"), part_number=forms.text(args, "part_number"),
                      lot=forms.text(args, "lot"))


@bp.post("/parts-warranty/cases")
def parts_warranty_open():
    form = request.form
    body = forms.api_body({name: forms.text(form, name)
                           for name in ("sale", "part_number", "lot", "quantity", "report", "override_reason")})
    try:
        case = client.open_parts_warranty_case(_given(body), forms.idempotency_key(form))
    except ApiProblem as refused:
        errors = field_messages(refused)
        part = _sold_part(forms.text(form, "sale"), forms.text(form, "part_number"), forms.text(form, "lot"))
        kept = MultiDict(form)
        kept["idempotency_key"] = forms.new_key()  # the form changes before it is sent again
        return _open_form(part, kept, sale=forms.text(form, "sale"),
                          part_number=forms.text(form, "part_number"), lot=forms.text(form, "lot"), errors=errors,
                          message=for_the_top(refused, errors))
    return go_to(url_for("warranty.parts_warranty_case", number=case["number"], done="opened"))


def _sold_part(sale: str, part_number: str, lot: str) -> dict | None:
    if not (sale and part_number):
        return None
    try:
        parts = client.sold_parts({"sale": sale, "part_number": part_number})
    except ApiProblem:
        return None
    return next((_with_days_left(part) for part in parts if part["lot"] == lot), None)


def _open_form(part: dict | None, typed: MultiDict, *, sale: str, part_number: str, lot: str, errors=None,
               message=None):
    if "idempotency_key" not in typed:
        typed["idempotency_key"] = forms.new_key()
    return render_template("warranty/parts_warranty_new.html", part=part, typed=typed, sale=sale,
                           part_number=part_number, lot=lot, errors=errors or {}, message=message,
                           managers=MANAGERS)


# ---------------------------------------------------------------- the case and its steps


@bp.get("/parts-warranty/cases/<number>")
def parts_warranty_case(number: str):
    return _case_page(client.parts_warranty_case(number), done=forms.text(request.args, "done"))


@bp.post("/parts-warranty/cases/<number>/<step>")
def parts_warranty_step(number: str, step: str):
    """Assess, decide, complete or follow up: the form posted says which."""
    if step not in client.PARTS_WARRANTY_STEP_PATHS:
        abort(404)
    form = request.form
    try:
        client.take_parts_warranty_step(number, step, _step_body(step, form), forms.text(form, "version"))
    except ApiProblem as refused:
        errors = field_messages(refused)
        return _case_page(client.parts_warranty_case(number), step=step, typed=MultiDict(form), errors=errors,
                          message=for_the_top(refused, errors))
    return go_to(url_for("warranty.parts_warranty_case", number=number, done=step))


def _step_body(step: str, form) -> dict:
    """What the API gets for the step's form: an empty box is a field not given; the supplier's
    answering for a defect is the box ticked or not."""
    body = _given(forms.api_body({name: forms.text(form, name) for name in STEP_FIELDS[step]}))
    if step == "assess":
        body["supplier_at_fault"] = forms.text(form, "supplier_at_fault") == "true"
    if step == "follow_up" and "satisfaction" in body:
        body["satisfaction"] = forms.whole_number(body["satisfaction"])
    return body


def _case_page(case: dict, *, done: str = "", step: str = "", typed=None, errors=None, message=None):
    recovery = None
    if case.get("outcome") in ("repair", "replace") and has_role(*RECOVERY_READERS):
        recovery = client.recovery_if_any(case["number"])
    return render_template(
        "warranty/parts_warranty_case.html", case=case, done=done, step=step, next_step=STEP_OF[case["status"]],
        typed=typed or MultiDict(), errors=errors or {}, message=message, recovery=recovery, clerks=CLERKS,
        managers=MANAGERS, statuses=CASE_STATUSES, faults=FAULTS, outcomes=OUTCOMES, satisfaction=SATISFACTION,
        names=names,
    )


def _given(body: dict) -> dict:
    return {name: value for name, value in body.items() if value is not None}


# ---------------------------------------------------------------- the policy (the warranty manager's)

RULE_FIELDS = ("category", "supplier", "months")


@bp.get("/parts-warranty/policy")
def parts_warranty_policy():
    policy = client.parts_warranty_policy()
    typed = MultiDict({"default_months": str(policy["default_months"]), "version": str(policy["version"])})
    rules = [{name: "" if rule.get(name) is None else str(rule[name]) for name in RULE_FIELDS}
             for rule in policy["rules"]]
    return _policy_page(policy, typed, rules, done=forms.text(request.args, "done"))


@bp.post("/parts-warranty/policy")
def parts_warranty_save_policy():
    """Save the policy; `add` and `remove:<n>` change the rules on the screen only."""
    form = request.form
    rules = forms.lines(form, RULE_FIELDS, prefix="rules")
    action = forms.text(form, "action")
    if action == "add" or action.startswith("remove:"):
        rules = rules + [dict.fromkeys(RULE_FIELDS, "")] if action == "add" else forms.without_line(rules, action)
        return _policy_page(client.parts_warranty_policy(), MultiDict(form), rules)
    body = {"default_months": forms.whole_number(forms.text(form, "default_months")),
            "rules": [{"category": rule["category"] or None, "supplier": rule["supplier"] or None,
                       "months": forms.whole_number(rule["months"])} for rule in rules]}
    try:
        client.set_parts_warranty_policy(body, forms.text(form, "version") or "0")
    except ApiProblem as refused:
        errors = _policy_marks(refused)
        return _policy_page(client.parts_warranty_policy(), MultiDict(form), rules, errors=errors,
                            message=for_the_top(refused, errors))
    return go_to(url_for("warranty.parts_warranty_policy", done="saved"))


def _policy_marks(problem: ApiProblem) -> dict[str, list[str]]:
    """The refusal next to the term or the rule it names, in the manager's language: a term
    out of range, or a rule naming nothing or repeating another."""
    errors = field_messages(problem)
    for name in list(errors):
        if name.endswith("months"):
            errors[name] = [str(MONTHS_PROBLEM)]
        elif problem.code == "parts_warranty_policy_invalid" and name.startswith("rules."):
            errors[name] = [str(RULE_PROBLEM)]
    return errors


def _policy_page(policy: dict, typed: MultiDict, rules: list[dict], *, done: str = "", errors=None, message=None):
    return render_template("warranty/parts_warranty_policy.html", policy=policy, typed=typed, rules=rules,
                           done=done, errors=errors or {}, message=message, names=names)
