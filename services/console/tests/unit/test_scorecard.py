"""The supplier scorecard sets the services' answers side by side by supplier code: what each
service said of a supplier lands in that supplier's row, and nothing is added up or invented."""

from __future__ import annotations

from console.manager.scorecard import active, joined

QUALITY = {"supplier": "AKB", "name": "Akebono", "units_issued": "40.000", "field_failures": 2,
           "failures_per_thousand": "50.00", "lots_inspected": 3, "lots_rejected": 1}
RECOVERY = {"supplier": "AKB", "currency": "CNY", "recoveries": 1, "opened": "600.00", "recovered": "100.00",
            "open": "300.00", "charged": "200.00", "disputed": "0.00"}
CASES = {"supplier": "BOSCH", "cases": 3, "covered": 2, "repaired": 0, "replaced": 2, "refused": 1, "open": 0,
         "satisfaction": 4.5}


def test_each_service_s_figures_land_in_their_supplier_s_row_worst_rate_first():
    rows = joined([QUALITY], [RECOVERY], [{"supplier": "AKB", "complaints": 2, "lots": ["LOT-1"]}],
                  [CASES, {**CASES, "supplier": None}])
    assert [row["supplier"] for row in rows] == ["AKB", "BOSCH"]
    akebono, bosch = rows
    assert (akebono["quality"], akebono["complaints"], akebono["lots"], akebono["cases"]) == (
        QUALITY, 2, ["LOT-1"], None)
    assert [str(item["still_to_recover"]) for item in akebono["recoveries"]] == ["500.00"]
    assert (bosch["quality"], bosch["recoveries"], bosch["cases"]) == (None, [], CASES)
    assert active(bosch)  # sold parts back under warranty are worth a chart row


def test_a_supplier_no_service_names_has_no_row():
    assert joined([], [], [], [{**CASES, "supplier": None}]) == []
