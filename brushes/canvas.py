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

Displayed colour = refl * exp(-pigment * granulation) * shade(surface): glazes
multiply transmittance (subtractive), and the surface slopes are lit from the top
left so paper grain and bristle ridges show under both media.

Frame budget: update() advances the wet layer in fixed phases (a 30 Hz tick is
two half-box phases, one per 60 Hz frame), then re-draws at most
WetParams.redraw_px_per_update px of the drying wash, sweeping it in row bands.
rgb8() first finishes any pending re-draw; rgb8_region() returns what is drawn.

Stains (pigment in dry cells) are folded into refl (refl *= transmittance) at
deterministic moments only: a band per phase once everything is dry ("settling"),
when a brush paints over them, and at force_dry (undo, redo), which folds all at
once and so keeps every displayed byte. Folding during the wet phase would cost
a full-resolution pass over the wash every frame.

`_rgb8` caches the displayed picture as (Hp, Wp, 3) uint8; every change
re-composes just its rectangle and grows the dirty rectangle for `pop_dirty`.

Brush-engine contract (used by tools and History, not by the game): call
`touch(...)` before changing any state in a rectangle (this lets the undo recorder
copy those tiles first), then `compose(...)` over what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import wet
from .paper import PaperSettings, make_paper, valleys
from .scratch import Scratch
from .tiles import PRISTINE, TILE, TileKey, TileState, _Pristine

Box = tuple[int, int, int, int]  # (y0, y1, x0, x1), half-open


