"""The duel replay's plan: which stroke points and which Gatys picture each frame shows.

A replay is a time-lapse of the round: the player's painting growing point by point (the
stroke log, each point stamped with paint-scene seconds) beside Gatys's picture forming
(its snapshots, stamped with engine seconds), under one clock. However long the round was,
the replay lasts at most `max_s` at `fps` frames a second: a long round is sped up, a short
one plays at its own pace. The last `end_s` seconds hold the end card (the finished
pictures and the score). The screen (game/scenes/replay.py) and the export
(game/duel_export.py) both follow this plan, so the file shows what the screen showed.

Pure arithmetic: no pygame, no brushes canvas; a snapshot is anything with `seconds`.
The two clocks differ by up to a second (Gatys starts a little before the first stroke
and runs on through a pause): in step to about that, and the end card is exact.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

FPS = 30
MAX_SECONDS = 20.0
END_SECONDS = 2.0
CLEAR = "clear"


@dataclass(frozen=True)
class ReplayFrame:
    """One frame of the replay."""

    round_s: float          # the round clock this frame shows
    points: int             # stroke-log steps replayed by now (replay_steps' count)
    gatys: int              # index of the snapshot on show, -1 before the first
    magenta_shown: bool     # Magenta's picture has arrived by this clock
    ending: bool            # the end card: final pictures and the score


def _kind_and_times(record) -> tuple[str, list[float]]:
    """A record's kind and its points' seconds (a StrokeRecord or its to_dict form)."""
    if isinstance(record, dict):
        return record["kind"], [float(point[2]) for point in record["points"]]
    return record.kind, [float(point[2]) for point in record.points]


def step_times(stroke_log: Sequence) -> list[float]:
    """The round second of each step replay_steps yields: one per stroke point, one per
    clear (which has no point: it takes its neighbour's time). Never decreasing, so a
    frame's step count follows from its clock alone."""
    times: list[float | None] = []
    for record in stroke_log or ():
        kind, points = _kind_and_times(record)
        if kind == CLEAR or not points:
            times.append(None)
        else:
            times.extend(points)
    known = [t for t in times if t is not None]
    previous = known[0] if known else 0.0      # a clear first takes the next point's time
    steps: list[float] = []
    for t in times:
        previous = max(previous, previous if t is None else t)
        steps.append(previous)
    return steps


def replay_span(stroke_log: Sequence, snapshots: Sequence, round_elapsed: float) -> float:
    """The stretch of round time the replay covers: the round, or longer if the last
    stroke or snapshot came later (a clock hiccup; Gatys refining past the whistle)."""
    times = step_times(stroke_log)
    ends = [round_elapsed, times[-1] if times else 0.0]
    ends += [float(snapshot.seconds) for snapshot in snapshots[-1:]]
    return max(0.0, *ends)


def replay_plan(stroke_log: Sequence, snapshots: Sequence, magenta_s: float | None,
                round_elapsed: float, fps: int = FPS, max_s: float = MAX_SECONDS,
                end_s: float = END_SECONDS) -> list[ReplayFrame]:
    """The replay, frame by frame: at most `max_s * fps` frames, the last `end_s` seconds
    of them the end card. `snapshots` oldest first (each has `.seconds`)."""
    times = step_times(stroke_log)
    seconds = [float(snapshot.seconds) for snapshot in snapshots]
    span = replay_span(stroke_log, snapshots, round_elapsed)
    play_s = max_s - end_s
    speed = max(1.0, span / play_s)
    # The small slack keeps 18.0000001 s of frames from becoming one frame too many.
    count = max(1, math.ceil(span / speed * fps - 1e-6))
    frames = []
    for k in range(count):
        clock = span if k == count - 1 else min(span, (k + 1) * speed / fps)
        frames.append(ReplayFrame(
            round_s=clock, points=bisect_right(times, clock),
            gatys=bisect_right(seconds, clock) - 1,
            magenta_shown=magenta_s is not None and magenta_s <= clock, ending=False))
    end = ReplayFrame(span, len(times), len(seconds) - 1, magenta_s is not None, True)
    frames += [end] * round(end_s * fps)
    return frames


def clock_text(seconds: float) -> str:
    """0:42: minutes and seconds, as the paint scene's countdown writes them."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"
