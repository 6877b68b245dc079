"""What a plan is made of: planned strokes, and their points spaced for replay."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WATERCOLOUR = "watercolour"
ACRYLIC = "acrylic"
MIN_SIZE, MAX_SIZE = 2, 120
POINT_SPACING = 10.0     # canvas px between planned points: 600 px/s at one point a frame


@dataclass(frozen=True)
class PlannedStroke:
    tool: str                             # WATERCOLOUR | ACRYLIC
    color: tuple[int, int, int]
    size: int                             # brush diameter, canvas px (MIN_SIZE..MAX_SIZE)
    opacity: float                        # 0..1
    points: list[tuple[float, float]]     # canvas (x, y), in drawing order


def _resample(line: np.ndarray, spacing: float) -> np.ndarray:
    """(P, 2) polyline -> (Q, 2) points evenly ``spacing`` apart along it, ends kept.

    Even spacing keeps the replayed pointer speed steady.
    """
    seg = np.linalg.norm(np.diff(line, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    if arc[-1] <= 0:
        return line[:1]
    at = np.linspace(0.0, arc[-1], max(2, int(np.ceil(arc[-1] / spacing)) + 1))
    return np.stack([np.interp(at, arc, line[:, 0]), np.interp(at, arc, line[:, 1])], axis=1)


def _pointer_path(line: np.ndarray) -> list[tuple[float, float]]:
    """(P, 2) canvas polyline -> the stroke's points, at most POINT_SPACING px apart.

    Replayed one point per frame, that spacing is a moderate pointer speed: the engines paint
    fast strokes thinner and lighter, as a hurried hand would.
    """
    if len(line) > 1:
        line = _resample(line, POINT_SPACING)
    return [(x, y) for x, y in np.round(line, 1).tolist()]
