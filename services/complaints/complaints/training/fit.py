"""Fitting the classifier's weights, choosing its thresholds, and writing the artefact.

    python -m complaints train [--extra FILE ...] [--out PATH]

Everything is fitted on the training files only (`corpus/train/*.jsonl`, plus the hand-written
test examples, the desk's corrections kept in `corpus/corrections/` and any `--extra` file);
the held-out files (`corpus/test/`) are never read here. The same features as at run time (`domain.features`),
idf-weighted and scaled to unit length; three linear models (scikit-learn):

- category: a linear support vector machine per category against the rest, balanced; its
  scores become probabilities through a softmax at a temperature fitted on cross-validated
  results (so that "0.9 sure" is right about nine times in ten on a new writer's text);
- severity: a logistic regression over low, normal, high, fitted on the complaints that are not
  safety-related;
- safety: a logistic regression, safety-related or not, balanced.

The thresholds come from cross-validation across writers: each writer's texts are classified
by models fitted without them (what the model does on text it was not tuned to), then
- symptom rules that were right nearly every time they fired decide alone (`decisive_rules`);
- the safety threshold is set below the lowest score any other safety complaint got, so that
  every one of them would have been critical;
- the review threshold is the confidence below which `REVIEW_SHARE` of the texts fall.

Deterministic on one machine: the same files give the same bytes (sorted input, fixed solver, rounded
weights). Another processor's BLAS kernels may move a few weights in their fourth decimal.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from complaints.domain.classification import ARTEFACT, GRADED, Category, Severity
from complaints.domain.features import CONTEXT, features
from complaints.domain.text import normalise
from complaints.evaluate import Outcome, figures, render
from complaints.training.corpus import Example, digest, extra_files, read, training_files

FORMAT = 1
# A feature must occur in this many training texts to be kept.
MIN_DOCUMENTS = 2
# Inverse regularisation strength of each model (chosen by writer-disjoint cross-validation).
C_CATEGORY = 10.0
C_SEVERITY = 100.0
C_SAFETY = 30.0
# The share of texts a person should review: the least sure ones.
REVIEW_SHARE = 0.07
# The safety threshold is this fraction of the lowest cross-validated score of a safety complaint.
SAFETY_MARGIN = 0.8
DIGITS = 4
# A symptom rule decides alone when at least this share of the training texts it fired in were
# safety-related, and it fired in at least this many.
DECISIVE_PRECISION = 0.8
DECISIVE_SUPPORT = 3
SYMPTOM = "cue:safety:"

CATEGORIES = [category.value for category in Category]
SEVERITIES = [severity.value for severity in GRADED]


@dataclass(frozen=True)
class Settings:
    min_documents: int = MIN_DOCUMENTS
    c_category: float = C_CATEGORY
    c_severity: float = C_SEVERITY
    c_safety: float = C_SAFETY
    review_share: float = REVIEW_SHARE
    safety_margin: float = SAFETY_MARGIN
    decisive_precision: float = DECISIVE_PRECISION
    decisive_support: int = DECISIVE_SUPPORT


def featurise(examples: Sequence[Example]) -> list[list[str]]:
    return [sorted(features(normalise(example.text))) for example in examples]


def decisive_rules(examples: Sequence[Example], featurised: Sequence[Sequence[str]],
                   settings: Settings = Settings()) -> list[str]:
    """The symptom rules that were right often enough in these examples to decide alone."""
    fired: dict[str, list[bool]] = {}
    for example, names in zip(examples, featurised):
        if example.safety_related is None:
            continue
        for name in names:
            if name.startswith(SYMPTOM) and name[len(SYMPTOM):] not in CONTEXT:
                fired.setdefault(name, []).append(bool(example.safety_related))
    return sorted(name for name, right in fired.items()
                  if len(right) >= settings.decisive_support and sum(right) / len(right) >= settings.decisive_precision)


@dataclass(frozen=True)
class Fitted:
    """The three fitted models and the vocabulary they read."""

    vocabulary: list[str]
    index: dict[str, int]
    idf: np.ndarray
    category: object
    severity: LogisticRegression
    safety: LogisticRegression
    decisive: list[str]

    def matrix(self, featurised: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        return _matrix(featurised, self.index, self.idf)


def fit_models(examples: Sequence[Example], featurised: Sequence[Sequence[str]],
               settings: Settings = Settings()) -> Fitted:
    documents: dict[str, int] = {}
    for names in featurised:
        for name in names:
            documents[name] = documents.get(name, 0) + 1
    vocabulary = sorted(name for name, count in documents.items() if count >= settings.min_documents)
    index = {name: column for column, name in enumerate(vocabulary)}
    total = len(examples)
    idf = np.array([math.log((1 + total) / (1 + documents[name])) + 1 for name in vocabulary])
    idf = np.round(idf, DIGITS)
    matrix = _matrix(featurised, index, idf)

    category = _category_model(settings).fit(matrix, [example.category for example in examples])
    graded = [i for i, example in enumerate(examples) if example.severity in SEVERITIES]
    severity = _logistic(settings.c_severity, balanced=False).fit(
        matrix[graded], [examples[i].severity for i in graded])
    rated = [i for i, example in enumerate(examples) if example.safety_related is not None]
    safety = _logistic(settings.c_safety, balanced=True).fit(
        matrix[rated], [bool(examples[i].safety_related) for i in rated])
    return Fitted(vocabulary, index, idf, category, severity, safety, decisive_rules(examples, featurised, settings))


def fit(examples: Sequence[Example], featurised: Sequence[Sequence[str]], settings: Settings = Settings(),
        *, temperature: float = 1.0, safety_threshold: float = 0.5, review_below: float = 0.5,
        trained_on: dict | None = None) -> dict:
    """The artefact of a model fitted on these examples; the category's weights are divided by
    `temperature`, so that its probabilities are as sure as it was right in cross-validation."""
    fitted = fit_models(examples, featurised, settings)
    category_weights = _by_class(fitted.category, CATEGORIES) / temperature
    severity_weights = _by_class(fitted.severity, SEVERITIES)
    safety_weights = fitted.safety.coef_[0]
    rows = {}
    for column, name in enumerate(fitted.vocabulary):
        row = [float(fitted.idf[column]), *category_weights[:, column], *severity_weights[:, column],
               float(safety_weights[column])]
        rounded = [_round(value) for value in row]
        if any(rounded[1:]):
            rows[name] = rounded
    return {
        "format": FORMAT,
        "trained_on": trained_on or {},
        "categories": CATEGORIES,
        "severities": SEVERITIES,
        "temperature": temperature,
        "safety_threshold": safety_threshold,
        "decisive_rules": fitted.decisive,
        "review_below": review_below,
        "bias": {
            "category": [_round(value / temperature) for value in _by_class_bias(fitted.category, CATEGORIES)],
            "severity": [_round(value) for value in _by_class_bias(fitted.severity, SEVERITIES)],
            "safety": _round(float(fitted.safety.intercept_[0])),
        },
        "features": rows,
    }


def _matrix(featurised: Sequence[Sequence[str]], index: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    """Each text's features, idf-weighted and scaled to unit length (as `Classifier.classify` does)."""
    rows, columns, values = [], [], []
    for row, names in enumerate(featurised):
        present = sorted({index[name] for name in names if name in index})
        norm = math.sqrt(sum(idf[column] ** 2 for column in present)) or 1.0
        for column in present:
            rows.append(row)
            columns.append(column)
            values.append(idf[column] / norm)
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(featurised), len(index)))


