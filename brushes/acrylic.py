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
from .tool import Rect, Stroke, Tool, union_rect


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
    changes_surface = True

    def _setup(self) -> None:
        st, prm = self.settings, self.params
        self.profile = bristle_profile(self.rng, st.size)
        self.paint = (np.array(st.color, np.float32) / np.float32(255.0))[:, None, None]
        self.run = prm.run_length + prm.run_length_per_px * st.size
        n = self.tool.tips.get(st.size, 0.0).n
        # What the bristles carry besides fresh paint: colour premultiplied by its
        # amount, and the amount; one array so that sliding it is one pass.
        self._carried = np.zeros((4, n, n), np.float32)  # (4, n, n) in window px
        self._slide_buf = np.empty_like(self._carried)  # work buffer for sliding it
        self.carry = self._carried[:3]  # (3, n, n)
        self.carry_amt = self._carried[3]  # (n, n) in [0, 1]
        # The last stamp's exact centre and its window origin: (x, y, x0, y0).
        self._last_pos: tuple[float, float, int, int] | None = None
        # Below full opacity, overlapping stamps must not stack up to opaque.
        self.cover: np.ndarray | None = None

    def _stamp(self, s: Stamp) -> Rect | None:
        canvas, st, prm = self.canvas, self.settings, self.params
        tip = self.tool.tips.get(st.size, s.angle, aspect=0.85)
        n = tip.n
        x0, y0 = window(s.x, n), window(s.y, n)
        # The carried paint slides with every stamp, on the canvas or off it, so the
        # brush's last position is never stale when it comes back.
        self._slide_carry(s.x, s.y, x0, y0)
        X0, Y0, X1, Y1 = canvas.clip_box(x0, y0, x0 + n, y0 + n)
        if X1 <= X0 or Y1 <= Y0:
            return None
        win = (slice(Y0 - y0, Y1 - y0), slice(X0 - x0, X1 - x0))
        pp = prm.pressure
        scale = 1.0 - pp.thin * (1.0 - s.pressure)
        radius = st.size / 2.0
        mask = np.clip((np.float32(scale) - tip.r[win]) * np.float32(radius / 1.2), 0.0, 1.0)
        folded = canvas.fold_region(X0, Y0, X1, Y1)  # acrylic lands on top of any wash
        canvas.touch(X0, Y0, X1, Y1)

        load = math.exp(-s.dist / self.run)
        prof = self.profile[tip.across[win]]  # (h, w)
        paper = canvas.paper_px[Y0:Y1, X0:X1]  # (h, w)
        # Dry brush: gaps open between weak bristles and in paper valleys first.
        need = np.float32((1.0 - load) * prm.dry_gap * 1.3 + 0.18)
        cov = np.clip((prof * np.float32(0.75) + paper * np.float32(0.55) - need)
                      * np.float32(5.0), 0.0, 1.0)
        fresh = cov * np.float32(load ** 0.6)  # (h, w) fresh paint on the bristles
        carry = self.carry[(slice(None),) + win]  # (3, h, w)
        carry_amt = self.carry_amt[win]
        # A full brush mostly lays its own paint; a spent one mostly pushes paint around.
        smear = np.float32(prm.smear + prm.smear_dry * (1.0 - load))
        amount = fresh + carry_amt * smear + np.float32(1e-6)
        dep = (self.paint * fresh + carry * smear) / amount  # (3, h, w)
        dep *= np.float32(1.0 - prm.streak_tint * 0.5) + np.float32(prm.streak_tint) * prof
        strength = prm.flow * (1.0 - pp.fade * (1.0 - s.pressure))
        alpha = mask * np.minimum(amount, 1.0) * np.float32(strength)  # (h, w)
        if st.opacity < 1.0:
            alpha = self._cap_to_opacity(alpha, Y0, Y1, X0, X1)

        refl = canvas.refl[:, Y0:Y1, X0:X1]
        under = refl.copy()  # (3, h, w) what the bristles can pick up
        refl *= np.float32(1.0) - alpha
        dep *= alpha
        refl += dep

        # The bristles take on paint they pass over (not bare paper: nothing to smear).
        paint_there = np.minimum(np.abs(under - canvas.paper_rgb[:, None, None]).sum(axis=0)
                                 * np.float32(4.0), 1.0)
        pick = mask * paint_there * np.float32(prm.pickup)  # (h, w)
        spent = np.float32(1.0) - mask * np.float32(prm.carry_spend)  # some is laid down
        carry *= spent
        carry_amt *= spent
        under *= pick
        carry += under
        carry_amt += pick
        over = np.maximum(carry_amt, 1.0)
        carry /= over
        carry_amt /= over

        surf = canvas.surface[Y0:Y1, X0:X1]
        target = paper * np.float32(prm.paper_show) + np.float32(prm.body) \
            + prof * np.float32(prm.ridge * (0.4 + 0.6 * load))
        # Relief fades out over the outer third of the tip, so stamp rims don't leave
        # ridges (onion rings at the ends of a stroke).
        rim = np.clip((np.float32(scale) - tip.r[win]) * np.float32(3.0), 0.0, 1.0)
        rim *= alpha
        surf += (target - surf) * rim
        if folded is not None:
            return union_rect(folded, (X0, Y0, X1, Y1))
        return X0, Y0, X1, Y1

    def _slide_carry(self, x: float, y: float, x0: int, y0: int) -> None:
        """Paint picked up by the front of the bristles slides towards their back as
        the brush moves on, so it is laid down behind the brush: a smear that trails
        past what it picked up. Carried paint slips back at `carry_slip` of the motion.

        (x, y) is the stamp's exact centre, (x0, y0) its window origin. The carry
        lives in window px: over the canvas it moves by (1 - carry_slip) of the
        brush's motion, so in the window by that minus the window's whole-px move,
        fractions included. Rounded, that slide would beat against the window's own
        rounding whenever stamps are not a whole number of px apart, and stripe thin
        strokes.
        """
        last = self._last_pos
        self._last_pos = (x, y, x0, y0)
        if last is None:
            return
        keep = 1.0 - self.params.carry_slip
        _shift(self._carried, keep * (y - last[1]) - (y0 - last[3]),
               keep * (x - last[0]) - (x0 - last[2]), self._slide_buf)

    def _cap_to_opacity(self, want: np.ndarray, y0: int, y1: int, x0: int, x1: int
                        ) -> np.ndarray:
        """Blend weights that let this stroke's coverage approach, never pass, opacity."""
        if self.cover is None:
            # (Hp, Wp) coverage of this stroke so far; calloc'd, so cheap until used.
            self.cover = np.zeros(self.canvas.surface.shape, np.float32)
        cover = self.cover[y0:y1, x0:x1]
        new = cover + (np.float32(self.settings.opacity) - cover) * want
        alpha = (new - cover) / (np.float32(1.0) - cover)  # cover <= opacity < 1
        cover[...] = np.maximum(new, cover)
        return np.clip(alpha, 0.0, 1.0, out=alpha)


