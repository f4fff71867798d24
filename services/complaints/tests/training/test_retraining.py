"""Training the classifier again from its corpus gives the committed model: tens of seconds of
CPU, so these tests have a kind of their own (`training`) and stay out of `-m unit`."""

from __future__ import annotations

import json

import pytest

from complaints.domain.classification import ARTEFACT
from complaints.training.corpus import SERVICE_ROOT

ARTEFACT_JSON = json.loads(ARTEFACT.read_text(encoding="utf-8"))


def test_training_again_gives_the_same_model():
    """The same features, words and settings, and the same weights to within what the CPU changes:
    the solver's BLAS kernels differ between processors (AVX2, AVX-512), which moves a few
    weights of 233,000 in their fourth decimal (at most 0.0025 measured between two machines)."""
    pytest.importorskip("sklearn")
    from complaints.training.fit import Settings, dump, examples_of, featurise, fit

    trained_on = ARTEFACT_JSON["trained_on"]
    examples = examples_of([SERVICE_ROOT / name for name in trained_on["files"]])
    artefact = fit(examples, featurise(examples), Settings(), temperature=ARTEFACT_JSON["temperature"],
                   safety_threshold=ARTEFACT_JSON["safety_threshold"], review_below=ARTEFACT_JSON["review_below"],
                   trained_on=trained_on)
    assert _differences(json.loads(dump(artefact)), ARTEFACT_JSON, "") == []


def _differences(trained, committed, where: str, weight_tolerance: float = 0.01) -> list[str]:
    if isinstance(trained, dict) and isinstance(committed, dict):
        if trained.keys() != committed.keys():
            return [f"{where}: keys {sorted(trained.keys() ^ committed.keys())[:5]}"]
        return [found for key in trained for found in _differences(trained[key], committed[key], f"{where}/{key}")]
    if isinstance(trained, list) and isinstance(committed, list):
        if len(trained) != len(committed):
            return [f"{where}: {len(trained)} items, {len(committed)} committed"]
        return [found for index, (mine, theirs) in enumerate(zip(trained, committed))
                for found in _differences(mine, theirs, f"{where}[{index}]")]
    if isinstance(trained, float) or isinstance(committed, float):
        if isinstance(trained, bool | str) or isinstance(committed, bool | str):
            return [f"{where}: {trained!r} != {committed!r}"]
        return [] if abs(trained - committed) <= weight_tolerance else [f"{where}: {trained} != {committed}"]
    return [] if trained == committed else [f"{where}: {trained!r} != {committed!r}"]
