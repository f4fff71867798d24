"""Customer groups and their prices (客户类别与价格), the parts manager's first pricing tab.

A group has a discount off the list price and may have its own price for some parts (its own
price wins over its discount). Each change goes against the version of the group the manager
read (If-Match): a change made meanwhile by someone else is refused, not overwritten. Which
price a sale gets is the parts service's decision; this screen only writes the terms.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console import forms
from console.backend import ApiProblem
from console.pages import go_to
from console.parts import bp, client
from console.problems import field_messages, for_the_top

GROUP_FIELDS = ("code", "name", "discount_percent")


@bp.get("/pricing")
def pricing():
    return _page(forms.text(request.args, "group") or None, saved=forms.text(request.args, "saved") or None)


@bp.post("/pricing/groups")
def pricing_add_group():
    form = request.form
    try:
        group = client.add_customer_group(_typed(form, GROUP_FIELDS))
    except ApiProblem as refused:
        return _page(None, new_form=form, **_refusal("new", refused))
    return go_to(url_for("parts.pricing", group=group["code"], saved="group"))


@bp.post("/pricing/groups/<code>")
def pricing_change_group(code: str):
    """Name and discount, against the version on the screen."""
    form = request.form
    try:
        client.change_customer_group(code, _typed(form, ("name", "discount_percent")), forms.text(form, "version"))
    except ApiProblem as refused:
        return _page(code, group_form=form, **_refusal("group", refused))
    return go_to(url_for("parts.pricing", group=code, saved="group"))


@bp.post("/pricing/groups/<code>/prices")
def pricing_set_price(code: str):
    """The group's own price for a part: added, or changed if it has one."""
    form = request.form
    try:
        client.set_group_price(code, forms.text(form, "part_number"), forms.text(form, "price") or None,
                               forms.text(form, "version"))
    except ApiProblem as refused:
        return _page(code, price_form=form, **_refusal("price", refused))
    return go_to(url_for("parts.pricing", group=code, saved="price"))


@bp.post("/pricing/groups/<code>/prices/<part_number>/remove")
def pricing_remove_price(code: str, part_number: str):
    """Off the group's price list: its discount applies to the part again."""
    try:
        client.remove_group_price(code, part_number, forms.text(request.form, "version"))
    except ApiProblem as refused:
        return _page(code, **_refusal("price", refused))
    return go_to(url_for("parts.pricing", group=code, saved="removed"))


def _typed(form, names) -> dict:
    """The fields as typed; an empty one is not sent (the service's default, or no change)."""
    return {name: value for name, value in forms.api_body({n: forms.text(form, n) for n in names}).items()
            if value is not None}


def _refusal(form_name: str, refused: ApiProblem) -> dict:
    """Which of the page's forms was refused, its messages beside its fields."""
    errors = field_messages(refused)
    return {"refused": form_name, "errors": errors, "message": for_the_top(refused, errors)}


def _page(code: str | None, *, new_form=None, group_form=None, price_form=None, refused=None, errors=None,
          message=None, saved=None):
    groups = client.customer_groups()
    chosen = next((group for group in groups if group["code"] == code), None)
    prices = client.group_prices(chosen["code"]) if chosen else None
    return render_template("parts/pricing.html", groups=groups, chosen=chosen, prices=prices,
                           new_form=new_form or MultiDict(), group_form=group_form,
                           price_form=price_form or MultiDict(), refused=refused, errors=errors or {},
                           message=message, saved=saved)
