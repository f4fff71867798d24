"""Reading a complaint's text for its category and severity (投诉分类与严重程度).

A weighted word list per category (see `lexicon`), in Chinese and English, read the way a
desk clerk would skim: which words are there, how telling each one is, and whether a
symptom is denied ("没有异响", "no leak"). No statistics learnt from data, so the result can
be explained by the words it lists and corrected by editing the list.

Severity: a safety system failing, a fire or leaking fuel makes a complaint critical whatever
else it says; repeated failures, a car off the road, lawyers, regulators or the media make it
high; a suggestion or question is low; anything else is normal.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from complaints.domain import lexicon
from complaints.domain.hanzi import to_simplified


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


@dataclass(frozen=True)
class Classification:
    """What the text says: the category with how sure we are and the words that decided it,
    and the severity with the words that raised it."""

    category: Category
    confidence: float  # 0 (no evidence: a person should look) .. 1
    terms: tuple[str, ...]
    severity: Severity
    severity_terms: tuple[str, ...]

    @property
    def safety_related(self) -> bool:
        return self.severity is Severity.CRITICAL


# A category needs this much evidence; a lone hint ("engine") is not enough to leave "other".
MIN_SCORE = 2
# Evidence of this weight gives about two-thirds confidence when nothing else competes.
CONFIDENCE_SCALE = 3.0
# Signs of a badly affected customer needed for high: one strong (a lawyer, a car off the
# road) or two weak ones ("again", "多次").
HIGH_SCORE = 2
# What a safety failure counts for product quality: it points there, but a workshop's slip
# (a caliper bolt left loose) still makes it a service complaint.
SAFETY_WEIGHT = 2
MOST_TERMS_SHOWN = 8
# When two categories score the same, the one with more distinct words wins, then the one that
# matters most downstream: a product defect can make parts count a supplier incident.
TIE_ORDER = list(Category)


def classify(text: str) -> Classification:
    """Classify a complaint's free text (Chinese, simplified or traditional, and/or English)."""
    normal = _normalise(text)
    severity, severity_terms, safety = _severity(normal)
    category, confidence, terms = _category(normal, safety)
    if severity is Severity.NORMAL and category is Category.OTHER and terms:
        # A suggestion, the premises, a text message: nothing wrong with the car or the money.
        severity = Severity.LOW
    return Classification(category, confidence, terms, severity, severity_terms)


def _category(text: _Text, safety: list[_Hit]) -> tuple[Category, float, tuple[str, ...]]:
    scores: dict[Category, int] = {}
    found: dict[Category, list[_Hit]] = {}
    # A safety system failing is a defect of the car unless the rest of the text says otherwise
    # (the brakes failed because the workshop left a bolt loose).
    hits = _CATEGORY_MATCHER.hits(text) + [
        _Hit(hit.term, Category.PRODUCT_QUALITY.value, SAFETY_WEIGHT, hit.start, hit.end) for hit in safety
    ]
    for hit in _distinct(hits):
        category = Category(hit.value)
        if category.value in lexicon.NEGATABLE and _negated(text.matchable, hit.start):
            continue
        scores[category] = scores.get(category, 0) + hit.weight
        found.setdefault(category, []).append(hit)
    if not scores or max(scores.values()) < MIN_SCORE:
        return Category.OTHER, 0.0, ()
    best = max(scores, key=lambda c: (scores[c], len(found[c]), -TIE_ORDER.index(c)))
    top, total = scores[best], sum(scores.values())
    confidence = (top / total) * (1 - math.exp(-top / CONFIDENCE_SCALE))
    decisive: list[_Hit] = []
    for hit in sorted(found[best], key=lambda hit: (-hit.weight, hit.start)):
        if not any(other.start <= hit.start and hit.end <= other.end for other in decisive):
            decisive.append(hit)  # 失灵 adds nothing next to 刹车失灵
    return best, round(confidence, 2), tuple(text.surface(hit) for hit in decisive[:MOST_TERMS_SHOWN])


def _severity(text: _Text) -> tuple[Severity, tuple[str, ...], list[_Hit]]:
    """The severity, the words that set it, and the safety words found (for the category)."""
    safety = [hit for hit in _SAFETY_MATCHER.hits(text) if not _negated(text.matchable, hit.start)]
    safety += _safety_combinations(text)
    if safety:
        return Severity.CRITICAL, _surfaces(text, safety), safety
    high = list(_distinct(_HIGH_MATCHER.hits(text)))
    if sum(hit.weight for hit in high) >= HIGH_SCORE:
        return Severity.HIGH, _surfaces(text, high), []
    low = list(_distinct(_LOW_MATCHER.hits(text)))
    if low and not high:
        return Severity.LOW, _surfaces(text, low), []
    return Severity.NORMAL, (), []


