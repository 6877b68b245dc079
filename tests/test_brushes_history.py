"""Pixel behaviour of the brushes package: undo/redo, history memory and replay.

Every check looks at real pixels of `Canvas.rgb8()`; nothing here measures time.
"""

from __future__ import annotations

import json

import numpy as np

from brush_helpers import FRAME, H, W, Painter, acrylic, lum, water
from brushes import (PALETTE, BrushSettings, Canvas, Eraser, History, StrokeRecord, replay)
from brushes.history import DEFAULT_MAX_BYTES


# -------------------------------------------------------------- undo / redo
def test_undo_redo_restore_exact_bytes():
    canvas = Canvas(W, H, seed=18)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((30, 160, 60), 40), [(20, 20), (300, 220)])
    before = canvas.rgb8()
    p.stroke(acrylic((200, 40, 200), 90), [(20, 200), (300, 30)])
    after = canvas.rgb8()
    assert not np.array_equal(before, after)
    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), before)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), after)
    assert h.undo(canvas) and h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), Canvas(W, H, seed=18).rgb8())
    assert not h.undo(canvas) and not h.can_undo
    assert h.redo(canvas) and h.redo(canvas) and not h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), after)


def test_undo_redo_exact_with_watercolour_still_wet():
    canvas = Canvas(W, H, seed=19)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((230, 200, 40), 50), [(20, 120), (300, 120)])
    base = canvas.rgb8()
    p.stroke(water((40, 60, 170), 60), [(40, 60), (280, 180)])
    for _ in range(11):  # an odd count: the next stroke starts halfway through a tick
        p.frame()
    first = canvas.rgb8()  # what the player sees now, mid-drying
    # Wet-in-wet: a second stroke into the wet wash, then undo while still wet.
    p.stroke(water((200, 30, 40), 50), [(40, 180), (280, 60)], frames=False)
    for _ in range(10):
        p.frame()
    assert canvas.is_wet
    second = canvas.rgb8()

    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), first)
    assert not canvas.is_wet
    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), base)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), first)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), second)
    for _ in range(120):  # nothing restored is left drying behind the history's back
        p.frame()
    assert np.array_equal(canvas.rgb8(), second)
    assert h.undo(canvas) and h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), base)


def test_new_stroke_after_undo_drops_redo():
    canvas = Canvas(W, H, seed=20)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic(), [(20, 20), (100, 100)])
    p.stroke(acrylic(), [(200, 20), (300, 100)])
    assert h.undo(canvas) and h.can_redo
    p.stroke(acrylic((250, 0, 0)), [(20, 200), (100, 200)])
    assert not h.can_redo and not h.redo(canvas)
    assert len(h.log) == 2


def test_sixty_strokes_give_at_least_fifty_undos():
    canvas = Canvas(W, H, seed=21)
    h = History(limit=100)
    p = Painter(canvas, h)
    fresh = canvas.rgb8()
    tools = [acrylic((200, 30, 30), 8), water((30, 30, 200), 10)]
    for i in range(60):
        y = 4 + i * 3.8
        p.stroke(tools[i % 2], [(20, y), (60 + i * 4, y)], frames=False)
    undos = 0
    while h.undo(canvas):
        undos += 1
    assert undos == 60
    assert np.array_equal(canvas.rgb8(), fresh)

    small = History(limit=50)
    p = Painter(Canvas(W, H, seed=21), small)
    for i in range(60):
        p.stroke(tools[0], [(20, 4 + i * 3.8), (80, 4 + i * 3.8)], frames=False)
    undos = 0
    while small.undo(p.canvas):
        undos += 1
    assert undos == 50


def test_undo_memory_is_proportional_to_painted_area():
    canvas = Canvas(800, 600, seed=22)
    h = History()
    p = Painter(canvas, h)
    for i in range(60):
        x, y = 40 + (i % 10) * 75, 40 + (i // 10) * 90
        p.stroke(acrylic((40, 40, 200), 6), [(x, y), (x + 20, y + 5)], frames=False)
    full_copy = 800 * 600 * 16  # bytes of one canvas state (refl + surface, float32)
    small_total = h.memory_bytes()
    assert small_total < 0.05 * 60 * 2 * full_copy
    per_small = small_total / 60
    p.stroke(acrylic((200, 40, 40), 100), [(50, 300), (750, 300)], frames=False)
    per_big = h.memory_bytes() - small_total
    assert per_big > 8 * per_small  # a big stroke costs more: memory follows the area


def test_default_history_caps_undo_memory_and_keeps_recent_undos_exact():
    """A long 800x600 game of whole-canvas strokes: by default History keeps its undo
    memory under 256 MiB (forgetting the oldest), and the newest strokes still undo
    to the exact pixels."""
    canvas = Canvas(800, 600, seed=33)
    h = History()
    cap = 256 * 1024 * 1024
    zigzag = [(-40 if (r // 2) % 2 == (r % 2) else 840, 40 + (r // 2) * 104)
              for r in range(12)]  # six rows across the whole canvas
    shots = []
    for i in range(40):  # ~7 MB of snapshots each: ~290 MB if nothing were forgotten
        shots = (shots + [canvas.rgb8()])[-3:]
        h.begin(canvas, acrylic(PALETTE[i % len(PALETTE)], 120), *zigzag[0], 0.0)
        for k, (x, y) in enumerate(zigzag[1:], 1):
            h.extend(canvas, x, y, k * 0.5)
        h.end(canvas)
        assert h.memory_bytes() <= cap
    assert h.max_bytes == DEFAULT_MAX_BYTES <= cap
    assert len(h) < 40  # the cap did forget some ...
    for shot in reversed(shots):  # ... never the newest
        assert h.undo(canvas)
        assert np.array_equal(canvas.rgb8(), shot)
    undos = 3
    while h.undo(canvas):
        undos += 1
    assert undos >= 25  # but a sensible cap still leaves plenty of undo


def test_clear_is_undoable():
    canvas = Canvas(W, H, seed=23)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((200, 60, 40), 50), [(20, 60), (300, 180)])
    p.stroke(water((40, 60, 170), 60), [(20, 180), (300, 60)])
    painted = canvas.rgb8()
    h.clear(canvas)
    fresh = Canvas(W, H, seed=23).rgb8()
    assert np.array_equal(canvas.rgb8(), fresh) and not canvas.is_wet
    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), painted)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), fresh)
    assert [r.kind for r in h.log] == ["acrylic", "watercolour", "clear"]