def _category_model(settings: Settings):
    """A linear support vector machine per category against the rest (more accurate across
    writers than a logistic regression, cross-validated); its margins become probabilities
    through the temperature."""
    return LinearSVC(C=settings.c_category, class_weight="balanced", random_state=0, max_iter=20000, tol=1e-6)


def _logistic(c: float, *, balanced: bool) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced" if balanced else None, solver="lbfgs",
                              max_iter=5000, tol=1e-6)


def _by_class(model, classes: list[str], matrix: sparse.csr_matrix | None = None) -> np.ndarray:
    """The coefficients as (class, feature) in `classes` order, a class never seen getting zeros;
    or, given a matrix, the scores of its rows as (row, class)."""
    known = [str(name) for name in model.classes_]
    if matrix is not None:
        scores = np.full((matrix.shape[0], len(classes)), -30.0)
        decided = model.decision_function(matrix)
        for column, name in enumerate(known):
            scores[:, classes.index(name)] = decided[:, column]
        return scores
    coefficients = np.zeros((len(classes), model.coef_.shape[1]))
    for row, name in enumerate(known):
        coefficients[classes.index(name)] = model.coef_[row]
    return coefficients


def _by_class_bias(model, classes: list[str]) -> list[float]:
    known = [str(name) for name in model.classes_]
    return [float(model.intercept_[known.index(name)]) if name in known else -30.0 for name in classes]


def _round(value: float) -> float:
    rounded = round(float(value), DIGITS)
    return 0.0 if rounded == 0 else rounded


# ---------------------------------------------------------------- cross-validation across writers


@dataclass(frozen=True)
class Held:
    """One example classified by models fitted without its writer."""

    example: Example
    margins: tuple[float, ...]  # the category's scores, in CATEGORIES order
    severity: str  # graded only: low, normal or high
    safety_score: float
    decided: bool  # a decisive symptom rule fired

    @property
    def category(self) -> str:
        return CATEGORIES[int(np.argmax(self.margins))]

    def confidence(self, temperature: float) -> float:
        return float(max(_softmax(np.array(self.margins) / temperature)))