def _safety_combinations(text: _Text) -> list[_Hit]:
    """A safety part with a failure, a dying engine while moving, a leak on something hot,
    each within one sentence."""
    by_sentence: dict[int, list[_Hit]] = {}
    ends = [end for _, end in _sentences(text.matchable)]
    for hit in _GROUP_MATCHER.hits(text):
        if not _negated(text.matchable, hit.start):
            by_sentence.setdefault(bisect.bisect_right(ends, hit.start), []).append(hit)
    combined: list[_Hit] = []
    for inside in by_sentence.values():
        groups = {group for hit in inside for group in hit.value.split(",")}
        for first, second in lexicon.SAFETY_RULES:
            if first in groups and second in groups:
                combined += [hit for hit in inside if {first, second} & set(hit.value.split(","))]
    return combined


# ---------------------------------------------------------------- matching words in text


@dataclass(frozen=True)
class _Text:
    """The text as written (for showing terms) and as matched: same length, position for
    position, with traditional characters made simplified and letters made lower case."""

    written: str
    matchable: str

    def surface(self, hit: _Hit) -> str:
        return self.written[hit.start:hit.end]


@dataclass(frozen=True)
class _Hit:
    term: str
    value: str
    weight: int
    start: int
    end: int


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u3000": " "})


def _normalise(text: str) -> _Text:
    # NFKC turns full-width letters and digits (ＡＢＳ, １２３１５) into plain ones.
    written = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    lowered = "".join(_lower(char) for char in to_simplified(written))
    return _Text(written, lowered)


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char  # keep positions aligned (İ lowers to two)


def _is_chinese(term: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in term)


# English words: letters and digits, with the apostrophe of a contraction (won't); a
# possessive's "'s" and anything else separates them. Words of one term may be apart by spaces, hyphens or slashes only.
_WORD = re.compile(r"[a-z0-9]+(?:'(?:t|re|ve|ll|d|m)(?![a-z]))?")
_WORD_GAP = re.compile(r"[\s/-]*")


class _Matcher:
    """Finds the terms of one list in a text, leftmost first and the longest where two start
    at the same place; a term mapped to None hides the terms inside it (打不着火, not 着火).

    Chinese terms are looked up as substrings, English ones word by word (`leak*` is any
    word starting with "leak"), both in dictionaries built once: a few hundred terms cost
    no more than a handful of lookups per character.
    """

    def __init__(self, terms: Mapping[str, tuple[str, int] | None]):
        self._chinese: dict[str, tuple[str, int] | None] = {}
        # first word -> [(words, last word is a prefix, term, value)], longest first
        self._english: dict[str, list[tuple[tuple[str, ...], bool, str, tuple[str, int] | None]]] = {}
        self._stems: set[str] = set()
        for term, value in terms.items():
            if _is_chinese(term):
                self._chinese[term] = value
                continue
            prefix = term.endswith("*")
            words = tuple(_WORD.findall(term.rstrip("*")))
            if prefix and len(words) == 1:
                self._stems.add(words[0])
            self._english.setdefault(words[0], []).append((words, prefix, term, value))
        for candidates in self._english.values():
            candidates.sort(key=lambda candidate: -sum(map(len, candidate[0])))
        # first character -> lengths of the terms starting with it, longest first
        self._lengths: dict[str, list[int]] = {}
        for term in self._chinese:
            self._lengths.setdefault(term[0], []).append(len(term))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        self._longest_stem = max(map(len, self._stems), default=0)

    def hits(self, text: _Text) -> list[_Hit]:
        return sorted(self._chinese_hits(text.matchable) + self._english_hits(text.matchable),
                      key=lambda hit: hit.start)

    def _chinese_hits(self, text: str) -> list[_Hit]:
        found, position = [], 0
        while position < len(text):
            for length in self._lengths.get(text[position], ()):
                term = text[position:position + length]
                if len(term) == length and term in self._chinese:
                    value = self._chinese[term]
                    if value is not None:
                        found.append(_Hit(term, value[0], value[1], position, position + length))
                    position += length
                    break
            else:
                position += 1
        return found

    def _english_hits(self, text: str) -> list[_Hit]:
        words = list(_WORD.finditer(text))
        found, index = [], 0
        while index < len(words):
            matched = self._longest_at(text, words, index)
            if matched is None:
                index += 1
                continue
            count, term, value = matched
            if value is not None:
                found.append(_Hit(term, value[0], value[1], words[index].start(), words[index + count - 1].end()))
            index += count
        return found

    def _longest_at(self, text: str, words: list[re.Match], index: int):
        word = words[index].group()
        shorter = range(min(len(word) - 1, self._longest_stem), 0, -1)
        keys = [word] + [word[:end] for end in shorter if word[:end] in self._stems]
        best = None
        for key in keys:
            for term_words, prefix, term, value in self._english.get(key, ()):
                count = len(term_words)
                if (best is None or count > best[0]) and self._words_match(
                        text, words, index, term_words, prefix):
                    best = (count, term, value)
        return best

    @staticmethod
    def _words_match(text: str, words: list[re.Match], index: int, term_words: tuple[str, ...],
                     prefix: bool) -> bool:
        if index + len(term_words) > len(words):
            return False
        for offset, expected in enumerate(term_words):
            word = words[index + offset]
            last = offset == len(term_words) - 1
            if not (word.group().startswith(expected) if prefix and last else word.group() == expected):
                return False
            if offset and not _WORD_GAP.fullmatch(text, words[index + offset - 1].end(), word.start()):
                return False
        return True


