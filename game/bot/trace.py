"""Tracing strokes from their starts through the orientation field (long strokes)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.bot.fields import Fields, _sample
from game.bot.layers import TracedLayer
from game.bot.stroke import _pointer_path

MAX_TURN_COS = 0.5       # a stroke ends where it would bend more than 60 degrees in one step


@dataclass(frozen=True)
class Brush:
    """Per-stroke settings of one round, as arrays."""
    paint: np.ndarray       # (N, 3) Lab of the palette colour laid down
    step: np.ndarray        # (N,) canvas px per tracing step


def _steer(tangent: np.ndarray, coherence: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Next unit direction: the local tangent, sign-aligned with the heading.

    Where the field is incoherent the stroke keeps its heading, so flat areas get straight
    strokes rather than jitter.
    """
    sign = np.where((tangent * heading).sum(-1) < 0, -1.0, 1.0)[:, None]
    c = coherence[:, None]
    d = c * tangent * sign + (1 - c) * heading
    return d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)


def _worth_painting(points, brush: Brush, start_miss, fields: Fields, estimate,
                    spec: TracedLayer) -> np.ndarray:
    """(N,) whether each stroke should go on through ``points``.

    As in Hertzmann's long strokes: only while the paint is closer to the target than what is
    already there, and while the target has not drifted ``stop_delta`` past how well the paint
    matched at the start (a strong colour change: the edge of the shape).
    """
    target = _sample(fields.colour, points, fields.scale)
    miss = np.linalg.norm(target - brush.paint, axis=1)
    already = np.linalg.norm(target - _sample(estimate, points, fields.scale), axis=1)
    return (miss < already) & (miss < start_miss + spec.stop_delta)


def _trace_one_way(start, heading, brush: Brush, fields: Fields, estimate,
                   spec: TracedLayer) -> np.ndarray:
    """Follow the field from (N, 2) canvas starts -> (max_steps, N, 2) points, NaN after a stop.

    The first ``min_steps`` ignore colour (not the canvas edge or sharp turns) so every stroke
    has some length: a painter's mark is never a dot.
    """
    w, h = fields.canvas_size
    start_target = _sample(fields.colour, start, fields.scale)
    start_miss = np.linalg.norm(start_target - brush.paint, axis=1)
    pos, head = start.copy(), heading.copy()
    alive = np.ones(len(start), bool)
    out = np.full((spec.max_steps, len(start), 2), np.nan)
    for k in range(spec.max_steps):
        tangent = _sample(fields.tangent, pos, fields.scale)
        coherence = _sample(fields.coherence, pos, fields.scale)
        new_head = _steer(tangent, coherence, head)
        nxt = pos + new_head * brush.step[:, None]
        inside = (nxt[:, 0] >= 0) & (nxt[:, 0] <= w - 1) & (nxt[:, 1] >= 0) & (nxt[:, 1] <= h - 1)
        worth = _worth_painting(nxt, brush, start_miss, fields, estimate, spec)
        smooth = (new_head * head).sum(-1) > MAX_TURN_COS
        alive &= inside & smooth & (worth | (k < spec.min_steps))
        pos = np.where(alive[:, None], nxt, pos)
        head = np.where(alive[:, None], new_head, head)
        out[k, alive] = nxt[alive]
    return out


def _trace(starts: np.ndarray, brush: Brush, fields: Fields, estimate: np.ndarray,
           spec: TracedLayer, rng: np.random.Generator) -> list[list[tuple[float, float]]]:
    """Polylines through each (N, 2) canvas start, traced both ways, in drawing order."""
    heading = _sample(fields.tangent, starts, fields.scale)
    heading *= rng.choice([-1.0, 1.0], len(starts))[:, None]       # vary drawing direction
    ahead = _trace_one_way(starts, heading, brush, fields, estimate, spec)
    behind = _trace_one_way(starts, -heading, brush, fields, estimate, spec)
    lines = []
    for i, start in enumerate(starts):
        back = behind[::-1, i][~np.isnan(behind[::-1, i, 0])]
        fore = ahead[:, i][~np.isnan(ahead[:, i, 0])]
        lines.append(_pointer_path(np.concatenate([back, start[None], fore])))
    return lines
