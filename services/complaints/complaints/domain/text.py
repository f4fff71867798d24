"""A complaint's text as the classifier reads it (投诉文本): normalised, split into sentences,
searched for the terms of a word list.

Normalising keeps the length, position for position, so whatever is found in the normalised
text is shown to the desk as the customer wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from complaints.domain.hanzi import to_simplified


@dataclass(frozen=True)
class Text:
    """The text as written (for showing terms) and as matched: same length, position for
    position, with traditional characters made simplified and letters made lower case."""

    written: str
    matchable: str


@dataclass(frozen=True)
class Hit:
    term: str
    value: str
    weight: int
    start: int
    end: int


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u3000": " "})


def normalise(text: str) -> Text:
    # NFKC turns full-width letters and digits (ＡＢＳ, １２３１５) into plain ones.
    written = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    simplified = to_simplified(written)
    lowered = simplified.lower()
    if len(lowered) != len(simplified):
        lowered = "".join(_lower(char) for char in simplified)
    return Text(written, lowered)


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char  # keep positions aligned (İ lowers to two)


def is_chinese(term: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in term)


# English words: letters and digits, with the apostrophe of a contraction (won't); a
# possessive's "'s" and anything else separates them. Words of one term may be apart by spaces,
# hyphens or slashes only.
WORD = re.compile(r"[a-z0-9]+(?:'(?:t|re|ve|ll|d|m)(?![a-z]))?")
_WORD_GAP = re.compile(r"[\s/-]*")


class Matcher:
    """Finds the terms of several word lists in a text in one pass. Within each list: leftmost
    first and the longest where two start at the same place, and a term mapped to None hides
    the terms inside it (打不着火, not 着火).

    Chinese terms are looked up as substrings, English ones word by word (`leak*` is any
    word starting with "leak"), both in dictionaries built once: a few hundred terms cost
    no more than a handful of lookups per character, however many lists there are.
    """

    def __init__(self, lists: Mapping[str, Mapping[str, tuple[str, int] | None]]):
        self.names = tuple(lists)
        # term -> [(list, value)]
        self._chinese: dict[str, list[tuple[str, tuple[str, int] | None]]] = {}
        # first word -> [(words, last word is a prefix, term, [(list, value)])], longest first
        self._english: dict[str, list[tuple[tuple[str, ...], bool, str, list]]] = {}
        english: dict[str, list[tuple[str, tuple[str, int] | None]]] = {}
        self._stems: set[str] = set()
        for name, terms in lists.items():
            for term, value in terms.items():
                (self._chinese if is_chinese(term) else english).setdefault(term, []).append((name, value))
        for term, owners in english.items():
            prefix = term.endswith("*")
            words = tuple(WORD.findall(term.rstrip("*")))
            if prefix and len(words) == 1:
                self._stems.add(words[0])
            self._english.setdefault(words[0], []).append((words, prefix, term, owners))
        for candidates in self._english.values():
            candidates.sort(key=lambda candidate: -sum(map(len, candidate[0])))
        # first character -> lengths of the terms starting with it, longest first
        self._lengths: dict[str, list[int]] = {}
        for term in self._chinese:
            self._lengths.setdefault(term[0], []).append(len(term))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        self._longest_stem = max(map(len, self._stems), default=0)

    def hits(self, text: Text, words: list[re.Match] | None = None) -> dict[str, list[Hit]]:
        """Each list's terms found, in the order they start; `words` are the text's English
        words if the caller has them already."""
        if words is None:
            words = list(WORD.finditer(text.matchable))
        found: dict[str, list[Hit]] = {name: [] for name in self.names}
        self._chinese_hits(text.matchable, found)
        self._english_hits(text.matchable, words, found)
        for hits in found.values():
            hits.sort(key=lambda hit: hit.start)
        return found

    def _chinese_hits(self, text: str, found: dict[str, list[Hit]]) -> None:
        lengths_of, terms = self._lengths, self._chinese
        free = dict.fromkeys(self.names, 0)  # per list: where its next term may start
        for position, char in enumerate(text):
            lengths = lengths_of.get(char)
            if lengths is None:
                continue
            for length in lengths:
                owners = terms.get(text[position:position + length])
                if owners is None:
                    continue
                for name, value in owners:
                    if free[name] <= position:
                        free[name] = position + length
                        if value is not None:
                            found[name].append(Hit(text[position:position + length], value[0], value[1],
                                                   position, position + length))

    def _english_hits(self, text: str, words: list[re.Match], found: dict[str, list[Hit]]) -> None:
        free = dict.fromkeys(self.names, 0)  # per list: the next word its term may start at
        for index in range(len(words)):
            for count, term, owners in self._matches_at(text, words, index):
                for name, value in owners:
                    if free[name] <= index:
                        free[name] = index + count
                        if value is not None:
                            found[name].append(Hit(term, value[0], value[1], words[index].start(),
                                                   words[index + count - 1].end()))

    def _matches_at(self, text: str, words: list[re.Match], index: int):
        """The terms starting at this word, longest first."""
        word = words[index].group()
        shorter = range(min(len(word) - 1, self._longest_stem), 0, -1)
        keys = [word] + [word[:end] for end in shorter if word[:end] in self._stems]
        matches = []
        for key in keys:
            for term_words, prefix, term, owners in self._english.get(key, ()):
                if self._words_match(text, words, index, term_words, prefix):
                    matches.append((len(term_words), term, owners))
        matches.sort(key=lambda match: -match[0])
        return matches

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


def distinct(hits: list[Hit]) -> list[Hit]:
    """Each term counts once, however often the customer repeats it."""
    seen: set[str] = set()
    first = []
    for hit in hits:
        if hit.term not in seen:
            seen.add(hit.term)
            first.append(hit)
    return first


_CHINESE_NEGATION = re.compile(r"(?:没有|没|未|无|并无|并未|不是|并非)(?:任何|出现|发生|发现|再|过|什么)?$")
_ENGLISH_NEGATION = re.compile(r"(?:(?<![a-z])(?:no|not|never|without|nothing)|n't)(?:\s+[a-z]+){0,2}\s+$")


def negated(text: str, start: int) -> bool:
    """Is the term starting here denied ("没有异响", "no leak")?"""
    return bool(_CHINESE_NEGATION.search(text, max(0, start - 6), start)
                or _ENGLISH_NEGATION.search(text, max(0, start - 40), start))


# A full stop followed by a digit is a decimal point (3.5 L), not the end of a sentence.
SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?!\d)")


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of the text ends (its full stop or line break), the last at the end."""
    return [end.start() for end in SENTENCE_END.finditer(text)] + [len(text)]
