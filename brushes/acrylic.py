"""Acrylic: opaque body paint with bristle streaks, a load that runs out, and smear.

Per stamp (all arrays are the stamp window, (h, w) or (h, w, 3) float32):
- the tip is rotated to the travel direction and each pixel looks up a per-stroke
  1-D bristle profile across the brush, so streaks run along the stroke;
- the load falls with distance; as it drops, dry-brush gaps open first between
  bristles and in the paper's valleys;
- the brush carries a "pickup" image of paint it has passed over and lays it down
  again a few px further on, which smears the colours underneath along the stroke;
- the surface height is pulled towards combed ridges, so the lighting in the
  canvas shows the bristle marks and some of the paper grain.
"""

from __future__ import annotations

import math

import numpy as np

from .path import Stamp
from .settings import AcrylicParams
from .tips import PROFILE_LEN, window
from .tool import Rect, Stroke, Tool


def bristle_profile(rng: np.random.Generator, size: float) -> np.ndarray:
    """(PROFILE_LEN,) float32 in [0, 1]: paint density of the bristles across the brush."""
    u = np.linspace(-1.0, 1.0, PROFILE_LEN)
    # Bristles gather in clumps; more clumps on a wider brush keeps streaks fine.
    clumps = int(np.clip(size / 3.0, 5, 40))
    centres = rng.uniform(-1.0, 1.0, clumps)
    widths = rng.uniform(0.6, 1.6, clumps) / clumps
    heights = rng.uniform(0.35, 1.0, clumps)
    prof = np.zeros(PROFILE_LEN)
    for c, w, h in zip(centres, widths, heights):
        prof = np.maximum(prof, h * np.exp(-0.5 * ((u - c) / w) ** 2))
    # Single hairs: fine noise at roughly one sample per hair.
    hairs = rng.random(PROFILE_LEN)
    k = max(int(PROFILE_LEN / max(size, 4.0)), 1)
    hairs = np.convolve(hairs, np.ones(k) / k, mode="same")
    prof = 0.55 * prof + 0.45 * hairs
    # Outer hairs splay and carry less paint, so the stroke edge breaks up.
    prof *= np.clip((1.0 - np.abs(u)) * 5.0, 0.0, 1.0) ** 0.5
    prof = (prof - prof.min()) / max(prof.max() - prof.min(), 1e-6)
    return prof.astype(np.float32)


class AcrylicStroke(Stroke):
    needs_direction = True

    def _setup(self) -> None:
        st, prm = self.settings, self.params
        self.profile = bristle_profile(self.rng, st.size)
        self.paint = np.array(st.color, np.float32) / np.float32(255.0)  # (3,)
        self.run = prm.run_length + prm.run_length_per_px * st.size
        n = self.tool.tips.get(st.size, 0.0).n
        # What the bristles carry besides fresh paint, premultiplied by its amount.
        self.carry = np.zeros((n, n, 3), np.float32)  # (n, n, 3)
        self.carry_amt = np.zeros((n, n), np.float32)  # (n, n) in [0, 1]

    def _stamp(self, s: Stamp) -> Rect | None:
        canvas, st, prm = self.canvas, self.settings, self.params
        tip = self.tool.tips.get(st.size, s.angle, aspect=0.85)
        n = tip.n
        x0, y0 = window(s.x, n), window(s.y, n)
        X0, Y0, X1, Y1 = canvas.clip_box(x0, y0, x0 + n, y0 + n)
        if X1 <= X0 or Y1 <= Y0:
            return None
        win = (slice(Y0 - y0, Y1 - y0), slice(X0 - x0, X1 - x0))
        pp = prm.pressure
        scale = 1.0 - pp.thin * (1.0 - s.pressure)
        radius = st.size / 2.0
        mask = np.clip((np.float32(scale) - tip.r[win]) * np.float32(radius / 1.2), 0.0, 1.0)
        canvas.fold_region(X0, Y0, X1, Y1)  # acrylic lands on top of any wet wash
        canvas.touch(X0, Y0, X1, Y1)

        load = math.exp(-s.dist / self.run)
        prof = self.profile[tip.across[win]]  # (h, w)
        paper = canvas.paper_px[Y0:Y1, X0:X1]  # (h, w)
        # Dry brush: gaps open between weak bristles and in paper valleys first.
        need = np.float32((1.0 - load) * prm.dry_gap * 1.3 + 0.18)
        cov = np.clip((prof * np.float32(0.75) + paper * np.float32(0.55) - need)
                      * np.float32(5.0), 0.0, 1.0)
        fresh = cov * np.float32(load ** 0.6)  # (h, w) fresh paint on the bristles
        carry = self.carry[win]
        carry_amt = self.carry_amt[win]
        # A full brush mostly lays its own paint; a spent one mostly pushes paint around.
        smear = np.float32(prm.smear + prm.smear_dry * (1.0 - load))
        amount = fresh + carry_amt * smear + np.float32(1e-6)
        dep = (self.paint * fresh[..., None] + carry * smear) / amount[..., None]  # (h, w, 3)
        dep *= (np.float32(1.0 - prm.streak_tint * 0.5)
                + np.float32(prm.streak_tint) * prof)[..., None]
        strength = prm.flow * st.opacity * (1.0 - pp.fade * (1.0 - s.pressure))
        alpha = mask * np.minimum(amount, 1.0) * np.float32(strength)  # (h, w)

        refl = canvas.refl[Y0:Y1, X0:X1]
        under = refl.copy()  # (h, w, 3) what the bristles can pick up
        a3 = alpha[..., None]
        refl *= np.float32(1.0) - a3
        refl += dep * a3

        # The bristles take on paint they pass over (not bare paper: nothing to smear).
        paint_there = np.minimum(np.abs(under - canvas.paper_rgb).sum(axis=2)
                                 * np.float32(4.0), 1.0)
        pick = mask * paint_there * np.float32(prm.pickup)  # (h, w)
        spent = np.float32(1.0) - mask * np.float32(0.35)  # carried paint is laid down
        carry *= spent[..., None]
        carry_amt *= spent
        carry += under * pick[..., None]
        carry_amt += pick
        over = np.maximum(carry_amt, 1.0)
        carry /= over[..., None]
        carry_amt /= over

        surf = canvas.surface[Y0:Y1, X0:X1]
        target = paper * np.float32(prm.paper_show) + np.float32(prm.body) \
            + prof * np.float32(prm.ridge * (0.4 + 0.6 * load))
        surf += (target - surf) * (alpha * np.float32(0.9))
        return X0, Y0, X1, Y1


class Acrylic(Tool):
    kind = "acrylic"
    params_type = AcrylicParams
    stroke_type = AcrylicStroke
