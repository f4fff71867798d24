"""The supplier scorecard (供应商评分): one row per supplier for the period, joining what each
service counts of it: parts' field failures per thousand issued and rejected deliveries,
warranty's recoveries and the parts it sold that came back under the parts warranty, and the
complaints naming its lots. The console only sets the three
answers side by side by supplier code; every figure is a service's.
"""

from __future__ import annotations

from decimal import Decimal

from flask import render_template, request
from flask_babel import lazy_pgettext as _p

from console.backend import ApiProblem
from console.charts import Row, Series, bar_chart
from console.formats import money
from console.manager import bp, client, reports

# Where a recovery's amount stands, as warranty reports it: recovered, or still to come.
STILL_TO_RECOVER = ("open", "charged", "disputed")


@bp.get("/scorecard")
def scorecard():
    period = reports.period_of(request.args)
    try:
        quality = client.supplier_quality(period)
        recoveries = client.supplier_recoveries(period)
        cases = client.parts_warranty_outcomes(period)
        by_lot = client.complaints_report("parts", period, limit=reports.RANKED)["by_lot"]
        supplier_of = {lot["code"]: lot["supplier"] for lot in client.lots(item["lot"] for item in by_lot)}
    except ApiProblem as refused:
        errors, message = reports.period_refused(refused)
        return render_template("manager/scorecard.html", period=period, rows=None, charts={}, errors=errors,
                               message=message)
    rows = joined(quality, recoveries, reports.per_supplier(by_lot, supplier_of), cases)
    return render_template("manager/scorecard.html", period=period, rows=rows, charts=charts_of(rows), errors={},
                           message=None)


def joined(quality: list[dict], recoveries: list[dict], complaints: list[dict], cases: list[dict]) -> list[dict]:
    """One row per supplier code any service named, the worst field failure rate first."""
    rows: dict[str, dict] = {}

    def row(code: str) -> dict:
        return rows.setdefault(code, {"supplier": code, "name": "", "quality": None, "recoveries": [],
                                      "complaints": 0, "lots": [], "cases": None})

    for item in quality:
        row(item["supplier"]).update(name=item["name"], quality=item)
    for item in recoveries:
        row(item["supplier"])["recoveries"].append(
            {**item, "still_to_recover": sum((Decimal(item[key]) for key in STILL_TO_RECOVER), Decimal("0"))})
    for item in complaints:
        row(item["supplier"]).update(complaints=item["complaints"], lots=item["lots"])
    for item in cases:
        if item["supplier"]:  # parts from no known supplier are no supplier's figure
            row(item["supplier"])["cases"] = item
    return sorted(rows.values(), key=_worst_first)


def _worst_first(row: dict):
    rate = Decimal(row["quality"]["failures_per_thousand"]) if row["quality"] else Decimal("0")
    return (-rate, -row["complaints"], row["supplier"])


def active(row: dict) -> bool:
    figures = row["quality"] or {}
    return bool(figures.get("field_failures") or figures.get("lots_rejected") or row["complaints"] or row["recoveries"]
                or row["cases"])


def charts_of(rows: list[dict]) -> dict:
    shown = [row for row in rows if active(row)]
    return {"rates": _rates(shown), "incidents": _incidents(shown), "recoveries": _recoveries(shown)}


def _rates(rows: list[dict]):
    rows = [Row(row["supplier"], [row["quality"]["failures_per_thousand"]], [row["quality"]["failures_per_thousand"]])
            for row in rows if row["quality"]]
    return bar_chart(str(_p("manager", "Field failures per thousand issued")),
                     [Series(str(_p("manager", "Per thousand")), "series-3")], rows)


def _incidents(rows: list[dict]):
    series = [Series(str(_p("manager", "Field failures")), "series-3"),
              Series(str(_p("manager", "Complaints")), "series-1"),
              Series(str(_p("manager", "Lots rejected")), "series-2")]
    drawn = []
    for row in rows:
        figures = row["quality"] or {}
        values = [figures.get("field_failures", 0), row["complaints"], figures.get("lots_rejected", 0)]
        drawn.append(Row(row["supplier"], values, [str(value) for value in values]))
    return bar_chart(str(_p("manager", "Field failures, complaints and rejected lots")), series, drawn)


def _recoveries(rows: list[dict]):
    series = [Series(str(_p("manager", "Recovered")), "recovery-recovered"),
              Series(str(_p("manager", "Still to recover")), "recovery-charged")]
    drawn = []
    for row in rows:
        for item in row["recoveries"]:
            label = row["supplier"] if item["currency"] == "CNY" else f"{row['supplier']} · {item['currency']}"
            values = [item["recovered"], item["still_to_recover"]]
            drawn.append(Row(label, values, [money(value, item["currency"]) for value in values],
                             total=money(item["opened"], item["currency"])))
    return bar_chart(str(_p("manager", "Supplier recoveries: recovered and still to recover")), series, drawn,
                     stacked=True)
