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
from .tool import Rect, Stroke, Tool, union_rect

MAX_WATER = 1.6  # re-wetting can't make an area stay wet forever


class WatercolourStroke(Stroke):
    min_spacing_px = 2.0  # stamps land on whole 2x2 px cells: one cell apart is enough

    def _setup(self) -> None:
        st, prm = self.settings, self.params
        rgb = np.array(st.color, np.float32) / np.float32(255.0)
        # Density per channel; the floor keeps pure black from being infinite.
        density = -np.log(np.clip(rgb, 0.03, 1.0)) * prm.glaze
        self.density = density.astype(np.float32)[:, None, None]  # (3, 1, 1)
        canvas = self.canvas
        # Pigment coverage already laid by this stroke, per wet cell (calloc'd: cheap).
        self.cover = np.zeros(canvas.water.shape, np.float32)  # (Hc, Wc)
        # How far the tip has reached into each cell so far (max of the masks), and
        # whether the cell was already wet from another stroke when first reached.
        self.reach = np.zeros(canvas.water.shape, np.float32)  # (Hc, Wc)
        self.found_wet = np.zeros(canvas.water.shape, bool)  # (Hc, Wc)

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
        # Dry stains underneath are glazed over, not re-dissolved: fold them first.
        folded = canvas.fold_region(*px, dry_only=True)
        canvas.touch(*px)
        cover = self.cover[cells]
        water = canvas.water[cells]
        reach, found_wet = self.reach[cells], self.found_wet[cells]
        found_wet |= (reach <= 0) & (water > 0) & (mask > 0)
        # Painting into another stroke's wash that is still wet adds water (blooms).
        # It grows with the running max of the mask, like the pigment, so overlapping
        # stamps of this stroke add it once, smoothly, not in rings.
        new_reach = np.maximum(reach, mask)
        extra = (new_reach - reach) * found_wet * np.float32(prm.rewet_add)
        reach[...] = new_reach
        new = np.maximum(cover, mask * np.float32(strength))
        canvas.pigment[(slice(None),) + cells] += (new - cover) * self.density
        cover[...] = new
        np.maximum(water, mask * np.float32(prm.water), out=water)
        water += extra
        np.minimum(water, np.float32(MAX_WATER), out=water)
        canvas.mark_wet(Y0, Y1, X0, X1)
        # Cells tint one px beyond themselves (bilinear display).
        px = (px[0] - 1, px[1] - 1, px[2] + 1, px[3] + 1)
        return px if folded is None else union_rect(px, folded)


class Watercolour(Tool):
    kind = "watercolour"
    params_type = WatercolourParams
    stroke_type = WatercolourStroke
