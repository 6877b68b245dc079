"""`python main.py score --against REF.png [--against REF2.png] PAINTING.png [PAINTING...]`

Scores paintings against one or two machine pictures exactly as the reveal would: the same
Scorer.verdict the scoring worker runs, in one process (TensorFlow and each reference's anchors
are prepared once). One JSON object per painting on stdout, in the order given:

    {"painting": "a.png", "score": 6.1, "parts": {"layout": 7.4, "colour": 3.2,
     "brushwork": 5.9}, "cost": "colour", "vs": {"REF.png": 6.0, "REF2.png": 6.2}}

A painting that cannot be read gets {"painting": ..., "error": "one line"} and the rest are
still scored; so does every painting when a reference cannot be read. Exit status 0 when every
painting was scored, 1 when any was not, 2 for a usage error or a missing score model.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from models.reasons import one_line


DESCRIPTION = "Score paintings against machine pictures, as the reveal would."
EXAMPLES = """\
examples:
  main.py score --against magenta.png --against gatys.png mine.png theirs.png
  main.py score --against magenta.png painting.png      one machine picture alone

One JSON line per painting, in order: {"painting": ..., "score": ..., "parts": {...},
"cost": ..., "vs": {...}}, or {"painting": ..., "error": ...}. Exit status 0 when every
painting was scored, 1 when any was not, 2 for a usage error or a missing score model."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py score", description=DESCRIPTION,
                                     epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The score command's arguments (main.py's parser shares them)."""
    parser.add_argument("--against", action="append", required=True, metavar="REF",
                        help="a machine's picture of the pair (give one or two)")
    parser.add_argument("paintings", nargs="+", metavar="PAINTING", help="pictures to score")
    parser.add_argument("--model", type=Path, help="score model folder (default: committed)")


def reason(error: Exception) -> str:
    """The loader's own sentence when it has one (it names the file), else `Type: text`."""
    return one_line(str(error)) if str(error).strip() else one_line(error)


def emit(line: dict) -> None:
    print(json.dumps(line, ensure_ascii=False), flush=True)


def main(argv: list[str], load_image: Callable[[Path], np.ndarray]) -> int:
    """Returns the exit code; load_image raises an exception whose str is the message."""
    args = build_parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from models.score import ScoreUnavailable, Scorer

    try:
        scorer = Scorer.load(args.model)
    except ScoreUnavailable as error:
        print(f"score: {error}", file=sys.stderr)
        return 2
    references, reference_error = {}, ""
    for path in dict.fromkeys(args.against):          # the same file twice counts once
        try:
            references[path] = load_image(Path(path))
            scorer.reference(references[path])        # anchors once, before any painting
        except Exception as error:  # noqa: BLE001 - the loader's message is the one to show
            reference_error = f"reference {path}: {reason(error)}"
            print(f"score: {reference_error}", file=sys.stderr)
            break
    failures = 0
    for path in args.paintings:
        if reference_error:
            emit({"painting": path, "error": reference_error})
            failures += 1
            continue
        try:
            verdict = scorer.verdict(load_image(Path(path)), references)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the rest
            emit({"painting": path, "error": reason(error)})
            failures += 1
            continue
        emit({"painting": path, "score": verdict.score, "parts": verdict.parts,
              "cost": verdict.cost, "vs": verdict.vs})
    return 1 if failures else 0