@dataclass(frozen=True)
class CanvasLook:
    paper_rgb: tuple[float, float, float] = (0.965, 0.952, 0.918)  # warm white sheet
    relief: float = 0.45  # shading per unit height difference to the top-left neighbour
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

    # ------------------------------------------------------------------ display
    def rgb8(self) -> np.ndarray:
        """(H, W, 3) uint8 copy of the whole picture, fully up to date.

        A drying wash is re-drawn a band per update(); this first finishes that.
        """
        self.flush()
        return self.rgb8_region(0, 0, self.width, self.height)

    def flush(self) -> None:
        """Bring every displayed pixel up to date with the state now."""
        self._refresh_stale(None)

    def rgb8_region(self, x: int, y: int, w: int, h: int) -> np.ndarray:
        """(h, w, 3) uint8 copy of a region of the displayed picture (clipped to the canvas).

        Cheap (a copy of the display cache); pop_dirty() says which regions changed.
        """
        x0, y0 = max(int(x), 0), max(int(y), 0)
        x1 = max(min(int(x) + int(w), self.width), x0)
        y1 = max(min(int(y) + int(h), self.height), y0)
        return self._rgb8[y0:y1, x0:x1].copy()

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
        """True while any watercolour is wet (it then bleeds and dries in update())."""
        return self._wet_box is not None

    @property
    def is_settled(self) -> bool:
        """True once dried washes are also folded in; update() is then free."""
        return self._wet_box is None and self._stain_box is None

    def compose(self, x0: int, y0: int, x1: int, y1: int, surface: bool = False) -> None:
        """Recompute the displayed pixels of a rectangle (px, half-open) and mark it dirty.

        surface=True: the surface height changed there too, so relight it first.
        """
        x0, y0 = max(int(x0) & ~1, 0), max(int(y0) & ~1, 0)
        x1, y1 = min(int(x1) + (int(x1) & 1), self._wp), min(int(y1) + (int(y1) & 1), self._hp)
        if x1 <= x0 or y1 <= y0:
            return
        if surface:
            self._relight(x0, y0, x1, y1)
        refl = self.refl[:, y0:y1, x0:x1]  # (3, h, w)
        cbox = (y0 // 2, y1 // 2, x0 // 2, x1 // 2)
        # The bilinear upsampling lets a cell tint one px into its neighbours.
        if self._stain_box is not None and _overlaps(_grow(cbox, 1, self._hc, self._wc),
                                                     self._stain_box):
            trans = wet.glaze_transmittance(self._halo(self.pigment, cbox),
                                            self._neg_gran[y0:y1, x0:x1], self._scratch)
            col = np.multiply(refl, trans, out=trans)
        else:
            col = refl
        out = self._scratch.get("compose", col.shape)
        np.multiply(col, self._shade[y0:y1, x0:x1], out=out)
        out += np.float32(0.5)
        np.minimum(out, np.float32(255.0), out=out)
        # Interleaving here costs less than in rgb8_region: dirty unions are bigger
        # than what actually gets re-composed.
        np.copyto(self._rgb8[y0:y1, x0:x1], out.transpose(1, 2, 0), casting="unsafe")
        self._mark_dirty(x0, y0, x1, y1)

    def _relight(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Update the light factor * 255 from the surface slope towards the top left."""
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
        np.clip(shade, np.float32(lo * 255.0), np.float32(hi * 255.0),
                out=self._shade[y0:y1, x0:x1])

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
        if self.recorder is not None:  # first: a never-painted tile is saved as PRISTINE
            self.recorder.save(self, ty0, ty1, tx0, tx1)
        self._painted[ty0:ty1, tx0:tx1] = True

    def mark_wet(self, cy0: int, cy1: int, cx0: int, cx1: int) -> None:
        """Grow the wet (and stain) bounding boxes, in cells, after adding water and pigment."""
        box = (max(cy0, 0), min(cy1, self._hc), max(cx0, 0), min(cx1, self._wc))
        if box[1] <= box[0] or box[3] <= box[2]:
            return
        self._wet_box = box if self._wet_box is None else _union(self._wet_box, box)
        self._stain_box = box if self._stain_box is None else _union(self._stain_box, box)

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
            self._stale = shown if self._stale is None else _union(self._stale, shown)
        self.ticks += 1
        self._stain_box = (band[1], cy1, cx0, cx1) if band[1] < cy1 else None

    def _tick(self) -> None:
        """One phase of a wet tick: the next band of rows of the box being simulated."""
        if self._sim_box is None:  # a new tick: fix its box for all of its phases
            sim = _grow(self._wet_box, 1, self._hc, self._wc)  # room for water to creep
            self._sim_box, self._phase = sim, 0
            self._stain_box = sim if self._stain_box is None else _union(self._stain_box, sim)
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
        self._stale = shown if self._stale is None else _union(self._stale, shown)
        if self._phase >= phases:
            self._sim_box = None
            self._wet_box = _shrink_to(water > 0, cy0, cx0)

    def _halo(self, cells: np.ndarray, box: Box) -> np.ndarray:
        """cells[..., box] plus a one-cell ring, edge-replicated past the grid.

        cells: (..., Hc, Wc); returns (..., h + 2, w + 2), a view when possible.
        """
        cy0, cy1, cx0, cx1 = box
        ya, yb = max(cy0 - 1, 0), min(cy1 + 1, self._hc)
        xa, xb = max(cx0 - 1, 0), min(cx1 + 1, self._wc)
        core = cells[..., ya:yb, xa:xb]
        pads = ((ya - (cy0 - 1), (cy1 + 1) - yb), (xa - (cx0 - 1), (cx1 + 1) - xb))
        if pads == ((0, 0), (0, 0)):
            return core
        return np.pad(core, ((0, 0),) * (cells.ndim - 2) + pads, mode="edge")

    def _fold(self, mask: np.ndarray, box: Box) -> Box:
        """Multiply the pigment of `mask` cells into refl and clear it (and their water).

        mask: (h, w) bool for the cells of `box`. The caller has touched the box
        grown by one cell. Returns the px rectangle (x0, y0, x1, y1) whose refl
        changed. Folding every stained cell at once is display-preserving to the
        bit: refl * T with T from the same function and inputs the display used.
        """
        full = np.zeros((self._hc, self._wc), bool)  # (Hc, Wc) cells folding now
        full[box[0]:box[1], box[2]:box[3]] = mask
        out = _grow(box, 1, self._hc, self._wc)  # cells whose px see the folded ones
        pig = np.where(self._halo(full, out), self._halo(self.pigment, out), np.float32(0.0))
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
        if not _overlaps(cbox, self._stain_box):
            return None
        cbox = _intersect(cbox, self._stain_box)
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

    # ------------------------------------------------------- undo snapshots
    def _tile_slices(self, key: TileKey) -> tuple[slice, slice, slice, slice]:
        ty, tx = key
        y0, x0 = ty * TILE, tx * TILE
        y1, x1 = min(y0 + TILE, self._hp), min(x0 + TILE, self._wp)
        return slice(y0, y1), slice(x0, x1), slice(y0 // 2, y1 // 2), slice(x0 // 2, x1 // 2)

    def capture_tile(self, key: TileKey) -> TileState | _Pristine:
        """Copy of one tile's state; PRISTINE (nothing stored) if never painted."""
        return self.capture_row(key[0], key[1], key[1] + 1)[0]

    def capture_row(self, ty: int, tx0: int, tx1: int) -> list[TileState | _Pristine]:
        """Copies of the tiles (ty, tx0) .. (ty, tx1 - 1), left to right.

        Neighbouring tiles of the same kind are copied as one block and handed out
        as views of it: a new command whose recorder meets a whole wash at once
        then costs a few numpy copies per tile row, not four per tile.
        """
        kinds = [self._tile_kind(ty, tx) for tx in range(tx0, tx1)]
        out: list[TileState | _Pristine] = []
        start = 0
        while start < len(kinds):
            end = start
            while end < len(kinds) and kinds[end] == kinds[start]:
                end += 1
            out.extend(self._copy_run(ty, tx0 + start, tx0 + end, kinds[start]))
            start = end
        return out

    def _tile_kind(self, ty: int, tx: int) -> int:
        """0: never painted, 1: paint only, 2: may hold watercolour cells too."""
        if not self._painted[ty, tx]:
            return 0
        ys, xs, cys, cxs = self._tile_slices((ty, tx))
        cbox = (cys.start, cys.stop, cxs.start, cxs.stop)
        for box in (self._stain_box, self._wet_box):
            if box is not None and _overlaps(cbox, box):
                return 2
        return 1

    def _copy_run(self, ty: int, tx0: int, tx1: int, kind: int) -> list[TileState | _Pristine]:
        if kind == 0:
            return [PRISTINE] * (tx1 - tx0)
        ys, xs0 = self._tile_slices((ty, tx0))[:2]
        x1 = self._tile_slices((ty, tx1 - 1))[1].stop
        refl = self.refl[:, ys, xs0.start:x1].copy()  # (3, th, run width)
        surface = self.surface[ys, xs0.start:x1].copy()
        cys = slice(ys.start // 2, ys.stop // 2)
        water = self.water[cys, xs0.start // 2:x1 // 2].copy() if kind == 2 else None
        pigment = self.pigment[:, cys, xs0.start // 2:x1 // 2].copy() if kind == 2 else None
        tiles: list[TileState | _Pristine] = []
        for i in range(tx1 - tx0):
            a, b = i * TILE, min((i + 1) * TILE, x1 - xs0.start)
            tiles.append(TileState(refl[:, :, a:b], surface[:, a:b],
                                   None if water is None else water[:, a // 2:b // 2],
                                   None if pigment is None else pigment[:, :, a // 2:b // 2]))
        return tiles

    def restore_tiles(self, tiles: dict[TileKey, TileState | _Pristine]) -> None:
        """Write tile snapshots back (untracked: History calls this with no recorder)."""
        for key, st in tiles.items():
            ys, xs, cys, cxs = self._tile_slices(key)
            if isinstance(st, _Pristine):
                self.refl[:, ys, xs] = self._paper_rgb[:, None, None]
                self.surface[ys, xs] = self._paper[ys, xs]
                self.water[cys, cxs] = 0.0
                self.pigment[:, cys, cxs] = 0.0
            else:
                self.refl[:, ys, xs] = st.refl
                self.surface[ys, xs] = st.surface
                self.water[cys, cxs] = 0.0 if st.water is None else st.water
                self.pigment[:, cys, cxs] = 0.0 if st.pigment is None else st.pigment
            self._painted[key] = True
        self._sim_box = None
        self._wet_box = _shrink_to(self.water > 0, 0, 0)
        self._stain_box = _shrink_to((self.pigment > 0).any(axis=0), 0, 0)
        for key in tiles:
            ys, xs = self._tile_slices(key)[:2]
            # Margin: shading reads the top-left neighbour, cells tint one px around.
            self.compose(xs.start - 2, ys.start - 2, xs.stop + 2, ys.stop + 2, surface=True)


def _intersect(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), min(a[3], b[3])


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
