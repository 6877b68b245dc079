"""A painting painted again from its stroke log, step by step, off-screen.

The duel replay's screen and its export both grow the painting with this: a fresh Canvas of
the round's size and seed, the log's steps run up to a count (game/replay.py says which
count each frame shows), to the end of the log. The log is read after PaintScene.finish let
the paint settle (canvas.update(10.0)), so its last record's `ticks_after` already holds
those ticks: the whole log replayed is the painting that was scored, byte for byte, and
settling again would dry a wet wash further than the player's. A damaged log stops the replay where it broke (logged): the
caller then shows the finished painting instead. No pygame: the export process runs it too.
"""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from brushes import Canvas, StrokeRecord, replay_steps

log = logging.getLogger(__name__)

def records(stroke_log: Sequence) -> list[StrokeRecord]:
    """StrokeRecords from a log of records or of their to_dict() forms (the export's)."""
    return [StrokeRecord.from_dict(r) if isinstance(r, dict) else r for r in stroke_log or ()]


class StrokeReplayer:
    """Replays a stroke log onto its own canvas, as far as asked."""

    def __init__(self, stroke_log: Sequence, size: tuple[int, int], seed: int) -> None:
        width, height = size
        self.canvas = Canvas(width, height, seed=seed)
        self.done = 0               # steps replayed so far
        self.finished = False       # the log ran out (or broke)
        self.failed = False         # it broke: the caller shows the stored painting
        try:
            parsed = records(stroke_log)
        except (KeyError, TypeError, ValueError) as exc:    # a hand-edited or cut-off log
            log.warning("the duel replay cannot read its stroke log: %s", exc)
            parsed, self.finished, self.failed = [], True, True
        self._steps = replay_steps(parsed, self.canvas)

    def advance_to(self, points: int, most: int | None = None) -> int:
        """Replay steps until `points` are done (at most `most` of them in this call);
        returns how many are done."""
        todo = points - self.done
        if most is not None:
            todo = min(todo, most)
        try:
            for _ in range(max(0, todo)):
                next(self._steps)
                self.done += 1
        except StopIteration:
            self.finished = True
        except Exception as exc:       # noqa: BLE001 - a damaged log must not stop the game
            log.warning("the duel replay's stroke log broke at step %d: %s", self.done, exc)
            self.finished = self.failed = True
        return self.done

    def settle(self) -> None:
        """Replay the rest of the log: the canvas is then the finished painting."""
        while not self.finished:
            self.advance_to(self.done + 1000)

    def rgb8(self) -> np.ndarray:
        """The canvas now: (h, w, 3) uint8."""
        return self.canvas.rgb8()

    def dirty(self) -> tuple[int, int, int, int] | None:
        """The (x, y, w, h) the canvas changed in since the last call, or None."""
        self.canvas.flush()
        return self.canvas.pop_dirty()
