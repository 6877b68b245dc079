"""Planning a painting: the stroke budget shared over the layers, coarse to fine."""
from __future__ import annotations

import numpy as np

from game.bot.estimate import MIN_NEED, _blank_estimate, _paint_estimate
from game.bot.fields import Fields, _blur, _orientation, _sample
from game.bot.layers import BODY, LAYERS, Layer, TracedLayer, WashLayer
from game.bot.palette import _snap
from game.bot.scene import Scene, _scene
from game.bot.starts import _need, _peak_starts
from game.bot.stroke import MAX_SIZE, MIN_SIZE, PlannedStroke
from game.bot.trace import Brush, _trace
from game.bot.washes import _plan_washes


def _layer_counts(budget: int) -> list[int]:
    """Strokes per layer, summing to ``budget``; each gets one as soon as the budget allows."""
    if budget <= 0:
        return [0] * len(LAYERS)
    counts = [min(max(int(budget * spec.share), 1), spec.most) for spec in LAYERS]
    body = LAYERS.index(BODY)
    counts[body] += max(budget - sum(counts), 0)   # leftovers go to the body layer
    while sum(counts) > budget:                    # tiny budgets: trim the finest layers
        counts[max(i for i, c in enumerate(counts) if c > 0)] -= 1
    return counts


def _round_counts(n: int, rounds: int) -> list[int]:
    """``n`` strokes split into ``rounds`` nearly equal batches, larger ones first."""
    return [c for c in (n // rounds + (i < n % rounds) for i in range(rounds)) if c > 0]


def _layer_fields(scene: Scene, spec: TracedLayer) -> Fields:
    """Orientation and colour fields smoothed to the layer's brush scale."""
    big = spec.sizes[1] / scene.scale   # largest brush in grid px
    tangent, coherence = _orientation(scene.tensor, spec.orient_sigma * big)
    return Fields(tangent, coherence, _blur(scene.lab, spec.colour_sigma * big),
                  scene.scale, scene.canvas_size)


def _sizes(starts: np.ndarray, scene: Scene, spec: TracedLayer,
           rng: np.random.Generator) -> np.ndarray:
    """(N,) brush diameters: smaller where the content is busy, so detail gets finer marks."""
    busy = _sample(_blur(scene.edges, spec.sizes[1] / scene.scale), starts, scene.scale)
    busy = busy / (scene.edges.mean() * 4 + 1e-9)
    lo, hi = spec.sizes
    size = hi - (hi - lo) * np.clip(busy + rng.uniform(-0.15, 0.15, len(starts)), 0, 1)
    return np.clip(np.round(size), max(lo, MIN_SIZE), min(hi, MAX_SIZE)).astype(int)


def _plan_round(n: int, scene: Scene, spec: TracedLayer, fields: Fields, estimate: np.ndarray,
                rng: np.random.Generator) -> list[PlannedStroke]:
    """Up to ``n`` strokes where the estimate most needs them, seed-shuffled."""
    cell = max(2, round(sum(spec.sizes) / 2 / scene.scale))    # about one brush width
    need = _need(fields, estimate, scene.edges, spec, cell)
    w, h = scene.canvas_size
    starts = _peak_starts(n, need, cell, MIN_NEED, spec.focus, rng) * scene.scale
    starts = np.clip(starts, 0, [w - 1, h - 1])     # the last grid px reaches past the canvas
    sizes = _sizes(starts, scene, spec, rng)
    picks = _snap(_sample(fields.colour, starts, scene.scale), scene.palette.lab)
    brush = Brush(paint=scene.palette.lab[picks], step=sizes * spec.step)
    lines = _trace(starts, brush, fields, estimate, spec, rng)
    opacities = rng.uniform(*spec.opacities, len(starts))
    strokes = [PlannedStroke(spec.tool, tuple(int(v) for v in scene.palette.rgb[pick]),
                             int(size), round(float(alpha), 3), line)
               for pick, size, alpha, line in zip(picks, sizes, opacities, lines)]
    return [strokes[i] for i in rng.permutation(len(strokes))]


def _plan_layer(n: int, scene: Scene, spec: Layer, estimate: np.ndarray,
                rng: np.random.Generator) -> tuple[list[PlannedStroke], np.ndarray]:
    """Up to ``n`` strokes of one layer, in rounds that each look at what is still missing.

    Returns the strokes and the estimate with them painted.
    """
    if n <= 0:
        return [], estimate
    if isinstance(spec, WashLayer):
        strokes = _plan_washes(n, scene, spec, estimate, rng)
        return strokes, _paint_estimate(estimate, strokes, scene)
    fields = _layer_fields(scene, spec)
    strokes: list[PlannedStroke] = []
    for count in _round_counts(n, spec.rounds):
        batch = _plan_round(count, scene, spec, fields, estimate, rng)
        estimate = _paint_estimate(estimate, batch, scene)
        strokes += batch
    return strokes, estimate


def plan_painting(content_rgb, style_rgb, canvas_size: tuple[int, int], seed: int = 0,
                  budget: int = 200) -> list[PlannedStroke]:
    """At most ``budget`` strokes painting the content in the style's colours, coarse to fine.

    ``canvas_size`` is (w, h); inputs of any size are resized to it. Deterministic per seed.
    """
    scene = _scene(content_rgb, style_rgb, canvas_size, seed)
    rng = np.random.default_rng(seed)
    estimate = _blank_estimate(scene)
    plan: list[PlannedStroke] = []
    unused = 0      # strokes a layer could not place go to the next, finer one
    for spec, n in zip(LAYERS, _layer_counts(budget)):
        strokes, estimate = _plan_layer(n + unused, scene, spec, estimate, rng)
        unused = n + unused - len(strokes)
        plan += strokes
    return plan
