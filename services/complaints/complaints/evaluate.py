"""How well the automatic classification agrees with labelled complaints.

    python -m complaints.evaluate [FILE ...] [--json] [--mistakes] [--review-below X] [--model PATH]

Each FILE is JSON Lines, one complaint a line with `text` and `category`, and optionally
`id`, `severity` and `safety_related` (the corpus format, `corpus/GUIDE.md`; the desk's
sample `tests/data/complaints_sample.jsonl` is read when no file is named). For each file,
and for all of them together when there are several: precision, recall and F1 per category,
their macro average, the confusion matrix, severity accuracy, how many safety-related
complaints came out critical (and how many others did), and the share the desk would be asked
to review (confidence below the threshold: the model's own, or `--review-below`).
`--mistakes` lists each complaint classified wrongly; `--json` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from complaints.domain.classification import ARTEFACT, Category, Classification, Classifier, Severity
from complaints.training.corpus import SAMPLE, Example, read

CATEGORIES = [c.value for c in Category]
SEVERITIES = [s.value for s in Severity]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int  # labelled so
    predicted: int  # classified so


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


@dataclass(frozen=True)
class Outcome:
    """One labelled complaint and what the classifier made of it."""

    example: Example
    category: str
    confidence: float
    severity: str

    @classmethod
    def of(cls, example: Example, result: Classification) -> Outcome:
        return cls(example, result.category.value, result.confidence, result.severity.value)


def figures(outcomes: Sequence[Outcome], review_below: float) -> dict:
    """Every figure of the report, as plain data."""
    pairs = [(o.example.category, o.category) for o in outcomes]
    scores = per_class(pairs, CATEGORIES)
    counts = Counter(pairs)
    reviewed = [o for o in outcomes if o.confidence < review_below]
    kept = [o for o in outcomes if o.confidence >= review_below]
    found = {
        "complaints": len(outcomes),
        "categories": {name: asdict(score) for name, score in scores.items()},
        "macro_f1": round(macro_f1(scores), 4),
        "accuracy": round(_share(sum(e == g for e, g in pairs), len(pairs)), 4),
        "confusion": {expected: {got: counts[(expected, got)] for got in CATEGORIES} for expected in CATEGORIES},
        "review": {
            "below": review_below,
            "share": round(_share(len(reviewed), len(outcomes)), 4),
            "count": len(reviewed),
            "wrong_among_reviewed": sum(o.category != o.example.category for o in reviewed),
            "accuracy_of_the_rest": round(_share(sum(o.category == o.example.category for o in kept), len(kept)), 4),
        },
    }
    rated = [o for o in outcomes if o.example.severity]
    if rated:
        levels = {level: rank for rank, level in enumerate(SEVERITIES)}
        severity_pairs = [(o.example.severity, o.severity) for o in rated]
        severity_scores = per_class(severity_pairs, SEVERITIES)
        severity_counts = Counter(severity_pairs)
        found["severity"] = {
            "rated": len(rated),
            "accuracy": round(_share(sum(e == g for e, g in severity_pairs), len(rated)), 4),
            "within_one": round(_share(sum(abs(levels[e] - levels[g]) <= 1 for e, g in severity_pairs
                                           if e in levels), len(rated)), 4),
            "macro_f1": round(macro_f1(severity_scores), 4),
            "levels": {name: asdict(score) for name, score in severity_scores.items()},
            "confusion": {e: {g: severity_counts[(e, g)] for g in SEVERITIES} for e in SEVERITIES},
        }
    judged = [o for o in outcomes if o.example.safety_related is not None]
    if judged:
        flagged = [o for o in judged if o.example.safety_related]
        caught = sum(o.severity == Severity.CRITICAL.value for o in flagged)
        raised = sum(o.severity == Severity.CRITICAL.value for o in judged)
        found["safety"] = {
            "labelled": len(flagged),
            "caught": caught,
            "recall": round(_share(caught, len(flagged), empty=1.0), 4),
            "raised": raised,
            "false_alarms": raised - caught,
            "precision": round(_share(caught, raised, empty=1.0), 4),
            "missed": [o.example.id for o in flagged if o.severity != Severity.CRITICAL.value],
        }
    return found


def _share(part: int, whole: int, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def render(found: dict, *, seconds: float | None = None) -> str:
    lines = [f"{found['complaints']} complaints"
             + (f", {seconds * 1000 / max(found['complaints'], 1):.2f} ms each" if seconds is not None else ""),
             "", f"{'category':<22}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>5}"]
    for name, s in found["categories"].items():
        lines.append(f"{name:<22}{s['precision']:>10.2f}{s['recall']:>8.2f}{s['f1']:>8.2f}{s['support']:>5}")
    lines += ["", f"macro-F1 {found['macro_f1']:.3f}   accuracy {found['accuracy']:.3f}"]
    short = [name[:7] for name in CATEGORIES]
    lines += ["", "confusion (rows: labelled, columns: classified)", " " * 22 + "".join(f"{s:>9}" for s in short)]
    for expected, row in found["confusion"].items():
        lines.append(f"{expected:<22}" + "".join(f"{row[got]:>9}" for got in CATEGORIES))
    if "severity" in found:
        severity = found["severity"]
        lines += ["", f"severity accuracy {severity['accuracy']:.3f} (within one level {severity['within_one']:.3f}), "
                      f"macro-F1 {severity['macro_f1']:.3f}",
                  " " * 42 + "classified " + " ".join(f"{level[:5]:>5}" for level in SEVERITIES)]
        lines += [f"  {level:<9} precision {s['precision']:.2f} recall {s['recall']:.2f} n {s['support']:<5}"
                  + "".join(f"{severity['confusion'][level][got]:>6}" for got in SEVERITIES)
                  for level, s in severity["levels"].items()]
    if "safety" in found:
        safety = found["safety"]
        lines.append(f"safety-related: {safety['caught']} of {safety['labelled']} classified critical (recall "
                     f"{safety['recall']:.2f}); {safety['false_alarms']} false alarms (precision "
                     f"{safety['precision']:.2f})" + (f"; missed {', '.join(safety['missed'])}" if safety['missed'] else ""))
    review = found["review"]
    lines.append(f"sent to review (confidence below {review['below']}): {review['count']} "
                 f"({review['share']:.1%}), {review['wrong_among_reviewed']} of them wrongly classified; "
                 f"accuracy of the rest {review['accuracy_of_the_rest']:.3f}")
    return "\n".join(lines)


def mistakes(outcomes: Sequence[Outcome], results: Sequence[Classification]) -> list[str]:
    lines = []
    for outcome, result in zip(outcomes, results):
        example = outcome.example
        if outcome.category != example.category or (example.severity and outcome.severity != example.severity):
            lines.append(
                f"{example.id}: {example.category}/{example.severity} -> {outcome.category}/{outcome.severity} "
                f"{outcome.confidence:.2f} {list(result.terms)} {list(result.severity_terms)} | {example.text}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaints.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="JSON Lines of labelled complaints")
    parser.add_argument("--mistakes", action="store_true", help="list every complaint classified wrongly")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--review-below", type=float, help="the review threshold (default: the model's)")
    parser.add_argument("--model", type=Path, default=ARTEFACT, help="the classifier's artefact")
    options = parser.parse_args(argv)
    classifier = Classifier.load(options.model)
    review_below = options.review_below if options.review_below is not None else classifier.review_below
    paths = options.files or [SAMPLE]
    reports, everything = {}, []
    for path in paths:
        examples = read(path)
        started = time.process_time()
        results = [classifier.classify(example.text) for example in examples]
        seconds = time.process_time() - started
        outcomes = [Outcome.of(example, result) for example, result in zip(examples, results)]
        everything += outcomes
        found = figures(outcomes, review_below)
        reports[str(path)] = found
        if not options.json:
            sys.stdout.write(f"== {path}\n{render(found, seconds=seconds)}\n")
            if options.mistakes:
                sys.stdout.write("\nmistakes:\n" + "".join(line + "\n" for line in mistakes(outcomes, results)))
            sys.stdout.write("\n")
    if len(paths) > 1:
        found = figures(everything, review_below)
        reports["all"] = found
        if not options.json:
            sys.stdout.write(f"== all {len(paths)} files\n{render(found)}\n\n")
    if options.json:
        sys.stdout.write(json.dumps(reports, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
