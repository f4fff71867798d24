"""The features a complaint's text is classified by (特征), the same in training and at the desk.

- Chinese: every run of one, two and three characters (`c:刹车`), so words need no segmenter
  and a new word is still seen through its pieces; traditional characters are read as
  simplified ones.
- English and other Latin-script words, and pairs of neighbouring words (`w:loose`,
  `w:wheel nuts`).
- The desk's word lists (`cues`): the category each points to and how strongly, the safety
  terms and symptom rules found, the signs of a high or low severity (`cue:…`).
- Negation and contrast: a word in the reach of a denial ("不是顾问的问题", "it isn't the
  advisor") is also counted as denied (`¬w:advisor`), and one after a turn ("而是变速箱",
  "it's the gearbox", "but …") as the point of the complaint (`»c:变速`). The model learns
  what a denied or stressed word is worth; the plain feature stays.

Each feature comes with where it first occurs in the text, to show the desk the words that
decided a classification.
"""

from __future__ import annotations

import re

from complaints.domain import cues, lexicon
from complaints.domain.text import WORD, Text, sentence_ends

Span = tuple[int, int]

LONGEST_CHINESE_GRAM = 3
_CHINESE_RUN = re.compile(r"[\u3400-\u9fff]+")

# A denial reaches to the end of its clause; a turn to the end of its sentence.
_DENIAL = re.compile(
    r"不是|并非|并不是|并没有|没有|不在于|不关|跟.{0,6}无关|与.{0,6}无关|唔系|唔关|冇|没|无|未"
    r"|(?<![a-z])(?:not|no|never|without|nothing|nor)(?![a-z])|n't(?![a-z])")
_TURN = re.compile(
    r"而是|但是|可是|不过|只是|就是|问题是|问题在|问题出在|主要是|投诉的是|要投诉|想投诉|反映的是"
    r"|(?<![a-z])(?:but|however|instead|rather|actually|it's the|it is the|the problem is|the issue is"
    r"|my complaint|what i'm complaining|what i am complaining|what i don't accept|is about)(?![a-z])")
_CLAUSE_END = re.compile(r"[，,。！？!?；;:：\n]|\.(?!\d)|(?<![a-z])(?:but|and)(?![a-z])|而是|但|可是|不过")
DENIAL_REACH = 12  # characters of Chinese, or about three English words

# Safety rules about the customer's situation ("不敢开", "pulled over"), not a symptom of the car.
CONTEXT = frozenset("+".join(rule) for rule in lexicon.SAFETY_CONTEXT_RULES)
# Category scores of the word lists, in bands: a hint, some evidence, strong evidence.
_BANDS = ((2, "2"), (5, "5"), (9, "9"))


def features(text: Text) -> dict[str, Span]:
    """Every feature of the normalised text, with the span of its first occurrence."""
    matchable = text.matchable
    found: dict[str, Span] = {}
    plain: list[tuple[str, int, int]] = []
    for run in _CHINESE_RUN.finditer(matchable):
        chars, offset = run.group(), run.start()
        for size in range(1, LONGEST_CHINESE_GRAM + 1):
            for start in range(len(chars) - size + 1):
                plain.append(("c:" + chars[start:start + size], offset + start, offset + start + size))
    words = list(WORD.finditer(matchable))
    previous = None
    for word in words:
        plain.append(("w:" + word.group(), word.start(), word.end()))
        if previous is not None and _adjacent(matchable, previous.end(), word.start()):
            plain.append(("w:" + previous.group() + " " + word.group(), previous.start(), word.end()))
        previous = word
    for name, start, end in plain:
        if name not in found:
            found[name] = (start, end)
    _scoped(found, plain, _scopes(matchable, _DENIAL, clause=True), "¬")
    _scoped(found, plain, _scopes(matchable, _TURN, clause=False), "»")
    _cue_features(found, cues.read(text, words))
    return found


def _adjacent(text: str, end: int, start: int) -> bool:
    """Two words are neighbours when only spaces, hyphens or slashes stand between them."""
    return not text[end:start].strip(" -/")


def _scopes(text: str, marker: re.Pattern, *, clause: bool) -> list[Span]:
    """Where each marker's reach lies: to the end of its clause (a denial, and then no more
    than DENIAL_REACH characters) or of its sentence (a turn)."""
    spans = []
    ends = sentence_ends(text) if not clause else None
    for found in marker.finditer(text):
        start = found.end()
        if clause:
            stop = _CLAUSE_END.search(text, start)
            end = min(stop.start() if stop else len(text), start + DENIAL_REACH * (4 if text[start:start + 1].isascii() else 1))
        else:
            end = next(end for end in ends if end >= start)
        if end > start:
            spans.append((start, end))
    return spans


def _scoped(found: dict[str, Span], plain: list[tuple[str, int, int]], scopes: list[Span], mark: str) -> None:
    if not scopes:
        return
    for name, start, end in plain:
        if any(low <= start and end <= high for low, high in scopes):
            marked = mark + name
            if marked not in found:
                found[marked] = (start, end)


def _cue_features(found: dict[str, Span], read: cues.Cues) -> None:
    best, best_score = None, 0
    for category, (score, hits) in read.categories.items():
        span = _strongest(hits)
        for least, band in _BANDS:
            if score >= least:
                found.setdefault(f"cue:{category}:{band}", span)
        if score > best_score:
            best, best_score = category, score
    if best is not None and best_score >= _BANDS[0][0]:
        found.setdefault(f"cue:best:{best}", _strongest(read.categories[best][1]))
    for what, hit in read.safety:
        if what not in CONTEXT:
            found.setdefault("cue:safety", (hit.start, hit.end))
        found.setdefault(f"cue:safety:{what}", (hit.start, hit.end))
    if read.high:
        span = _strongest(read.high)
        found.setdefault("cue:high", span)
        if read.high_score >= 2:
            found.setdefault("cue:high:2", span)
    if read.low:
        found.setdefault("cue:low", _strongest(read.low))


def _strongest(hits) -> Span:
    hit = max(hits, key=lambda hit: (hit.weight, -hit.start))
    return hit.start, hit.end
