"""Reading a complaint's text for its category and severity (投诉分类与严重程度).

A linear model learnt from a labelled corpus (`corpus/`, `python -m complaints train`) over
the text's features (`features`: runs of Chinese characters, English words and word pairs,
the desk's word lists as cues, denied and stressed words), in three decisions:

- the category: five weighted sums turned into probabilities; the highest is the category and
  its probability the confidence. Below the desk's review threshold a person checks it
  (`needs_review`): the model's best guess stays, it is not pushed into `other`;
- safety, on its own: symptom rules of the word lists (a part and what it does: "刹车" with
  "软绵绵", "wheel nuts" with "loose") that were right nearly every time in training decide
  alone; otherwise a detector whose threshold was chosen so that no safety complaint of the
  corpus went unnoticed. Either makes the severity critical, whatever else the text says;
- otherwise the severity: low, normal or high.

The weights are exported to a JSON file next to this module (`classifier.json`) with the
vocabulary, read once; classifying is plain Python, no learning library is needed to run.
The explanation is the model's own: the words of the text whose weights decided it.
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from complaints.domain import lexicon
from complaints.domain.features import Span, features
from complaints.domain.text import normalise

ARTEFACT = Path(__file__).with_name("classifier.json")
MOST_TERMS_SHOWN = 8


class Category(str, Enum):
    PRODUCT_QUALITY = lexicon.PRODUCT_QUALITY
    AFTER_SALES_SERVICE = lexicon.AFTER_SALES_SERVICE
    LOGISTICS_DELIVERY = lexicon.LOGISTICS_DELIVERY
    CONTRACT_DISPUTE = lexicon.CONTRACT_DISPUTE
    OTHER = lexicon.OTHER


class Severity(str, Enum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


# What the severity model chooses from; critical is the safety detector's.
GRADED = (Severity.LOW, Severity.NORMAL, Severity.HIGH)


@dataclass(frozen=True)
class Classification:
    """What the text says: the category with how sure the model is and the words that decided
    it, and the severity with the words that set it."""

    category: Category
    confidence: float  # the model's probability for the category: 0 .. 1
    terms: tuple[str, ...]
    severity: Severity
    severity_terms: tuple[str, ...]
    safety_score: float = 0.0  # the safety detector's probability
    reasons: tuple[str, ...] = ()  # the features that weighed most for the category, for people

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL

    def needs_review(self, below: float) -> bool:
        """Should a person check the category? When the model is less sure than `below`."""
        return self.confidence < below


class Classifier:
    """The exported model: per feature its idf and weights, per decision its bias."""

    def __init__(self, artefact: dict):
        self.categories = tuple(Category(name) for name in artefact["categories"])
        self.severities = tuple(Severity(name) for name in artefact["severities"])
        self.safety_threshold: float = artefact["safety_threshold"]
        # Symptom rules that were right so often in training that they decide on their own.
        self.decisive: frozenset[str] = frozenset(artefact.get("decisive_rules", ()))
        self.review_below: float = artefact["review_below"]
        bias = artefact["bias"]
        self._bias = tuple(bias["category"]) + tuple(bias["severity"]) + (bias["safety"],)
        n_categories, n_severities = len(self.categories), len(self.severities)
        width = n_categories + n_severities + 1
        # feature -> (idf², then each weight multiplied by the idf), and what it pulls towards
        # each class against the mean of the others (the explanation), also by the idf
        self._weights: dict[str, tuple[float, ...]] = {}
        self._pulls: dict[str, tuple[float, ...]] = {}
        for name, row in artefact["features"].items():
            if len(row) != width + 1:
                raise ValueError("the classifier's artefact does not match its classes")
            idf, weights = row[0], [row[0] * weight for weight in row[1:]]
            self._weights[name] = (idf * idf, *weights)
            self._pulls[name] = (*_pulls(weights[:n_categories]),
                                 *_pulls(weights[n_categories:n_categories + n_severities]), weights[-1])
        if len(self._bias) != width:
            raise ValueError("the classifier's artefact does not match its classes")

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> Classifier:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def classify(self, text: str) -> Classification:
        """Classify a complaint's free text (Chinese, simplified or traditional, and/or English)."""
        normal = normalise(text)
        spans = features(normal)
        weights = self._weights
        names = [name for name in spans if name in weights]
        scores = list(self._bias)
        if names:
            sums = [sum(column) for column in zip(*(weights[name] for name in names))]
            norm = math.sqrt(sums[0]) or 1.0
            scores = [score + total / norm for score, total in zip(scores, sums[1:])]
        n_categories, n_severities = len(self.categories), len(self.severities)
        category_probability = _softmax(scores[:n_categories])
        best = max(range(n_categories), key=lambda index: (category_probability[index], -index))
        safety_score = _sigmoid(scores[-1])
        decisive = sorted(name for name in self.decisive if name in spans)
        if decisive or safety_score >= self.safety_threshold:
            severity, column = Severity.CRITICAL, n_categories + n_severities
        else:
            graded = scores[n_categories:n_categories + n_severities]
            chosen = max(range(n_severities), key=lambda index: (graded[index], -index))
            severity, column = self.severities[chosen], n_categories + chosen
        written = normal.written
        reasons = self._deciding(names, best)
        category_terms = _surfaces(written, [spans[name] for name in reasons])
        severity_terms = _surfaces(written, [spans[name] for name in (*decisive, *self._deciding(names, column))])
        return Classification(
            category=self.categories[best], confidence=round(category_probability[best], 4),
            terms=category_terms, severity=severity, severity_terms=severity_terms,
            safety_score=round(safety_score, 4), reasons=reasons[:MOST_TERMS_SHOWN],
        )

    def _deciding(self, names: list[str], column: int) -> list[str]:
        """The features that pulled hardest towards this class (against the mean of its rivals)."""
        pulls = self._pulls
        strongest = heapq.nlargest(3 * MOST_TERMS_SHOWN, ((pulls[name][column], name) for name in names))
        return [name for pull, name in strongest if pull > 0]


def _pulls(weights: list[float]) -> list[float]:
    """Each class's weight against the mean of the other classes'."""
    if len(weights) < 2:
        return list(weights)
    total = sum(weights)
    return [weight - (total - weight) / (len(weights) - 1) for weight in weights]


def _surfaces(written: str, spans: list[Span]) -> tuple[str, ...]:
    """The stretches of text the strongest features cover, overlapping ones joined
    (刹, 刹车, 车失 → 刹车失), strongest first."""
    merged: list[list[int]] = []  # [start, end, rank of its strongest feature]
    for rank, (start, end) in enumerate(spans):
        for stretch in merged:
            if start <= stretch[1] and stretch[0] <= end:
                stretch[0], stretch[1] = min(stretch[0], start), max(stretch[1], end)
                break
        else:
            merged.append([start, end, rank])
    shown: list[str] = []
    for start, end, _ in sorted(merged, key=lambda stretch: stretch[2]):
        surface = written[start:end].strip()
        if len(surface) == 1 and not surface.isascii():
            continue  # one Chinese character alone says little to a person
        if surface and surface not in shown:
            shown.append(surface)
    return tuple(shown[:MOST_TERMS_SHOWN])


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [value / total for value in exps]


def _sigmoid(score: float) -> float:
    return 1 / (1 + math.exp(-score)) if score >= 0 else math.exp(score) / (1 + math.exp(score))


@cache
def default_classifier() -> Classifier:
    """The model committed with the code, read once per process."""
    return Classifier.load()


def classify(text: str) -> Classification:
    """Classify with the committed model."""
    return default_classifier().classify(text)
