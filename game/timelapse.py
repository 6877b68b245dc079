"""A painting painted again from its stroke log, step by step, off-screen.

The duel replay's screen and its export both grow the painting with this: a fresh Canvas of
the round's size and seed, the log's steps run up to a count (game/replay.py says which
count each frame shows), to the end of the log. The log is read after PaintScene.finish let
the paint settle (canvas.update(10.0)), so its last record's `ticks_after` already holds
those ticks: the whole log replayed is the painting that was scored, byte for byte, and
settling again would dry a wet wash further than the player's. A damaged log stops the
replay where it broke (logged): the caller then shows the finished painting instead. No
pygame: the export process runs it too.
"""
from __future__ import annotations

import logging
import time
from typing import Iterator, Sequence

import numpy as np

from brushes import Canvas, StrokeRecord
from brushes.record import CLEAR

log = logging.getLogger(__name__)

def _ticks(canvas: Canvas, count: int) -> Iterator[bool]:
    for _ in range(max(0, count)):
        canvas.run_ticks(1)
        yield False


def fine_steps(log: list[StrokeRecord], canvas: Canvas) -> Iterator[bool]:
    """brushes.replay_steps, yielding between wet-simulation ticks as well: True after each
    point (and clear), which replay_steps yields for; False after each tick. A 6-s wait
    for a wash to dry is hundreds of ticks in one of replay_steps' steps, too long for a
    game frame; here a frame can stop between any two ticks (one phase at a time gives
    the same pixels as run_ticks(n): it runs phase by phase)."""
    for record in log:
        if record.dry_before:
            canvas.force_dry()
        if record.kind == CLEAR:
            canvas.clear()
            yield True
        else:
            x, y, t, _ = record.points[0]
            stroke = record.make_tool().begin(canvas, x, y, t, record.seed)
            done = 0
            yield True
            for x, y, t, ticks in record.points[1:]:
                yield from _ticks(canvas, ticks - done)
                done = ticks
                stroke.extend(x, y, t)
                yield True
            yield from _ticks(canvas, record.end_tick - done)
            stroke.end()
        yield from _ticks(canvas, record.ticks_after)


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
        self.total = sum(1 if r.kind == CLEAR else max(1, len(r.points)) for r in parsed)
        self._steps = fine_steps(parsed, self.canvas)

    def advance_to(self, points: int, seconds: float | None = None) -> int:
        """Replay until `points` steps are done (and, once that is all of them, the ticks
        after the last one), or until `seconds` have passed; returns the steps done."""
        until = None if seconds is None else time.perf_counter() + seconds
        try:
            while not self.caught_up(points):
                if next(self._steps):
                    self.done += 1
                if until is not None and time.perf_counter() >= until:
                    break
        except StopIteration:
            self.finished = True
        except Exception as exc:       # noqa: BLE001 - a damaged log must not stop the game
            log.warning("the duel replay's stroke log broke at step %d: %s", self.done, exc)
            self.finished = self.failed = True
        return self.done

    def caught_up(self, points: int) -> bool:
        """The canvas shows `points` steps (all of them: the whole log, to its last tick)."""
        return self.finished or (self.done >= points and points < self.total)

    def settle(self) -> None:
        """Replay the rest of the log: the canvas is then the finished painting."""
        self.advance_to(self.total)

    def rgb8(self) -> np.ndarray:
        """The canvas now: (h, w, 3) uint8."""
        return self.canvas.rgb8()

    def dirty(self) -> tuple[int, int, int, int] | None:
        """The (x, y, w, h) the canvas changed in since the last call, or None. A drying
        wash's display is brought up to date a band at a time, as in the paint scene
        (update(0) runs no simulation tick, only that bounded re-draw): a full flush
        could take a whole frame. rgb8() still flushes everything."""
        self.canvas.update(0.0)
        return self.canvas.pop_dirty()
