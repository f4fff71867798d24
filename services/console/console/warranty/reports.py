"""The warranty manager's reports (索赔统计) over a period of repair dates: claims by status,
cycle time per stage, first-pass approval, rejection reasons, cost per coverage type (approved
against paid, short paid), supplier failure rates and supplier recoveries. Each is a chart the
console draws (SVG) beside the table of the service's own figures.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from console import forms
from console.backend import ApiProblem
from console.charts import Row, Series, bar_chart
from console.formats import money, named, percent
from console.problems import field_messages, for_the_top
from console.warranty import bp, client, names

REPORTS = ("claims-by-status", "cycle-times", "first-pass-approval", "rejection-reasons", "cost-by-coverage-type",
           "supplier-failure-rates", "supplier-recoveries")
RECOVERY_PARTS = ("open", "charged", "disputed", "recovered", "written_off")


@bp.get("/reports")
def reports():
    period = {"from": forms.text(request.args, "from"), "to": forms.text(request.args, "to")}
    try:
        found = {name: client.report(name, period) for name in REPORTS}
    except ApiProblem as refused:
        errors = field_messages(refused)
        return render_template("warranty/reports.html", period=period, report=None, charts={}, errors=errors,
                               message=for_the_top(refused, errors), names=names, hours=hours)
    return render_template("warranty/reports.html", period=period, report=found, charts=charts_of(found), errors={},
                           message=None, names=names, hours=hours)


def charts_of(report: dict) -> dict:
    return {
        "claims-by-status": _claims_by_status(report["claims-by-status"]["items"]),
        "cycle-times": _cycle_times(report["cycle-times"]["items"]),
        "first-pass-approval": _first_pass(report["first-pass-approval"]),
        "rejection-reasons": _rejection_reasons(report["rejection-reasons"]["items"]),
        "cost-by-coverage-type": _cost(report["cost-by-coverage-type"]["items"]),
        "supplier-failure-rates": _failures(report["supplier-failure-rates"]["items"]),
        "supplier-recoveries": _recoveries(report["supplier-recoveries"]["items"]),
    }


def _claims_by_status(items: list[dict]):
    rows = [Row(named(names.CLAIM_STATUSES, item["status"]), [item["count"]], [str(item["count"])]) for item in items]
    return bar_chart(str(_l("Claims by status")), [Series(str(_l("Claims")), "series-1")], rows)


def _cycle_times(items: list[dict]):
    series = [Series(str(_l("Median")), "series-1"), Series(str(_l("90th percentile")), "series-2")]
    rows = [Row(named(names.STAGES, item["stage"]), [item["median_hours"], item["p90_hours"]],
                [hours(item["median_hours"]), hours(item["p90_hours"])]) for item in items]
    return bar_chart(str(_l("Cycle time per stage (hours)")), series, rows)


def _first_pass(report: dict):
    counted = (("decided", _l("Decided")), ("first_pass_approved", _l("Approved first time")),
               ("info_requested", _l("Information requested")), ("appealed", _l("Appealed")))
    rows = [Row(str(label), [report[key]], [str(report[key])]) for key, label in counted]
    title = _l("First-pass approval: %(rate)s", rate=percent(report["rate"]) if report["rate"] is not None else "—")
    return bar_chart(str(title), [Series(str(_l("Claims")), "series-1")], rows)


def _rejection_reasons(items: list[dict]):
    rows = [Row(named(names.DECISION_REASONS, item["reason_code"]), [item["amount_refused"]],
                [money(item["amount_refused"])]) for item in items]
    return bar_chart(str(_l("Amount refused per reason")), [Series(str(_l("Refused")), "series-3")], rows)


def _cost(items: list[dict]):
    series = [Series(str(_l("Approved")), "series-1"), Series(str(_l("Paid")), "series-2"),
              Series(str(_l("Short paid")), "series-3")]
    rows = [Row(_type_and_currency(item), [item["approved"], item["paid"], item["short_paid"]],
                [money(item[key], item["currency"]) for key in ("approved", "paid", "short_paid")]) for item in items]
    return bar_chart(str(_l("Cost per coverage type: approved, paid, short paid")), series, rows)


def _failures(items: list[dict]):
    rows = [Row(item["supplier"], [item["failures"]], [str(item["failures"])]) for item in items]
    return bar_chart(str(_l("Approved claims per supplier of the failed part")),
                     [Series(str(_l("Failures")), "series-3")], rows)


def _recoveries(items: list[dict]):
    series = [Series(named(names.RECOVERY_STATUSES, status), f"recovery-{status}") for status in RECOVERY_PARTS]
    rows = [Row(f"{item['supplier']} · {item['currency']}", [item[status] for status in RECOVERY_PARTS],
                [money(item[status], item["currency"]) for status in RECOVERY_PARTS],
                total=money(item["opened"], item["currency"])) for item in items]
    return bar_chart(str(_l("Supplier recoveries by status")), series, rows, stacked=True)


def _type_and_currency(item: dict) -> str:
    kind = named(names.PLAN_TYPES, item["coverage_type"])
    return kind if item["currency"] == "CNY" else f"{kind} · {item['currency']}"


def hours(value) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0.#")
