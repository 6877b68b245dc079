"""Eraser: takes the canvas back to clean, dry paper.

Inside the core of the tip the blend weight is exactly 1.0, and the blends are
written as paper * a + old * (1 - a), so erased pixels hold the very floats of a
fresh canvas (bytes equal to a new Canvas with the same seed).
"""

from __future__ import annotations

import numpy as np

from .path import Stamp
from .settings import EraserParams
from .tips import window
from .tool import Rect, Stroke, Tool


class EraserStroke(Stroke):
    changes_surface = True
    min_spacing_px = 2.0  # stamps land on even px (wet cells): closer repeats them

    def _setup(self) -> None:
        # How erased each px already is in this stroke; overlapping stamps take the
        # max, so a 50% eraser stays 50%. (Hp, Wp), calloc'd so cheap.
        self.cover = np.zeros(self.canvas.surface.shape, np.float32)

    def _stamp(self, s: Stamp) -> Rect | None:
        canvas, st = self.canvas, self.settings
        tip = self.tool.tips.get(st.size)
        n = tip.n
        # Even window origin so px pairs line up with wet cells.
        x0, y0 = window(s.x, n) & ~1, window(s.y, n) & ~1
        X0, Y0, X1, Y1 = canvas.clip_box(x0, y0, x0 + n + 1, y0 + n + 1)
        X1, Y1 = X1 & ~1, Y1 & ~1
        if X1 <= X0 or Y1 <= Y0:
            return None
        r = np.ones((n + 1, n + 1), np.float32) * np.float32(2.0)
        r[:n, :n] = tip.r
        r = r[Y0 - y0:Y1 - y0, X0 - x0:X1 - x0]
        radius = st.size / 2.0
        soft = max(self.params.softness_px, 0.5)
        target = np.clip((np.float32(1.0) - r) * np.float32(radius / soft), 0.0, 1.0)
        target *= np.float32(st.opacity)  # (h, w); exactly 1.0 in the core at full opacity
        cover = self.cover[Y0:Y1, X0:X1]
        new = np.maximum(cover, target)
        if not (new > cover).any():
            return None
        # Share of what is left to erase; where the target is 1.0 this is x / x, exactly
        # 1.0, so the core ends up holding the very floats of clean paper.
        a = np.divide(new - cover, np.float32(1.0) - cover,
                      out=np.zeros_like(cover), where=cover < 1.0)
        cover[...] = new
        canvas.touch(X0, Y0, X1, Y1)
        keep = np.float32(1.0) - a
        refl = canvas.refl[:, Y0:Y1, X0:X1]  # (3, h, w)
        refl *= keep
        refl += canvas.paper_rgb[:, None, None] * a
        surf = canvas.surface[Y0:Y1, X0:X1]
        surf *= keep
        surf += canvas.paper_px[Y0:Y1, X0:X1] * a
        # A cell is as erased as its most erased pixel, so the core has no wet paint left.
        h2, w2 = (Y1 - Y0) // 2, (X1 - X0) // 2
        cell_keep = keep.reshape(h2, 2, w2, 2).min(axis=(1, 3))  # (h2, w2)
        cells = (slice(Y0 // 2, Y1 // 2), slice(X0 // 2, X1 // 2))
        canvas.water[cells] *= cell_keep
        canvas.pigment[(slice(None),) + cells] *= cell_keep
        return X0, Y0, X1, Y1


class Eraser(Tool):
    kind = "eraser"
    params_type = EraserParams
    stroke_type = EraserStroke