def _distinct(hits: list[_Hit]) -> list[_Hit]:
    """Each term counts once, however often the customer repeats it."""
    seen: set[str] = set()
    first = []
    for hit in hits:
        if hit.term not in seen:
            seen.add(hit.term)
            first.append(hit)
    return first


def _surfaces(text: _Text, hits: list[_Hit]) -> tuple[str, ...]:
    shown: list[str] = []
    for hit in sorted(hits, key=lambda hit: hit.start):
        surface = text.surface(hit)
        if surface not in shown:
            shown.append(surface)
    return tuple(shown[:MOST_TERMS_SHOWN])


_CHINESE_NEGATION = re.compile(r"(?:没有|没|未|无|并无|并未|不是|并非)(?:任何|出现|发生|发现|再|过|什么)?$")
_ENGLISH_NEGATION = re.compile(r"(?:(?<![a-z])(?:no|not|never|without)|n't)(?:\s+[a-z]+){0,2}\s+$")


def _negated(text: str, start: int) -> bool:
    return bool(_CHINESE_NEGATION.search(text, max(0, start - 6), start)
                or _ENGLISH_NEGATION.search(text, max(0, start - 40), start))


# A full stop followed by a digit is a decimal point (3.5 L), not the end of a sentence.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?!\d)")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; the end is where its full stop or line break is."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        spans.append((start, end.start()))
        start = end.end()
    spans.append((start, len(text)))
    return spans


def _weighted(terms: Mapping[str, int | None], value: str) -> dict[str, tuple[str, int] | None]:
    return {term: None if weight is None else (value, weight) for term, weight in terms.items()}


def _category_terms() -> dict[str, tuple[str, int] | None]:
    """One list for all categories; a term listed under two categories counts for the heavier."""
    merged: dict[str, tuple[str, int] | None] = {}
    for category, terms in lexicon.CATEGORY_TERMS.items():
        for term, weight in terms.items():
            if term not in merged or merged[term][1] < weight:
                merged[term] = (category, weight)
    return merged | dict.fromkeys(lexicon.CATEGORY_LOOKALIKES)


_CATEGORY_MATCHER = _Matcher(_category_terms())
_SAFETY_MATCHER = _Matcher(_weighted(lexicon.SAFETY_TERMS, "safety"))
_HIGH_MATCHER = _Matcher(_weighted(lexicon.HIGH_TERMS, "high"))
_LOW_MATCHER = _Matcher(_weighted(lexicon.LOW_TERMS, "low"))
def _group_terms() -> dict[str, tuple[str, int]]:
    """term -> the groups it belongs to, comma-separated (故障 is a failure of brakes and of airbags)."""
    groups: dict[str, list[str]] = {}
    for group, terms in lexicon.SAFETY_GROUPS.items():
        for term in terms:
            groups.setdefault(term, []).append(group)
    return {term: (",".join(names), 1) for term, names in groups.items()}


_GROUP_MATCHER = _Matcher(_group_terms())
