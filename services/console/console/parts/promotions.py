"""Promotions (促销活动), the parts manager's second pricing tab: the list (running, upcoming,
ended), a new one, a change while it has not ended, ending it early, and its effect: its sales
against the same number of days right before it (促销效果评估), as a chart beside the table.

Whether a promotion is valid, and what a sale pays under it, is the parts service's: the form
sends what was typed and shows each refusal next to its field, the typing kept.
"""

from __future__ import annotations

import re

from flask import current_app, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.charts import Row, Series, bar_chart
from console.formats import money
from console.pages import go_to
from console.parts import bp, client
from console.problems import field_messages, for_the_top

PHASES = ("running", "upcoming", "ended")
RULES = ("percent_off", "fixed_price", "buy_n")
FIGURES = ("percent_off", "fixed_price", "buy_quantity")
LISTED = ("part_numbers", "categories")
_SEPARATORS = re.compile(r"[\s,，、;；]+")


@bp.get("/promotions")
def promotions():
    phase = forms.text(request.args, "phase")
    return _list(phase if phase in PHASES else None, MultiDict({"rule": "percent_off"}))


@bp.post("/promotions")
def promotion_add():
    form = request.form
    body = {"code": forms.text(form, "code") or None, **_terms(form)}
    try:
        promotion = client.add_promotion({name: value for name, value in body.items()
                                          if value is not None or name in FIGURES})
    except ApiProblem as refused:
        errors = _on_inputs(refused)
        return _list(None, form, errors=errors, message=for_the_top(refused, errors))
    return go_to(url_for("parts.promotion", code=promotion["code"], saved="new"))


@bp.get("/promotions/<code>")
def promotion(code: str):
    return _page(client.promotion(code), saved=forms.text(request.args, "saved") or None)


@bp.post("/promotions/<code>")
def promotion_change(code: str):
    """Its terms as edited, against the version on the screen."""
    form = request.form
    body = {name: value for name, value in _terms(form).items() if value is not None or name in FIGURES}
    try:
        client.change_promotion(code, body, forms.text(form, "version"))
    except ApiProblem as refused:
        errors = _on_inputs(refused)
        return _page(client.promotion(code), form=form, errors=errors, message=for_the_top(refused, errors))
    return go_to(url_for("parts.promotion", code=code, saved="changed"))


@bp.post("/promotions/<code>/end")
def promotion_end(code: str):
    """From now on it prices nothing; the sales made under it keep their prices."""
    try:
        client.end_promotion(code, forms.text(request.form, "version"))
    except ApiProblem as refused:
        return _page(client.promotion(code), message=for_the_top(refused, {}))
    return go_to(url_for("parts.promotion", code=code, saved="ended"))


def _terms(form) -> dict:
    """The form's fields as the API names them; part numbers and categories typed in one box
    each, separated by commas or spaces."""
    body = forms.api_body({name: forms.text(form, name) for name in ("name", "starts_on", "ends_on", "rule",
                                                                     "percent_off", "fixed_price")})
    body["buy_quantity"] = forms.whole_number(forms.text(form, "buy_quantity"))
    for name in LISTED:
        body[name] = [value for value in _SEPARATORS.split(forms.text(form, name)) if value]
    body["stacks_with_group"] = form.get("stacks_with_group") == "1"
    return body


def _on_inputs(refused: ApiProblem) -> dict[str, list[str]]:
    """A refused entry of a list (`part_numbers.2`) is said under the box it was typed in."""
    found: dict[str, list[str]] = {}
    for path, messages in field_messages(refused).items():
        found.setdefault(path.split(".")[0], []).extend(messages)
    return found


def phase_of(promotion: dict, today: str) -> str:
    """Where the promotion stands on the dealer's date: the service says only whether a manager
    ended it; its dates say whether it has begun or run out (both days included)."""
    if promotion["status"] == "ended" or promotion["last_day"] < today:
        return "ended"
    return "upcoming" if promotion["starts_on"] > today else "running"


def _today() -> str:
    return forms.dealer_today(current_app.config["CONSOLE"].timezone).isoformat()


def _list(phase: str | None, form, *, errors=None, message=None):
    today = _today()
    found = [(promotion, phase_of(promotion, today)) for promotion in client.promotions()]
    shown = [(promotion, where) for promotion, where in found if phase in (None, where)]
    counts = {where: sum(1 for _, w in found if w == where) for where in PHASES}
    return render_template("parts/promotions.html", promotions=shown, phase=phase, phases=PHASES, counts=counts,
                           rules=RULES, form=form, errors=errors or {}, message=message, today=today)


def as_form(promotion: dict) -> MultiDict:
    """The promotion's terms as the edit form holds them."""
    values = {name: promotion.get(name) or "" for name in ("name", "starts_on", "ends_on", "rule")}
    values.update({name: forms.as_typed(promotion.get(name)) for name in FIGURES})
    values.update({name: ", ".join(promotion.get(name) or []) for name in LISTED})
    values["stacks_with_group"] = "1" if promotion.get("stacks_with_group") else ""
    return MultiDict(values)


def _page(promotion: dict, *, form=None, errors=None, message=None, saved=None):
    effect = client.promotion_effect(promotion["code"])
    return render_template("parts/promotion.html", promotion=promotion, phase=phase_of(promotion, _today()),
                           form=form if form is not None else as_form(promotion), rules=RULES, errors=errors or {},
                           message=message, saved=saved, effect=effect, chart=effect_chart(effect),
                           change=change)


def effect_chart(effect: dict):
    """Revenue and margin before and during, on one scale (the quantity is in the table)."""
    series = [Series(str(_l("Before")), "series-2"), Series(str(_l("During")), "series-1")]
    rows = [Row(str(label), [effect["before"][key], effect["during"][key]],
                [money(effect["before"][key]), money(effect["during"][key])])
            for key, label in (("revenue", _l("Revenue")), ("margin", _l("Margin")))]
    return bar_chart(str(_l("The promotion against the same number of days before it")), series, rows)


def change(value) -> str:
    """A change in percent as the service gives it (25.0 is +25%); none when nothing was sold before."""
    if value is None or value == "":
        return "—"
    return format_decimal(value, format="+#,##0.0;-#,##0.0") + "%"


def points(value) -> str:
    """A share the service gives in percent already (33.3 of revenue)."""
    if value is None or value == "":
        return "—"
    return format_decimal(value, format="#,##0.0") + "%"
