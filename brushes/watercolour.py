"""Watercolour: transparent glazes laid into the canvas's wet layer.

A stroke adds water and pigment density (optical density = -ln(colour) * glaze)
to the half-resolution wet cells. Within one stroke, coverage is a running
maximum, so overlapping stamps do not stack up; a second stroke over a dry glaze
adds density again, so glazes darken like pigment (Beer-Lambert). Bleeding,
wet edges and drying happen later in the canvas's wet simulation (wet.py).
"""

from __future__ import annotations

import math

import numpy as np

from .path import Stamp
from .settings import WatercolourParams
from .tips import window
from .tool import Rect, Stroke, Tool

MAX_WATER = 1.6  # re-wetting can't make an area stay wet forever


class WatercolourStroke(Stroke):
    def _setup(self) -> None:
        st, prm = self.settings, self.params
        rgb = np.array(st.color, np.float32) / np.float32(255.0)
        # Density per channel; the floor keeps pure black from being infinite.
        self.density = (-np.log(np.clip(rgb, 0.03, 1.0)) * prm.glaze).astype(np.float32)
        canvas = self.canvas
        # Coverage already laid by this stroke, per wet cell (calloc'd: cheap).
        self.cover = np.zeros(canvas.water.shape, np.float32)  # (Hc, Wc)

    def _stamp(self, s: Stamp) -> Rect | None:
        canvas, st, prm = self.canvas, self.settings, self.params
        pp = prm.pressure
        tip = self.tool.tips.get(st.size / 2.0)  # diameter in cells
        n = tip.n
        cx0, cy0 = window((s.x - 0.5) / 2.0, n), window((s.y - 0.5) / 2.0, n)
        hc, wc = canvas.water.shape
        X0, Y0 = max(cx0, 0), max(cy0, 0)
        X1, Y1 = min(cx0 + n, wc), min(cy0 + n, hc)
        if X1 <= X0 or Y1 <= Y0:
            return None
        win = (slice(Y0 - cy0, Y1 - cy0), slice(X0 - cx0, X1 - cx0))
        cells = (slice(Y0, Y1), slice(X0, X1))
        scale = 1.0 - pp.thin * (1.0 - s.pressure)
        radius = max(st.size / 4.0, 0.5)
        # Paper grain roughens the edge so it is not a perfect vector circle.
        grain = (canvas.paper_cells[cells] - np.float32(0.5)) * np.float32(prm.edge_noise)
        mask = np.clip((np.float32(scale) - tip.r[win] + grain) * np.float32(radius / 0.8)
                       + np.float32(0.5), 0.0, 1.0)  # (h, w) cells
        if not mask.any():
            return None
        fade = prm.fade * (1.0 - math.exp(-s.dist / prm.fade_length))
        strength = st.opacity * (1.0 - fade) * (1.0 - pp.fade * (1.0 - s.pressure))

        px = (X0 * 2, Y0 * 2, X1 * 2, Y1 * 2)
        canvas.touch(*px)
        cover = self.cover[cells]
        water = canvas.water[cells]
        # Painting into another stroke's wash that is still wet adds water (blooms);
        # this stroke's own earlier stamps must not, or overlaps would pool.
        extra = ((water > 0) & (cover <= 0)) * (mask * np.float32(prm.rewet_add))
        new = np.maximum(cover, mask * np.float32(strength))
        canvas.pigment[cells] += (new - cover)[..., None] * self.density
        cover[...] = np.maximum(new, mask * np.float32(1e-3))  # mark as visited
        np.maximum(water, mask * np.float32(prm.water), out=water)
        water += extra
        np.minimum(water, np.float32(MAX_WATER), out=water)
        canvas.mark_wet(Y0, Y1, X0, X1)
        return px


class Watercolour(Tool):
    kind = "watercolour"
    params_type = WatercolourParams
    stroke_type = WatercolourStroke
