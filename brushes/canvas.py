"""The painting surface: paper, dry paint, the wet watercolour layer and the
displayed picture.

State (internally padded to even width/height so pixels map 2:1 onto wet cells):
  refl     (Hp, Wp, 3) float32  dry reflectance (paper colour, acrylic, dried glazes)
  surface  (Hp, Wp)    float32  surface height: the paper, raised and combed by acrylic
  water    (Hc, Wc)    float32  wet layer water per 2x2 cell (0 = dry)
  pigment  (Hc, Wc, 3) float32  optical density of pigment still in suspension

Displayed colour = refl * exp(-pigment * granulation) * shade(surface): glazes
multiply transmittance (subtractive), and the surface slopes are lit from the top
left so paper grain and bristle ridges show under both media.

`_rgb8` caches the displayed picture; every change re-composes just its rectangle
(so `rgb8_region` is a slice copy) and grows the dirty rectangle for `pop_dirty`.

Brush-engine contract (used by tools and History, not by the game): call
`touch(...)` before changing any state in a rectangle (this lets the undo recorder
copy those tiles first), then `compose(...)` over what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import wet
from .paper import PaperSettings, make_paper, valleys
from .tiles import PRISTINE, TILE, TileKey, TileState, _Pristine

Box = tuple[int, int, int, int]  # (y0, y1, x0, x1), half-open


@dataclass(frozen=True)
class CanvasLook:
    paper_rgb: tuple[float, float, float] = (0.965, 0.952, 0.918)  # warm white sheet
    relief: float = 0.55  # shading per unit height difference to the top-left neighbour
    cavity: float = 0.06  # valleys a little darker, peaks a little lighter
    shade_range: tuple[float, float] = (0.7, 1.12)
    paper: PaperSettings = field(default_factory=PaperSettings)
    wet: wet.WetParams = field(default_factory=wet.WetParams)


class Canvas:
    def __init__(self, width: int, height: int, seed: int = 0, look: CanvasLook | None = None):
        if width < 1 or height < 1:
            raise ValueError("canvas must be at least 1x1")
        self.width = int(width)
        self.height = int(height)
        self.seed = int(seed)
        self.look = look or CanvasLook()
        hp, wp = self.height + self.height % 2, self.width + self.width % 2
        self._hp, self._wp = hp, wp
        self._hc, self._wc = hp // 2, wp // 2

        paper = make_paper(wp, hp, self.seed, self.look.paper)  # (Hp, Wp) float32
        paper.flags.writeable = False
        self._paper = paper
        self.paper = paper[: self.height, : self.width]  # (H, W) float32 in [0, 1]
        self.paper_px = paper  # (Hp, Wp) padded, for brushes reading under a stamp
        # (Hc, Wc) float32 paper height per wet cell, for watercolour edge raggedness.
        self.paper_cells = paper.reshape(hp // 2, 2, wp // 2, 2).mean(axis=(1, 3))
        self.paper_cells.flags.writeable = False
        # Pigment settles in the pits of the sheet: denser where the paper is low.
        gran = 1.0 + self.look.wet.granulation * valleys(paper)
        self._gran = np.maximum(gran, 0.1).astype(np.float32)  # (Hp, Wp)
        self._gran.flags.writeable = False
        self._paper_rgb = np.array(self.look.paper_rgb, np.float32)  # (3,)
        self._paper_rgb.flags.writeable = False
        self.paper_rgb = self._paper_rgb  # (3,) float32 reflectance of clean paper

        self.refl = np.empty((hp, wp, 3), np.float32)
        self.refl[...] = self._paper_rgb
        self.surface = paper.copy()
        self.water = np.zeros((self._hc, self._wc), np.float32)
        self.pigment = np.zeros((self._hc, self._wc, 3), np.float32)
        self._rgb8 = np.zeros((hp, wp, 3), np.uint8)

        self._tiles_shape = (-(-hp // TILE), -(-wp // TILE))
        self._painted = np.zeros(self._tiles_shape, bool)  # tiles that may differ from paper
        self._wet_box: Box | None = None  # in cells
        self._dirty: list[int] | None = None  # [x0, y0, x1, y1] in public px
        self._tick_acc = 0.0
        self.ticks = 0  # wet-simulation ticks run so far (stroke logs refer to these)
        self.recorder = None  # set by History: receives tiles before they change
        self.compose(0, 0, wp, hp)

    # ------------------------------------------------------------------ display
    def rgb8(self) -> np.ndarray:
        """(H, W, 3) uint8 copy of the picture as displayed."""
        return self._rgb8[: self.height, : self.width].copy()

    def rgb8_region(self, x: int, y: int, w: int, h: int) -> np.ndarray:
        """(h, w, 3) uint8 copy of a region; the rectangle is clipped to the canvas."""
        x0, y0 = max(int(x), 0), max(int(y), 0)
        x1, y1 = min(int(x) + int(w), self.width), min(int(y) + int(h), self.height)
        return self._rgb8[y0:max(y1, y0), x0:max(x1, x0)].copy()

    def pop_dirty(self) -> tuple[int, int, int, int] | None:
        """(x, y, w, h) covering every pixel changed since the last call, or None."""
        d, self._dirty = self._dirty, None
        if d is None:
            return None
        return d[0], d[1], d[2] - d[0], d[3] - d[1]

    @property
    def tile_grid_shape(self) -> tuple[int, int]:
        return self._tiles_shape

    @property
    def is_wet(self) -> bool:
        return self._wet_box is not None

    def compose(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Recompute the displayed pixels of a rectangle (px, half-open) and mark it dirty."""
        x0, y0 = max(int(x0) & ~1, 0), max(int(y0) & ~1, 0)
        x1, y1 = min(int(x1) + (int(x1) & 1), self._wp), min(int(y1) + (int(y1) & 1), self._hp)
        if x1 <= x0 or y1 <= y0:
            return
        refl = self.refl[y0:y1, x0:x1]  # (h, w, 3)
        cbox = (y0 // 2, y1 // 2, x0 // 2, x1 // 2)
        if self._wet_box is not None and _overlaps(cbox, self._wet_box):
            trans = wet.glaze_transmittance(self.pigment[cbox[0]:cbox[1], cbox[2]:cbox[3]],
                                            self._gran[y0:y1, x0:x1])
            col = np.multiply(refl, trans, out=trans)
        else:
            col = refl
        out = np.multiply(col, self._shade255(x0, y0, x1, y1)[..., None])  # (h, w, 3)
        out += np.float32(0.5)
        np.minimum(out, np.float32(255.0), out=out)
        np.copyto(self._rgb8[y0:y1, x0:x1], out, casting="unsafe")
        self._mark_dirty(x0, y0, x1, y1)

    def _shade255(self, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
        """(h, w) float32 light factor * 255 from the surface slope towards the top left."""
        ya, xa = max(y0 - 1, 0), max(x0 - 1, 0)
        big = self.surface[ya:y1, xa:x1]
        if y0 == 0:
            big = np.concatenate([big[:1], big], axis=0)
        if x0 == 0:
            big = np.concatenate([big[:, :1], big], axis=1)
        here = big[1:, 1:]
        look = self.look
        shade = (here - big[:-1, :-1]) * np.float32(look.relief * 255.0)
        shade += here * np.float32(look.cavity * 255.0)
        shade += np.float32((1.0 - 0.5 * look.cavity) * 255.0)
        lo, hi = look.shade_range
        return np.clip(shade, np.float32(lo * 255.0), np.float32(hi * 255.0))

    def _mark_dirty(self, x0: int, y0: int, x1: int, y1: int) -> None:
        x1, y1 = min(x1, self.width), min(y1, self.height)
        if x1 <= x0 or y1 <= y0:
            return
        d = self._dirty
        if d is None:
            self._dirty = [x0, y0, x1, y1]
        else:
            d[0], d[1] = min(d[0], x0), min(d[1], y0)
            d[2], d[3] = max(d[2], x1), max(d[3], y1)

    # ------------------------------------------------------------ engine hooks
    def clip_box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        """Integer (x0, y0, x1, y1) clipped to the padded arrays; may be empty."""
        return (max(int(x0), 0), max(int(y0), 0),
                min(int(x1), self._wp), min(int(y1), self._hp))

    def touch(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Announce a change in [x0, x1) x [y0, y1) px; must come before the change."""
        x0, y0, x1, y1 = self.clip_box(x0, y0, x1, y1)
        if x1 <= x0 or y1 <= y0:
            return
        ty0, ty1 = y0 // TILE, (y1 - 1) // TILE + 1
        tx0, tx1 = x0 // TILE, (x1 - 1) // TILE + 1
        self._painted[ty0:ty1, tx0:tx1] = True
        if self.recorder is not None:
            self.recorder.save(self, ty0, ty1, tx0, tx1)

    def mark_wet(self, cy0: int, cy1: int, cx0: int, cx1: int) -> None:
        """Grow the wet bounding box (cells) after adding water there."""
        box = (max(cy0, 0), min(cy1, self._hc), max(cx0, 0), min(cx1, self._wc))
        if box[1] <= box[0] or box[3] <= box[2]:
            return
        self._wet_box = box if self._wet_box is None else _union(self._wet_box, box)

    # --------------------------------------------------------------- wet layer
    def update(self, dt: float) -> None:
        """Advance the wet watercolour by dt seconds of game time (fixed ticks inside)."""
        if self._wet_box is None:
            self._tick_acc = 0.0
            return
        prm = self.look.wet
        self._tick_acc += max(float(dt), 0.0)
        n = int(self._tick_acc / prm.tick_seconds)
        if n > prm.max_ticks_per_update:
            n, self._tick_acc = prm.max_ticks_per_update, 0.0
        else:
            self._tick_acc -= n * prm.tick_seconds
        self.run_ticks(n)

    def run_ticks(self, n: int) -> None:
        """Run n simulation ticks; ticks on a dry canvas do nothing and are not counted."""
        for _ in range(int(n)):
            if self._wet_box is None:
                return
            self._tick()

    def _tick(self) -> None:
        cy0, cy1, cx0, cx1 = _grow(self._wet_box, 1, self._hc, self._wc)
        self.touch(cx0 * 2, cy0 * 2, cx1 * 2, cy1 * 2)
        water = self.water[cy0:cy1, cx0:cx1]
        dried = wet.step(water, self.pigment[cy0:cy1, cx0:cx1], self.look.wet)
        if dried.any():
            self._fold(cy0, cx0, dried)
        self.ticks += 1
        self.compose(cx0 * 2, cy0 * 2, cx1 * 2, cy1 * 2)
        self._wet_box = _shrink_to(water > 0, cy0, cx0)

    def _fold(self, cy0: int, cx0: int, mask: np.ndarray) -> None:
        """Deposit the suspended pigment of `mask` cells into refl and dry them.

        mask: (h, w) bool over cells starting at (cy0, cx0). The caller has touched
        the area. Display-preserving: refl * T is the very float the display showed.
        """
        box = _shrink_to(mask, 0, 0)
        if box is None:
            return
        by0, by1, bx0, bx1 = box
        sub = mask[by0:by1, bx0:bx1, None]  # (h, w, 1)
        ys, xs = slice(cy0 + by0, cy0 + by1), slice(cx0 + bx0, cx0 + bx1)
        pig = self.pigment[ys, xs]
        trans = wet.glaze_transmittance(np.where(sub, pig, np.float32(0.0)),
                                        self._gran[ys.start * 2:ys.stop * 2,
                                                   xs.start * 2:xs.stop * 2])
        refl = self.refl[ys.start * 2:ys.stop * 2, xs.start * 2:xs.stop * 2]
        np.multiply(refl, trans, out=refl)
        np.copyto(pig, np.float32(0.0), where=sub)
        np.copyto(self.water[ys, xs], np.float32(0.0), where=sub[..., 0])

    def fold_region(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Dry the wet cells under a px rectangle at once (e.g. acrylic painted over them)."""
        if self._wet_box is None:
            return
        cbox = (max(y0 // 2, 0), min(-(-y1 // 2), self._hc),
                max(x0 // 2, 0), min(-(-x1 // 2), self._wc))
        if not _overlaps(cbox, self._wet_box):
            return
        cy0, cy1, cx0, cx1 = cbox
        mask = self.water[cy0:cy1, cx0:cx1] > 0
        if mask.any():
            self.touch(cx0 * 2, cy0 * 2, cx1 * 2, cy1 * 2)
            self._fold(cy0, cx0, mask)

    def force_dry(self) -> None:
        """Dry everything now without changing a displayed byte (undo seals with this)."""
        if self._wet_box is None:
            return
        cy0, cy1, cx0, cx1 = self._wet_box
        self.touch(cx0 * 2, cy0 * 2, cx1 * 2, cy1 * 2)
        mask = (self.water[cy0:cy1, cx0:cx1] > 0) | \
            (self.pigment[cy0:cy1, cx0:cx1] > 0).any(axis=2)
        self._fold(cy0, cx0, mask)
        self.water[cy0:cy1, cx0:cx1] = 0.0
        self._wet_box = None
        self._tick_acc = 0.0
        self.compose(cx0 * 2, cy0 * 2, cx1 * 2, cy1 * 2)

    # ------------------------------------------------------------ whole canvas
    def clear(self) -> None:
        """Back to clean, dry paper (History.clear wraps this as an undoable command)."""
        for ty, tx in np.argwhere(self._painted):
            y0, x0 = int(ty) * TILE, int(tx) * TILE
            self.touch(x0, y0, x0 + TILE, y0 + TILE)
        self.refl[...] = self._paper_rgb
        self.surface[...] = self._paper
        self.water[...] = 0.0
        self.pigment[...] = 0.0
        self._wet_box = None
        self._tick_acc = 0.0
        for ty, tx in np.argwhere(self._painted):
            y0, x0 = int(ty) * TILE, int(tx) * TILE
            # One pixel of margin: the shading reads the top-left neighbour.
            self.compose(x0, y0, x0 + TILE + 1, y0 + TILE + 1)
        self._painted[...] = False

    # ------------------------------------------------------- undo snapshots
    def _tile_slices(self, key: TileKey) -> tuple[slice, slice, slice, slice]:
        ty, tx = key
        y0, x0 = ty * TILE, tx * TILE
        y1, x1 = min(y0 + TILE, self._hp), min(x0 + TILE, self._wp)
        return slice(y0, y1), slice(x0, x1), slice(y0 // 2, y1 // 2), slice(x0 // 2, x1 // 2)

    def capture_tile(self, key: TileKey) -> TileState | _Pristine:
        ys, xs, cys, cxs = self._tile_slices(key)
        water = self.water[cys, cxs]
        pigment = self.pigment[cys, cxs]
        is_wet = bool(water.any() or pigment.any())
        refl = self.refl[ys, xs]
        surface = self.surface[ys, xs]
        if (not is_wet and (refl == self._paper_rgb).all()
                and np.array_equal(surface, self._paper[ys, xs])):
            return PRISTINE
        return TileState(refl.copy(), surface.copy(),
                         water.copy() if is_wet else None,
                         pigment.copy() if is_wet else None)

    def restore_tiles(self, tiles: dict[TileKey, TileState | _Pristine]) -> None:
        """Write tile snapshots back (untracked: History calls this with no recorder)."""
        for key, st in tiles.items():
            ys, xs, cys, cxs = self._tile_slices(key)
            if isinstance(st, _Pristine):
                self.refl[ys, xs] = self._paper_rgb
                self.surface[ys, xs] = self._paper[ys, xs]
                self.water[cys, cxs] = 0.0
                self.pigment[cys, cxs] = 0.0
            else:
                self.refl[ys, xs] = st.refl
                self.surface[ys, xs] = st.surface
                self.water[cys, cxs] = 0.0 if st.water is None else st.water
                self.pigment[cys, cxs] = 0.0 if st.pigment is None else st.pigment
            self._painted[key] = True
        self._wet_box = _shrink_to((self.water > 0) | (self.pigment > 0).any(axis=2), 0, 0)
        for key in tiles:
            ys, xs = self._tile_slices(key)[:2]
            # One pixel of margin: the shading reads the top-left neighbour.
            self.compose(xs.start, ys.start, xs.stop + 1, ys.stop + 1)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3])


def _grow(b: Box, m: int, h: int, w: int) -> Box:
    return max(b[0] - m, 0), min(b[1] + m, h), max(b[2] - m, 0), min(b[3] + m, w)


def _shrink_to(mask: np.ndarray, oy: int, ox: int) -> Box | None:
    """Bounding box of True cells in `mask`, offset by (oy, ox); None if none."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return oy + int(rows[0]), oy + int(rows[-1]) + 1, ox + int(cols[0]), ox + int(cols[-1]) + 1
