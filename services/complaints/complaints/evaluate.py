"""How well the automatic classification agrees with labelled complaints.

    python -m complaints.evaluate [FILE ...] [--mistakes]

Each FILE is JSON Lines, one complaint a line with `text` and `category`, and optionally
`id`, `severity` and `safety_related` (the format of `shared/data/complaints_sample.jsonl`,
which is read when no file is named). Prints precision, recall and F1 per category, their
macro average, severity accuracy and how many safety-related complaints came out critical.
`--mistakes` also lists each complaint the classifier got wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from complaints.domain.classification import Category, Classification, Severity, classify

# A copy of the labelled sample from the product's reference material (shared/data), kept with
# the tests so the figures can be checked on any clone.
SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "complaints_sample.jsonl"


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    category: str
    severity: str | None
    safety_related: bool | None


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int  # labelled so
    predicted: int  # classified so


def read(path: Path) -> list[Labelled]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        rows.append(Labelled(str(row.get("id", f"{path.name}:{number}")), row["text"], row["category"],
                             row.get("severity"), row.get("safety_related")))
    return rows


def per_class(pairs: list[tuple[str, str]], classes: Iterable[str]) -> dict[str, Scores]:
    """Precision, recall and F1 of each class from (expected, predicted) pairs."""
    scores = {}
    for name in classes:
        true_positive = sum(1 for expected, got in pairs if expected == name and got == name)
        predicted = sum(1 for _, got in pairs if got == name)
        actual = sum(1 for expected, _ in pairs if expected == name)
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[name] = Scores(precision, recall, f1, actual, predicted)
    return scores


def macro_f1(scores: dict[str, Scores]) -> float:
    """The plain mean of F1 over the classes that were labelled or classified at least once."""
    present = [s.f1 for s in scores.values() if s.support or s.predicted]
    return sum(present) / len(present) if present else 0.0


def report(rows: list[Labelled], results: list[Classification], seconds: float, mistakes: bool) -> str:
    categories = [c.value for c in Category]
    pairs = [(row.category, result.category.value) for row, result in zip(rows, results)]
    scores = per_class(pairs, categories)
    lines = [f"{len(rows)} complaints, {seconds * 1000 / max(len(rows), 1):.2f} ms each", "",
             f"{'category':<22}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>5}"]
    for name in categories:
        s = scores[name]
        lines.append(f"{name:<22}{s.precision:>10.2f}{s.recall:>8.2f}{s.f1:>8.2f}{s.support:>5}")
    accuracy = sum(expected == got for expected, got in pairs) / max(len(pairs), 1)
    lines += ["", f"macro-F1 {macro_f1(scores):.3f}   accuracy {accuracy:.3f}"]
    lines += _confusion(pairs, categories)
    lines += _severity(rows, results)
    if mistakes:
        lines += ["", "mistakes:"]
        for row, result in zip(rows, results):
            if (row.category != result.category.value
                    or (row.severity and row.severity != result.severity.value)):
                lines.append(
                    f"{row.id}: {row.category}/{row.severity} -> {result.category.value}/"
                    f"{result.severity.value} {result.confidence} {list(result.terms)} "
                    f"{list(result.severity_terms)} | {row.text}"
                )
    return "\n".join(lines)


def _confusion(pairs: list[tuple[str, str]], categories: list[str]) -> list[str]:
    counts = Counter(pairs)
    short = [name[:7] for name in categories]
    lines = ["", "confusion (rows: labelled, columns: classified)", " " * 22 + "".join(f"{s:>9}" for s in short)]
    for expected in categories:
        lines.append(f"{expected:<22}" + "".join(f"{counts[(expected, got)]:>9}" for got in categories))
    return lines


def _severity(rows: list[Labelled], results: list[Classification]) -> list[str]:
    rated = [(row, result) for row, result in zip(rows, results) if row.severity]
    lines = []
    if rated:
        levels = [s.value for s in Severity]
        pairs = [(row.severity, result.severity.value) for row, result in rated]
        exact = sum(expected == got for expected, got in pairs) / len(pairs)
        order = {level: rank for rank, level in enumerate(levels)}
        within_one = sum(abs(order[e] - order[g]) <= 1 for e, g in pairs if e in order) / len(pairs)
        scores = per_class(pairs, levels)
        lines += ["", f"severity accuracy {exact:.3f} (within one level {within_one:.3f}), "
                      f"macro-F1 {macro_f1(scores):.3f}"]
        lines += [f"  {level:<9} precision {scores[level].precision:.2f} recall {scores[level].recall:.2f} "
                  f"n {scores[level].support}" for level in levels]
    safety = [(row, result) for row, result in zip(rows, results) if row.safety_related is not None]
    if safety:
        flagged = sum(1 for row, _ in safety if row.safety_related)
        caught = sum(1 for row, result in safety if row.safety_related and result.safety_related)
        raised = sum(1 for _, result in safety if result.safety_related)
        lines.append(f"safety-related: {caught} of {flagged} classified critical (recall "
                     f"{caught / flagged if flagged else 1:.2f}); {raised - caught} false alarms")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaints.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="JSON Lines of labelled complaints")
    parser.add_argument("--mistakes", action="store_true", help="list every complaint classified wrongly")
    options = parser.parse_args(argv)
    for path in options.files or [SAMPLE]:
        rows = read(path)
        started = time.perf_counter()
        results = [classify(row.text) for row in rows]
        seconds = time.perf_counter() - started
        sys.stdout.write(f"== {path}\n{report(rows, results, seconds, options.mistakes)}\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
