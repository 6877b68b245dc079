"""Tile snapshots for undo: the canvas state of one 32x32 px tile, and a recorder
that copies a tile's state the first time a command is about to change it.

Tiles (rather than one bounding rectangle) keep a long diagonal stroke cheap: its
memory follows the painted area, not the area of its bounding box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

TILE = 32  # px; even, so a tile is exactly 16x16 wet cells


@dataclass(frozen=True)
class TileState:
    """Everything the canvas keeps for one tile; wet arrays are None when dry."""

    refl: np.ndarray  # (th, tw, 3) float32 dry reflectance
    surface: np.ndarray  # (th, tw) float32 surface height
    water: np.ndarray | None  # (th/2, tw/2) float32
    pigment: np.ndarray | None  # (th/2, tw/2, 3) float32

    @property
    def nbytes(self) -> int:
        extra = 0 if self.water is None else self.water.nbytes + self.pigment.nbytes
        return self.refl.nbytes + self.surface.nbytes + extra


class _Pristine:
    """Marker for "this tile is clean paper": nothing to store, rebuilt from the paper."""

    __slots__ = ()
    nbytes = 0

    def __repr__(self) -> str:
        return "PRISTINE"


PRISTINE = _Pristine()

TileKey = tuple[int, int]  # (tile row, tile column)


class TileSource(Protocol):
    def capture_tile(self, key: TileKey) -> TileState | _Pristine: ...


class TileRecorder:
    """Copy-on-write "before" snapshots of every tile one command touches."""

    def __init__(self, grid_shape: tuple[int, int]):
        self.before: dict[TileKey, TileState | _Pristine] = {}
        self._seen = np.zeros(grid_shape, bool)  # (tiles_y, tiles_x)

    def save(self, canvas: TileSource, ty0: int, ty1: int, tx0: int, tx1: int) -> None:
        """Snapshot tiles in [ty0, ty1) x [tx0, tx1) not yet saved; call BEFORE changing them."""
        seen = self._seen[ty0:ty1, tx0:tx1]
        if seen.all():
            return
        for j, i in np.argwhere(~seen):
            key = (ty0 + int(j), tx0 + int(i))
            self.before[key] = canvas.capture_tile(key)
        seen[...] = True

    def capture_after(self, canvas: TileSource) -> dict[TileKey, TileState | _Pristine]:
        return {key: canvas.capture_tile(key) for key in self.before}
