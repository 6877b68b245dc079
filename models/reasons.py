"""Errors turned into one clean line a player can read (no colour codes, no stack dumps).

TensorFlow's errors span many lines, carry terminal colour codes and quote whole graphs;
a reason shown on the reveal is a sentence. No TensorFlow or numpy here: the worker uses it
on whatever was raised.
"""
from __future__ import annotations

import re

# CSI sequences (colours, cursor moves) and other escape sequences, as terminals use them.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_REASON_CHARS = 160      # about two lines of the reveal's caption at the smallest size


def one_line(error: BaseException | str, limit: int = MAX_REASON_CHARS) -> str:
    """`Type: first meaningful line` of an error, escapes stripped, cut with an ellipsis."""
    if isinstance(error, BaseException):
        text, kind = str(error), type(error).__name__
    else:
        text, kind = str(error), ""
    text = _ESCAPES.sub("", text)
    lines = [_CONTROL.sub(" ", line).strip() for line in text.splitlines()]
    first = next((line for line in lines if line), "")
    line = f"{kind}: {first}" if kind and first else (kind or first or "unknown error")
    line = " ".join(line.split())
    if len(line) > limit:
        line = line[:limit - 1].rstrip() + "…"
    return line
