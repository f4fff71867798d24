"""The evaluation command's arithmetic and report."""

from __future__ import annotations

import json

import pytest

from complaints.evaluate import main, macro_f1, per_class


def test_precision_recall_and_f1_per_class():
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("c", "b")]
    scores = per_class(pairs, ["a", "b", "c"])
    assert (scores["a"].precision, scores["a"].recall) == (1.0, 0.5)
    assert (scores["b"].precision, scores["b"].recall) == (0.5, 1.0)
    assert scores["a"].f1 == pytest.approx(2 / 3) and scores["b"].f1 == pytest.approx(2 / 3)
    assert (scores["c"].f1, scores["c"].support) == (0.0, 1)
    assert macro_f1(scores) == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)


ROWS = [
    {"id": "x1", "text": "昨天刚换的刹车油，今天刹车踩下去软绵绵的，差点追尾。", "category": "after_sales_service",
     "severity": "critical", "safety_related": True},
    {"id": "x2", "text": "发票开错了，多收了两百块钱，要求退款。", "category": "contract_dispute", "severity": "normal",
     "safety_related": False},
    {"id": "x3", "text": "你好", "category": "after_sales_service", "severity": "normal", "safety_related": False},
]


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS), encoding="utf-8")
    return path


def test_the_report_names_every_figure(labelled, capsys):
    assert main([str(labelled), "--mistakes", "--review-below", "0.6"]) == 0
    out = capsys.readouterr().out
    assert "3 complaints" in out and "macro-F1" in out and "confusion (rows: labelled" in out
    assert "severity accuracy" in out and "sent to review (confidence below 0.6)" in out
    assert "safety-related: 1 of 1 classified critical (recall 1.00)" in out
    assert "x3: after_sales_service/normal ->" in out  # "hello" is nobody's category


def test_the_figures_as_json_add_up(labelled, capsys):
    assert main([str(labelled), str(labelled), "--json", "--review-below", "1"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert set(reports) == {str(labelled), "all"}
    one, both = reports[str(labelled)], reports["all"]
    assert one["complaints"] == 3 and both["complaints"] == 6
    assert one["review"] == {**one["review"], "below": 1, "share": 1.0, "count": 3}
    assert one["safety"]["labelled"] == 1 and one["safety"]["recall"] == 1.0 and one["safety"]["missed"] == []
    confusion = one["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 3
    assert confusion["contract_dispute"]["contract_dispute"] == 1
    assert sum(one["categories"][name]["support"] for name in one["categories"]) == 3
    assert one["severity"]["rated"] == 3 and 0 <= one["severity"]["accuracy"] <= 1
