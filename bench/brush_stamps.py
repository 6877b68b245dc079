"""Per-frame costs of the brush engine, as JSON (median ms over several runs).

    python bench/brush_stamps.py [--runs 7]

Keys:
  import_brushes_ms          `import brushes` in a fresh interpreter, after numpy
  canvas_new_800x600_ms      Canvas(800, 600): paper generation
  acrylic_extend_120_ms      one History.extend of ~28 px at size 120 (60 Hz mouse)
  acrylic_extend_8_ms        same at size 8
  acrylic_extend_3_ms        same at size 3 (thin: stamps 1 px apart)
  watercolour_extend_120_ms  one History.extend of ~28 px at size 120
  eraser_extend_120_ms
  *_over_settled_wash_ms     the same over a dried watercolour wash
  *_over_unsettled_wash_ms   ... that dried just now (its stains are folded on contact)
  wet_update_500x400_ms      canvas.update(1/60) per frame with a 500x400 px wet wash
                             (ticks at 30 Hz, re-draw spread over frames)
  rgb8_region_300_ms         canvas.rgb8_region of 300x300
  frame_*_120_ms             a game frame's brush work while painting big zigzags:
                             extend + update + pop_dirty + rgb8_region(dirty)
  undo_ms / redo_ms          undo and redo of a size-120 acrylic stroke
The "_p95"/"_p99" keys are percentiles over all samples of all runs.
Times are CPU time of the calling thread (see _CLOCK), except the import.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from brushes import (Acrylic, BrushSettings, Canvas, Eraser, History,  # noqa: E402
                     Watercolour)

FRAME = 1.0 / 60.0


# CPU time of this thread: the dev and CI boxes are shared, and wall time there
# mostly measures the neighbours. Set BENCH_CLOCK=wall for wall-clock numbers.
_CLOCK = time.perf_counter if os.environ.get("BENCH_CLOCK") == "wall" else time.thread_time


def _ms(f) -> float:
    t0 = _CLOCK()
    f()
    return (_CLOCK() - t0) * 1000.0


def _path(n: int, step: float, cx: float = 400.0, cy: float = 300.0, r: float = 180.0):
    """A wavy loop around the canvas centre, `step` px between samples."""
    pts, ang = [], 0.0
    for _ in range(n):
        pts.append((cx + r * math.cos(ang), cy + 0.7 * r * math.sin(ang * 1.3)))
        ang += step / r
    return pts


def _washed_canvas(settled: bool) -> tuple[Canvas, History]:
    """A canvas covered by a dried watercolour wash; unsettled = just dried, stains not
    yet folded in (for ~1 s): the costly case, brushes must fold them first."""
    canvas, hist = Canvas(800, 600, seed=1), History()
    tool = Watercolour(BrushSettings(color=(200, 120, 60), size=120))
    t = 0.0
    for row in range(6):
        y = 60 + row * 100
        hist.begin(canvas, tool, 40, y, t)
        for i in range(1, 40):
            t += FRAME
            hist.extend(canvas, 40 + i * 19, y, t)
        hist.end(canvas)
    while canvas.is_wet or (settled and not canvas.is_settled):
        canvas.update(FRAME)
    return canvas, hist


def bench_extend(tool, n: int = 60, step: float = 28.0, wash: str = "") -> list[float]:
    if wash:
        canvas, hist = _washed_canvas(settled=wash == "settled")
    else:
        canvas, hist = Canvas(800, 600, seed=1), History()
    pts = _path(n, step)
    t = 0.0
    hist.begin(canvas, tool, *pts[0], t)
    out = []
    for x, y in pts[1:]:
        t += FRAME
        out.append(_ms(lambda: hist.extend(canvas, x, y, t)))
    hist.end(canvas)
    return out


def bench_wet_update() -> list[float]:
    canvas, hist = Canvas(800, 600, seed=1), History()
    tool = Watercolour(BrushSettings(color=(40, 90, 160), size=120))
    t = 0.0
    # Four overlapping passes of a size-120 brush: a 500x400 px wash.
    for row in range(4):
        y = 160 + row * 93
        hist.begin(canvas, tool, 210, y, t)
        for i in range(1, 20):
            t += FRAME
            hist.extend(canvas, 210 + i * 20, y, t)
        hist.end(canvas)
    y0, y1, x0, x1 = canvas._wet_box
    assert 480 <= (x1 - x0) * 2 <= 540 and 380 <= (y1 - y0) * 2 <= 440, canvas._wet_box
    out = []
    for _ in range(120):  # 2 s of frames; the wash is still wet throughout
        out.append(_ms(lambda: canvas.update(FRAME)))
    return out


def bench_frames(tool) -> list[float]:
    """Whole brush share of a game frame while painting big zigzags for 4 s:
    extend + update + pop_dirty + rgb8_region of the dirty rect."""
    canvas, hist = Canvas(800, 600, seed=1), History()
    out, t = [], 0.0
    x, y, dx = 100.0, 80.0, 24.0
    hist.begin(canvas, tool, x, y, t)

    def frame() -> None:
        hist.extend(canvas, x, y, t)
        canvas.update(FRAME)
        rect = canvas.pop_dirty()
        if rect is not None:
            canvas.rgb8_region(*rect)

    for i in range(240):
        t += FRAME
        x += dx
        if not 100 <= x <= 700:
            dx, y = -dx, y + 60  # next row of the zigzag
            if y > 520:
                y = 80.0
        if i % 80 == 79:  # lift the brush now and then: new strokes, wet-in-wet
            hist.end(canvas)
            hist.begin(canvas, tool, x, y, t)
        out.append(_ms(frame))
    hist.end(canvas)
    return out


def bench_region() -> list[float]:
    canvas = Canvas(800, 600, seed=1)
    return [_ms(lambda: canvas.rgb8_region(250, 150, 300, 300)) for _ in range(200)]


def bench_undo_redo() -> tuple[list[float], list[float]]:
    canvas, hist = Canvas(800, 600, seed=1), History()
    tool = Acrylic(BrushSettings(color=(200, 60, 40), size=120))
    pts = _path(40, 28.0)
    hist.begin(canvas, tool, *pts[0], 0.0)
    for i, (x, y) in enumerate(pts[1:]):
        hist.extend(canvas, x, y, (i + 1) * FRAME)
    hist.end(canvas)
    undo, redo = [], []
    for _ in range(5):
        undo.append(_ms(lambda: hist.undo(canvas)))
        redo.append(_ms(lambda: hist.redo(canvas)))
    return undo, redo


def import_ms() -> float:
    """`import brushes` in a fresh interpreter, numpy already imported (numpy's own
    import is the game's cost anyway)."""
    code = ("import time, numpy; t=time.perf_counter(); import brushes; "
            "print(time.perf_counter()-t)")
    root = Path(__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=root, check=True)
    return float(res.stdout.strip()) * 1000.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    samples: dict[str, list[list[float]]] = {}

    def add(key: str, values: list[float]) -> None:
        samples.setdefault(key, []).append(values)

    for _ in range(args.runs):
        add("import_brushes_ms", [import_ms()])
        add("canvas_new_800x600_ms", [_ms(lambda: Canvas(800, 600, seed=2))])
        add("acrylic_extend_120_ms",
            bench_extend(Acrylic(BrushSettings(color=(220, 180, 40), size=120))))
        add("acrylic_extend_8_ms",
            bench_extend(Acrylic(BrushSettings(color=(220, 180, 40), size=8))))
        add("acrylic_extend_3_ms",
            bench_extend(Acrylic(BrushSettings(color=(220, 180, 40), size=3))))
        add("watercolour_extend_120_ms",
            bench_extend(Watercolour(BrushSettings(color=(40, 90, 160), size=120))))
        add("eraser_extend_120_ms", bench_extend(Eraser(BrushSettings(size=120))))
        for wash in ("settled", "unsettled"):
            add(f"acrylic_extend_120_over_{wash}_wash_ms",
                bench_extend(Acrylic(BrushSettings(color=(220, 180, 40), size=120)), wash=wash))
            add(f"watercolour_extend_120_over_{wash}_wash_ms",
                bench_extend(Watercolour(BrushSettings(color=(40, 90, 160), size=120)),
                             wash=wash))
        add("wet_update_500x400_ms", bench_wet_update())
        add("rgb8_region_300_ms", bench_region())
        add("frame_watercolour_120_ms",
            bench_frames(Watercolour(BrushSettings(color=(40, 90, 160), size=120))))
        add("frame_acrylic_120_ms",
            bench_frames(Acrylic(BrushSettings(color=(220, 180, 40), size=120))))
        undo, redo = bench_undo_redo()
        add("undo_ms", undo)
        add("redo_ms", redo)

    result = {}
    for key, runs in samples.items():
        result[key] = round(statistics.median(statistics.median(r) for r in runs), 3)
        flat = sorted(v for r in runs for v in r)
        if len(flat) >= 20:
            result[key.replace("_ms", "_p95_ms")] = round(flat[int(0.95 * (len(flat) - 1))], 3)
        if len(flat) >= 200:
            result[key.replace("_ms", "_p99_ms")] = round(flat[int(0.99 * (len(flat) - 1))], 3)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
