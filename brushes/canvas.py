"""The painting surface: paper, dry paint, the watercolour layer and the
displayed picture.

State (internally padded to even width/height so pixels map 2:1 onto cells);
colour arrays are channel-planar because numpy broadcasts (H, W) factors over
a leading channel axis much faster than over a trailing one:
  refl     (3, Hp, Wp) float32  dry reflectance (paper colour, acrylic, folded glazes)
  surface  (Hp, Wp)    float32  surface height: the paper, raised and combed by acrylic
  water    (Hc, Wc)    float32  water per 2x2 px cell (0 = dry)
  pigment  (3, Hc, Wc) float32  optical density of watercolour pigment not yet folded:
                                moving while its cell is wet, a fixed stain once dry

This module holds that state and runs the wet layer over time; the displayed
picture (compositing, lighting, dirty rectangle) is display.py, and the tiles that
change, for undo (touch, capture, restore), are regions.py: mixins of Canvas.

Frame budget: update() advances the wet layer in fixed phases (a 30 Hz tick is
two half-box phases, one per 60 Hz frame), then re-draws at most
WetParams.redraw_px_per_update px of the drying wash, sweeping it in row bands.
rgb8() first finishes any pending re-draw; rgb8_region() returns what is drawn.

Stains (pigment in dry cells) are folded into refl (refl *= transmittance) at
deterministic moments only: a band per phase once everything is dry ("settling"),
when a brush paints over them, and at force_dry (undo, redo), which folds all at
once and so keeps every displayed byte. Folding during the wet phase would cost
a full-resolution pass over the wash every frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import wet
from .boxes import Box, grow, halo, intersect, overlaps, shrink_to, union
from .display import Display
from .paper import PaperSettings, make_paper, valleys
from .regions import TileRegions
from .scratch import Scratch
from .tiles import TILE


@dataclass(frozen=True)
class CanvasLook:
    paper_rgb: tuple[float, float, float] = (0.965, 0.952, 0.918)  # warm white sheet
    relief: float = 0.45  # shading per unit height difference to the top-left neighbour
    cavity: float = 0.06  # valleys a little darker, peaks a little lighter
    shade_range: tuple[float, float] = (0.7, 1.12)
    paper: PaperSettings = field(default_factory=PaperSettings)
    wet: wet.WetParams = field(default_factory=wet.WetParams)


class Canvas(Display, TileRegions):
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
        # Stored negated: the transmittance is exp(density * neg_gran).
        self._neg_gran = (-np.maximum(gran, 0.1)).astype(np.float32)  # (Hp, Wp)
        self._neg_gran.flags.writeable = False
        self._paper_rgb = np.array(self.look.paper_rgb, np.float32)  # (3,)
        self._paper_rgb.flags.writeable = False
        self.paper_rgb = self._paper_rgb  # (3,) float32 reflectance of clean paper

        self.refl = np.empty((3, hp, wp), np.float32)
        self.refl[...] = self._paper_rgb[:, None, None]
        self.surface = paper.copy()
        self.water = np.zeros((self._hc, self._wc), np.float32)
        self.pigment = np.zeros((3, self._hc, self._wc), np.float32)
        self._rgb8 = np.zeros((hp, wp, 3), np.uint8)  # the display, ready to blit
        # Lighting from the surface slopes, * 255; changes only where acrylic/eraser go.
        self._shade = np.empty((hp, wp), np.float32)  # (Hp, Wp)
        self._scratch = Scratch()

        self._tiles_shape = (-(-hp // TILE), -(-wp // TILE))
        self._painted = np.zeros(self._tiles_shape, bool)  # tiles that may differ from paper
        self._wet_box: Box | None = None  # cells with water, in cells
        self._stain_box: Box | None = None  # cells that may hold unfolded pigment
        self._dirty: list[int] | None = None  # [x0, y0, x1, y1] in public px
        self._tick_acc = 0.0
        self.ticks = 0  # wet-simulation phases run so far (stroke logs count these)
        self.recorder = None  # set by History: receives tiles before they change
        # Display refresh of the drying wash is spread over frames: the region still
        # to re-compose (px box) and the sweep in progress with its next row.
        self._stale: Box | None = None
        self._sweep: Box | None = None
        self._sweep_row = 0
        self._sim_box: Box | None = None  # box of the wet tick in progress, if any
        self._phase = 0  # next phase of that tick
        self.compose(0, 0, wp, hp, surface=True)

    def rgb8(self) -> np.ndarray:
        """(H, W, 3) uint8 copy of the whole picture, fully up to date.

        A drying wash is re-drawn a band per update(); this first finishes that.
        """
        self.flush()
        return self.rgb8_region(0, 0, self.width, self.height)

    def flush(self) -> None:
        """Bring every displayed pixel up to date with the state now."""
        self._refresh_stale(None)

    @property
    def is_wet(self) -> bool:
        """True while any watercolour is wet (it then bleeds and dries in update())."""
        return self._wet_box is not None

    @property
    def is_settled(self) -> bool:
        """True once dried washes are also folded in; update() is then free."""
        return self._wet_box is None and self._stain_box is None

    # ------------------------------------------------------------ engine hooks
    def mark_wet(self, cy0: int, cy1: int, cx0: int, cx1: int) -> None:
        """Grow the wet (and stain) bounding boxes, in cells, after adding water and pigment."""
        box = (max(cy0, 0), min(cy1, self._hc), max(cx0, 0), min(cx1, self._wc))
        if box[1] <= box[0] or box[3] <= box[2]:
            return
        self._wet_box = box if self._wet_box is None else union(self._wet_box, box)
        self._stain_box = box if self._stain_box is None else union(self._stain_box, box)

    # --------------------------------------------------------------- wet layer
    def update(self, dt: float) -> None:
        """Advance the wet watercolour by dt seconds of game time (fixed ticks inside),
        and re-draw the next band of the drying wash."""
        if self._wet_box is None and self._stain_box is None:
            self._tick_acc = 0.0
            if self._stale is not None or self._sweep is not None:
                self._refresh_stale(self.look.wet.redraw_px_per_update)
            return
        prm = self.look.wet
        phase = prm.tick_seconds / prm.phases_per_tick
        self._tick_acc += max(float(dt), 0.0)
        n = int(self._tick_acc / phase)
        if n > prm.max_phases_per_update:
            n, self._tick_acc = prm.max_phases_per_update, 0.0
        else:
            self._tick_acc -= n * phase
        self.run_ticks(n)
        self._refresh_stale(prm.redraw_px_per_update)

    def _refresh_stale(self, budget: int | None) -> None:
        """Re-compose up to `budget` px (None: all) of the stale wash, in row bands."""
        left = float("inf") if budget is None else budget
        while left > 0:
            if self._sweep is None:
                if self._stale is None:
                    return
                self._sweep, self._stale = self._stale, None
                self._sweep_row = self._sweep[0]
            y0, y1, x0, x1 = self._sweep
            width = max(x1 - x0, 1)
            rows = y1 - self._sweep_row if budget is None else max(int(left // width) & ~1, 2)
            r1 = min(self._sweep_row + rows, y1)
            self.compose(x0, self._sweep_row, x1, r1)
            left -= (r1 - self._sweep_row) * width
            self._sweep_row = r1
            if r1 >= y1:
                self._sweep = None

    def run_ticks(self, n: int) -> None:
        """Run n simulation phases (`ticks` counts phases: a wet tick is several, one
        band of rows each). On a settled canvas they do nothing and are not counted."""
        for _ in range(int(n)):
            if self._wet_box is not None or self._sim_box is not None:
                self._tick()
            elif self._stain_box is not None:
                self._settle()
            else:
                return

    def _settle(self) -> None:
        """One tick after everything is dry: fold the next band of stains into refl.

        Until folded, every re-draw of a stain pays for its transmittance and every
        brush over it has to fold it first; folding a band per tick (not all at once)
        keeps the frame cost flat, and counting it as a tick keeps replays exact.
        """
        cy0, cy1, cx0, cx1 = self._stain_box
        rows = max(self.look.wet.settle_cells_per_tick // max(cx1 - cx0, 1), 2)
        band = (cy0, min(cy0 + rows, cy1), cx0, cx1)
        mask = (self.pigment[:, band[0]:band[1], cx0:cx1] > 0).any(axis=0)
        if mask.any():
            self.touch(cx0 * 2 - 2, band[0] * 2 - 2, cx1 * 2 + 2, band[1] * 2 + 2)
            x0, y0, x1, y1 = self._fold(mask, band)
            shown = (y0, y1, x0, x1)
            self._stale = shown if self._stale is None else union(self._stale, shown)
        self.ticks += 1
        self._stain_box = (band[1], cy1, cx0, cx1) if band[1] < cy1 else None

    def _tick(self) -> None:
        """One phase of a wet tick: the next band of rows of the box being simulated."""
        if self._sim_box is None:  # a new tick: fix its box for all of its phases
            sim = grow(self._wet_box, 1, self._hc, self._wc)  # room for water to creep
            self._sim_box, self._phase = sim, 0
            self._stain_box = sim if self._stain_box is None else union(self._stain_box, sim)
        cy0, cy1, cx0, cx1 = self._sim_box
        phases = self.look.wet.phases_per_tick
        r0 = (cy1 - cy0) * self._phase // phases
        r1 = (cy1 - cy0) * (self._phase + 1) // phases
        # This band's rows and the row below it change. Touched every phase (a new
        # command may have begun since the last), and only the band: if a new
        # command's recorder must copy the whole wash, that is spread over phases.
        self.touch(cx0 * 2, (cy0 + r0) * 2, cx1 * 2, min(cy0 + r1 + 1, cy1) * 2)
        water = self.water[cy0:cy1, cx0:cx1]
        wet.step(water, self.pigment[:, cy0:cy1, cx0:cx1], self.look.wet, r0, r1)
        self.ticks += 1
        self._phase += 1
        # Rows r0 - 1 .. r1 changed (the band owns the edge below it); cells tint 1 px.
        shown = (max(cy0 + r0 - 2, 0) * 2, min(cy0 + r1 + 2, self._hc) * 2,
                 max(cx0 - 1, 0) * 2, min(cx1 + 1, self._wc) * 2)
        self._stale = shown if self._stale is None else union(self._stale, shown)
        if self._phase >= phases:
            self._sim_box = None
            self._wet_box = shrink_to(water > 0, cy0, cx0)

    def _fold(self, mask: np.ndarray, box: Box) -> Box:
        """Multiply the pigment of `mask` cells into refl and clear it (and their water).

        mask: (h, w) bool for the cells of `box`. The caller has touched the box
        grown by one cell. Returns the px rectangle (x0, y0, x1, y1) whose refl
        changed. Folding every stained cell at once is display-preserving to the
        bit: refl * T with T from the same function and inputs the display used.
        """
        full = np.zeros((self._hc, self._wc), bool)  # (Hc, Wc) cells folding now
        full[box[0]:box[1], box[2]:box[3]] = mask
        out = grow(box, 1, self._hc, self._wc)  # cells whose px see the folded ones
        pig = np.where(halo(full, out), halo(self.pigment, out), np.float32(0.0))
        ys, xs = slice(out[0] * 2, out[1] * 2), slice(out[2] * 2, out[3] * 2)
        trans = wet.glaze_transmittance(pig, self._neg_gran[ys, xs], self._scratch)
        refl = self.refl[:, ys, xs]
        np.multiply(refl, trans, out=refl)
        cells = (slice(box[0], box[1]), slice(box[2], box[3]))
        np.copyto(self.pigment[(slice(None),) + cells], np.float32(0.0), where=mask)
        np.copyto(self.water[cells], np.float32(0.0), where=mask)
        return xs.start, ys.start, xs.stop, ys.stop

    def fold_region(self, x0: int, y0: int, x1: int, y1: int,
                    dry_only: bool = False) -> tuple[int, int, int, int] | None:
        """Fold the pigment under a px rectangle into the dry layer now.

        Acrylic folds everything it covers (it sits on top of the wash); a new
        watercolour stamp folds only dry stains (dry_only) so that it glazes over
        them, while still-wet paint stays wet for wet-in-wet. Returns the px
        rectangle whose pixels changed, or None.
        """
        if self._stain_box is None:
            return None
        cbox = (max(y0 // 2, 0), min(-(-y1 // 2), self._hc),
                max(x0 // 2, 0), min(-(-x1 // 2), self._wc))
        if not overlaps(cbox, self._stain_box):
            return None
        cbox = intersect(cbox, self._stain_box)
        cy0, cy1, cx0, cx1 = cbox
        mask = (self.pigment[:, cy0:cy1, cx0:cx1] > 0).any(axis=0)
        if dry_only:
            mask &= self.water[cy0:cy1, cx0:cx1] <= 0
        else:
            mask |= self.water[cy0:cy1, cx0:cx1] > 0
        if not mask.any():
            return None
        self.touch(cx0 * 2 - 2, cy0 * 2 - 2, cx1 * 2 + 2, cy1 * 2 + 2)
        return self._fold(mask, cbox)

    def force_dry(self) -> None:
        """Dry and fold everything now without changing a displayed byte (undo/redo)."""
        self._sim_box = None  # a tick in progress is abandoned: nothing is wet any more
        if self._stain_box is None:
            self._wet_box = None
            return
        box = self._stain_box
        cy0, cy1, cx0, cx1 = box
        self.touch(cx0 * 2 - 2, cy0 * 2 - 2, cx1 * 2 + 2, cy1 * 2 + 2)
        mask = (self.water[cy0:cy1, cx0:cx1] > 0) | \
            (self.pigment[:, cy0:cy1, cx0:cx1] > 0).any(axis=0)
        if mask.any():
            self._fold(mask, box)
        self.water[cy0:cy1, cx0:cx1] = 0.0
        self._wet_box = self._stain_box = None
        self._tick_acc = 0.0
        self.compose(cx0 * 2 - 2, cy0 * 2 - 2, cx1 * 2 + 2, cy1 * 2 + 2)
        self.flush()

    # ------------------------------------------------------------ whole canvas
    def clear(self) -> None:
        """Back to clean, dry paper (History.clear wraps this as an undoable command)."""
        painted = np.argwhere(self._painted)
        for ty, tx in painted:
            y0, x0 = int(ty) * TILE, int(tx) * TILE
            self.touch(x0, y0, x0 + TILE, y0 + TILE)
        self.refl[...] = self._paper_rgb[:, None, None]
        self.surface[...] = self._paper
        self.water[...] = 0.0
        self.pigment[...] = 0.0
        self._wet_box = self._stain_box = self._stale = self._sweep = self._sim_box = None
        self._tick_acc = 0.0
        for ty, tx in painted:
            y0, x0 = int(ty) * TILE, int(tx) * TILE
            # Margin: shading reads the top-left neighbour, cells tint one px around.
            self.compose(x0 - 2, y0 - 2, x0 + TILE + 2, y0 + TILE + 2, surface=True)
        self._painted[...] = False
