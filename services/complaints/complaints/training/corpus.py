"""Labelled complaints, as the corpus keeps them (`corpus/GUIDE.md`), read for training and
evaluation.

One JSON object a line with at least `text` and `category`; `severity`, `safety_related`,
`id`, `lang`, `channel`, `kinds` and `writer` when known. The desk's sample
(`tests/data/complaints_sample.jsonl`) and the staff's corrections
(`python -m complaints export-corrections`) are in the same format.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

SERVICE_ROOT = Path(__file__).resolve().parents[2]
CORPUS = SERVICE_ROOT / "corpus"
TRAIN = CORPUS / "train"
TEST = CORPUS / "test"
CORRECTIONS = CORPUS / "corrections"
TESTS_DATA = SERVICE_ROOT / "tests" / "data"
SAMPLE = TESTS_DATA / "complaints_sample.jsonl"
HANDWRITTEN = TESTS_DATA / "complaints_handwritten.jsonl"


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    category: str
    severity: str | None
    safety_related: bool | None
    writer: str  # who wrote it: the corpus writer, or the file it came from
    lang: str | None = None
    channel: str | None = None
    kinds: tuple[str, ...] = field(default=())


def read(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        severity = row.get("severity")
        safety = row.get("safety_related")
        if safety is None and severity is not None:
            safety = severity == "critical"
        examples.append(Example(
            id=str(row.get("id", f"{path.name}:{number}")), text=row["text"], category=row["category"],
            severity=severity, safety_related=safety, writer=str(row.get("writer") or path.stem),
            lang=row.get("lang"), channel=row.get("channel"), kinds=tuple(row.get("kinds") or ()),
        ))
    return examples


def training_files() -> list[Path]:
    """The corpus writers' training files: the folds of cross-validation."""
    return sorted(TRAIN.glob("*.jsonl"))


def extra_files() -> list[Path]:
    """Labelled texts that only ever add to training: the hand-written test examples and the
    desk's exported corrections kept in `corpus/corrections/`."""
    return [HANDWRITTEN, *sorted(CORRECTIONS.glob("*.jsonl"))]


def held_out_files() -> list[Path]:
    return sorted(TEST.glob("*.jsonl"))


def relative(path: Path) -> str:
    """A file's name as the artefact records it: relative to the service, if it is inside."""
    path = path.resolve()
    return str(path.relative_to(SERVICE_ROOT)) if path.is_relative_to(SERVICE_ROOT) else path.name


def digest(paths: list[Path]) -> dict[str, str]:
    """sha256 of each file's bytes, by its recorded name."""
    return {relative(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}
