"""The service manager's complaints reports (投诉统计) over a period of days received: SLA
compliance per clock, root causes, satisfaction, and the complaints per part, lot and supplier.
Each is a chart the console draws (SVG) beside the table of the service's own figures.

Complaints do not know suppliers: the lots they name are put against their supplier with one
call to parts (joining is display; the counts are the complaints service's).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import render_template, request
from flask_babel import format_decimal
from flask_babel import lazy_pgettext as _p

from console import forms
from console.backend import ApiProblem
from console.charts import Row, Series, bar_chart
from console.formats import named, percent
from console.manager import bp, client, names
from console.problems import field_messages, for_the_top

RANKED = 100  # the most lots and parts the complaints service ranks in one answer
SCORES = ("1", "2", "3", "4", "5")
SLA_OUTCOMES = ("met", "missed", "running", "not_set")
# The complaints service names the period's fields in its own words.
PERIOD_FIELDS = {"received_from": "from", "received_to": "to"}


def period_of(args: Mapping[str, str]) -> dict[str, str]:
    return {"from": forms.text(args, "from"), "to": forms.text(args, "to")}


def period_refused(refused: ApiProblem) -> tuple[dict, str | None]:
    """A refused period, said next to the console's own date fields."""
    errors = {PERIOD_FIELDS.get(path, path): messages for path, messages in field_messages(refused).items()}
    return errors, for_the_top(refused, errors)


@bp.get("/reports")
def reports():
    period = period_of(request.args)
    try:
        found = {
            "sla": client.complaints_report("sla", period),
            "root-causes": client.complaints_report("root-causes", period, limit=RANKED),
            "satisfaction": client.complaints_report("satisfaction", period),
            "parts": client.complaints_report("parts", period, limit=RANKED),
        }
        found["lot_suppliers"] = {lot["code"]: lot["supplier"] for lot in client.lots(
            item["lot"] for item in found["parts"]["by_lot"])}
        found["suppliers"] = per_supplier(found["parts"]["by_lot"], found["lot_suppliers"])
    except ApiProblem as refused:
        errors, message = period_refused(refused)
        return render_template("manager/reports.html", period=period, report=None, charts={}, errors=errors,
                               message=message, names=names)
    return render_template("manager/reports.html", period=period, report=found, charts=charts_of(found), errors={},
                           message=None, names=names, score_share=score_share, rate=rate, mean=mean)


def per_supplier(by_lot: list[dict], supplier_of: Mapping[str, str]) -> list[dict]:
    """The complaints naming each supplier's lots (and which lots), most first. A lot parts does
    not know (mistyped on the complaint, another dealer's) is under no supplier."""
    found: dict[str, dict] = {}
    for item in by_lot:
        supplier = supplier_of.get(item["lot"])
        if supplier is None:
            continue
        entry = found.setdefault(supplier, {"supplier": supplier, "complaints": 0, "lots": []})
        entry["complaints"] += item["complaints"]
        entry["lots"].append(item["lot"])
    return sorted(found.values(), key=lambda entry: (-entry["complaints"], entry["supplier"]))


def charts_of(report: dict) -> dict:
    return {
        "sla": _sla(report["sla"]["clocks"]),
        "root-causes": _ranked(report["root-causes"]["items"], "root_cause", _p("manager", "Complaints per root cause"),
                               names.ROOT_CAUSES),
        "satisfaction": _satisfaction(report["satisfaction"]),
        "by-part": _ranked(report["parts"]["by_part"], "part_number", _p("manager", "Complaints per part number")),
        "by-lot": _ranked(report["parts"]["by_lot"], "lot", _p("manager", "Complaints per lot")),
        "by-supplier": _ranked(report["suppliers"], "supplier", _p("manager", "Complaints per supplier of the lot")),
    }


def _sla(clocks: list[dict]):
    colours = {"met": "outcome-met", "missed": "outcome-missed", "running": "outcome-running",
               "not_set": "outcome-not_set"}
    series = [Series(named(names.OUTCOMES, outcome), colours[outcome]) for outcome in SLA_OUTCOMES]
    rows = [Row(named(names.CLOCKS, clock["clock"]), [clock[outcome] for outcome in SLA_OUTCOMES],
                [str(clock[outcome]) for outcome in SLA_OUTCOMES], total=rate(clock["met_rate"])) for clock in clocks]
    return bar_chart(str(_p("manager", "Complaints per clock: met, missed, still running")), series, rows, stacked=True)


def _ranked(items: list[dict], key: str, title, words: dict | None = None):
    rows = [Row(named(words, item[key]) if words else item[key], [item["complaints"]], [str(item["complaints"])])
            for item in items]
    return bar_chart(str(title), [Series(str(_p("manager", "Complaints")), "series-1")], rows)


def _satisfaction(report: dict):
    rows = [Row(str(_p("manager", "%(score)s of 5", score=score)), [report["distribution"].get(score, 0)],
                [str(report["distribution"].get(score, 0))]) for score in reversed(SCORES)]
    return bar_chart(str(_p("manager", "Customers per score")), [Series(str(_p("manager", "Customers")), "series-2")],
                     rows)


def rate(value) -> str:
    return "—" if value is None else percent(value)


def score_share(report: dict, score: str) -> str:
    """The share of the customers who rated that gave this score."""
    return "—" if not report["rated"] else percent(report["distribution"].get(score, 0) / report["rated"])


def mean(value) -> str:
    return "—" if value is None else format_decimal(value, format="0.00")
