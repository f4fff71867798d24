"""What the desk's word lists (`lexicon`) find in a complaint (词表线索).

The word lists were the whole classifier once; now they are evidence for the learned model
(`classification`), which weighs each cue by how well it predicted the labels in training:
- the category each list points to, and how strongly (the sum of the weights of the terms
  found, each counted once; a denied symptom, "没有异响", does not count);
- safety: a safety term ("刹车失灵", "caught fire") or a symptom rule (a part and what it does,
  within one sentence: "刹车" with "软绵绵", "wheel nuts" with "loose"), each not denied;
- signs of a high severity (repeats, lawyers, regulators) and of a low one ("不着急", "no rush").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from complaints.domain import lexicon
from complaints.domain.text import WORD, Hit, Matcher, Text, distinct, is_chinese, negated, sentence_ends


@dataclass(frozen=True)
class Cues:
    categories: dict[str, tuple[int, tuple[Hit, ...]]]  # category -> (score, the terms found)
    safety: tuple[tuple[str, Hit], ...]  # (what: "term" or the rule "brakes+sinks", a hit)
    high: tuple[Hit, ...]
    low: tuple[Hit, ...]

    @property
    def high_score(self) -> int:
        return sum(hit.weight for hit in self.high)


def read(text: Text, words: list[re.Match]) -> Cues:
    """The cues in a normalised text whose English words (`text.WORD` matches) are given."""
    found = _MATCHER.hits(text, words)
    categories: dict[str, tuple[int, list[Hit]]] = {}
    for hit in distinct(found["category"]):
        if hit.value in lexicon.NEGATABLE and negated(text.matchable, hit.start):
            continue
        score, hits = categories.get(hit.value, (0, []))
        hits.append(hit)
        categories[hit.value] = (score + hit.weight, hits)
    safety = [("term", hit) for hit in found["safety"] if not negated(text.matchable, hit.start)]
    safety += _symptoms(text, found["symptom"])
    return Cues(
        categories={name: (score, tuple(hits)) for name, (score, hits) in categories.items()},
        safety=tuple(safety),
        high=tuple(distinct(found["high"])),
        low=tuple(distinct(found["low"])),
    )


def _symptoms(text: Text, hits: list[Hit]) -> list[tuple[str, Hit]]:
    """Each symptom rule whose groups are all in one sentence, with the terms that made it."""
    by_sentence: dict[int, list[Hit]] = {}
    ends = sentence_ends(text.matchable)
    for hit in hits:
        if not negated(text.matchable, hit.start):
            by_sentence.setdefault(bisect.bisect_left(ends, hit.start), []).append(hit)
    found: dict[str, Hit] = {}
    for sentence, inside in by_sentence.items():
        window = inside + by_sentence.get(sentence + 1, [])  # this sentence and the next
        groups = {group for hit in window for group in hit.value.split(",")}
        for rule in (*lexicon.SAFETY_RULES, *lexicon.SAFETY_CONTEXT_RULES):
            name = "+".join(rule)
            if name not in found and groups.issuperset(rule):
                found[name] = next(hit for hit in window if set(rule) & set(hit.value.split(",")))
    return list(found.items())


def _weighted(terms, value: str) -> dict[str, tuple[str, int] | None]:
    return {term: None if weight is None else (value, weight) for term, weight in terms.items()}


def _category_terms() -> dict[str, tuple[str, int] | None]:
    """One list for all categories; a term listed under two categories counts for the heavier."""
    merged: dict[str, tuple[str, int] | None] = {}
    for category, terms in lexicon.CATEGORY_TERMS.items():
        for term, weight in terms.items():
            if term not in merged or merged[term][1] < weight:
                merged[term] = (category, weight)
    return merged | dict.fromkeys(lexicon.CATEGORY_LOOKALIKES)


def _group_terms() -> dict[str, tuple[str, int]]:
    """term -> the groups it belongs to, comma-separated (故障 is a failure of brakes and of
    airbags), and those of the terms inside it: the matcher takes the longest term at a place,
    and "warning light" (a warning light) is also "light*" (an airbag's trouble)."""
    groups: dict[str, set[str]] = {}
    for group, terms in lexicon.SAFETY_GROUPS.items():
        for term in terms:
            groups.setdefault(term, set()).add(group)
    english: dict[tuple[str, ...], set[str]] = {}  # the words of a term (a stem ends in "*") -> groups
    for term, names in groups.items():
        if not is_chinese(term):
            english.setdefault(tuple(WORD.findall(term.rstrip("*"))) + (("*",) if term.endswith("*") else ()),
                               set()).update(names)
    found: dict[str, tuple[str, int]] = {}
    for term, names in groups.items():
        inside = set(names)
        if names & lexicon.SAFETY_MASKS:
            pass  # a mask hides what is inside it
        elif is_chinese(term):
            for start in range(len(term)):
                for end in range(start + 1, len(term) + 1):
                    inside |= groups.get(term[start:end], set())
        else:
            words = WORD.findall(term.rstrip("*"))
            for start in range(len(words)):
                for end in range(start + 1, len(words) + 1):
                    part = tuple(words[start:end])
                    inside |= english.get(part, set())
                    for cut in range(1, len(part[-1])):  # a stem: "warning" is "warn*"
                        inside |= english.get(part[:-1] + (part[-1][:cut], "*"), set())
                    inside |= english.get(part + ("*",), set())
        found[term] = (",".join(sorted(inside)), 1)
    return found


_MATCHER = Matcher({
    "category": _category_terms(),
    "safety": _weighted(lexicon.SAFETY_TERMS, "safety"),
    "high": _weighted(lexicon.HIGH_TERMS, "high"),
    "low": _weighted(lexicon.LOW_TERMS, "low"),
    "symptom": _group_terms(),
})