# ------------------------------------------------------------------ replay
def paint_session(canvas: Canvas, h: History) -> None:
    """A mixed session: wet-in-wet, drying, variable frame times, undo/redo, clear."""
    p = Painter(canvas, h)
    p.stroke(water((40, 90, 160), 70), [(20, 60), (300, 80)])
    p.stroke(water((200, 40, 40), 50), [(40, 100), (280, 40)], frames=False)
    for dt in (0.01, 0.03, 0.016, 0.05, 0.02):
        p.frame(dt)
    p.stroke(acrylic((240, 200, 40), 40), [(20, 200), (160, 120), (300, 200)])
    p.stroke(Eraser(BrushSettings(size=30)), [(150, 20), (150, 230)])
    h.undo(canvas)
    p.stroke(acrylic((20, 120, 60), 12), [(30, 30), (290, 220)], speed=1500)
    h.undo(canvas)
    h.redo(canvas)
    p.stroke(water((120, 40, 160), 40), [(60, 200), (260, 200)])
    for _ in range(20):
        p.frame()


def test_replay_reproduces_the_painting_exactly():
    canvas = Canvas(W, H, seed=24)
    h = History()
    paint_session(canvas, h)
    assert canvas.is_wet
    target = canvas.rgb8()
    copy = Canvas(W, H, seed=24)
    replay(h.log, copy)
    assert np.array_equal(copy.rgb8(), target)
    # And through JSON, as a saved painting for the kiosk time-lapse.
    saved = json.loads(json.dumps([r.to_dict() for r in h.log]))
    again = Canvas(W, H, seed=24)
    replay([StrokeRecord.from_dict(d) for d in saved], again)
    assert np.array_equal(again.rgb8(), target)
    # Both keep drying identically afterwards.
    for _ in range(240):
        canvas.update(FRAME)
        again.update(FRAME)
    assert np.array_equal(again.rgb8(), canvas.rgb8())


def test_replay_after_clear_and_history_limit():
    canvas = Canvas(W, H, seed=25)
    h = History(limit=5)
    p = Painter(canvas, h)
    for i in range(12):
        p.stroke(acrylic(PALETTE[i], 20), [(20, 10 + i * 18), (300, 10 + i * 18)],
                 frames=False)
        if i == 6:
            h.clear(canvas)
    assert len(h.log) == 13  # the log keeps what the undo stack forgot
    copy = Canvas(W, H, seed=25)
    replay(h.log, copy)
    assert np.array_equal(copy.rgb8(), canvas.rgb8())


def test_tool_settings_can_change_between_strokes_only():
    canvas = Canvas(W, H, seed=26)
    h = History()
    tool = acrylic((20, 20, 20), 20)
    h.begin(canvas, tool, 20, 120, 0.0)
    tool.settings.size = 100  # mid-stroke UI change: not applied to this stroke
    tool.settings.color = (250, 250, 250)
    for i in range(1, 30):
        h.extend(canvas, 20 + i * 9, 120, i * FRAME)
    h.end(canvas)
    dark_rows = (lum(canvas.rgb8())[:, 60:200] < 120).any(axis=1)
    assert 10 < dark_rows.sum() < 30
    assert h.log[0].settings.size == 20


def test_replay_steps_lets_a_time_lapse_show_progress():
    from brushes import replay_steps

    canvas = Canvas(W, H, seed=30)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((200, 60, 40), 40), [(20, 60), (300, 60)])
    p.stroke(water((40, 60, 170), 40), [(20, 160), (300, 160)])
    p.dry()
    target = canvas.rgb8()
    copy = Canvas(W, H, seed=30)
    seen = []
    for index in replay_steps(h.log, copy):
        seen.append(index)
    assert seen[0] == 0 and seen[-1] == 1 and len(seen) > 20
    assert np.array_equal(copy.rgb8(), target)


def test_importing_brushes_pulls_in_no_heavy_packages():
    import subprocess
    import sys

    code = ("import sys, brushes; heavy = {'pygame', 'tensorflow', 'scipy', 'skimage'};"
            "print(sorted(heavy & set(m.split('.')[0] for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
