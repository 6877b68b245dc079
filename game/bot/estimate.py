"""A cheap estimate of the canvas so far: where paint is still missing."""
from __future__ import annotations

import numpy as np

from game.bot.palette import WASH_GLAZE, _rgb8_to_lab
from game.bot.scene import Scene
from game.bot.stroke import WATERCOLOUR, PlannedStroke, _resample

MIN_NEED = 3.0           # planning Lab error below which a spot is left alone: paint where needed


def _blank_estimate(scene: Scene) -> np.ndarray:
    """(h, w, 3) planning Lab of an unpainted (white) canvas on the analysis grid."""
    return np.broadcast_to(scene.tone.stretch([100.0, 0.0, 0.0]), scene.lab.shape).copy()


def _disc(radius: float) -> np.ndarray:
    """(2r+1, 2r+1) bool disc of ``radius`` grid px, r = radius rounded up."""
    r = int(np.ceil(radius))
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    return xx * xx + yy * yy <= max(radius, 0.5) ** 2


def _stroke_footprint(stroke: PlannedStroke, scale: float, shape: tuple[int, int]):
    """Grid pixels a stroke covers: (row slice, col slice, bool mask of that box).

    Discs stamped every half radius along the stroke: one small slice operation per stamp,
    far cheaper than measuring every pixel's distance to the polyline.
    """
    radius = max(stroke.size / 2 / scale, 0.5)
    line = _resample(np.asarray(stroke.points, float) / scale, radius / 2)
    disc = _disc(radius)
    r = disc.shape[0] // 2
    centres = np.floor(line).astype(int)                         # (P, 2) grid (x, y)
    origin = centres.min(axis=0) - r                             # padded box, top left
    extent = centres.max(axis=0) - origin + r + 1
    mask = np.zeros((extent[1], extent[0]), bool)
    for x, y in (centres - origin - r).tolist():
        mask[y:y + 2 * r + 1, x:x + 2 * r + 1] |= disc
    h, w = shape
    x0, y0 = np.maximum(origin, 0)
    x1, y1 = np.minimum(origin + extent, [w, h])
    crop = mask[y0 - origin[1]:y1 - origin[1], x0 - origin[0]:x1 - origin[0]]
    return slice(y0, y1), slice(x0, x1), crop


def _paint_estimate(estimate: np.ndarray, strokes: list[PlannedStroke],
                    scene: Scene) -> np.ndarray:
    """The (h, w, 3) planning Lab estimate with ``strokes`` laid over it as flat marks.

    A cheap stand-in for the brush engine: good enough to see where paint is still missing.
    Watercolour counts at its glazed, paler look. Mixing is linear, so mixing in planning Lab
    gives the same as mixing true colours and stretching the result.
    """
    out = estimate.copy()
    if not strokes:
        return out
    glaze = np.array([[WASH_GLAZE if s.tool == WATERCOLOUR else 1.0] for s in strokes])
    looks = scene.tone.stretch(_rgb8_to_lab([s.color for s in strokes], glaze))   # (N, 3)
    for stroke, colour in zip(strokes, looks):
        rows, cols, mask = _stroke_footprint(stroke, scene.scale, out.shape[:2])
        region = out[rows, cols]
        region[mask] += stroke.opacity * (colour - region[mask])
    return out