class Acrylic(Tool):
    kind = "acrylic"
    params_type = AcrylicParams
    stroke_type = AcrylicStroke


def _shift(arr: np.ndarray, dy: float, dx: float, buf: np.ndarray | None = None) -> None:
    """Move the last two axes of `arr` by (dy, dx) px in place, zeros moving in.

    Whole px are moved exactly; the rest by linear interpolation (a slight blur
    along the move). A shift as big as the window moves everything out of it.
    buf: optional work array of arr's shape (spares an allocation per call).
    """
    h, w = arr.shape[-2:]
    iy, ix = int(round(dy)), int(round(dx))
    if abs(iy) >= h or abs(ix) >= w:
        arr[...] = 0.0
        return
    buf = np.empty_like(arr) if buf is None else buf
    if iy or ix:
        np.copyto(buf, arr)
        arr[...] = 0.0
        ys, yd = (slice(0, h - iy), slice(iy, h)) if iy >= 0 else (slice(-iy, h), slice(0, h + iy))
        xs, xd = (slice(0, w - ix), slice(ix, w)) if ix >= 0 else (slice(-ix, w), slice(0, w + ix))
        arr[..., yd, xd] = buf[..., ys, xs]
    _nudge(arr, dy - iy, -2, buf)
    _nudge(arr, dx - ix, -1, buf)


def _nudge(arr: np.ndarray, f: float, axis: int, buf: np.ndarray) -> None:
    """Move `arr` by a fraction |f| <= 0.5 of a px along `axis`, in place."""
    if abs(f) < 1e-4:
        return
    a = np.float32(abs(f))
    lo, hi, edge = ([slice(None)] * arr.ndim for _ in range(3))
    lo[axis], hi[axis] = slice(None, -1), slice(1, None)
    dst, src = (tuple(hi), tuple(lo)) if f > 0 else (tuple(lo), tuple(hi))
    edge[axis] = slice(None, 1) if f > 0 else slice(-1, None)
    step = np.subtract(arr[src], arr[dst], out=buf[dst])  # (1 - a) * dst + a * src
    step *= a
    arr[dst] += step
    arr[tuple(edge)] *= np.float32(1.0) - a
