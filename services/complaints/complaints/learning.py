"""The classifier's own commands, next to those every service has (`shared.service`):

    python -m complaints train [--extra FILE ...] [--out PATH]
        fit the classifier on corpus/train (and FILEs, e.g. exported corrections), choose its
        thresholds by cross-validation across the corpus writers, write complaints/domain/classifier.json
    python -m complaints export-corrections FILE
        write every correction the desk made (all dealers) as labelled examples, JSON Lines in
        the corpus format, for `train --extra FILE`

Training needs scikit-learn (requirements-test.lock); the service itself never does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.db import ALL_DEALERS, Database

from complaints.app import COMPLAINTS
from complaints.domain.classification import ARTEFACT
from complaints.queries import corrections

COMMANDS = ("train", "export-corrections")


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaints", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="fit the classifier on the corpus's training files")
    train.add_argument("--extra", type=Path, action="append", default=[], metavar="FILE",
                       help="more labelled examples, e.g. exported corrections (repeatable)")
    train.add_argument("--out", type=Path, default=ARTEFACT, help=f"where to write the model (default {ARTEFACT.name})")
    export = commands.add_parser("export-corrections", help="the desk's corrections as training examples")
    export.add_argument("file", type=Path, help="JSON Lines to write")
    args = parser.parse_args(argv)
    if args.command == "train":
        from complaints.training.fit import report, train as fit  # scikit-learn: only here

        artefact, held = fit(extra=args.extra, out=args.out)
        sys.stdout.write(report(artefact, held) + "\n")
    else:
        database = Database(COMPLAINTS.settings().database_url)
        try:
            with database.reading(ALL_DEALERS) as session:
                rows = corrections.examples(session)
        finally:
            database.dispose()
        args.file.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        sys.stdout.write(f"{len(rows)} corrections written to {args.file}\n")
    return 0