def cross_validate(examples: Sequence[Example], featurised: Sequence[Sequence[str]], folds: Sequence[str],
                   settings: Settings = Settings()) -> list[Held]:
    """Each writer in `folds` held out in turn; the other examples (other writers and the
    extras, whose writer is not a fold) train the models that classify it."""
    held: list[Held] = []
    for writer in folds:
        inside = [i for i, example in enumerate(examples) if example.writer != writer]
        outside = [i for i, example in enumerate(examples) if example.writer == writer]
        fitted = fit_models([examples[i] for i in inside], [featurised[i] for i in inside], settings)
        matrix = fitted.matrix([featurised[i] for i in outside])
        margins = _by_class(fitted.category, CATEGORIES, matrix=matrix)
        severities = fitted.severity.predict(matrix)
        safety = fitted.safety.predict_proba(matrix)[:, list(fitted.safety.classes_).index(True)]
        decisive = set(fitted.decisive)
        for row, i in enumerate(outside):
            held.append(Held(examples[i], tuple(float(m) for m in margins[row]), str(severities[row]),
                             float(safety[row]), bool(decisive & set(featurised[i]))))
    return held


def calibrate(held: Sequence[Held]) -> float:
    """The temperature that makes the category's probabilities fit how often it was right."""
    labels = [CATEGORIES.index(h.example.category) for h in held]
    margins = np.array([h.margins for h in held])

    def loss(temperature: float) -> float:
        scaled = margins / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probabilities = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-log_probabilities[np.arange(len(labels)), labels].mean())

    return min((round(0.01 * step, 2) for step in range(2, 301)), key=lambda t: (loss(t), t))


def thresholds(held: Sequence[Held], temperature: float, settings: Settings = Settings()) -> tuple[float, float]:
    """(safety threshold, review threshold) from cross-validated results."""
    safety = [h.safety_score for h in held if h.example.safety_related and not h.decided]
    safety_threshold = round(min(safety) * settings.safety_margin, 4) if safety else 0.5
    confidences = sorted(h.confidence(temperature) for h in held)
    cut = int(len(confidences) * settings.review_share)
    review_below = round(confidences[cut], 4) if confidences else 0.5
    return safety_threshold, review_below


def _softmax(scores: np.ndarray) -> np.ndarray:
    exps = np.exp(scores - scores.max())
    return exps / exps.sum()


# ---------------------------------------------------------------- the command


def examples_of(paths: Sequence[Path]) -> list[Example]:
    found = [example for path in paths for example in read(path)]
    return sorted(found, key=lambda example: (example.writer, example.id))


def train(extra: Sequence[Path] = (), out: Path = ARTEFACT, settings: Settings = Settings()) -> tuple[dict, list[Held]]:
    """Fit on the training files and `extra`, choose the thresholds by cross-validation across
    the training files' writers, and write the artefact."""
    corpus_paths = training_files()
    always = extra_files()
    extra = [*always, *(path for path in extra if path not in always)]
    examples = examples_of([*corpus_paths, *extra])
    featurised = featurise(examples)
    writers = sorted({example.writer for example in examples_of(corpus_paths)})
    held = cross_validate(examples, featurised, writers, settings)
    temperature = calibrate(held)
    safety_threshold, review_below = thresholds(held, temperature, settings)
    found = figures(outcomes(held, temperature, safety_threshold), review_below)
    trained_on = {"files": digest([*corpus_paths, *extra]), "examples": len(examples),
                  "cross_validation": {
                      "writers": writers, "macro_f1": found["macro_f1"],
                      "severity_accuracy": found["severity"]["accuracy"],
                      "safety_recall": found["safety"]["recall"], "safety_precision": found["safety"]["precision"],
                      "review_share": found["review"]["share"]}}
    artefact = fit(examples, featurised, settings, temperature=temperature, safety_threshold=safety_threshold,
                   review_below=review_below, trained_on=trained_on)
    out.write_text(dump(artefact), encoding="utf-8")
    return artefact, held


def dump(artefact: dict) -> str:
    """The artefact as JSON: one feature a line, sorted, so the same model is the same bytes and
    a retrained one diffs readably."""
    head = {key: value for key, value in artefact.items() if key != "features"}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)},")
    lines.append('"features": {')
    rows = sorted(artefact["features"].items())
    for number, (name, row) in enumerate(rows):
        comma = "," if number < len(rows) - 1 else ""
        lines.append(f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(row)}{comma}")
    lines += ["}", "}", ""]
    return "\n".join(lines)


def outcomes(held: Sequence[Held], temperature: float, safety_threshold: float) -> list[Outcome]:
    """The cross-validated results as the evaluation reads them, with these thresholds."""
    return [Outcome(h.example, h.category, h.confidence(temperature),
                    Severity.CRITICAL.value if h.decided or h.safety_score >= safety_threshold else h.severity)
            for h in held]


def report(artefact: dict, held: Sequence[Held]) -> str:
    """What training did: the data, the thresholds, and the cross-validated figures."""
    trained = artefact["trained_on"]
    lines = [f"trained on {trained['examples']} examples: " + ", ".join(trained["files"]),
             f"{len(artefact['features'])} features; safety threshold {artefact['safety_threshold']}, "
             f"decisive rules {len(artefact['decisive_rules'])}; review below {artefact['review_below']}",
             "", "cross-validated across writers (each writer classified by a model fitted without them):",
             render(figures(outcomes(held, artefact["temperature"], artefact["safety_threshold"]),
                            artefact["review_below"]))]
    return "\n".join(lines)
