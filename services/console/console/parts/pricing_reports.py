"""Counter sales reports (销售报表), the parts manager's third pricing tab: revenue, cost at the
cost of the lots handed over, and margin over a period per day, category or customer group, as a
chart beside the table; below, the returns taken in the same period. The figures are the parts
service's; the console only lays them out.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l

from console import forms
from console.backend import ApiProblem
from console.charts import Row, Series, bar_chart
from console.formats import money
from console.parts import bp, client
from console.parts.promotions import points
from console.problems import field_messages, for_the_top

GROUPINGS = ("day", "category", "customer_group")


@bp.get("/sales-reports")
def pricing_report():
    args = request.args
    period = {"from": forms.text(args, "from"), "to": forms.text(args, "to")}
    if not (period["from"] or period["to"]):
        period = this_month(forms.dealer_today(current_app.config["CONSOLE"].timezone))
    group_by = forms.text(args, "group_by")
    group_by = group_by if group_by in GROUPINGS else "day"
    context = dict(period=period, group_by=group_by, groupings=GROUPINGS, points=points)
    try:
        sales = client.sales_report(period, group_by)
        returns = client.returns_report(period)
    except ApiProblem as refused:
        errors = field_messages(refused)
        return render_template("parts/pricing_report.html", sales=None, returns=None, chart=None, errors=errors,
                               message=for_the_top(refused, errors), **context)
    return render_template("parts/pricing_report.html", sales=sales, returns=returns, chart=sales_chart(sales),
                           errors={}, message=None, **context)


def this_month(today: date) -> dict[str, str]:
    """From the first of the dealer's month to today: what a manager looks at first."""
    return {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}


def key_label(key, group_by: str) -> str:
    """A sale without a customer group is the walk-in trade at list price."""
    if key is None:
        return str(_l("No customer group") if group_by == "customer_group" else _l("None"))
    return str(key)


def sales_chart(report: dict):
    series = [Series(str(_l("Revenue")), "series-1"), Series(str(_l("Margin")), "series-3")]
    rows = [Row(key_label(item["key"], report["group_by"]), [item["revenue"], item["margin"]],
                [money(item["revenue"]), money(item["margin"])]) for item in report["items"]]
    return bar_chart(str(_l("Revenue and margin")), series, rows)
