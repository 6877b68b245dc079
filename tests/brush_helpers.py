"""Shared helpers of the brush tests: a Painter that drives a History frame by frame, and
small tool makers. Imported by tests/test_brushes_*.py.
"""

from __future__ import annotations

import math

import numpy as np

from brushes import Acrylic, BrushSettings, Canvas, History, Watercolour

FRAME = 1.0 / 60.0
W, H = 320, 240


class Painter:
    """Drives a History like the game does: one pointer event and one update per frame."""

    def __init__(self, canvas: Canvas, history: History | None = None):
        self.canvas = canvas
        self.history = history if history is not None else History()
        self.t = 0.0

    def frame(self, dt: float = FRAME) -> None:
        self.t += dt
        self.canvas.update(dt)

    def stroke(self, tool, pts, speed: float = 400.0, frames: bool = True) -> None:
        """Polyline `pts` at `speed` px/s; frames=False skips update() (no drying)."""
        c, h = self.canvas, self.history
        h.begin(c, tool, pts[0][0], pts[0][1], self.t)
        step = speed * FRAME
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            n = max(int(math.hypot(x1 - x0, y1 - y0) / step), 1)
            for i in range(1, n + 1):
                if frames:
                    self.frame()
                else:
                    self.t += FRAME
                h.extend(c, x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n, self.t)
        h.end(c)

    def dry(self, max_seconds: float = 10.0) -> None:
        for _ in range(int(max_seconds / FRAME)):
            if not self.canvas.is_wet:
                break
            self.frame()
        assert not self.canvas.is_wet, "watercolour still wet after %.0f s" % max_seconds


def lum(img: np.ndarray) -> np.ndarray:
    """(H, W) float luminance of an (H, W, 3) uint8 image."""
    return img.astype(np.float64) @ np.array([0.299, 0.587, 0.114])


def acrylic(color=(20, 20, 20), size=30.0, opacity=1.0) -> Acrylic:
    return Acrylic(BrushSettings(color=color, size=size, opacity=opacity))


def water(color=(34, 44, 136), size=30.0, opacity=1.0) -> Watercolour:
    return Watercolour(BrushSettings(color=color, size=size, opacity=opacity))
