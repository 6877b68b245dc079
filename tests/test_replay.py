"""The duel replay: its plan (at most 20 s at 30 fps, painting and Gatys in step), the
painting grown again from its log, and the replay screen reached from the reveal."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame
import pytest
from scene_kit import app, keydown, make_app, pump  # noqa: F401 - app is a fixture

from brushes import BrushSettings, Canvas, History, Watercolour
from game.bot.plan import plan_painting
from game.bot.render import render_plan
from game.replay import replay_plan, step_times
from game.timelapse import StrokeReplayer


@dataclass
class Snap:
    """What the replay needs of a models.messages.Snapshot."""
    seconds: float
    iteration: int
    image: np.ndarray


def long_log(seconds: float, clear_at: float | None = None) -> list[dict]:
    """A log of 2-point strokes, one a second for `seconds`, maybe a clear in between."""
    log = []
    for k in range(int(seconds)):
        if clear_at is not None and k == int(clear_at):
            log.append({"kind": "clear", "points": []})
        log.append({"kind": "acrylic", "points": [[1, 1, k + 0.2, 0], [2, 2, k + 0.7, 3]]})
    return log


def snaps(seconds: float, count: int = 40) -> list[Snap]:
    image = np.zeros((4, 4, 3), np.uint8)
    return [Snap(seconds * (i + 1) / count, 10 * i, image) for i in range(count)]


@pytest.mark.parametrize("seconds", [90, 600, 5])
def test_plan_is_at_most_20_s_at_30_fps(seconds):
    plan = replay_plan(long_log(seconds), snaps(seconds), 1.5, seconds)
    assert len(plan) <= 600
    ending = [frame for frame in plan if frame.ending]
    assert len(ending) == 60 and plan[-61].ending is False and plan[-1].ending
    assert plan[-1].round_s == pytest.approx(seconds)
    if seconds == 5:      # a short round plays at its own pace
        assert len(plan) - 60 == 150


def test_plan_keeps_painting_and_gatys_in_step():
    log, reel = long_log(90, clear_at=40), snaps(90)
    plan = replay_plan(log, reel, 1.5, 90)
    times = step_times(log)
    assert len(times) == 90 * 2 + 1 and times == sorted(times)
    clocks = [frame.round_s for frame in plan]
    assert clocks == sorted(clocks)
    for frame in plan:
        assert frame.points == sum(1 for t in times if t <= frame.round_s)
        expected = max((i for i, s in enumerate(reel) if s.seconds <= frame.round_s),
                       default=-1)
        assert frame.gatys == expected
        assert frame.magenta_shown == (frame.round_s >= 1.5)
    assert plan[-1].points == len(times) and plan[-1].gatys == 39
    assert plan[0].gatys == -1 and plan[0].points < 5


def test_plan_without_snapshots_or_magenta():
    plan = replay_plan(long_log(30), [], None, 30)
    assert all(frame.gatys == -1 and not frame.magenta_shown for frame in plan)


def painted(size=(160, 120), seed=9, budget=30):
    """A bot painting through History, settled as PaintScene.finish does, then a last
    wet wash still settling: (log, painting)."""
    rng = np.random.default_rng(0)
    content = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    style = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    canvas, history = Canvas(*size, seed=seed), History(limit=100)
    render_plan(plan_painting(content, style, size, seed=3, budget=budget), canvas, history)
    t = 60.0
    history.begin(canvas, Watercolour(BrushSettings(color=(200, 40, 40), size=20)), 20, 20, t)
    for i in range(20):
        t += 1 / 60
        canvas.update(1 / 60)
        history.extend(canvas, 20 + 5 * i, 20 + 3 * i, t)
    history.end(canvas)
    canvas.update(10.0)      # PaintScene.finish
    return history.log, canvas.rgb8().copy()


def test_replay_ends_on_the_painting():
    log, painting = painted()
    replayer = StrokeReplayer([record.to_dict() for record in log], (160, 120), 9)
    plan = replay_plan(log, [], None, 61.0)
    for frame in plan[:len(plan) // 2]:
        replayer.advance_to(frame.points)
    assert not np.array_equal(replayer.rgb8(), painting)      # half-way: not there yet
    replayer.settle()
    assert replayer.failed is False
    assert np.array_equal(replayer.rgb8(), painting)


def test_a_damaged_log_stops_without_raising():
    log = [{"kind": "acrylic", "settings": None, "params": None, "seed": 1,
            "points": [[1, 1, 0.1, 0], [2, 2, 0.2, 1]]}]
    replayer = StrokeReplayer(log, (32, 32), 1)
    replayer.settle()
    assert replayer.failed and replayer.finished


def test_an_unreadable_log_is_a_failed_replay():
    replayer = StrokeReplayer([{"kind": "acrylic"}], (32, 32), 1)
    assert replayer.failed and replayer.advance_to(10) == 0
