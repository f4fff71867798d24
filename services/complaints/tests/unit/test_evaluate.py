"""The evaluation script's arithmetic, and the classifier's figures as a regression guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaints.domain.classification import classify
from complaints.evaluate import SAMPLE, macro_f1, main, per_class, read

HANDWRITTEN = Path(__file__).resolve().parents[1] / "data" / "complaints_handwritten.jsonl"


def test_precision_recall_and_f1_per_class():
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b"), ("c", "b")]
    scores = per_class(pairs, ["a", "b", "c"])
    assert (scores["a"].precision, scores["a"].recall) == (1.0, 0.5)
    assert (scores["b"].precision, scores["b"].recall) == (0.5, 1.0)
    assert scores["a"].f1 == pytest.approx(2 / 3) and scores["b"].f1 == pytest.approx(2 / 3)
    assert (scores["c"].f1, scores["c"].support) == (0.0, 1)
    assert macro_f1(scores) == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)


def test_the_report_names_every_category_and_the_averages(tmp_path, capsys):
    labelled = tmp_path / "mine.jsonl"
    rows = [{"text": "刹车失灵，差点撞车", "category": "product_quality", "severity": "critical", "safety_related": True},
            {"text": "发票开错了，多收了钱", "category": "contract_dispute", "severity": "normal", "safety_related": False},
            {"text": "hello", "category": "after_sales_service"}]
    labelled.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    assert main([str(labelled), "--mistakes"]) == 0
    out = capsys.readouterr().out
    assert "3 complaints" in out and "macro-F1 0.500   accuracy 0.667" in out
    assert "safety-related: 1 of 1 classified critical (recall 1.00); 0 false alarms" in out
    assert "mine.jsonl:3: after_sales_service/None -> other/normal" in out


def test_the_sample_stays_classified_as_well_as_when_the_word_lists_were_written():
    rows = read(SAMPLE)
    results = [classify(row.text) for row in rows]
    scores = per_class([(row.category, r.category.value) for row, r in zip(rows, results)],
                       {row.category for row in rows})
    assert macro_f1(scores) >= 0.90
    assert all(r.safety_related for row, r in zip(rows, results) if row.safety_related)


def test_the_handwritten_set_stays_above_its_first_reading():
    rows = read(HANDWRITTEN)
    results = [classify(row.text) for row in rows]
    scores = per_class([(row.category, r.category.value) for row, r in zip(rows, results)],
                       {row.category for row in rows})
    assert macro_f1(scores) >= 0.74
