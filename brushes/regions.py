"""Which tiles of a Canvas change, for undo: the touch() contract, and copying tiles
out (capture) and back in (restore) for the undo recorder (tiles.py, history.py).

Brush-engine contract (used by tools and History, not by the game): call
`touch(...)` before changing any state in a rectangle (this lets the undo recorder
copy those tiles first), then `compose(...)` over what changed.

`TileRegions` is a mixin of Canvas and works on the canvas's own state (canvas.py):
refl, surface, water, pigment, the padded _hp/_wp, _paper, _paper_rgb, the wet
boxes and `recorder`; it owns _painted, the tiles that may differ from bare paper.
"""

from __future__ import annotations

from .boxes import overlaps, shrink_to
from .tiles import PRISTINE, TILE, TileKey, TileState, _Pristine


class TileRegions:
    @property
    def tile_grid_shape(self) -> tuple[int, int]:
        return self._tiles_shape

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
            if box is not None and overlaps(cbox, box):
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
        self._wet_box = shrink_to(self.water > 0, 0, 0)
        self._stain_box = shrink_to((self.pigment > 0).any(axis=0), 0, 0)
        for key in tiles:
            ys, xs = self._tile_slices(key)[:2]
            # Margin: shading reads the top-left neighbour, cells tint one px around.
            self.compose(xs.start - 2, ys.start - 2, xs.stop + 2, ys.stop + 2, surface=True)
